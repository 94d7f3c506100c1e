"""Every notebook's first code cell is the Colab set-up cell, matching _config.yml.

tools/sync_colab_cell.py writes the cell from `repository.url` and `repository.branch`;
after a fork changes those, the script must be run again, and this test says so.
"""

import importlib.util
import json
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _toc_notebooks():
    """The notebooks of the book: those _toc.yml lists (a chapter joins when it joins the TOC)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf8"))
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            files.append(entry.get("file", ""))
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return sorted(p for f in files if f and (p := ROOT / f"{f}.ipynb").is_file())


NOTEBOOKS = _toc_notebooks()


def _tool():
    spec = importlib.util.spec_from_file_location("sync_colab_cell", ROOT / "tools" / "sync_colab_cell.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sync = _tool()


def test_install_spec_follows_config():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf8"))
    spec = sync.install_spec()
    assert spec.startswith("sgns_helpers[colab] @ git+")
    assert f"git+{config['repository']['url'].rstrip('/')}@{config['repository']['branch']}" in spec


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_code_cell_is_the_colab_cell(path):
    nb = json.loads(path.read_text(encoding="utf8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, f"{path.name} has no code cell"
    first = code[0]
    assert "".join(first["source"]) == sync.cell_source(), (
        f"{path.name}: the Colab cell is missing or out of date; run `.venv/bin/python tools/sync_colab_cell.py`")
    assert "remove-cell" in first["metadata"].get("tags", []), "the HTML book must not show the Colab cell"
    assert sum(sync.is_colab_cell(c) for c in nb["cells"]) == 1, "exactly one Colab cell"
    assert first["outputs"] == [] and first["execution_count"] is None, "stored without outputs"


def test_the_cell_does_nothing_outside_colab():
    namespace = {}
    exec(sync.cell_source(), namespace)  # google.colab is not imported here: nothing may happen
    assert "subprocess" not in namespace


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_sync_is_idempotent(path):
    text = path.read_text(encoding="utf8")
    once = sync.dumps(sync.synced(json.loads(text), sync.cell_source()))
    assert once == text, f"{path.name} would change: run tools/sync_colab_cell.py"
    assert sync.dumps(sync.synced(json.loads(once), sync.cell_source())) == once


def test_a_notebook_without_the_cell_gets_it_before_its_first_code_cell():
    nb = {"cells": [{"cell_type": "markdown", "id": "0", "metadata": {}, "source": ["# T"]},
                    {"cell_type": "code", "id": "1", "metadata": {}, "source": ["import numpy"],
                     "outputs": [], "execution_count": None}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    out = sync.synced(nb, "SRC")
    assert [c["cell_type"] for c in out["cells"]] == ["markdown", "code", "code"]
    assert [c["id"] for c in out["cells"]] == ["0", "1", "2"]
    assert "".join(out["cells"][2]["source"]) == "import numpy"


def _root_with_url(tmp_path, url):
    """A copy of the book's _config.yml and pyproject.toml with `repository.url` set to `url`."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf8"))
    config["repository"]["url"] = url
    (tmp_path / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf8")
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text(encoding="utf8"), encoding="utf8")
    return tmp_path


_FIND_SPEC = importlib.util.find_spec


def _run_on_fake_colab(source, monkeypatch, helpers_installed):
    import importlib.util
    import subprocess
    import sys
    import types

    calls = []
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    monkeypatch.setattr(subprocess, "run", lambda *args, **kw: calls.append(args))
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: (
        (_FIND_SPEC(name) if helpers_installed else None) if name == "sgns_helpers" else _FIND_SPEC(name, *a)))
    exec(source, {})
    return calls


def test_a_placeholder_repository_gives_a_cell_that_says_so(tmp_path, monkeypatch):
    root = _root_with_url(tmp_path, f"https://github.com/{sync.PLACEHOLDER_ACCOUNT}/sgns-book")
    source = sync.cell_source(root)
    assert sync.PLACEHOLDER_ACCOUNT not in source and "pip\", \"install" not in source
    with pytest.raises(RuntimeError, match="names no repository to install it from"):
        _run_on_fake_colab(source, monkeypatch, helpers_installed=False)
    assert _run_on_fake_colab(source, monkeypatch, helpers_installed=True) == []  # installed by hand: go on


def test_a_real_repository_gives_a_cell_that_installs_from_it(tmp_path, monkeypatch):
    root = _root_with_url(tmp_path, "https://github.com/some-fork/sgns-book")
    source = sync.cell_source(root)
    assert "git+https://github.com/some-fork/sgns-book@main" in source
    calls = _run_on_fake_colab(source, monkeypatch, helpers_installed=False)
    assert len(calls) == 1 and calls[0][0][-1] == sync.install_spec(root)


def test_the_placeholder_is_the_one_the_book_switches_buttons_off_for():
    spec = importlib.util.spec_from_file_location("book_html", ROOT / "_ext" / "book_html.py")
    book_html = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(book_html)
    assert book_html.PLACEHOLDER_ACCOUNT == sync.PLACEHOLDER_ACCOUNT
