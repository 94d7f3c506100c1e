"""The built book reads offline: no page loads a script or stylesheet from another host.

A static check of every HTML page and stylesheet of the build (the browser test
checks the requests a real browser makes on the book's pages).
"""

import re
from urllib.parse import urlparse

from bs4 import BeautifulSoup

CSS_URL = re.compile(r"""(?:@import\s+(?:url\()?|url\()\s*['"]?([^'")\s]+)""")


def external(url: str) -> bool:
    parsed = urlparse(url.strip())
    return bool(parsed.netloc) or parsed.scheme not in ("", "data", "file")


def test_pages_load_nothing_from_other_hosts(built_html):
    offenders = []
    pages = sorted(built_html.rglob("*.html"))
    assert pages, "no HTML pages in the build"
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf8"), "html.parser")
        for tag in soup.find_all("script", src=True):
            if external(tag["src"]):
                offenders.append(f"{page.relative_to(built_html)}: <script src={tag['src']}>")
        for tag in soup.find_all("link", href=True):
            rel = {r.lower() for r in tag.get("rel", [])}
            if rel & {"stylesheet", "preload", "modulepreload"} and external(tag["href"]):
                offenders.append(f"{page.relative_to(built_html)}: <link rel={sorted(rel)} href={tag['href']}>")
        for tag in soup.find_all("style"):
            offenders += [f"{page.relative_to(built_html)}: <style> loads {url}"
                          for url in CSS_URL.findall(tag.get_text()) if external(url)]
    for sheet in sorted(built_html.rglob("*.css")):
        offenders += [f"{sheet.relative_to(built_html)} loads {url}"
                      for url in CSS_URL.findall(sheet.read_text(encoding="utf8", errors="replace"))
                      if external(url)]
    assert not offenders, "resources from other hosts:\n" + "\n".join(offenders)


def test_mathjax_is_served_locally(built_html):
    page = built_html / "book" / "01_simulating_pmi.html"
    soup = BeautifulSoup(page.read_text(encoding="utf8"), "html.parser")
    sources = [tag["src"] for tag in soup.find_all("script", src=True)]
    mathjax = [s for s in sources if "mathjax" in s.lower()]
    assert mathjax, f"no MathJax script on {page.name}: {sources}"
    assert not any(external(s) for s in mathjax), mathjax
    for src in mathjax:
        assert (page.parent / src.split("?")[0]).resolve().is_file(), f"{src} is not in the build"
