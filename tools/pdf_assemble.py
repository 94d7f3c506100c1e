"""Assemble the built HTML book into one printable HTML document (the source of the PDF edition).

The pages of ``_build/html`` are taken in the order of ``_toc.yml``; from each, the article body
(``article.bd-article``) is kept with its figures, outputs and math as the site shows them. Added:
a title page, a contents page (chapter numbers, part captions, links, room for page numbers that
``tools/build_pdf.py`` fills in), and a print style sheet. Removed: the navigation around the
article, the heading anchors and the plotting code the site hides behind "Show code cell source".
Ids are prefixed per page (``p3-overview``) so links between chapters become links inside the
document; links to pages the PDF does not carry (index, sources, downloads) become plain text.

Used by ``tools/build_pdf.py``; ``python tools/pdf_assemble.py HTML_DIR OUT.html`` writes the
document alone (to look at it in a browser).
"""

import html
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class TocEntry:
    doc: str            # page name without suffix, e.g. "book/03_training"
    part: str | None    # caption of the part it opens, or None
    number: int | None  # chapter number (pages named NN_*), None for the unnumbered pages


@dataclass(frozen=True)
class Page:
    entry: TocEntry
    anchor: str         # id of the page's wrapper in the document, e.g. "p3"
    title: str          # the page's H1, without the chapter number


def toc_entries(toc_path: Path = ROOT / "_toc.yml") -> list[TocEntry]:
    """Every page of ``_toc.yml`` in reading order, with the part caption it opens and its chapter number."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf8"))
    docs: list[tuple[str, str | None]] = [(toc["root"], None)]

    def walk(entries, caption):
        for entry in entries or []:
            if "file" in entry:
                docs.append((entry["file"], caption))
                caption = None
            walk(entry.get("sections"), None)

    for part in toc.get("parts", []):
        walk(part.get("chapters"), part.get("caption"))
    walk(toc.get("chapters"), None)
    entries, number = [], 0
    for doc, caption in docs:
        name = Path(doc).name
        numbered = name[:2].isdigit() and name[2:3] == "_"
        number += numbered
        entries.append(TocEntry(str(Path(doc).with_suffix("")), caption, number if numbered else None))
    return entries


def _rewrite_links(article, page_dir: Path, out_dir: Path, html_dir: Path, anchors: dict, anchor: str):
    """Prefix ids with the page anchor; point links at the document's own anchors; fix image paths."""
    for tag in article.select("[id]"):
        tag["id"] = f"{anchor}-{tag['id']}"
    for img in article.select("img[src]"):
        if not urlsplit(img["src"]).scheme:
            img["src"] = os.path.relpath((page_dir / img["src"]).resolve(), out_dir).replace(os.sep, "/")
    for link in article.select("a[href]"):
        url = urlsplit(link["href"])
        if url.scheme or url.netloc:
            continue  # a link to another site stays as it is
        if not url.path:
            link["href"] = f"#{anchor}-{url.fragment}" if url.fragment else f"#{anchor}"
            continue
        target = (page_dir / url.path).resolve()
        doc = os.path.relpath(target, html_dir.resolve()).replace(os.sep, "/").removesuffix(".html")
        if doc in anchors:
            link["href"] = f"#{anchors[doc]}-{url.fragment}" if url.fragment else f"#{anchors[doc]}"
        else:
            link.unwrap()  # genindex, _sources, _downloads: not part of the PDF


def _clean(article):
    """Drop what a printed page cannot use: heading anchors, hidden plotting code, buttons."""
    for tag in article.select("a.headerlink, details.hide.above-input, button, .d-print-none"):
        tag.decompose()


def _head(first_page: BeautifulSoup, page_dir: Path, out_dir: Path, title: str) -> str:
    """The site's style sheets and MathJax set-up (the same offline copy), plus the print style sheet."""
    parts = [f"<meta charset='utf-8'><title>{html.escape(title)}</title><link rel='icon' href='data:,'>"]
    for link in first_page.select("link[rel=stylesheet][href]"):
        href = urlsplit(link["href"]).path
        parts.append(f"<link rel='stylesheet' href='{os.path.relpath(page_dir / href, out_dir)}'>")
    for script in first_page.select("head script"):
        src = urlsplit(script.get("src", "")).path
        if "MathJax" in script.get_text():
            parts.append(str(script))
        elif "mathjax" in src:
            parts.append(f"<script defer src='{os.path.relpath(page_dir / src, out_dir)}'></script>")
    parts.append(f"<style>{Path(__file__).with_name('pdf_print.css').read_text(encoding='utf8')}</style>")
    return "\n".join(parts)


