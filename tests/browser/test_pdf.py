"""Check the PDF edition (``sgns-book.pdf`` in the built book, written by ``tools/build_pdf.py``).

Its text is extracted with ``pdftotext`` and its images listed with ``pdfimages`` (Debian's
poppler-utils), and checked against the built HTML pages: the title page and the contents; every
page of ``_toc.yml`` with its title, the numbered chapters as "Chapter N"; the contents' page
numbers point at the sheets where those pages start; no raw TeX left (MathJax typeset every
formula before printing); at least as many images as the chapters have figures; a page count in
the range a book of this length takes. The intro links the PDF and the link resolves. The
student edition (``BOOK_HTML=_build_student/_build/html``) must show no solution, the full one
every solution the HTML has.

Without ``pdftotext`` the tests are skipped, with the reason; so they are without Chromium, which
prints the PDF (``make book`` then skips it). Where both are present a missing PDF fails.
"""

import functools
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import CHROMIUM, ROOT, is_chapter, student_edition, toc_docs

PDF_NAME = "sgns-book.pdf"
DOCS = toc_docs()
# 133-143 A4 pages (10 pt text) in December 2026; far fewer means lost pages or figures, far more a broken layout.
PAGES_MIN, PAGES_MAX = 60, 300
# TeX that MathJax turns into symbols: any of it in the text, outside the printed code, is untypeset math.
RAW_TEX = re.compile(r"\\(frac|dfrac|tfrac|begin\{|end\{|mathbb|mathrm|mathcal|operatorname|left[(\[|.]|right[)\]|.]"
                     r"|mathbf|text\{|sum_|prod_|sqrt\{|hat\{|tilde\{|top\b|cdot\b|quad\b|big"
                     r"|log\b|exp\b|alpha\b|sigma\b)"
                     r"|\$\$|\\\(|\\\[")


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="session")
def pdf(built_html) -> Path:
    for tool in ("pdftotext", "pdfimages"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} not found: install Debian's poppler-utils (`apt-get install -y poppler-utils`)")
    path = built_html / PDF_NAME
    if not path.is_file():
        if not (Path(CHROMIUM).is_file() or shutil.which("chromium")):
            pytest.skip(f"no {PDF_NAME}: Chromium, which prints it, is not installed")
        pytest.fail(f"no {path}: run `make pdf` (or `.venv/bin/python tools/build_pdf.py {built_html}`)")
    return path


@pytest.fixture(scope="session")
def sheets(pdf) -> list[str]:
    """The text of each sheet of the PDF, in order."""
    out = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return out.split("\f")[:-1]


@functools.lru_cache(maxsize=None)
def article(built_html: Path, doc: str):
    """The article body of a built page (parsed once; the tests only read it)."""
    soup = BeautifulSoup((built_html / f"{doc}.html").read_text(encoding="utf8"), "html.parser")
    return soup.select_one("article.bd-article")


def title_of(built_html: Path, doc: str) -> str:
    h1 = article(built_html, doc).find("h1")
    return squash(" ".join(t for t in h1.find_all(string=True) if not t.find_parent("a", class_="headerlink")))


def test_page_count(sheets):
    assert PAGES_MIN <= len(sheets) <= PAGES_MAX, f"{len(sheets)} pages, expected {PAGES_MIN}-{PAGES_MAX}"


def test_title_page_and_contents(built_html, sheets):
    title = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf8"))["title"]
    assert squash(sheets[0]).startswith(title), f"the first page is not the title page: {sheets[0][:80]!r}"
    edition = "Student edition" if student_edition() else "Full edition"
    assert edition in squash(sheets[0]), f"the title page does not say {edition!r}"
    contents = squash(" ".join(s for s in sheets[1:4] if s.lstrip().startswith("Contents")))
    assert contents, "no page headed 'Contents' after the title page"
    for doc in DOCS:
        assert title_of(built_html, doc) in contents, f"the contents lack {title_of(built_html, doc)!r}"


def test_every_page_in_order_with_chapter_numbers(built_html, sheets):
    """Each page of _toc.yml starts a sheet with its title, in order; the contents give that sheet's number."""
    contents = squash(" ".join(s for s in sheets[1:4] if s.lstrip().startswith("Contents")))
    sheet, number = 1, 0
    for doc in DOCS:
        title = title_of(built_html, doc)
        number += is_chapter(doc)
        heading = squash(f"Chapter {number} {title}" if is_chapter(doc) else title)
        starts = [i for i in range(sheet, len(sheets)) if squash(sheets[i]).startswith(heading)]
        assert starts, f"no page after page {sheet} starts with {heading!r}"
        sheet = starts[0] + 1  # pages count from 1
        listed = f"{number} {title} {sheet}" if is_chapter(doc) else f"{title} {sheet}"
        assert listed in contents, f"the contents do not list {listed!r} ({doc} starts on page {sheet})"


def test_no_raw_tex(built_html, sheets):
    """No TeX in the text but what the printed code cells themselves contain (e.g. a plot label r"$\\log k$")."""
    in_code = Counter()
    for doc in DOCS:
        shown = [pre for pre in article(built_html, doc).select("pre")  # the PDF leaves out the code the site hides
                 if not pre.find_parent("details", class_="above-input")]
        in_code.update(m.group(0) for pre in shown for m in RAW_TEX.finditer(pre.get_text()))
    found = Counter(m.group(0) for text in sheets for m in RAW_TEX.finditer(text))
    pages = {m.group(0): i + 1 for i, text in enumerate(sheets) for m in RAW_TEX.finditer(text)}
    left = {tex: pages[tex] for tex in found - in_code}
    assert not left, f"raw TeX in the PDF's text, not from a code cell (text: a page): {left}"


def test_figures_present(built_html, pdf):
    n_figures = sum(len(article(built_html, doc).select("img")) for doc in DOCS if is_chapter(doc))
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True).stdout
    n_images = sum(1 for line in listing.splitlines()[2:] if line.split()[2:3] == ["image"])
    assert n_figures > 0, "the chapters have no figures to check"
    assert n_images >= n_figures, f"{n_images} images in the PDF for {n_figures} figures in the chapters"


def test_solutions_match_the_edition(built_html, sheets):
    text = squash(" ".join(sheets))
    n_html = sum(len(article(built_html, doc).select("div.solution")) for doc in DOCS)
    n_pdf = len(re.findall(r"Solution to Exercise \d+", text))
    if student_edition():
        assert n_pdf == 0, f"the student PDF shows {n_pdf} solutions"
    else:
        assert n_html > 0 and n_pdf == n_html, f"{n_pdf} solutions in the PDF, {n_html} in the HTML"


def test_intro_links_the_pdf(built_html, pdf):
    intro = built_html / f"{DOCS[0]}.html"
    links = [a["href"] for a in BeautifulSoup(intro.read_text(encoding="utf8"), "html.parser").select("a[href]")
             if a["href"].endswith(PDF_NAME)]
    assert links, f"{DOCS[0]} does not link {PDF_NAME}"
    for href in links:
        assert (intro.parent / href).resolve() == pdf.resolve(), f"the intro's link {href!r} does not reach {pdf}"
