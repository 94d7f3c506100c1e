"""Word analogies: "a is to b as c is to ?", by 3CosAdd and 3CosMul (chapter 8).

A question ``(a, b, c, d)`` is answered by the word ``x``, other than ``a``,
``b`` and ``c``, that maximises, with cosine similarities ``cos``,

- 3CosAdd (Mikolov et al. 2013): ``cos(x, b) - cos(x, a) + cos(x, c)``;
- 3CosMul (Levy & Goldberg 2014): ``s(x, b) s(x, c) / (s(x, a) + ε)`` with
  ``s = (1 + cos) / 2`` and ``ε = 1e-6``, gensim's ``most_similar_cosmul``.

The score is the share of covered questions (all four words in the
vocabulary) answered with ``d``. 3CosAdd gives the number of gensim's
``KeyedVectors.evaluate_word_analogies``, 3CosMul the answers of its
``most_similar_cosmul``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ._checks import _short, check_choice, check_positive_int
from .bootstrap import bootstrap_interval
from .similarity import _data_lines, _unit_rows

__all__ = ["AnalogyScore", "analogy_scores", "read_analogies", "word_analogies"]

_BLOCK = 256  # questions scored at once: a (256, n_words) block of cosines per term


@dataclass(frozen=True)
class AnalogyScore:
    """How many analogy questions the vectors answer."""

    accuracy: float  # share of covered questions answered correctly
    n_covered: int  # questions whose four words are all in the vocabulary
    n_questions: int  # questions in the benchmark
    low: float = float("nan")  # bootstrap interval over covered questions (nan unless n_boot > 0)
    high: float = float("nan")

    @property
    def coverage(self) -> float:
        """Share of the benchmark's questions that were scored."""
        return self.n_covered / self.n_questions


def read_analogies(path, *, sections=False):
    """Read analogy questions, four words a line; ``: section`` lines and blank lines are skipped.

    The format of word2vec's ``questions-words.txt``; words are lower-cased.

    Parameters
    ----------
    path : str or os.PathLike
    sections : bool, default False
        Also return the section of each question (the name after ``:``,
        e.g. ``"gram1-adjective-to-adverb"``; ``None`` before the first).

    Returns
    -------
    list of (str, str, str, str), or with ``sections`` that list and a list of str
    """
    questions, names, section = [], [], None
    for number, line in _data_lines(path, comment=()):  # no line skipped as a comment: ": name" opens a section
        if line.startswith(":"):
            section = line[1:].strip()
            continue
        words = line.lower().split()
        if len(words) != 4:
            raise ValueError(f"`path` line {number} must hold four words 'a b c d'; got {_short(line.strip())}.")
        questions.append(tuple(words))
        names.append(section)
    return (questions, names) if sections else questions


def _dense(block) -> np.ndarray:
    """A block of cosines as a dense array (explicit sparse vectors give a sparse product)."""
    return block.toarray() if sp.issparse(block) else block


def _answers(unit, a, b, c) -> dict[str, np.ndarray]:
    """The best word for each question by each method, excluding its three given words; arrays (Q,)."""
    out = {"add": np.empty(a.shape[0], dtype=np.int64), "mul": np.empty(a.shape[0], dtype=np.int64)}
    rows = np.arange(_BLOCK)
    for s in range(0, a.shape[0], _BLOCK):
        e = min(a.shape[0], s + _BLOCK)
        cos_a, cos_b, cos_c = (_dense(unit[x[s:e]] @ unit.T) for x in (a, b, c))  # (Q', n) each
        r = rows[: e - s]
        for method, score in (("add", cos_b - cos_a + cos_c),
                              ("mul", (1 + cos_b) / 2 * (1 + cos_c) / 2 / ((1 + cos_a) / 2 + 1e-6))):
            score[r, a[s:e]] = score[r, b[s:e]] = score[r, c[s:e]] = -np.inf
            out[method][s:e] = np.argmax(score, axis=1)
    return out


def analogy_scores(vectors, vocab, questions, *, n_boot=0, seed=0, level=0.95) -> dict[str, AnalogyScore]:
    """3CosAdd and 3CosMul at once (they share the cosines): ``{"add": ..., "mul": ...}``.

    Arguments as for :func:`word_analogies`.
    """
    unit, index = _unit_rows(vectors, vocab)
    n_boot = check_positive_int(n_boot, "n_boot", minimum=0)
    questions = list(questions)
    if not questions:
        raise ValueError("`questions` must hold at least one (a, b, c, d) question; got none.")
    covered = [tuple(index[w] for w in q) for q in questions if len(q) == 4 and all(w in index for w in q)]
    if not covered:
        raise ValueError(f"`questions` and `vocab` have no overlap: none of the {len(questions)} questions has "
                         f"all four words in the vocabulary of {len(index)} words.")
    a, b, c, d = (np.array(column) for column in zip(*covered))
    out = {}
    for method, answer in _answers(unit, a, b, c).items():
        correct = (answer == d).astype(float)  # (Q,)
        low = high = float("nan")
        if n_boot and len(covered) >= 2:
            low, high = bootstrap_interval(lambda r: correct[r].mean(axis=1), len(covered), n_boot=n_boot,
                                           seed=seed, level=level)
        out[method] = AnalogyScore(float(correct.mean()), len(covered), len(questions), low, high)
    return out


def word_analogies(vectors, vocab, questions, *, method="add", n_boot=0, seed=0, level=0.95) -> AnalogyScore:
    """Accuracy of the vectors on analogy questions, by 3CosAdd or 3CosMul.

    Parameters
    ----------
    vectors : array_like or scipy.sparse matrix of shape (n_words, dim)
        One vector per word (sparse, e.g. PPMI rows, stays sparse); the cosines
        are formed in blocks of questions, never as an ``n_words x n_words`` matrix.
    vocab : sequence of str of length n_words
        The word of each row.
    questions : sequence of (str, str, str, str)
        ``(a, b, c, d)``: a is to b as c is to d, e.g. from :func:`read_analogies`.
        Questions with a word outside ``vocab`` are skipped and counted.
    method : {"add", "mul"}, default "add"
        3CosAdd or 3CosMul.
    n_boot : int, default 0
        Bootstrap redraws of the covered questions for ``low, high``; 0 skips it.
    seed : int or numpy.random.Generator, default 0
    level : float, default 0.95

    Returns
    -------
    AnalogyScore

    Examples
    --------
    >>> V = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [-1.0, 2.0], [-1.0, 0.2]])
    >>> word_analogies(V, ["a", "b", "c", "d", "e"], [("a", "b", "c", "d")]).accuracy
    1.0

    See chapter 8, "Benchmarks".
    """
    method = check_choice(method, "method", ("add", "mul"))
    return analogy_scores(vectors, vocab, questions, n_boot=n_boot, seed=seed, level=level)[method]
