"""The self-check questions work in the built book: answered in the page, with feedback, offline.

On every numbered chapter listed in _toc.yml: every question of the chapter's file
(book/quizzes/chNN.yaml) is on the page, under one "Check yourself" heading per section,
with its math typeset; one multiple-choice question answered wrong and then right shows
"incorrect" and then "correct" feedback with the option's explanation, and one numeric
question (where the chapter has one) does the same with a value outside and inside its
tolerance; no console errors and no request to another host. `BOOK_HTML` selects the
edition (the student edition keeps the questions).
"""

import json
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from conftest import ROOT, is_chapter, toc_docs

CHAPTERS = [doc for doc in toc_docs() if is_chapter(doc)]


def quiz_file(doc: str) -> Path:
    return ROOT / "book" / "quizzes" / f"ch{Path(doc).name[:2]}.yaml"


@pytest.mark.parametrize("doc", CHAPTERS)
def test_quizzes_answer_with_feedback(browser, server, doc):  # browser: conftest's Chromium
    if not quiz_file(doc).is_file():
        pytest.fail(f"{doc} has no question file {quiz_file(doc).relative_to(ROOT)}")
    sections = yaml.safe_load(quiz_file(doc).read_text(encoding="utf8"))["sections"]
    n_questions = sum(len(qs) for qs in sections.values())
    page = browser.new_page()
    errors, foreign = [], []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda err: errors.append(str(err)))
    host = urlparse(server).netloc
    page.on("request", lambda req: foreign.append(req.url) if urlparse(req.url).netloc not in ("", host) else None)
    try:
        page.goto(f"{server}/{doc}.html", wait_until="load")
        page.wait_for_function(f"document.querySelectorAll('div.Quiz').length >= {n_questions}", timeout=15000)
        assert page.locator("div.Quiz").count() == n_questions, f"{doc}: not every question is on the page"
        assert page.locator("p.sgns-quiz-title", has_text="Check yourself").count() == len(sections)
        # jupyterquiz asks MathJax to typeset the questions half a second after they are drawn
        page.wait_for_function("""() => [...document.querySelectorAll('div.Quiz')]
            .every(q => !/\\\\\\(|\\\\\\[|\\$/.test(q.innerText))""", timeout=15000)

        mc = page.locator("div.Quiz", has=page.locator("label.MCButton")).first
        wrong, right = mc.locator("label[data-correct='false']").first, mc.locator("label[data-correct='true']")
        assert right.count() == 1, f"{doc}: a multiple-choice question needs exactly one correct option"
        feedback = mc.locator(".Feedback")
        wrong.click()
        assert "incorrect" in feedback.get_attribute("class") and feedback.inner_text().strip(), doc
        right.click()
        assert "correct" in feedback.get_attribute("class").split() and feedback.inner_text().strip(), doc

        numeric = page.locator("div.Quiz", has=page.locator("input.Input-text"))
        if numeric.count():
            wrapper = numeric.first
            box = wrapper.locator("input.Input-text")
            answer = next(a for a in json.loads(box.get_attribute("data-answers")) if a.get("correct"))
            low, high = answer["range"]
            box.fill(repr(high + 10 * (high - low) + 1))
            box.press("Enter")
            assert "incorrect" in wrapper.locator(".Feedback").get_attribute("class"), doc
            box.fill(repr((low + high) / 2))
            box.press("Enter")
            assert "correct" in wrapper.locator(".Feedback").get_attribute("class").split(), doc
        assert not errors, f"{doc}: console errors: {errors}"
        assert not foreign, f"{doc}: requests to other hosts: {foreign}"
    finally:
        page.close()
