"""Write the homework for a class: student notebooks, autograder zips and instructions (`make assignments`).

For every master ``assignments/hw*.ipynb`` (otter-grader's ``otter assign`` format) this writes

    OUT/<name>/student/<name>.ipynb               the notebook to hand out (solutions and hidden tests removed)
    OUT/<name>/autograder/<name>.ipynb            the solution notebook (scores full marks)
    OUT/<name>/autograder/<name>-autograder.zip   the autograder: `otter run -a` locally, or upload to Gradescope

and ``OUT/INSTRUCTIONS.md`` (a copy of ``assignments/README.md``). The zips carry a wheel of
``sgns_helpers`` and a requirements file that installs it, so Gradescope's image has the package;
local grading (``make grade``) uses this environment instead. ``otter assign`` also runs each
solution against its tests and stops with an error if one fails.

Usage: python assignments/build.py [--out _build_assignments] [--jobs 2] [--no-check] [NAME ...]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OTTER = [sys.executable, "-m", "otter"]
GRADESCOPE_SOURCE = "/autograder/source/files"  # where Gradescope unpacks the zip's files/


def masters() -> dict[str, Path]:
    """The master notebooks, by assignment name (the file stem)."""
    return {p.stem: p for p in sorted(HERE.glob("hw*.ipynb"))}


def build_wheel(dest: Path) -> Path:
    """A wheel of the helper package, built offline from a copy of this checkout (setuptools
    leaves build/ and *.egg-info/ where it builds, so not in the repository)."""
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("pyproject.toml", "README.md"):
            shutil.copy(ROOT / name, tmp)
        shutil.copytree(ROOT / "sgns_helpers", Path(tmp) / "sgns_helpers", ignore=shutil.ignore_patterns("__pycache__"))
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet", "-w", str(dest), tmp],
            check=True,
        )
    (wheel,) = dest.glob("sgns_helpers-*.whl")
    return wheel


def with_grading_files(master: Path, dest: Path, wheel: Path) -> Path:
    """Copy a master into ``dest``, its config extended by the wheel and a requirements file."""
    nb = json.loads(master.read_text())
    config = next(c for c in nb["cells"] if c["cell_type"] == "raw" and "".join(c["source"]).startswith("# ASSIGNMENT CONFIG"))
    text = "".join(config["source"]).rstrip("\n")
    if "requirements:" in text or "autograder_files:" in text:
        raise ValueError(f"{master.name}: leave `requirements` and `autograder_files` to build.py")
    text += f"\nrequirements: requirements.txt\nautograder_files:\n  - {wheel.name}\n"
    config["source"] = text.splitlines(keepends=True)
    out = dest / master.name
    out.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    return out


def assign(name: str, source: Path, out: Path, *, check: bool = True) -> str:
    """Run ``otter assign`` for one master (``check``: and its solution against its tests); give its zip a name without a timestamp."""
    result = out / name
    shutil.rmtree(result, ignore_errors=True)
    flags = [] if check else ["--no-run-tests"]
    proc = subprocess.run(OTTER + ["assign", *flags, str(source), str(result)], cwd=source.parent, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"otter assign failed for {name}:\n{proc.stdout}\n{proc.stderr}")
    (zip_path,) = (result / "autograder").glob(f"{name}-autograder_*.zip")
    zip_path.rename(result / "autograder" / f"{name}-autograder.zip")
    return name


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "_build_assignments"), help="output folder (default: _build_assignments)")
    parser.add_argument("--jobs", type=int, default=2, help="assignments built at once (default: 2)")
    parser.add_argument("--no-check", action="store_true", help="skip running each solution against its tests (the tests grade them)")
    parser.add_argument("names", nargs="*", help="assignments to build (default: all)")
    args = parser.parse_args(argv)
    found = masters()
    unknown = sorted(set(args.names) - set(found))
    if unknown:
        parser.error(f"unknown assignment(s) {unknown}; the masters are {sorted(found)}")
    names = args.names or sorted(found)
    out = Path(args.out).resolve()
    src = out / "_masters"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    wheel = build_wheel(src)
    (src / "requirements.txt").write_text(f"{GRADESCOPE_SOURCE}/{wheel.name}\n")
    sources = {name: with_grading_files(found[name], src, wheel) for name in names}
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for name in pool.map(lambda n: assign(n, sources[n], out, check=not args.no_check), names):
            print(f"{name}: {out / name / 'student'} and {out / name / 'autograder'}")
    shutil.copy(HERE / "README.md", out / "INSTRUCTIONS.md")
    print(f"instructions: {out / 'INSTRUCTIONS.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
