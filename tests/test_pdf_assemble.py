"""tools/pdf_assemble.py: the book's pages in one printable document (the PDF edition's source)."""

import importlib.util
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("pdf_assemble", ROOT / "tools" / "pdf_assemble.py")
pdf_assemble = importlib.util.module_from_spec(spec)
sys.modules["pdf_assemble"] = pdf_assemble
spec.loader.exec_module(pdf_assemble)

TOC = """format: jb-book
root: book/intro
parts:
  - caption: "Part I"
    chapters:
      - file: book/01_first
      - file: book/02_second
  - caption: "Reference"
    chapters:
      - file: book/glossary
"""
CONFIG = "title: 'A small book'\nauthor: 'Someone'\ncopyright: '2026'\n"
HEAD = ("<head><link rel='stylesheet' href='../_static/site.css'>"
        "<script>window.MathJax = {}</script><script defer src='../_static/mathjax/tex-chtml.js'></script></head>")


def page(title, body):
    return (f"<html>{HEAD}<body><nav>site navigation</nav><article class='bd-article'><section id='top'>"
            f"<h1>{title}<a class='headerlink' href='#top'>#</a></h1>{body}</section></article></body></html>")


@pytest.fixture
def book(tmp_path):
    """A built book in miniature: four pages, one figure, one hidden code cell, links of each kind."""
    html = tmp_path / "_build" / "html"
    (html / "book").mkdir(parents=True)
    (html / "_images").mkdir()
    (html / "_images" / "fig.png").write_bytes(b"png")
    (html / "index.html").write_text("<html></html>")
    (html / "book" / "intro.html").write_text(page("A small book", "<p><a href='01_first.html#sec'>see</a></p>"))
    (html / "book" / "01_first.html").write_text(page("First", (
        "<section id='sec'><h2>Sec</h2><p><a href='#sec'>here</a> <a href='../genindex.html'>index</a> "
        "<a href='https://example.org/'>away</a></p>"
        "<div class='cell tag_hide-input'><details class='hide above-input'><summary>Show code cell source</summary>"
        "<pre>plot()</pre></details><div class='cell_output'><img src='../_images/fig.png' alt='a plot'></div></div>"
        "</section>")))
    (html / "book" / "02_second.html").write_text(page("Second", "<p><a href='01_first.html'>back</a></p>"))
    (html / "book" / "glossary.html").write_text(page("Glossary", "<p>terms</p>"))
    (tmp_path / "_toc.yml").write_text(TOC)
    (tmp_path / "_config.yml").write_text(CONFIG)
    return tmp_path


def build(book):
    out = book / "_build" / "pdf" / "book.html"
    pages = pdf_assemble.assemble(book / "_build" / "html", out, book / "_config.yml", book / "_toc.yml")
    return pages, BeautifulSoup(out.read_text(), "html.parser")


def test_toc_entries_of_the_book():
    entries = pdf_assemble.toc_entries()
    assert entries[0].doc == "book/intro" and entries[0].number is None
    numbers = [e.number for e in entries if e.number]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 7
    assert entries[1].part and entries[1].number == 1  # the first chapter opens Part I


def test_pages_in_order_with_numbers_and_parts(book):
    pages, doc = build(book)
    assert [p.entry.doc for p in pages] == ["book/intro", "book/01_first", "book/02_second", "book/glossary"]
    assert [p.entry.number for p in pages] == [None, 1, 2, None]
    assert [p.entry.part for p in pages] == [None, "Part I", None, "Reference"]
    assert [p.title for p in pages] == ["A small book", "First", "Second", "Glossary"]
    assert doc.select_one("#p1 h1").get_text(" ", strip=True).startswith("Chapter 1")
    assert "Chapter" not in doc.select_one("#p3 h1").get_text()
    assert [li.get_text(" ", strip=True) for li in doc.select(".pdf-toc-part")] == ["Part I", "Reference"]
    assert [a["href"] for a in doc.select(".pdf-toc-entry a")] == ["#p0", "#p1", "#p2", "#p3"]


def test_title_page_names_the_edition(book):
    _, doc = build(book)
    title = doc.select_one(".pdf-title").get_text()
    assert "A small book" in title and "Full edition" in title
    (book / "_build" / "removed_solutions.json").write_text("{}")
    _, doc = build(book)
    assert "Student edition" in doc.select_one(".pdf-title").get_text()


def test_links_ids_and_images_rewritten(book):
    _, doc = build(book)
    hrefs = [a["href"] for a in doc.select(".pdf-chapter a, .pdf-page a")]
    assert hrefs == ["#p1-sec", "#p1-sec", "https://example.org/", "#p1"]  # genindex unwrapped
    assert "index" in doc.select_one("#p1-sec").get_text() and doc.select_one("#p1-top")
    img = doc.select_one("img")
    assert (book / "_build" / "pdf" / img["src"]).resolve() == (book / "_build" / "html" / "_images" / "fig.png")
    assert img["alt"] == "a plot"


def test_navigation_anchors_and_hidden_code_dropped(book):
    _, doc = build(book)
    text = doc.get_text()
    assert "site navigation" not in text and "Show code cell source" not in text and "plot()" not in text
    assert not doc.select("a.headerlink")


def test_head_keeps_styles_and_offline_mathjax(book):
    _, doc = build(book)
    assert [link["href"] for link in doc.select("link[rel=stylesheet]")] == ["../html/_static/site.css"]
    assert [s["src"] for s in doc.select("script[src]")] == ["../html/_static/mathjax/tex-chtml.js"]
    assert any("window.MathJax" in s.string for s in doc.select("script:not([src])"))
    assert "@page" in doc.select_one("style").string


def test_input_validation(book, tmp_path):
    with pytest.raises(ValueError, match=r"`html_dir` must be a built HTML book \(with index.html\); got"):
        pdf_assemble.assemble(tmp_path / "nowhere", tmp_path / "out.html")
    (book / "_build" / "html" / "book" / "02_second.html").unlink()
    with pytest.raises(ValueError, match=r"`html_dir` lacks pages listed in _toc.yml: \['book/02_second'\]"):
        build(book)
    (book / "_build" / "html" / "book" / "02_second.html").write_text("<html><body><p>no article</p></body></html>")
    with pytest.raises(ValueError, match=r"02_second.html has no <article class='bd-article'>"):
        build(book)
