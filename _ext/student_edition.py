"""Student edition: build the book with every exercise solution removed.

Set ``hide_solutions: true`` under ``sphinx.config`` (``make student`` does this in
a generated copy of ``_config.yml``) and this extension removes every solution,
plain (``{solution}``) and gated (``{solution-start}`` ... ``{solution-end}``),
from the pages, the search index and the downloadable notebooks.

Why not sphinx-exercise's own ``hide_solutions``? In sphinx-exercise 1.2.1 the
option makes ``SolutionDirective.run`` (and so ``SolutionStartDirective.run``)
return ``[]`` before any node exists. A plain solution disappears, but for a
gated one only the start marker does: the ``solution_end_node`` stays in the
tree (the HTML writer then stops with "unknown node type: solution_end_node")
and every cell between the two gates, the solution code and its output, would
stay on the page. So this extension takes the option over at ``config-inited``
(it sets ``hide_solutions`` back to False and ``student_edition`` to True): the
solutions are parsed as in the full edition, sphinx-exercise's
``MergeGatedSolutions`` transform (priority 10) folds each gated solution into
one ``solution_node``, and ``RemoveSolutions`` (priority 11) then drops every
``solution_node``. Gated and plain solutions leave the same way.

At ``build-finished`` it also strips the solutions from the notebooks copied to
``_sources/`` (the download button's ``.ipynb``), and writes the text of every
removed solution to ``<outdir>/../removed_solutions.json`` (outside the
published HTML) for ``tools/check_student_edition.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx_exercise.nodes import solution_end_node, solution_node, solution_start_node

logger = logging.getLogger(__name__)

# A markdown cell that opens / closes a gated solution, and a plain solution block.
_START = re.compile(r"^\s*(```+|:::+)\{solution-start\}", re.MULTILINE)
_END = re.compile(r"^\s*(```+|:::+)\{solution-end\}", re.MULTILINE)
_PLAIN = re.compile(r"^(?P<fence>```+|:::+)\{solution\}.*?^(?P=fence)\s*$\n?", re.MULTILINE | re.DOTALL)


class RemoveSolutions(SphinxTransform):
    """Drop every merged solution node (student edition only)."""

    default_priority = 11  # after sphinx_exercise.transforms.MergeGatedSolutions (10)

    def apply(self, **kwargs) -> None:
        if not self.config.student_edition:
            return
        removed = self.env.student_removed_solutions.setdefault(self.env.docname, [])
        for node in list(self.document.findall(solution_node)):
            removed.append(node.astext())
            for label in node.get("ids", []):
                getattr(self.env, "sphinx_exercise_registry", {}).pop(label, None)
            node.parent.remove(node)
        leftovers = list(self.document.findall(lambda n: isinstance(n, (solution_start_node, solution_end_node))))
        for node in leftovers:  # an unmatched gate: report it instead of crashing the writer
            logger.warning("student edition: unmatched solution gate left in the page", location=node)
            node.parent.remove(node)


def strip_solutions(notebook: dict) -> tuple[dict, int]:
    """Return ``notebook`` without its solution cells and blocks, and how many were removed.

    Removes each gated solution (the ``solution-start`` cell, everything up to and
    including the ``solution-end`` cell) and each plain ``{solution}`` block inside
    a markdown cell (the cell goes if nothing else is left in it).
    """
    cells, removed, inside = [], 0, False
    for cell in notebook["cells"]:
        text = "".join(cell.get("source", ""))
        if cell["cell_type"] == "markdown" and _START.search(text):
            inside, removed = True, removed + 1
        if inside:
            if cell["cell_type"] == "markdown" and _END.search(text):
                inside = False
            continue
        if cell["cell_type"] == "markdown" and _PLAIN.search(text):
            text, n_plain = _PLAIN.subn("", text)
            removed += n_plain
            if not text.strip():
                continue
            cell = {**cell, "source": text}
        cells.append(cell)
    if inside:
        raise ValueError("a solution-start cell has no matching solution-end cell")
    return {**notebook, "cells": cells}, removed


def _take_over_hide_solutions(app: Sphinx, config: Config) -> None:
    if config.hide_solutions:
        config.student_edition = True
        config.hide_solutions = False  # sphinx-exercise must still build the nodes we remove


def _init_env(app: Sphinx, env, docnames) -> None:
    if not hasattr(env, "student_removed_solutions"):
        env.student_removed_solutions = {}


def _purge(app: Sphinx, env, docname: str) -> None:
    getattr(env, "student_removed_solutions", {}).pop(docname, None)


def _merge(app: Sphinx, env, docnames, other) -> None:
    env.student_removed_solutions = {**getattr(env, "student_removed_solutions", {}),
                                     **getattr(other, "student_removed_solutions", {})}


def _finish(app: Sphinx, exc) -> None:
    if exc is not None or not app.config.student_edition or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for path in sorted(outdir.joinpath("_sources").rglob("*.ipynb")):
        stripped, _ = strip_solutions(json.loads(path.read_text(encoding="utf8")))
        path.write_text(json.dumps(stripped, indent=1, ensure_ascii=False) + "\n", encoding="utf8")
    report = outdir.parent / "removed_solutions.json"
    report.write_text(json.dumps(app.env.student_removed_solutions, indent=1, ensure_ascii=False),
                      encoding="utf8")
    n = sum(len(v) for v in app.env.student_removed_solutions.values())
    logger.info(f"student edition: {n} solutions removed; list in {report}")


def setup(app: Sphinx) -> dict:
    app.setup_extension("sphinx_exercise")  # its config value and nodes must exist first
    app.add_config_value("student_edition", False, "env")
    app.connect("config-inited", _take_over_hide_solutions, priority=400)
    app.connect("env-before-read-docs", _init_env)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("build-finished", _finish)
    app.add_transform(RemoveSolutions)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
