"""tools/build_pdf.py without a browser: finding where each page starts, and a machine without the tools.

The print itself needs Chromium; tests/browser/test_pdf.py checks the PDF it writes.
"""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
spec = importlib.util.spec_from_file_location("build_pdf", ROOT / "tools" / "build_pdf.py")
build_pdf = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_pdf)
from pdf_assemble import Page, TocEntry  # noqa: E402

PAGES = [Page(TocEntry("book/intro", None, None), "p0", "A small book"),
         Page(TocEntry("book/01_first", "Part I", 1), "p1", "First chapter with a title long enough to wrap"),
         Page(TocEntry("book/glossary", None, None), "p2", "Glossary")]


def test_start_pages_skips_title_page_and_follows_the_order(monkeypatch):
    sheets = ["A small book\nSomeone", "Contents\nA small book 3\n1 First chapter", "A small book\ntext",
              "more intro", "Chapter 1\nFirst chapter with a title\nlong enough to wrap", "Glossary is mentioned",
              "Glossary\nterm"]
    monkeypatch.setattr(build_pdf, "page_texts", lambda pdf: sheets)
    assert build_pdf.start_pages(Path("x.pdf"), PAGES) == {"p0": 3, "p1": 5, "p2": 7}


def test_start_pages_fails_when_a_page_does_not_open_a_sheet(monkeypatch):
    monkeypatch.setattr(build_pdf, "page_texts", lambda pdf: ["A small book", "A small book", "Chapter 1\nFirst"])
    with pytest.raises(RuntimeError, match=r"no sheet of x.pdf opens with 'Glossary': the chapter breaks were lost"):
        build_pdf.start_pages(Path("x.pdf"), PAGES)


def test_without_tools_skip_or_fail(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(build_pdf, "missing_tools", lambda: ["pdftotext (`apt-get install -y poppler-utils`)"])
    assert build_pdf.main([str(tmp_path), "--skip-without-tools"]) == 0
    assert "NOT BUILT: the PDF edition" in capsys.readouterr().out
    assert build_pdf.main([str(tmp_path)]) == 1
    assert "needs pdftotext" in capsys.readouterr().err


def test_missing_tools_names_chromium(monkeypatch):
    monkeypatch.setattr(build_pdf, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setattr(build_pdf.shutil, "which", lambda name: None)
    missing = build_pdf.missing_tools()
    assert missing[0].startswith("Chromium (not at /nonexistent/chromium") and "poppler-utils" in missing[1]
