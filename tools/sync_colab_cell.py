"""Insert or update the Colab set-up cell in every notebook of the book.

    .venv/bin/python tools/sync_colab_cell.py           # rewrite book/*.ipynb where needed
    .venv/bin/python tools/sync_colab_cell.py --check   # exit 1 if any notebook is out of date

The cell is the first code cell of each notebook. On Google Colab it pip-installs the
helper package, with the `colab` extra of pyproject.toml (what the notebooks import beyond
Colab's own packages: myst-nb for `glue`, gensim), from the repository and branch named in
`_config.yml` (`repository.url`, `repository.branch`): a fork changes that one place and
runs this script. Anywhere else the cell does nothing. It is tagged `remove-cell`, so the
HTML book does not show it; the notebooks that Binder, Colab and the download button
serve keep it.

While `repository.url` is still the template's placeholder (`YOUR-GITHUB-ACCOUNT`), there
is no repository to install from: the cell then installs nothing and, on Colab, stops with
an error that says so and how to install the helpers by hand (unless they are already
installed), rather than a pip command that can only fail.

The script is idempotent: a notebook whose cell already matches is left untouched, byte
for byte. Cell ids are renumbered as nbstripout numbers them, so `nbstripout --verify`
stays clean.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MARKER = "# Colab set-up (written by tools/sync_colab_cell.py from _config.yml; do not edit by hand)"
TAGS = ["remove-cell"]
PLACEHOLDER_ACCOUNT = "YOUR-GITHUB-ACCOUNT"  # the same placeholder _ext/book_html.py switches the buttons off for


def install_spec(root: Path = ROOT) -> str:
    """The pip requirement that installs the helpers from the configured repository."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf8"))
    repo = config.get("repository") or {}
    url, branch = str(repo.get("url", "")).rstrip("/"), str(repo.get("branch", "main"))
    if not url.startswith("https://"):
        raise ValueError(f"`repository.url` in _config.yml must be an https URL; got {url!r}")
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf8"))["project"]
    if "colab" not in project.get("optional-dependencies", {}):
        raise ValueError("pyproject.toml has no `colab` optional dependency group")
    # pyproject.toml sits next to _config.yml, i.e. in the book's folder of the repository
    subdir = str(repo.get("path_to_book", "") or "").strip("/")
    suffix = f"#subdirectory={subdir}" if subdir else ""
    return f"{project['name']}[colab] @ git+{url}@{branch}{suffix}"


def repository_is_placeholder(root: Path = ROOT) -> bool:
    """True while `repository.url` in _config.yml is the template's placeholder account."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf8"))
    return PLACEHOLDER_ACCOUNT in str((config.get("repository") or {}).get("url", ""))


def cell_source(root: Path = ROOT) -> str:
    if repository_is_placeholder(root):
        return "\n".join([
            MARKER,
            "# This copy of the book names no repository (repository.url in _config.yml is a placeholder),",
            "# so there is nothing to install the helper package from. On Google Colab: stop, unless it is",
            "# already installed. Elsewhere: nothing.",
            "import importlib.util",
            "import sys",
            "",
            'if "google.colab" in sys.modules and importlib.util.find_spec("sgns_helpers") is None:',
            "    raise RuntimeError(",
            '        "This notebook needs the book\'s helper package, sgns_helpers, and this copy of the book "',
            '        "names no repository to install it from. Upload the book\'s folder (the one with "',
            '        "pyproject.toml) to Colab, run `pip install \'./<folder>[colab]\'`, then run this notebook again.")',
        ])
    return "\n".join([
        MARKER,
        "# On Google Colab: install the book's helper package and what the notebooks import. Elsewhere: nothing.",
        "import sys",
        "",
        'if "google.colab" in sys.modules:',
        "    import subprocess",
        "",
        f'    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "{install_spec(root)}"], check=True)',
    ])


def is_colab_cell(cell: dict) -> bool:
    return cell["cell_type"] == "code" and "".join(cell["source"]).startswith(MARKER)


def synced(nb: dict, source: str) -> dict:
    """Return a copy of `nb` whose first code cell is the Colab cell with `source`."""
    cells = [c for c in nb["cells"] if not is_colab_cell(c)]
    first_code = next((i for i, c in enumerate(cells) if c["cell_type"] == "code"), len(cells))
    cell = {"cell_type": "code", "execution_count": None, "id": "", "metadata": {"tags": list(TAGS)},
            "outputs": [], "source": source.splitlines(keepends=True)}
    cells.insert(first_code, cell)
    if nb.get("nbformat", 4) >= 4 and nb.get("nbformat_minor", 0) >= 5:
        for i, c in enumerate(cells):  # nbstripout's numbering
            c["id"] = str(i)
    else:
        cell.pop("id")
    return {**nb, "cells": cells}


def dumps(nb: dict) -> str:
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report notebooks that are out of date")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: book/*.ipynb")
    args = parser.parse_args(argv)
    source = cell_source()
    paths = args.notebooks or sorted((ROOT / "book").glob("*.ipynb"))
    stale = []
    for path in paths:
        text = path.read_text(encoding="utf8")
        new = dumps(synced(json.loads(text), source))
        if new != text:
            stale.append(path)
            if not args.check:
                path.write_text(new, encoding="utf8")
    verb = "out of date" if args.check else "updated"
    for path in stale:
        print(f"{verb}: {path}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
