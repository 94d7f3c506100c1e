"""Tests of sgns_helpers.quiz and of the question files in book/quizzes/."""

import json
import re
from pathlib import Path

import pytest
import yaml

import sgns_helpers as sh

BOOK = Path(__file__).resolve().parent.parent / "book"
CHAPTERS = sorted(p.stem for p in (BOOK / "quizzes").glob("ch*.yaml"))
NOTEBOOKS = {f"ch{p.name[:2]}": p for p in BOOK.glob("[0-9][0-9]_*.ipynb")}
CALL = re.compile(r'sh\.quiz\.show\("(ch\d\d)", "(\w+)"')
MC = {"type": "multiple_choice", "question": "Which?", "answers": [
    {"answer": "a", "correct": True, "feedback": "yes"}, {"answer": "b", "correct": False, "feedback": "no"}]}
NUM = {"type": "numeric", "question": "Type [[v:.2f]]", "answer": "v", "tolerance": 0.1,
       "correct_feedback": "right", "incorrect_feedback": "it is [[v:.1f]]"}


@pytest.fixture
def shell():
    """An IPython shell, as in a notebook's kernel: `display` publishes outputs that can be captured."""
    from IPython.core.interactiveshell import InteractiveShell

    return InteractiveShell.instance()


def write(tmp_path, *questions, name="ch99"):
    (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump({"sections": {"s": list(questions)}}), encoding="utf8")
    return tmp_path


def all_texts(q):
    yield from (q[k] for k in ("question", "correct_feedback", "incorrect_feedback") if k in q)
    for option in q.get("answers", []):
        yield option["answer"]
        yield option["feedback"]


def test_every_chapter_has_a_question_file():
    assert set(NOTEBOOKS) <= set(CHAPTERS), sorted(set(NOTEBOOKS) - set(CHAPTERS))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_question_file_is_well_formed(chapter):
    data = sh.quiz.load_quiz(chapter)  # validates: one correct option, feedback everywhere, tolerances
    sections = data["sections"]
    n_questions = sum(len(qs) for qs in sections.values())
    assert 6 <= n_questions <= 12, f"{chapter}: {n_questions} questions, want 6-12"
    assert all(1 <= len(qs) <= 4 for qs in sections.values()), {s: len(qs) for s, qs in sections.items()}
    for qs in sections.values():
        for q in qs:
            if q["type"] == "multiple_choice":
                assert sum(o["correct"] for o in q["answers"]) == 1
                assert len({o["answer"] for o in q["answers"]}) == len(q["answers"]), "options must differ"
            if q["type"] == "numeric":
                assert q["tolerance"] > 0
            for text in all_texts(q):
                # MyST roles and directives do not render inside the quiz, and $...$ must pair up
                assert not re.search(r"\{(eq|term|doc|numref|ref|cite:[pt]|glue:text)\}", text), text
                assert text.replace(r"\$", "").count("$") % 2 == 0, text


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_section_is_shown_once_by_its_notebook(chapter):
    if chapter not in NOTEBOOKS:
        pytest.skip(f"no notebook for {chapter} yet")
    nb = json.loads(NOTEBOOKS[chapter].read_text(encoding="utf8"))
    calls = [m.groups() for c in nb["cells"] if c["cell_type"] == "code"
             for m in CALL.finditer("".join(c["source"]))]
    assert sorted(calls) == sorted((chapter, s) for s in sh.quiz.load_quiz(chapter)["sections"]), calls
    quiz_cells = [c for c in nb["cells"] if c["cell_type"] == "code" and CALL.search("".join(c["source"]))]
    assert all(c["metadata"].get("tags") == ["remove-input"] for c in quiz_cells), "quiz cells hide their input"


def test_numeric_answer_becomes_a_range_with_the_computed_value(tmp_path):
    qs = sh.quiz.questions("ch99", "s", write(tmp_path, MC, NUM), v=2.0)
    assert qs[0] == MC
    assert qs[1]["question"] == "Type 2.00"
    assert qs[1]["answers"] == [
        {"type": "range", "range": [1.9, 2.1], "correct": True, "feedback": "right"},
        {"type": "default", "feedback": "it is 2.0"}]


def test_relative_tolerance_scales_with_the_answer(tmp_path):
    q = dict(NUM, question="?", answer=-50, relative=True, incorrect_feedback="no")
    (answers,) = [q["answers"] for q in sh.quiz.questions("ch99", "s", write(tmp_path, q))]
    assert answers[0]["range"] == pytest.approx([-55.0, -45.0])


def test_file_data_is_not_changed_by_filling(tmp_path):
    folder = write(tmp_path, NUM)
    first = sh.quiz.questions("ch99", "s", folder, v=1.0)
    second = sh.quiz.questions("ch99", "s", folder, v=3.0)
    assert first[0]["answers"][0]["range"] != second[0]["answers"][0]["range"]


def test_show_emits_self_contained_html_and_script(tmp_path, shell):
    from IPython.utils.capture import capture_output

    with capture_output() as captured:
        sh.quiz.show("ch99", "s", write(tmp_path, MC, NUM), v=2.0)
    html, script = (o.data for o in captured.outputs)
    assert "Check yourself" in html["text/html"]
    js = script["application/javascript"]
    assert '"Which?"' in js and "show_questions" in js
    assert 'addEventListener("load"' in js  # waits for the page (and its MathJax) to load
    assert not re.search(r"<script[^>]+src=", html["text/html"] + js), "loads no script file"


