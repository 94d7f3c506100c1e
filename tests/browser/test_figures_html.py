"""In the built book every chapter image is a numbered figure with a caption and a real alt text.

A static check of the HTML (tests/test_figures.py checks the notebooks' cell metadata that
produces it): each <img> in a chapter's article sits inside a <figure> whose <figcaption>
carries the "Fig. N" number, and its alt text is neither empty nor a file path.
"""

import re

import pytest
from bs4 import BeautifulSoup

from conftest import is_chapter, toc_docs

CHAPTERS = [doc for doc in toc_docs() if is_chapter(doc)]
PATHLIKE = re.compile(r"_images/|\.(?:png|jpe?g|svg|gif)\b", re.IGNORECASE)


def image_problems(html: str) -> tuple[int, list[str]]:
    """(number of images, what is wrong with them) for one page's HTML."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article") or soup
    images = article.find_all("img")
    problems = []
    for img in images:
        src, alt = img.get("src", ""), (img.get("alt") or "").strip()
        if not alt:
            problems.append(f"{src}: empty alt text")
        elif PATHLIKE.search(alt):
            problems.append(f"{src}: alt text is a path: {alt!r}")
        figure = img.find_parent("figure")
        caption = figure.find("figcaption") if figure else None
        if caption is None:
            problems.append(f"{src}: not inside a <figure> with a <figcaption>")
        elif not re.search(r"Fig\.?\s*\d", caption.get_text(" ", strip=True)):
            problems.append(f"{src}: caption has no figure number: {caption.get_text(' ', strip=True)[:60]!r}")
    return len(images), problems


def test_checker_flags_a_bare_image_and_a_path_alt():
    bare = '<article><img src="../_images/a.png" alt="../_images/a.png"></article>'
    count, problems = image_problems(bare)
    assert count == 1 and len(problems) == 2
    good = ('<article><figure id="fig-ch1-x"><img src="../_images/a.png" alt="Scatter plot of y against x">'
            '<figcaption><p><span class="caption-number">Fig. 3 </span>Text.</p></figcaption></figure></article>')
    assert image_problems(good) == (1, [])


@pytest.mark.parametrize("doc", CHAPTERS)
def test_chapter_images_are_numbered_figures(built_html, doc):
    page = built_html / f"{doc}.html"
    assert page.is_file(), f"{page} is not in the build"
    count, problems = image_problems(page.read_text(encoding="utf8"))
    assert not problems, f"{doc}: {len(problems)} of {count} images:\n" + "\n".join(problems)
