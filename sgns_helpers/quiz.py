"""Self-check questions: read a chapter's question file, fill in computed values, show it.

Each chapter has one file ``book/quizzes/chNN.yaml`` (YAML, so TeX needs no escaping) whose
``sections`` map a section name to its questions. A question is either

- ``{"type": "multiple_choice", "question": str, "answers": [option, ...]}`` with exactly one
  option ``"correct": true`` (``"many_choice"``: two or more), each option
  ``{"answer": str, "correct": bool, "feedback": str}``; or
- ``{"type": "numeric", "question": str, "answer": float | str, "tolerance": float,
  "correct_feedback": str, "incorrect_feedback": str}``: right within ``tolerance`` of
  ``answer`` (``"relative": true``: within ``tolerance * |answer|``). A string ``answer``
  names a value the notebook computes and passes to :func:`show`.

Texts may hold placeholders ``[[name]]`` or ``[[name:.2f]]``, filled from the same values.
:func:`show` renders with jupyterquiz: answered in the browser, offline, with feedback on every option.
"""

import copy
import numbers
import re
from pathlib import Path

import yaml

__all__ = ["QUIZ_DIR", "load_quiz", "validate_quiz", "questions", "show"]

#: Where the question files live: ``book/quizzes`` of the repository.
QUIZ_DIR = Path(__file__).resolve().parent.parent / "book" / "quizzes"
_PLACEHOLDER = re.compile(r"\[\[(\w+)(?::([^\]]+))?\]\]")
_CHOICE = {"multiple_choice": "exactly one", "many_choice": "at least two"}
_TEXTS = ("question", "correct_feedback", "incorrect_feedback")


def _fail(where: str, rule: str, got) -> None:
    raise ValueError(f"{where}: {rule}; got {got!r}.")


def _check_text(where: str, value) -> None:
    if not isinstance(value, str) or not value.strip():
        _fail(where, "must be a non-empty string", value)


def _check_question(where: str, q) -> None:
    if not isinstance(q, dict):
        _fail(where, "must be a mapping", type(q).__name__)
    kind = q.get("type")
    _check_text(f"{where} `question`", q.get("question"))
    if kind in _CHOICE:
        answers = q.get("answers")
        if not isinstance(answers, list) or len(answers) < 2:
            _fail(f"{where} `answers`", "must be a list of at least 2 options", answers)
        for i, option in enumerate(answers):
            if not isinstance(option, dict):
                _fail(f"{where} option {i + 1}", "must be a mapping with `answer`, `correct`, `feedback`", option)
            _check_text(f"{where} option {i + 1} `answer`", option.get("answer"))
            _check_text(f"{where} option {i + 1} `feedback`", option.get("feedback"))
            if not isinstance(option.get("correct"), bool):
                _fail(f"{where} option {i + 1} `correct`", "must be true or false", option.get("correct"))
        n_correct = sum(option["correct"] for option in answers)
        if (kind == "multiple_choice" and n_correct != 1) or (kind == "many_choice" and n_correct < 2):
            _fail(f"{where} ({kind})", f"{_CHOICE[kind]} option(s) must be correct", n_correct)
    elif kind == "numeric":
        answer, tol = q.get("answer"), q.get("tolerance")
        if not (isinstance(answer, str) and answer.isidentifier()) and not _is_number(answer):
            _fail(f"{where} `answer`", "must be a number or the name of a computed value", answer)
        if not _is_number(tol) or tol <= 0:
            _fail(f"{where} `tolerance`", "must be a positive number", tol)
        if not isinstance(q.get("relative", False), bool):
            _fail(f"{where} `relative`", "must be true or false", q.get("relative"))
        for key in _TEXTS[1:]:
            _check_text(f"{where} `{key}`", q.get(key))
    else:
        _fail(f"{where} `type`", "must be 'multiple_choice', 'many_choice' or 'numeric'", kind)


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and value == value


def validate_quiz(data: dict, name: str = "quiz") -> None:
    """Raise ValueError unless ``data`` is a well-formed question file (see the module docstring)."""
    sections = data.get("sections") if isinstance(data, dict) else data
    if not isinstance(sections, dict) or not sections:
        _fail(f"{name} `sections`", "must be a non-empty mapping of section names to questions", sections)
    for section, qs in sections.items():
        if not isinstance(qs, list) or not qs:
            _fail(f"{name} section {section!r}", "must be a non-empty list of questions", qs)
        for i, q in enumerate(qs):
            _check_question(f"{name} section {section!r} question {i + 1}", q)


def _path(chapter, folder) -> Path:
    if not isinstance(chapter, str) or not re.fullmatch(r"ch\d\d", chapter):
        raise ValueError(f"`chapter` must look like 'ch03'; got {chapter!r}.")
    return Path(folder if folder is not None else QUIZ_DIR) / f"{chapter}.yaml"