def test_show_without_the_question_file_says_where_it_is(tmp_path, shell):
    from IPython.utils.capture import capture_output

    with capture_output() as captured:
        sh.quiz.show("ch42", "s", tmp_path)
    (note,) = [o.data["text/markdown"] for o in captured.outputs]
    assert "book/quizzes/ch42.yaml" in note


@pytest.mark.parametrize("change, match", [
    ({"type": "essay"}, "`type`: must be 'multiple_choice'"),
    ({"question": " "}, "`question`: must be a non-empty string"),
    ({"answers": [MC["answers"][0]]}, "must be a list of at least 2 options"),
    ({"answers": [dict(o, correct=True) for o in MC["answers"]]}, r"exactly one option\(s\) must be correct; got 2"),
    ({"answers": [MC["answers"][0], {"answer": "b", "correct": False}]}, "option 2 `feedback`"),
    ({"answers": [MC["answers"][0], dict(MC["answers"][1], correct="no")]}, "option 2 `correct`: must be true or false"),
    ({"answers": [MC["answers"][0], "b"]}, "option 2: must be a mapping"),
    ({"type": "many_choice"}, r"at least two option\(s\) must be correct; got 1"),
])
def test_invalid_choice_questions(tmp_path, change, match):
    with pytest.raises(ValueError, match=match):
        sh.quiz.load_quiz("ch99", write(tmp_path, dict(MC, **change)))


@pytest.mark.parametrize("change, match", [
    ({"tolerance": 0}, "`tolerance`: must be a positive number; got 0"),
    ({"tolerance": None}, "`tolerance`: must be a positive number"),
    ({"answer": [1]}, "`answer`: must be a number or the name of a computed value"),
    ({"relative": "yes"}, "`relative`: must be true or false"),
    ({"correct_feedback": ""}, "`correct_feedback`: must be a non-empty string"),
])
def test_invalid_numeric_questions(tmp_path, change, match):
    with pytest.raises(ValueError, match=match):
        sh.quiz.load_quiz("ch99", write(tmp_path, dict(NUM, **change)))


def test_input_validation(tmp_path):
    folder = write(tmp_path, MC, NUM)
    with pytest.raises(ValueError, match="`chapter` must look like 'ch03'; got 'three'"):
        sh.quiz.load_quiz("three")
    with pytest.raises(FileNotFoundError, match="no question file"):
        sh.quiz.load_quiz("ch42", folder)
    with pytest.raises(ValueError, match=r"`section` must be one of \['s'\]; got 'x'"):
        sh.quiz.questions("ch99", "x", folder, v=1.0)
    with pytest.raises(ValueError, match="`values` must give 'v'"):
        sh.quiz.questions("ch99", "s", folder)
    with pytest.raises(ValueError, match=r"never uses: \['w'\]"):
        sh.quiz.questions("ch99", "s", folder, v=1.0, w=2.0)
    with pytest.raises(TypeError, match="value `v` must be a real number; got 'x'"):
        sh.quiz.questions("ch99", "s", folder, v="x")
    (tmp_path / "ch98.yaml").write_text("sections: []\n", encoding="utf8")
    with pytest.raises(ValueError, match="`sections`: must be a non-empty mapping"):
        sh.quiz.load_quiz("ch98", tmp_path)
    (tmp_path / "ch97.yaml").write_text("sections: {s: []}\n", encoding="utf8")
    with pytest.raises(ValueError, match="must be a non-empty list of questions"):
        sh.quiz.load_quiz("ch97", tmp_path)


def test_show_outside_ipython_says_so(tmp_path, monkeypatch):
    from IPython.core.interactiveshell import InteractiveShell

    monkeypatch.setattr(InteractiveShell, "initialized", classmethod(lambda cls: False))
    with pytest.raises(RuntimeError, match="run it in Jupyter"):
        sh.quiz.show("ch99", "s", write(tmp_path, MC))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_option_has_words_outside_its_math(chapter):
    # An option that is only math gets no accessible name in the page (MathJax hides its output from
    # the accessibility tree), so a screen reader would announce an empty choice.
    for qs in sh.quiz.load_quiz(chapter)["sections"].values():
        for q in qs:
            for option in q.get("answers", []):
                words = re.sub(r"\$[^$]*\$", "", option["answer"])
                assert len(re.findall(r"[A-Za-z]", words)) >= 2, f"{chapter}: {option['answer']!r}"


def test_show_ties_numeric_boxes_to_labels_and_uses_contrasting_colours(tmp_path, shell):
    from IPython.utils.capture import capture_output

    with capture_output() as captured:
        sh.quiz.show("ch99", "s", write(tmp_path, NUM), v=2.0)
    html, script = (o.data for o in captured.outputs)
    assert "previousElementSibling.htmlFor = i.id" in script["application/javascript"]
    assert "--jq-numeric-input-bg: #555555" in html["text/html"]
