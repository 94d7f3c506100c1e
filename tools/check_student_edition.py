"""Check that the student edition holds no solution text, and the full edition does.

    python tools/check_student_edition.py --student _build_student/_build/html [--full _build/html]

`_ext/student_edition.py` records the text of every solution it removes in
`<student html>/../removed_solutions.json`. From each solution this takes the lines
that are plain text or code (lines with LaTeX are rendered differently and are
skipped) and checks:

- the student edition: no page has an element of class `solution`, no page's text
  and no downloadable notebook (`_sources/**/*.ipynb`) contains any of those lines,
  and every chapter with exercises still shows them (at least three) but lost as
  many solutions (at least three);
- the full edition (when given): every solution is there, as an element of class
  `solution`, and each recorded line appears in the page of its chapter.

Exit status 0 when all checks pass, 1 otherwise (the failures are printed).
"""

import argparse
import importlib.util
import json
import re
import sys
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
MIN_LINE = 25              # shorter lines are too generic to identify a solution
MATH = re.compile(r"[\\$^{}]")
TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "--",
                            "\u2014": "---", "\u2026": "..."})


def norm(text: str) -> str:
    """Whitespace collapsed, Sphinx's smart quotes and dashes undone."""
    return re.sub(r"\s+", " ", text.translate(TYPOGRAPHY)).strip()


def main_text() -> str:
    """The book's sources with every solution stripped: lines found here are not solution text."""
    spec = importlib.util.spec_from_file_location("student_edition", ROOT / "_ext" / "student_edition.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    parts = []
    for path in sorted(ROOT.joinpath("book").glob("*.ipynb")):
        stripped, _ = module.strip_solutions(json.loads(path.read_text(encoding="utf8")))
        parts += ["".join(c["source"]) for c in stripped["cells"]]
    parts += [p.read_text(encoding="utf8") for p in sorted(ROOT.joinpath("book").glob("*.md"))]
    return norm("\n".join(parts))


def snippets(solution_text: str, exclude: str = "") -> list[str]:
    """Distinctive plain lines of one removed solution (none that the main text also has)."""
    lines = (norm(line) for line in solution_text.splitlines())
    return [line for line in lines if len(line) >= MIN_LINE and not MATH.search(line) and line not in exclude]


def page(html_dir: Path, docname: str) -> BeautifulSoup:
    return BeautifulSoup((html_dir / f"{docname}.html").read_text(encoding="utf8"), "html.parser")


def solution_elements(soup: BeautifulSoup) -> list:
    return soup.select(".solution")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--student", type=Path, required=True, help="the student edition's HTML folder")
    parser.add_argument("--full", type=Path, help="the full edition's HTML folder (optional)")
    parser.add_argument("--min-per-chapter", type=int, default=3)
    args = parser.parse_args(argv)

    failures: list[str] = []
    report = args.student.parent / "removed_solutions.json"
    if not report.is_file():
        print(f"FAIL: {report} is missing: was the student edition built with hide_solutions: true?")
        return 1
    removed: dict[str, list[str]] = json.loads(report.read_text(encoding="utf8"))
    outside = main_text()
    all_snippets = {doc: [s for text in texts for s in snippets(text, outside)] for doc, texts in removed.items()}

    # 1. student edition: no solution anywhere
    for path in sorted(args.student.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf8"), "html.parser")
        if solution_elements(soup):
            failures.append(f"student: {path} has {len(solution_elements(soup))} element(s) of class 'solution'")
        text = norm(soup.get_text())
        for doc, lines in all_snippets.items():
            for line in lines:
                if line in text:
                    failures.append(f"student: {path} contains solution text of {doc}: {line!r}")
    for path in sorted(args.student.joinpath("_sources").rglob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf8"))
        source = "\n".join("".join(c["source"]) for c in nb["cells"])
        if re.search(r"\{solution(-start|-end)?\}", source):
            failures.append(f"student: the downloadable {path} still has a solution directive")
        flat = norm(source)
        for doc, lines in all_snippets.items():
            failures += [f"student: the downloadable {path} contains solution text of {doc}: {line!r}"
                         for line in lines if line in flat]

    # 2. every chapter with exercises keeps them and lost its solutions
    for path in sorted(args.student.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf8"), "html.parser")
        n_ex = len(soup.select(".exercise"))
        if n_ex:
            doc = path.relative_to(args.student).with_suffix("").as_posix()
            n_removed = len(removed.get(doc, []))
            if n_ex < args.min_per_chapter or n_removed < n_ex:
                failures.append(f"student: {doc} shows {n_ex} exercises and lost {n_removed} solutions "
                                f"(want at least {args.min_per_chapter}, one solution each)")

    # 3. full edition: the same solutions are there (most of their lines verbatim: a line with a
    #    cross-reference reads differently once the reference is resolved)
    n_checked = n_found = 0
    if args.full is not None:
        for doc, texts in removed.items():
            soup = page(args.full, doc)
            if len(solution_elements(soup)) != len(texts):
                failures.append(f"full: {doc} has {len(solution_elements(soup))} solutions, "
                                f"the student edition removed {len(texts)}")
            text = norm(soup.get_text())
            for solution in texts:
                lines = snippets(solution, outside)
                found = [line for line in lines if line in text]
                n_checked, n_found = n_checked + len(lines), n_found + len(found)
                if lines and len(found) < max(1, len(lines) // 2):
                    missing = [line for line in lines if line not in text]
                    failures.append(f"full: {doc} shows only {len(found)} of {len(lines)} lines of a solution; "
                                    f"missing e.g. {missing[:2]}")

    n_solutions = sum(len(v) for v in removed.values())
    for failure in failures:
        print("FAIL:", failure)
    if not failures:
        full = f"; {n_found} of them found verbatim in the full edition" if args.full is not None else ""
        print(f"OK: {n_solutions} solutions in {sum(1 for v in removed.values() if v)} chapters removed from the student edition "
              f"({sum(map(len, all_snippets.values()))} distinctive lines checked{full})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
