"""Shared fixtures for the tests of the built HTML book.

These tests need the built book: `make test` runs them after `make book` (the
`browser` target); `make unit` leaves them out. `BOOK_HTML` selects another build,
e.g. `BOOK_HTML=_build_student/_build/html` for the student edition.
"""

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html"))
if not HTML.is_absolute():
    HTML = ROOT / HTML
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = [  # what works in a closed network (without the background-networking flags, connections are refused)
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def toc_docs(toc_path: Path = ROOT / "_toc.yml") -> list[str]:
    """Every page of the book, in reading order, from _toc.yml (root, parts, chapters, sections)."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf8"))
    docs = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                docs.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return [str(Path(d).with_suffix("")) for d in docs]


def site_pages() -> list[str]:
    """Every HTML page of the build (the _toc.yml pages first, then the index, search and proof
    pages Sphinx adds), without `index.html` (a redirect) and the theme's `_static` files."""
    docs = toc_docs()
    if HTML.is_dir():
        extra = sorted(str(p.relative_to(HTML).with_suffix("")) for p in HTML.rglob("*.html")
                       if not p.relative_to(HTML).parts[0].startswith("_") and p.name != "index.html")
        docs += [d for d in extra if d not in docs]
    return docs


def is_chapter(doc: str) -> bool:
    """Numbered chapters (book/NN_name) carry math, figures and exercises."""
    name = Path(doc).name
    return name[:2].isdigit() and name[2] == "_"


def student_edition() -> bool:
    return (HTML.parent / "removed_solutions.json").is_file()


@pytest.fixture(scope="session")
def built_html() -> Path:
    if not (HTML / "index.html").is_file():
        pytest.skip(f"no built book at {HTML}: run `make book` first")
    return HTML


@pytest.fixture(scope="session")
def server(built_html):
    """Serve the built book on localhost for the length of the session."""
    handler = functools.partial(_QuietHandler, directory=str(built_html))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


# Module scope: each test module gets its own Playwright and Chromium, so a module that starts its
# own (two sync Playwright instances cannot run at once in one thread) does not clash with this one.
@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:
        pytest.skip(f"Playwright's Python package is not installed ({err}); `pip install -r requirements.txt`")
    path = Path(CHROMIUM) if Path(CHROMIUM).is_file() else Path(shutil.which("chromium") or CHROMIUM)
    if not path.is_file():
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's package (`apt-get install -y chromium`) "
                    "or set CHROMIUM to the binary")
    with sync_playwright() as pw:
        # Playwright launches with a fresh temporary profile (its own --user-data-dir) every time.
        browser = pw.chromium.launch(executable_path=str(path), args=FLAGS, headless=True)
        yield browser
        browser.close()


class PageLog:
    """Console errors, page errors and failed or foreign requests of one page load."""

    def __init__(self, page, origin: str):
        self.problems: list[str] = []
        host = urlparse(origin).netloc
        page.on("console", lambda msg: msg.type == "error" and self.problems.append(f"console error: {msg.text}"))
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on("requestfailed", lambda req: self.problems.append(f"request failed: {req.url} ({req.failure})"))
        page.on("response", lambda res: res.status >= 400 and self.problems.append(f"HTTP {res.status}: {res.url}"))

        def on_request(req):
            url = urlparse(req.url)
            if url.scheme not in ("data", "blob", "about") and url.netloc != host:
                self.problems.append(f"request to another host: {req.url}")

        page.on("request", on_request)


def open_page(browser, server, doc, width: int = 1280, height: int = 900):
    """Open `doc` at a viewport of `width` x `height` px; wait for the load and for MathJax."""
    page = browser.new_page(viewport={"width": width, "height": height})
    log = PageLog(page, server)
    page.goto(f"{server}/{doc}.html", wait_until="load")
    page.wait_for_load_state("networkidle")
    # MathJax 3 typesets asynchronously: wait until it says it is done
    page.wait_for_function("() => !window.MathJax || (window.MathJax.startup && window.MathJax.startup.promise)")
    page.evaluate("() => window.MathJax ? window.MathJax.startup.promise : null")
    return page, log
