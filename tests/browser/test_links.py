"""Every internal link of the built book resolves, and no link leads to a placeholder.

A static check over the HTML files of the build (no browser needed): every `href` and
`src` to a local file names a file of the build, and every `#anchor` names an `id` of
the page it points to. Links to other hosts are not fetched (the book is read offline),
but none may point to the template's placeholder repository (`YOUR-GITHUB-ACCOUNT`).
"""

import functools
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from bs4 import BeautifulSoup

PLACEHOLDER = "YOUR-GITHUB-ACCOUNT"


def _pages(built_html: Path) -> list[Path]:
    pages = sorted(p for p in built_html.rglob("*.html") if "_static" not in p.relative_to(built_html).parts)
    assert pages, f"no HTML pages in {built_html}"
    return pages


@functools.lru_cache(maxsize=None)
def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf8"), "html.parser")


@functools.lru_cache(maxsize=None)
def _ids(path: Path) -> frozenset:
    soup = _soup(path)
    return frozenset([tag["id"] for tag in soup.find_all(id=True)] + [tag["name"] for tag in soup.find_all("a", attrs={"name": True})])


def _links(page: Path):
    """(attribute value, tag name) of every link and resource a page names."""
    soup = _soup(page)
    for tag in soup.find_all(["a", "link", "area"], href=True):
        yield tag["href"], tag.name
    for tag in soup.find_all(["img", "script", "source", "iframe"], src=True):
        yield tag["src"], tag.name


def broken_links(built_html: Path) -> list[str]:
    """Every internal link of the build whose file or anchor does not exist, as readable lines."""
    problems = []
    for page in _pages(built_html):
        for url, tag in _links(page):
            parsed = urlparse(url)
            if parsed.scheme or parsed.netloc:
                continue  # another host, mailto:, data: ... (test_offline_html checks what loads)
            target = page if not parsed.path else (page.parent / unquote(parsed.path)).resolve()
            where = f"{page.relative_to(built_html)}: <{tag}> {url}"
            if not target.is_relative_to(built_html.resolve()):
                problems.append(f"{where} leaves the build")
            elif target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                problems.append(f"{where}: no file {target}")
            elif parsed.fragment and target.suffix == ".html" and unquote(parsed.fragment) not in _ids(target):
                problems.append(f"{where}: no id {parsed.fragment!r} in {target.name}")
    return problems


def test_every_internal_link_and_anchor_resolves(built_html):
    problems = broken_links(built_html)
    assert not problems, f"{len(problems)} broken internal links:\n" + "\n".join(problems[:40])


def test_no_link_leads_to_the_placeholder_repository(built_html):
    offenders = [f"{page.relative_to(built_html)}: {url}" for page in _pages(built_html)
                 for url, _ in _links(page) if PLACEHOLDER in url]
    assert not offenders, "links to the placeholder repository:\n" + "\n".join(offenders[:20])


def test_the_check_finds_a_missing_file_and_a_missing_anchor(tmp_path):
    (tmp_path / "a.html").write_text('<p id="here">x</p><a href="#here">ok</a><a href="b.html#gone">1</a>'
                                     '<a href="c.html">2</a><a href="https://example.org/x">far</a>')
    (tmp_path / "b.html").write_text('<h1 id="top">b</h1><a href="a.html#here">ok</a>')
    problems = broken_links(tmp_path)
    assert len(problems) == 2, problems
    assert any("no id 'gone' in b.html" in p for p in problems)
    assert any("no file" in p and "c.html" in p for p in problems)


@pytest.mark.parametrize("href", ["#nowhere", "a.html#nowhere"])
def test_the_check_finds_a_missing_anchor_on_the_same_page(tmp_path, href):
    (tmp_path / "a.html").write_text(f'<p id="here">x</p><a href="{href}">bad</a>')
    assert broken_links(tmp_path) == [f"a.html: <a> {href}: no id 'nowhere' in a.html"]
