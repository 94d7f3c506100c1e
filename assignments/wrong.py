"""The prepared wrong submissions: one plausible mistake per assignment (used by tests/test_assignments.py).

Each is the solution notebook (``make assignments`` writes it to ``<name>/autograder/<name>.ipynb``)
with one line of one answer replaced, exactly once, by a mistake students make. Grading it must
cost points in that question and in no other: the hidden tests check each question's own result,
so one wrong answer does not spread to the questions that use it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Mistake:
    """One substitution in one question's solution."""

    question: str  # the question that the mistake gets wrong
    old: str  # a line of the solution, present exactly once in the notebook
    new: str  # the same line with the mistake
    why: str  # the mistake, in words


MISTAKES = {
    "hw1_pmi": Mistake(
        "q3",
        "np.log(C) + np.log(C.sum()) - np.log(C.sum(axis=1, keepdims=True))",
        "np.log(C) - np.log(C.sum(axis=1, keepdims=True))",
        "empirical PMI without the total N: log(n_ij / (n_i n_j)), off by log N",
    ),
    "hw2_noise": Mistake(
        "q1",
        "n_j = np.asarray(counts, dtype=float).sum(axis=0)",
        "n_j = np.asarray(counts, dtype=float).sum(axis=1)",
        "noise over centers (row sums, as the gist does) instead of contexts",
    ),
    "hw3_training": Mistake(
        "q2",
        "return -(C * (1.0 - sig) - nu * sig) / C.sum()",
        "return -(C * (1.0 - sig) - nu * sig)",
        "gradient of the summed loss, not of the loss per pair: N times too large",
    ),
    "hw4_recovery": Mistake(
        "q1",
        "gamma = -np.log(q) - np.log(k)",
        "gamma = -np.log(q)",
        "the -log k shift forgotten in the column offsets",
    ),
    "hw5_svd": Mistake(
        "q3",
        "return (M - centred) + rank_d(centred, d)",
        "return rank_d(centred, d)",
        "the SVD of the double-centred matrix without the offsets added back",
    ),
}


def write_wrong_submission(solution: Path, out: Path, name: str) -> Mistake:
    """Write ``solution`` with the mistake of assignment ``name`` to ``out``; return the mistake."""
    mistake = MISTAKES[name]
    nb = json.loads(Path(solution).read_text())
    hits = [c for c in nb["cells"] if c["cell_type"] == "code" and mistake.old in "".join(c["source"])]
    total = sum("".join(c["source"]).count(mistake.old) for c in hits)
    if total != 1:
        raise ValueError(f"{name}: the line to replace occurs {total} times in {solution}; expected once: {mistake.old!r}")
    cell = hits[0]
    cell["source"] = "".join(cell["source"]).replace(mistake.old, mistake.new).splitlines(keepends=True)
    Path(out).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    return mistake
