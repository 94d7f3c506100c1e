"""Shared fixtures for the tests of the built HTML book.

These tests need the built book: `make test` runs them after `make book` (the
`browser` target); `make unit` leaves them out. `BOOK_HTML` selects another build,
e.g. `BOOK_HTML=_build_student/_build/html` for the student edition.
"""

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html"))
if not HTML.is_absolute():
    HTML = ROOT / HTML


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
