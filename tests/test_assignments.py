"""The homework (assignments/): built with otter assign, graded with otter run, as `make grade` does.

One build of all five assignments and one grading pass over fifteen notebooks (each assignment's
solution, its blank student notebook and its prepared wrong submission, `assignments/wrong.py`),
shared by the tests below; about three to four minutes on two busy cores.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "assignments"))
import build  # noqa: E402  (assignments/build.py)
import grade  # noqa: E402  (assignments/grade.py)
import wrong  # noqa: E402  (assignments/wrong.py)

NAMES = sorted(build.masters())
pytestmark = pytest.mark.slow


def _cell_text(cell) -> str:
    return "".join(cell["source"])


def _questions(master: Path) -> dict[str, dict]:
    """Each question's config (name, points, manual) from a master's ``# BEGIN QUESTION`` cells."""
    out = {}
    for cell in json.loads(master.read_text())["cells"]:
        text = _cell_text(cell)
        if cell["cell_type"] == "raw" and text.startswith("# BEGIN QUESTION"):
            config = dict(line.split(": ", 1) for line in text.splitlines()[1:] if ": " in line)
            out[config["name"]] = {"points": float(config["points"]), "manual": config.get("manual") == "true"}
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """All assignments built (solutions not checked by otter assign: the grading below does it)."""
    out = tmp_path_factory.mktemp("assignments")
    proc = subprocess.run([sys.executable, str(ROOT / "assignments" / "build.py"), "--out", str(out), "--no-check"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


@pytest.fixture(scope="module")
def grades(built, tmp_path_factory):
    """Scores of the solution, the blank notebook and the wrong submission of every assignment.

    Graded strictly (``otter run --debug``): a notebook that raises an error fails the fixture, so
    every blank student notebook is shown to run to the end.
    """
    folder = tmp_path_factory.mktemp("submissions")
    for name in NAMES:
        shutil.copy(built / name / "autograder" / f"{name}.ipynb", folder / f"{name}-solution.ipynb")
        shutil.copy(built / name / "student" / f"{name}.ipynb", folder / f"{name}-blank.ipynb")
        wrong.write_wrong_submission(built / name / "autograder" / f"{name}.ipynb", folder / f"{name}-wrong.ipynb", name)
    rows = grade.grade_folder(folder, built, jobs=2, strict=True)
    csv_path = folder / "grades.csv"
    grade.write_csv(rows, csv_path)
    with open(csv_path, newline="") as f:
        return {row["submission"].removesuffix(".ipynb"): row for row in csv.DictReader(f)}


def _autograded(name: str) -> dict[str, float]:
    return {q: c["points"] for q, c in _questions(build.masters()[name]).items() if not c["manual"]}


@pytest.mark.parametrize("name", NAMES)
def test_solution_scores_full_marks(grades, name):
    row = grades[f"{name}-solution"]
    points = _autograded(name)
    assert {q: float(row[q]) for q in points} == points
    assert float(row["score"]) == float(row["possible"]) == sum(points.values())


@pytest.mark.parametrize("name", NAMES)
def test_blank_notebook_runs_and_scores_less(grades, name):
    row = grades[f"{name}-blank"]  # graded strictly: it ran to the end without an error
    assert row["assignment"] == name
    assert float(row["score"]) < float(row["possible"])


@pytest.mark.parametrize("name", NAMES)
def test_wrong_submission_loses_only_its_question(grades, name):
    row, mistake, points = grades[f"{name}-wrong"], wrong.MISTAKES[name], _autograded(name)
    assert float(row[mistake.question]) < points[mistake.question], f"{mistake.why}: not caught"
    others = {q: float(row[q]) for q in points if q != mistake.question}
    assert others == {q: p for q, p in points.items() if q != mistake.question}, "the mistake cost points elsewhere"


def _solution_lines(master: Path) -> set[str]:
    """Lines that only a solution or a hidden test holds (not also in the prompt, setup or public tests).

    As otter assign strips them: in code cells the lines between ``# BEGIN SOLUTION`` and
    ``# END SOLUTION`` comments and those ending in ``# SOLUTION``; markdown cells inside a
    solution block whole; and the test cells marked ``hidden: true``.
    """
    secret, visible = [], []
    in_block = False
    for cell in json.loads(master.read_text())["cells"]:
        text = _cell_text(cell)
        if cell["cell_type"] == "raw":
            in_block = {"# BEGIN SOLUTION": True, "# END SOLUTION": False}.get(text.strip(), in_block)
        elif cell["cell_type"] == "markdown" and in_block:
            secret.append(text)
        elif "hidden: true" in text:
            secret.append(text)
        elif cell["cell_type"] == "code":
            stripped = re.findall(r"^.*# SOLUTION$", text, flags=re.M) + re.findall(
                r"# BEGIN SOLUTION[^\n]*\n(.*?)# END SOLUTION", text, flags=re.S)
            secret.extend(stripped)
            kept = re.sub(r"# BEGIN SOLUTION[^\n]*\n.*?# END SOLUTION", "", text, flags=re.S)
            visible.append(re.sub(r"^.*# SOLUTION$", "", kept, flags=re.M))
        else:
            visible.append(text)
    shown = "\n".join(visible)
    lines = {line.strip().removesuffix("# SOLUTION").strip() for text in secret for line in text.splitlines()}
    return {line for line in lines if len(line) >= 12 and line not in shown and "SOLUTION" not in line
            and "TEST CONFIG" not in line}


@pytest.mark.parametrize("name", NAMES)
def test_no_solution_text_in_student_notebook(built, name):
    secret = _solution_lines(build.masters()[name])
    assert len(secret) >= 5, "the check must have solution lines to look for"
    student = (built / name / "student" / f"{name}.ipynb").read_text()
    text = json.dumps(json.loads(student))  # sources and metadata (the public tests live there)
    leaked = sorted(line for line in secret if json.dumps(line)[1:-1] in text)
    assert not leaked, f"solution or hidden-test text in the student notebook: {leaked}"
    solution_nb = (built / name / "autograder" / f"{name}.ipynb").read_text()
    assert any(json.dumps(line)[1:-1] in json.dumps(json.loads(solution_nb)) for line in secret), "the check finds text where it is"


def test_readme_table_matches_the_masters():
    readme = (ROOT / "assignments" / "README.md").read_text()
    for name in NAMES:
        (row,) = [line for line in readme.splitlines() if line.startswith(f"| `{name}` |")]
        cells = [c.strip() for c in row.strip("|").split("|")]
        questions = _questions(build.masters()[name])
        listed = dict(re.findall(r"(q\d+)\b[^()|]*\((\d+)\)", cells[2]))
        assert {q: float(p) for q, p in listed.items()} == {q: c["points"] for q, c in questions.items()}
        assert float(cells[3].split()[0]) == sum(_autograded(name).values())
        assert (build.masters()[name].read_text().count("# BEGIN QUESTION")) == len(questions)


def test_grade_rejects_what_it_cannot_grade(tmp_path):
    with pytest.raises(NotADirectoryError, match="SUBMISSIONS must be a folder"):
        grade.grade_folder(tmp_path / "missing")
    with pytest.raises(ValueError, match="holds no .ipynb"):
        grade.grade_folder(tmp_path)
    (tmp_path / "x.ipynb").write_text(json.dumps({"cells": [], "metadata": {}}))
    with pytest.raises(ValueError, match="no otter assignment name"):
        grade.assignment_of(tmp_path / "x.ipynb")
    (tmp_path / "y.ipynb").write_text("not json")
    with pytest.raises(ValueError, match="is not a notebook"):
        grade.assignment_of(tmp_path / "y.ipynb")
    (tmp_path / "x.ipynb").write_text(json.dumps({"cells": [], "metadata": {"otter": {"assignment_name": "hw9"}}}))
    with pytest.raises(FileNotFoundError, match="run `make assignments` first"):
        grade.grade_one(tmp_path / "x.ipynb", tmp_path)


def test_build_rejects_an_unknown_assignment(capsys):
    with pytest.raises(SystemExit) as exc:
        build.main(["--out", "unused", "hw0_none"])
    assert exc.value.code == 2
    assert "unknown assignment(s) ['hw0_none']" in capsys.readouterr().err


def test_wrong_submission_needs_its_line_once(tmp_path):
    nb = {"cells": [{"cell_type": "code", "source": ["x = 1\n"], "metadata": {}, "outputs": [], "execution_count": None}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "s.ipynb").write_text(json.dumps(nb))
    with pytest.raises(ValueError, match="occurs 0 times"):
        wrong.write_wrong_submission(tmp_path / "s.ipynb", tmp_path / "w.ipynb", "hw1_pmi")
