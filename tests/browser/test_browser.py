"""Open every page of the built book in headless Chromium and check what a reader sees.

For every page listed in _toc.yml (so new chapters are covered as soon as they are in
the table of contents): it loads with no console errors, no failed requests and no
request to another host; math is typeset (MathJax output present, no raw `$`, `\\(`
or `\\[` left in the text); every image has a non-zero natural size. On the numbered
chapters additionally: there is math, there are figures, at least three exercises,
and every solution dropdown opens when its title is clicked (the student edition
must have no solution at all). A screenshot of the first chapter is saved to
`_build/screenshots/` as a build artefact.

The browser is Debian's Chromium (`apt-get install chromium`), driven by Playwright's
Python package; Playwright's own browser downloads are never used. Without Chromium or
without Playwright the tests are reported as skipped, with the reason.
"""

import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ROOT, is_chapter, student_edition, toc_docs

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = [  # what works in a closed network (without the background-networking flags, connections are refused)
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
SCREENSHOTS = ROOT / "_build" / "screenshots"
DOCS = toc_docs()
MIN_EXERCISES = 3

# The text a reader sees, without code, outputs and typeset math: raw TeX must not be left there.
VISIBLE_PROSE_JS = """() => {
  const root = (document.querySelector('article') || document.querySelector('main') || document.body).cloneNode(true);
  root.querySelectorAll('pre, code, script, style, mjx-container, .cell_output, .output, .highlight')
      .forEach(e => e.remove());
  return root.textContent;
}"""


@pytest.fixture(scope="session")
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


def open_page(browser, server, doc):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log = PageLog(page, server)
    page.goto(f"{server}/{doc}.html", wait_until="load")
    page.wait_for_load_state("networkidle")
    # MathJax 3 typesets asynchronously: wait until it says it is done
    page.wait_for_function("() => !window.MathJax || (window.MathJax.startup && window.MathJax.startup.promise)")
    page.evaluate("() => window.MathJax ? window.MathJax.startup.promise : null")
    return page, log


@pytest.mark.parametrize("doc", DOCS)
def test_page(browser, server, doc):
    page, log = open_page(browser, server, doc)
    try:
        n_math = page.locator("mjx-container").count()
        prose = page.evaluate(VISIBLE_PROSE_JS)
        raw = re.findall(r"\$[^$\n]{1,80}\$?|\\\(|\\\[", prose)
        assert not raw, f"untypeset math left on {doc}: {raw[:5]}"
        images = page.evaluate("""() => Array.from(document.querySelectorAll('article img, main img'))
            .map(img => ({src: img.getAttribute('src'), complete: img.complete, w: img.naturalWidth, h: img.naturalHeight}))""")
        broken = [img["src"] for img in images if not (img["complete"] and img["w"] > 0 and img["h"] > 0)]
        assert not broken, f"images with no content on {doc}: {broken}"

        if is_chapter(doc):
            assert n_math > 0, f"no typeset math on {doc}"
            figures = [img for img in images if "_images/" in (img["src"] or "")]
            assert figures, f"no figures on {doc}"
            check_exercises(page, doc)
            if doc == next(d for d in DOCS if is_chapter(d)):
                save_screenshots(page, doc)
        assert not log.problems, f"{doc}:\n" + "\n".join(log.problems)
    finally:
        page.close()


def check_exercises(page, doc):
    n_exercises = page.locator("div.exercise").count()
    assert n_exercises >= MIN_EXERCISES, f"{doc} has {n_exercises} exercises, want at least {MIN_EXERCISES}"
    solutions = page.locator("div.solution")
    if student_edition():
        assert solutions.count() == 0, f"the student edition shows {solutions.count()} solutions on {doc}"
        return
    assert solutions.count() >= n_exercises, f"{doc}: {solutions.count()} solutions for {n_exercises} exercises"
    for i in range(solutions.count()):
        solution = solutions.nth(i)
        content = solution.locator("section").first
        assert "dropdown" in (solution.get_attribute("class") or ""), f"{doc}: solution {i + 1} is not a dropdown"
        assert not content.is_visible(), f"{doc}: solution {i + 1} is open before it is clicked"
        solution.locator("button.toggle-button").click()  # sphinx-togglebutton's button in the title
        content.wait_for(state="visible", timeout=5000)
        assert content.is_visible(), f"{doc}: solution {i + 1} did not open when clicked"


def save_screenshots(page, doc):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = Path(doc).name
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    exercises = page.locator("div.exercise").first
    exercises.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"{name}-exercises.png"))