def _title_page(config: dict, student: bool) -> str:
    edition = ("Student edition: the exercises without their solutions" if student
               else "Full edition: every exercise with its solution")
    return (f"<section class='pdf-title' id='title'><h1 class='pdf-book-title'>{html.escape(config['title'])}</h1>"
            f"<p class='pdf-author'>{html.escape(str(config.get('author', '')))}</p>"
            f"<p class='pdf-edition'>{edition}</p>"
            f"<p class='pdf-copyright'>&copy; {html.escape(str(config.get('copyright', '')))}</p></section>")


def _contents(pages: list[Page]) -> str:
    rows = ["<nav class='pdf-contents' id='contents'><h1 class='pdf-contents-title'>Contents</h1><ol>"]
    for page in pages:
        if page.entry.part:
            rows.append(f"<li class='pdf-toc-part'>{html.escape(page.entry.part)}</li>")
        number = f"<span class='pdf-toc-number'>{page.entry.number}</span>" if page.entry.number else ""
        rows.append(f"<li class='pdf-toc-entry'><a href='#{page.anchor}'>{number}"
                    f"<span class='pdf-toc-title'>{html.escape(page.title)}</span>"
                    f"<span class='pdf-toc-page' data-anchor='{page.anchor}'></span></a></li>")
    rows.append("</ol></nav>")
    return "\n".join(rows)


def assemble(html_dir: Path, out_path: Path, config_path: Path = ROOT / "_config.yml",
             toc_path: Path = ROOT / "_toc.yml") -> list[Page]:
    """Write the printable document of the book in `html_dir` to `out_path`; return its pages in order.

    Parameters
    ----------
    html_dir : Path
        A built HTML book (``_build/html``), with one ``<doc>.html`` per entry of ``_toc.yml``.
    out_path : Path
        Where to write the document; its folder must be served together with `html_dir`
        (image and style paths are relative), e.g. ``_build/pdf/book.html`` next to ``_build/html``.
    config_path, toc_path : Path
        The book's ``_config.yml`` (title, author, copyright) and ``_toc.yml`` (pages, parts, order).
    """
    html_dir, out_dir = Path(html_dir), Path(out_path).parent
    if not (html_dir / "index.html").is_file():
        raise ValueError(f"`html_dir` must be a built HTML book (with index.html); got {str(html_dir)!r}")
    entries = toc_entries(Path(toc_path))
    missing = [e.doc for e in entries if not (html_dir / f"{e.doc}.html").is_file()]
    if missing:
        raise ValueError(f"`html_dir` lacks pages listed in _toc.yml: {missing}; rebuild the book")
    anchors = {e.doc: f"p{i}" for i, e in enumerate(entries)}
    out_dir.mkdir(parents=True, exist_ok=True)
    pages, bodies, first = [], [], None
    for entry in entries:
        path = html_dir / f"{entry.doc}.html"
        soup = BeautifulSoup(path.read_text(encoding="utf8"), "html.parser")
        first = first or (soup, path.parent)
        article = soup.select_one("article.bd-article")
        if article is None:
            raise ValueError(f"{path} has no <article class='bd-article'>: not a page of this book's theme")
        h1 = article.find("h1")
        _clean(article)
        title = " ".join(h1.get_text(" ").split())
        _rewrite_links(article, path.parent, out_dir, html_dir, anchors, anchors[entry.doc])
        if entry.number:
            h1.insert(0, BeautifulSoup(f"<span class='pdf-chapter-number'>Chapter {entry.number}</span>",
                                       "html.parser"))
        pages.append(Page(entry, anchors[entry.doc], title))
        kind = "pdf-chapter" if entry.number else "pdf-page"
        bodies.append(f"<div class='{kind}' id='{anchors[entry.doc]}'>{article.decode_contents()}</div>")
    config = yaml.safe_load(Path(config_path).read_text(encoding="utf8"))
    student = (html_dir.parent / "removed_solutions.json").is_file()
    document = ("<!DOCTYPE html>\n<html lang='en' data-theme='light'><head>"
                f"{_head(first[0], first[1], out_dir, config['title'])}</head>\n"
                f"<body class='pdf-book'>{_title_page(config, student)}\n{_contents(pages)}\n"
                + "\n".join(bodies) + "</body></html>\n")
    Path(out_path).write_text(document, encoding="utf8")
    return pages


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python tools/pdf_assemble.py HTML_DIR OUT.html")
    print(f"{len(assemble(Path(sys.argv[1]), Path(sys.argv[2])))} pages written to {sys.argv[2]}")
