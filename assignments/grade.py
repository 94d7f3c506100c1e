"""Grade a folder of submitted notebooks locally, without Docker, into a CSV (`make grade`).

Each ``*.ipynb`` in the folder is matched to its assignment by the name that ``otter assign``
stored in its metadata, then graded by ``otter run`` with that assignment's autograder zip from
``make assignments``, in this environment (the notebooks import ``sgns_helpers`` from it). One CSV
row per submission: the file, the assignment, the score of every autograded question, the total
and the points possible. Questions read by hand (``manual: true``) are not in it.

Usage: python assignments/grade.py SUBMISSIONS [--build _build_assignments] [--csv FILE] [--jobs 2]
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def assignment_of(path: Path) -> str:
    """The assignment name ``otter assign`` wrote into a notebook's metadata."""
    try:
        meta = json.loads(path.read_text())["metadata"]
    except (json.JSONDecodeError, KeyError) as exc:
        raise ValueError(f"{path} is not a notebook ({exc})") from exc
    name = meta.get("otter", {}).get("assignment_name")
    if not name:
        raise ValueError(f"{path} has no otter assignment name in its metadata; was it made by `make assignments`?")
    return name


def grade_one(path: Path, build: Path, *, strict: bool = False, timeout: int = 300) -> dict:
    """Grade one submission with ``otter run``; return ``{"q1": score, ...}`` plus totals.

    ``strict`` passes ``--debug``: an error raised by the notebook stops the grading (for the
    tests, which check that a blank notebook runs to the end); without it, as for students,
    a failing cell only costs the points of the tests that need it.
    """
    name = assignment_of(path)
    zip_path = build / name / "autograder" / f"{name}-autograder.zip"
    if not zip_path.exists():
        raise FileNotFoundError(f"{zip_path} is missing; run `make assignments` first")
    with tempfile.TemporaryDirectory() as tmp:
        # under the name it was handed out with, which its first cell (otter.Notebook) opens
        copy = Path(tmp) / "submission" / f"{name}.ipynb"
        copy.parent.mkdir()
        shutil.copy(path, copy)
        cmd = [sys.executable, "-m", "otter", "run", "--no-logo", "-a", str(zip_path), "-o", tmp, str(copy)]
        if strict:
            cmd.append("--debug")
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        results = Path(tmp) / "results.json"
        if proc.returncode != 0 or not results.exists():
            raise RuntimeError(f"otter run failed on {path}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
        tests = json.loads(results.read_text())["tests"]
    scores = {t["name"]: float(t["score"]) for t in tests if t.get("max_score") is not None}
    possible = sum(float(t["max_score"]) for t in tests if t.get("max_score") is not None)
    return {"submission": path.name, "assignment": name, **scores, "score": sum(scores.values()), "possible": possible}


def grade_folder(folder, build=ROOT / "_build_assignments", *, jobs: int = 2, strict: bool = False) -> list[dict]:
    """Grade every ``*.ipynb`` in ``folder``, ``jobs`` at a time; rows sorted by file name."""
    folder, build = Path(folder), Path(build)
    if not folder.is_dir():
        raise NotADirectoryError(f"SUBMISSIONS must be a folder of .ipynb files; got {folder}")
    paths = sorted(folder.glob("*.ipynb"))
    if not paths:
        raise ValueError(f"{folder} holds no .ipynb file")
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(lambda p: grade_one(p, build, strict=strict), paths))


def write_csv(rows: list[dict], path: Path) -> None:
    """One row per submission; question columns in order, blank where an assignment has no such question."""
    questions = sorted({key for row in rows for key in row if key.startswith("q")}, key=lambda q: int(q[1:]))
    fields = ["submission", "assignment", *questions, "score", "possible"]
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("submissions", help="folder of submitted .ipynb files")
    parser.add_argument("--build", default=str(ROOT / "_build_assignments"), help="output of `make assignments`")
    parser.add_argument("--csv", default=None, help="where to write the scores (default: SUBMISSIONS/grades.csv)")
    parser.add_argument("--jobs", type=int, default=2, help="submissions graded at once (default: 2)")
    parser.add_argument("--strict", action="store_true", help="stop on the first error a notebook raises")
    args = parser.parse_args(argv)
    rows = grade_folder(args.submissions, args.build, jobs=args.jobs, strict=args.strict)
    out = Path(args.csv) if args.csv else Path(args.submissions) / "grades.csv"
    write_csv(rows, out)
    for row in rows:
        print(f"{row['submission']}: {row['assignment']} {row['score']:g} / {row['possible']:g}")
    print(f"scores: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
