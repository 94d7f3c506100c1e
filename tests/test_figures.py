"""Every plot in the book is a numbered figure with a caption and a real alt text.

The convention, for every chapter: a code cell that draws makes exactly one figure (one
``plt.subplots``/``plt.figure``; panels are fine, two figures are two cells) and carries the
myst-nb cell metadata ``"mystnb": {"figure": {"caption": "...", "name": "fig-chN-<short>"},
"image": {"alt": "..."}}`` (myst-nb 1.4 reads ``figure`` as the figure options and ``image`` as
the image options of the cell's outputs) and the tag ``hide-input``, so the code sits behind
"show code" while the idea stays in the prose; computations a reader needs go in a visible cell
before it. The name is ``fig-ch<chapter number>-<lower-case words joined by hyphens>``, unique in
the book, and the chapter's prose refers to it with ``{numref}`fig-chN-...```. The caption (MyST
markdown, math allowed) says what is plotted and what to see, and must be true for every seed
0-99: no typed number that depends on the data (say such numbers in the prose with glue). The alt
text is plain text of at least 40 characters, not a file name and not the caption: it names the
kind of plot, what each axis shows, the marks (lines, colours, legend), and what the reader should
see in it.

A cell *draws* when its code (comments left out) calls pyplot (``plt.``), a seaborn plotting
function (``sns.`` other than ``set_theme``/``set_style``/``color_palette``), a book figure helper
(``sh.plotting.`` other than ``use_book_style``), or an axes or frame plotting method such as
``.plot(``, ``.scatter(``, ``.hist(``, ``.imshow(``, ``.hexbin(`` (the list is ``DRAW_METHODS``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parent.parent / "book"
NOTEBOOKS = sorted(BOOK.glob("[0-9][0-9]_*.ipynb"))
NAME = re.compile(r"fig-ch\d+-[a-z0-9]+(?:-[a-z0-9]+)*")
DRAW_METHODS = ("plot", "scatter", "hist", "hist2d", "imshow", "hexbin", "bar", "barh", "semilogx", "semilogy",
                "loglog", "errorbar", "fill_between", "pcolormesh", "contour", "contourf", "boxplot", "violinplot",
                "heatmap", "matshow")
NOT_DRAWING = {"sns": {"set_theme", "set_style", "set_context", "color_palette", "set_palette"},
               "sh.plotting": {"use_book_style", "BOOK_PALETTE"}}
_CALLS = re.compile(r"\b(plt|sns|sh\.plotting)\.(\w+)|\.(" + "|".join(DRAW_METHODS) + r")\(")
_PATH = re.compile(r"_images/|\.(?:png|jpe?g|svg|gif|pdf)\b|^\.{0,2}/|^[\w-]+\.\w{2,4}$", re.IGNORECASE)
_NUMREF = re.compile(r"\{numref\}`(?:[^`<]*<)?(fig-[^`>]+)>?`")


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _code_only(source: str) -> str:
    """The source without comments (a `#` to the end of the line; good enough for plotting code)."""
    return "\n".join(line.split("#", 1)[0] for line in source.splitlines())


def draws(cell: dict) -> bool:
    """Whether a code cell draws a figure (the rule in the module docstring)."""
    if cell.get("cell_type") != "code":
        return False
    for module, attr, method in _CALLS.findall(_code_only(_source(cell))):
        if method or attr not in NOT_DRAWING.get(module, set()):
            return True
    return False


def figure_problems(cell: dict) -> list[str]:
    """What a drawing cell lacks; an empty list when it follows the convention."""
    meta = cell.get("metadata", {})
    mystnb = meta.get("mystnb", {})
    figure, image = mystnb.get("figure", {}), mystnb.get("image", {})
    caption, name, alt = str(figure.get("caption", "")).strip(), str(figure.get("name", "")), str(image.get("alt", "")).strip()
    problems = []
    if not caption:
        problems.append("no mystnb.figure.caption")
    elif _PATH.search(caption):
        problems.append(f"caption looks like a path: {caption!r}")
    if not NAME.fullmatch(name):
        problems.append(f"mystnb.figure.name {name!r} does not match fig-chN-<words>")
    if len(alt) < 40:
        problems.append(f"mystnb.image.alt must say what is drawn (>= 40 characters); got {alt!r}")
    elif _PATH.search(alt):
        problems.append(f"alt text looks like a path or file name: {alt!r}")
    elif alt == caption:
        problems.append("alt text repeats the caption; it should describe the image")
    if "hide-input" not in meta.get("tags", []):
        problems.append("no hide-input tag")
    code = _code_only(_source(cell))
    if len(re.findall(r"\bplt\.(?:subplots|figure)\(", code)) > 1:
        problems.append("makes more than one figure: split it into one cell per figure")
    return problems


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf8"))["cells"]


def _figure_cells(cells: list[dict]) -> list[tuple[int, dict]]:
    return [(i, c) for i, c in enumerate(cells) if draws(c)]


# ---- the rule itself: it must catch what it is meant to catch -------------------------------------

GOOD = {"cell_type": "code", "source": ["fig, ax = plt.subplots()\n", "ax.plot([1, 2])\n", "plt.show()\n"],
        "metadata": {"tags": ["hide-input"], "mystnb": {
            "figure": {"caption": "Loss against epoch; it falls.", "name": "fig-ch9-loss"},
            "image": {"alt": "Line plot, x-axis epoch, y-axis loss; one curve falling from left to right."}}}}


def _with(**changes) -> dict:
    cell = json.loads(json.dumps(GOOD))
    for key, value in changes.items():
        target = cell
        *parents, last = key.split("__")
        for part in parents:
            target = target.setdefault(part, {})
        target[last] = value
    return cell


def test_rule_detects_drawing_cells():
    assert draws(GOOD)
    assert draws({"cell_type": "code", "source": "sns.histplot(x=v, ax=ax)"})
    assert draws({"cell_type": "code", "source": "sh.plotting.scatter_recovery(a, b)"})
    assert draws({"cell_type": "code", "source": "axes[1].hexbin(x, y)"})
    assert not draws({"cell_type": "code", "source": "import matplotlib.pyplot as plt\nsh.plotting.use_book_style()"})
    assert not draws({"cell_type": "code", "source": "x = np.histogram(v)  # ax.plot(x) in a comment"})
    assert not draws({"cell_type": "markdown", "source": "plt.plot in prose"})


def test_rule_accepts_a_good_figure_cell():
    assert figure_problems(GOOD) == []


@pytest.mark.parametrize("change, message", [
    ({"metadata__mystnb__figure__caption": ""}, "no mystnb.figure.caption"),
    ({"metadata__mystnb__figure__caption": "../_images/abc.png"}, "caption looks like a path"),
    ({"metadata__mystnb__figure__name": "loss-figure"}, "does not match fig-chN"),
    ({"metadata__mystnb__image__alt": "../_images/3f2a9c0d1e.png and some words to be long enough"}, "looks like a path"),
    ({"metadata__mystnb__image__alt": "plot"}, ">= 40 characters"),
    ({"metadata__mystnb__image__alt": "Loss against epoch; it falls. " * 2}, None),
    ({"metadata__tags": ["remove-input"]}, "no hide-input tag"),
    ({"source": "fig, ax = plt.subplots()\nax.plot(x)\nfig2, ax2 = plt.subplots()\nax2.plot(y)"}, "more than one figure"),
])
def test_rule_rejects_each_defect(change, message):
    cell = _with(**change)
    problems = figure_problems(cell)
    if message is None:  # an alt text that differs from the caption and is long enough passes
        assert problems == []
    else:
        assert any(message in p for p in problems), problems


def test_rule_rejects_alt_equal_to_caption():
    caption = "Loss against epoch for every run; the loss falls on each of them."
    cell = _with(metadata__mystnb__figure__caption=caption, metadata__mystnb__image__alt=caption)
    assert figure_problems(cell) == ["alt text repeats the caption; it should describe the image"]


def test_numref_pattern_finds_both_forms():
    text = "See {numref}`fig-ch1-a` and {numref}`Figure %s <fig-ch1-b>`."
    assert _NUMREF.findall(text) == ["fig-ch1-a", "fig-ch1-b"]


# ---- the book -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_chapter_figures_are_captioned_and_referenced(path):
    cells = _cells(path)
    chapter = int(path.name[:2])
    markdown = "\n".join(_source(c) for c in cells if c["cell_type"] == "markdown")
    referenced = set(_NUMREF.findall(markdown))
    problems = []
    for index, cell in _figure_cells(cells):
        where = f"cell {index} (id {cell.get('id')})"
        problems += [f"{where}: {p}" for p in figure_problems(cell)]
        name = cell.get("metadata", {}).get("mystnb", {}).get("figure", {}).get("name", "")
        if name and not name.startswith(f"fig-ch{chapter}-"):
            problems.append(f"{where}: name {name!r} should start with fig-ch{chapter}-")
        if name and name not in referenced:
            problems.append(f"{where}: {name!r} is not referenced by a {{numref}} in the chapter's prose")
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


def test_figure_names_are_unique_across_the_book():
    names = [c["metadata"]["mystnb"]["figure"]["name"] for path in NOTEBOOKS for _, c in _figure_cells(_cells(path))
             if c.get("metadata", {}).get("mystnb", {}).get("figure", {}).get("name")]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    assert not duplicates, f"figure names used more than once: {duplicates}"


def test_the_book_has_figures():
    assert sum(len(_figure_cells(_cells(p))) for p in NOTEBOOKS) >= 20, "the rule found (almost) no figure cells"
