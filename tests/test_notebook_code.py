"""The code a reader sees runs from code a reader sees.

A cell tagged ``remove-cell`` or ``remove-input`` is not on the page, so a name
it defines must not be used by a cell the reader sees: the reader could not
run that cell from what the page shows. This test parses every chapter and
fails on such a use, naming the notebook, the cell and the names.
"""

from __future__ import annotations

import ast
import builtins
import json
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parent.parent / "book"
NOTEBOOKS = sorted(BOOK.glob("*.ipynb"))
HIDDEN_TAGS = {"remove-cell", "remove-input"}


def _parse(source: str) -> ast.Module:
    # IPython magics and shell escapes are not Python; they define nothing.
    lines = ["pass" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    return ast.parse("\n".join(lines))


def bound_names(tree: ast.AST) -> set[str]:
    """Every name the code binds: assignments, imports, defs, loop/with/except targets, arguments."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
        elif isinstance(node, ast.MatchAs) and node.name:
            names.add(node.name)
    return names


def used_names(tree: ast.AST) -> set[str]:
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}


def hidden_uses(cells: list[dict]) -> list[tuple[int, list[str]]]:
    """``(cell index, names)`` for each visible code cell that uses names only hidden cells define."""
    visible: set[str] = set(dir(builtins))
    hidden: set[str] = set()
    problems = []
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        tree = _parse(source)
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & HIDDEN_TAGS:
            hidden |= bound_names(tree)
            continue
        own = bound_names(tree)
        missing = sorted((used_names(tree) - own - visible) & hidden)
        if missing:
            problems.append((index, missing))
        visible |= own
    return problems


def test_checker_catches_a_hidden_name():
    cells = [
        {"cell_type": "code", "metadata": {"tags": ["remove-cell"]}, "source": ["secret = 3\n"]},
        {"cell_type": "code", "metadata": {}, "source": ["shown = 1\n", "print(secret + shown)\n"]},
        {"cell_type": "code", "metadata": {}, "source": ["def f(x):\n", "    return x + shown\n"]},
    ]
    assert hidden_uses(cells) == [(1, ["secret"])]


def test_checker_accepts_a_name_redefined_visibly():
    cells = [
        {"cell_type": "code", "metadata": {"tags": ["remove-input"]}, "source": ["r = 2\n"]},
        {"cell_type": "code", "metadata": {"tags": ["hide-input"]}, "source": ["%matplotlib inline\n", "r = 5\n", "print(r)\n"]},
    ]
    assert hidden_uses(cells) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_visible_code_uses_only_visible_names(path):
    cells = json.loads(path.read_text())["cells"]
    problems = hidden_uses(cells)
    assert not problems, f"{path.name}: visible cells use names defined only in removed cells: " + "; ".join(
        f"cell {i}: {', '.join(names)}" for i, names in problems
    )


SIMULATION_CHAPTERS = sorted(BOOK.glob("0[1-5]_*.ipynb"))


@pytest.mark.parametrize("path", SIMULATION_CHAPTERS, ids=[p.name for p in SIMULATION_CHAPTERS])
def test_simulation_chapter_takes_its_seed_from_a_parameters_cell(path):
    """Right after the Colab cell comes the one `parameters` cell, whose first line is `SEED = 0`."""
    code = [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]
    tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: {len(tagged)} cells tagged `parameters`; want exactly one"
    assert code.index(tagged[0]) == 1, f"{path.name}: the `parameters` cell must be the first code cell after the Colab cell"
    first = "".join(tagged[0]["source"]).splitlines()[0]
    assert first == "SEED = 0", f"{path.name}: the `parameters` cell must start with `SEED = 0`; got {first!r}"
