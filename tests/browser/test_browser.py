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

import re
from pathlib import Path

import pytest

# the browser fixture, PageLog and open_page live in conftest.py (shared with the other browser tests)
from conftest import CHROMIUM, FLAGS, ROOT, PageLog, is_chapter, open_page, student_edition, toc_docs  # noqa: F401

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