def load_quiz(chapter: str, folder: str | Path | None = None) -> dict:
    """Read and validate ``<folder>/<chapter>.yaml`` (``folder`` defaults to :data:`QUIZ_DIR`)."""
    path = _path(chapter, folder)
    if not path.is_file():
        raise FileNotFoundError(f"no question file {path}: the quizzes live in book/quizzes/ of the repository.")
    data = yaml.safe_load(path.read_text(encoding="utf8"))
    validate_quiz(data, path.name)
    return data


def _fill(text: str, values: dict, used: set) -> str:
    def one(match):
        key, spec = match.group(1), match.group(2) or ""
        if key not in values:
            raise ValueError(f"`values` must give {key!r} (used in {text[:40]!r}...); got keys {sorted(values)}.")
        used.add(key)
        return format(values[key], spec)
    return _PLACEHOLDER.sub(one, text)


def questions(chapter: str, section: str, folder: str | Path | None = None, **values) -> list[dict]:
    """The questions of one section in jupyterquiz's format, with the computed values filled in.

    Parameters
    ----------
    chapter, section : str
        The question file (``"ch01"`` ... ``"ch08"``) and a key of its ``sections``.
    folder : str or Path, optional
        Where the question files are (default :data:`QUIZ_DIR`).
    **values : float
        Every value the section's placeholders and string answers name, no more.

    Returns
    -------
    list of dict
        Choice questions as in the file; numeric ones with jupyterquiz's ``answers``: a correct ``range``.
    """
    data = load_quiz(chapter, folder)
    if section not in data["sections"]:
        raise ValueError(f"`section` must be one of {sorted(data['sections'])}; got {section!r}.")
    for key, value in values.items():
        if not _is_number(value):
            raise TypeError(f"value `{key}` must be a real number; got {value!r}.")
    used: set = set()
    out = []
    for q in data["sections"][section]:
        q = copy.deepcopy(q)  # the file's data stays as read
        for key in _TEXTS:
            if key in q:
                q[key] = _fill(q[key], values, used)
        for option in q.get("answers", []):
            option["answer"], option["feedback"] = (_fill(option[k], values, used) for k in ("answer", "feedback"))
        if q["type"] == "numeric":
            answer = q.pop("answer")
            if isinstance(answer, str):
                _fill(f"[[{answer}]]", values, used)
                answer = values[answer]
            answer = float(answer)
            tol = q.pop("tolerance") * (abs(answer) if q.pop("relative", False) else 1.0)
            q["answers"] = [{"type": "range", "range": [answer - tol, answer + tol], "correct": True,
                             "feedback": q.pop("correct_feedback")},
                            {"type": "default", "feedback": q.pop("incorrect_feedback")}]
        out.append(q)
    unused = sorted(set(values) - used)
    if unused:
        raise ValueError(f"`values` has names that section {section!r} of {chapter} never uses: {unused}.")
    return out


# jupyterquiz's script runs as soon as the page parses it; the book's MathJax is deferred, and
# jupyterquiz reads `MathJax.version` when `window.MathJax` exists: run it once the page has loaded,
# then tie each numeric answer box to its label (for screen readers; jupyterquiz leaves them apart).
_ON_LOAD = ('(function () {{ function sgnsQuiz() {{\n{script}\n}}\n  function run() {{ sgnsQuiz(); '
            'document.querySelectorAll("label.InpLabel + input.Input-text").forEach('
            'i => {{ i.previousElementSibling.htmlFor = i.id; }}); }}\n  if (document.readyState === "complete") '
            '{{ run(); }} else {{ window.addEventListener("load", run); }} }})();\n')
_COLORS = {"--jq-numeric-input-bg": "#555555", "--jq-correct-color": "#007a10"}  # white text: contrast >= 4.5:1


def show(chapter: str, section: str, folder: str | Path | None = None, **values) -> None:
    """Display one section's questions under a "Check yourself" heading (in a notebook or built page).

    Answers are checked in the browser (no kernel, no server, nothing from another host). Options
    keep the file's order, so a class can name them. Arguments as for :func:`questions`.
    """
    from IPython.display import display
    from IPython.utils.capture import capture_output
    from jupyterquiz import display_quiz

    path = _path(chapter, folder)
    if not path.is_file():  # e.g. a notebook opened on its own (Colab): say where the questions are
        return display({"text/markdown": f"*The self-check questions of this section are in `book/quizzes/"
                                         f"{chapter}.yaml` of the book's repository, not in this copy.*"}, raw=True)
    qs = questions(chapter, section, folder, **values)
    with capture_output() as captured:
        display_quiz(qs, shuffle_answers=False, colors=_COLORS)
    if len(captured.outputs) != 2:  # no IPython shell: display() printed instead of publishing
        raise RuntimeError("sh.quiz.show displays questions in a notebook: run it in Jupyter (IPython).")
    html, script = (output.data for output in captured.outputs)
    display({"text/html": '<p class="sgns-quiz-title"><strong>Check yourself</strong></p>\n' + html["text/html"]},
            raw=True)
    display({"application/javascript": _ON_LOAD.format(script=script["application/javascript"])}, raw=True)
