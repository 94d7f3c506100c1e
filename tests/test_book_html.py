"""The book's HTML extension (_ext/book_html.py): buttons only for a real repository, page fixes.

The repository decision is tested on the function that makes it and on two tiny Sphinx
builds with the book's theme, one with the placeholder URL and one with a fork's URL
(the real book's pages are checked in tests/browser/test_links.py).
"""

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("book_html", ROOT / "_ext" / "book_html.py")
book_html = importlib.util.module_from_spec(spec)
spec.loader.exec_module(book_html)

PLACEHOLDER_URL = f"https://github.com/{book_html.PLACEHOLDER_ACCOUNT}/sgns-book"
FORK_URL = "https://github.com/some-fork/sgns-book"
OPTIONS = {"repository_url": PLACEHOLDER_URL, "repository_branch": "main", "use_repository_button": True,
           "use_download_button": True,
           "launch_buttons": {"notebook_interface": "classic", "binderhub_url": "https://mybinder.org",
                              "colab_url": "https://colab.research.google.com"}}


@pytest.mark.parametrize("url", [PLACEHOLDER_URL, "", None])
def test_a_placeholder_repository_switches_the_buttons_off(url):
    options = {**OPTIONS, "repository_url": url}
    out, reason = book_html.without_placeholder_buttons(options)
    assert "repository_url" not in out
    assert out["launch_buttons"] == {"notebook_interface": "classic", "binderhub_url": "", "colab_url": ""}
    assert not any(out[b] for b in book_html.REPOSITORY_BUTTONS)
    assert out["use_download_button"] is True  # the download button needs no repository
    assert "placeholder" in reason and "A fork sets its own URL" in reason
    assert options["launch_buttons"]["colab_url"], "the input is left as it is"


def test_a_real_repository_keeps_the_buttons():
    options = {**OPTIONS, "repository_url": FORK_URL}
    out, reason = book_html.without_placeholder_buttons(options)
    assert reason is None and out == options


def test_fix_body_names_summaries_by_their_text_and_gives_citations_a_list_role():
    body = ('<summary aria-label="Toggle hidden content"><p>Show code cell source</p></summary>'
            '<div role="list" class="citation-list"><div class="citation" id="id2" role="doc-biblioentry">')
    fixed = book_html.fix_body(body)
    assert "aria-label" not in fixed and "<summary><p>Show code cell source</p></summary>" in fixed
    assert 'role="listitem"' in fixed and "doc-biblioentry" not in fixed


def _tiny_book(tmp_path: Path, url: str) -> str:
    """Build a one-notebook site with the book's theme and extension; return the notebook's HTML."""
    from sphinx.application import Sphinx

    src = tmp_path / "src"
    src.mkdir(parents=True)
    options = {**OPTIONS, "repository_url": url}
    (src / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / '_ext')!r})\n"
        "extensions = ['myst_nb', 'book_html']\nhtml_theme = 'sphinx_book_theme'\n"
        f"html_theme_options = {options!r}\nnb_execution_mode = 'off'\n", encoding="utf8")
    nb = {"cells": [{"cell_type": "markdown", "id": "a1b2c3d4", "metadata": {}, "source": ["# Page"]},
                    {"cell_type": "code", "id": "b2c3d4e5", "metadata": {}, "execution_count": None,
                     "outputs": [], "source": ["1 + 1"]}],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    (src / "index.ipynb").write_text(json.dumps(nb), encoding="utf8")
    out = tmp_path / "html"
    app = Sphinx(str(src), str(src), str(out), str(tmp_path / "doctrees"), "html",
                 status=None, warning=sys.stderr, freshenv=True)
    app.build()
    return (out / "index.html").read_text(encoding="utf8")


def test_the_built_page_has_no_buttons_for_a_placeholder_and_all_of_them_for_a_fork(tmp_path):
    placeholder = _tiny_book(tmp_path / "placeholder", PLACEHOLDER_URL)
    fork = _tiny_book(tmp_path / "fork", FORK_URL)
    for marker in ("mybinder.org/v2/gh/some-fork/sgns-book", "colab.research.google.com/github/some-fork",
                   'href="https://github.com/some-fork/sgns-book"'):
        assert marker in fork, f"a fork's page lacks {marker}"
    for marker in (book_html.PLACEHOLDER_ACCOUNT, "mybinder.org", "colab.research.google.com"):
        assert marker not in placeholder, f"the placeholder page has {marker}"
    assert "btn-download-source-button" in placeholder  # the download button stays
    assert "book_html.css" in placeholder and "book_html.css" in fork
