"""Word vectors judged by people: similarity benchmarks and nearest neighbours (chapter 6).

A word-similarity benchmark lists word pairs with a human score. The vectors'
score is the Spearman rank correlation between the cosine similarity of each
pair and the human score, over the pairs whose two words are both in the
vocabulary (the *coverage*); gensim's ``KeyedVectors.evaluate_word_pairs``
computes the same number.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from ._checks import _short, check_finite_matrix, check_positive_int

__all__ = ["SimilarityScore", "read_word_pairs", "word_similarity", "nearest_neighbours"]


@dataclass(frozen=True)
class SimilarityScore:
    """How well cosine similarities rank a benchmark's word pairs."""

    spearman: float  # Spearman correlation with the human scores over covered pairs (nan if < 2)
    n_covered: int  # pairs whose two words are both in the vocabulary
    n_pairs: int  # pairs in the benchmark

    @property
    def coverage(self) -> float:
        """Share of the benchmark's pairs that were scored."""
        return self.n_covered / self.n_pairs


def read_word_pairs(path) -> list[tuple[str, str, float]]:
    """Read a tab-separated benchmark: ``word1<TAB>word2<TAB>score`` per line.

    Lines starting with ``#`` and blank lines are skipped (gensim's
    ``wordsim353.tsv`` and ``simlex999.txt`` use this format); words are
    lower-cased.

    Parameters
    ----------
    path : str or os.PathLike
        The file to read.

    Returns
    -------
    list of (str, str, float)
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"`path` must be a file path; got {_short(path)}.")
    pairs = []
    with open(path, encoding="utf8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            try:
                pairs.append((fields[0].lower(), fields[1].lower(), float(fields[2])))
            except (IndexError, ValueError) as exc:
                raise ValueError(
                    f"`path` line {number} must be 'word1<TAB>word2<TAB>score'; got {_short(line.strip())}."
                ) from exc
    return pairs


def _unit_rows(vectors, vocab) -> tuple[np.ndarray, dict[str, int]]:
    """Rows scaled to length 1 (a zero row stays zero) and the index of each word."""
    vectors = check_finite_matrix(vectors, "vectors")
    if isinstance(vocab, str) or len(vocab) != vectors.shape[0]:
        raise ValueError(
            f"`vocab` must list one word per row of `vectors` ({vectors.shape[0]}); "
            f"got {_short(vocab) if isinstance(vocab, str) else len(vocab)}."
        )
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(norms > 0, norms, 1.0)
    return unit, {w: i for i, w in enumerate(vocab)}


def word_similarity(vectors, vocab, pairs) -> SimilarityScore:
    """Spearman correlation between cosine similarities and human scores.

    Parameters
    ----------
    vectors : array_like of shape (n_words, dim)
        One vector per word.
    vocab : sequence of str of length n_words
        The word of each row.
    pairs : sequence of (str, str, float)
        Benchmark pairs with their human score, e.g. from :func:`read_word_pairs`.
        Pairs with a word outside ``vocab`` are skipped and counted.

    Returns
    -------
    SimilarityScore
        ``spearman`` is ``nan`` when fewer than two pairs are covered.

    Examples
    --------
    >>> V = np.array([[1.0, 0.0], [1.0, 0.1], [0.0, 1.0]])
    >>> pairs = [("a", "b", 9.0), ("a", "c", 1.0), ("b", "c", 2.0), ("a", "z", 5.0)]
    >>> s = word_similarity(V, ["a", "b", "c"], pairs)
    >>> round(s.spearman, 6), s.n_covered, s.n_pairs
    (1.0, 3, 4)

    See chapter 6, "Word similarity".
    """
    unit, index = _unit_rows(vectors, vocab)
    pairs = list(pairs)
    if not pairs:
        raise ValueError("`pairs` must hold at least one (word1, word2, score) triple; got none.")
    covered = [(index[a], index[b], s) for a, b, s in pairs if a in index and b in index]
    if len(covered) < 2:
        return SimilarityScore(float("nan"), len(covered), len(pairs))
    i, j, human = (np.array(column) for column in zip(*covered))
    cosine = np.einsum("pd,pd->p", unit[i], unit[j])  # (P,)
    import scipy.stats  # here, not at the top: scipy.stats takes ~0.6 s to import

    rho = scipy.stats.spearmanr(cosine, human).statistic
    return SimilarityScore(float(rho), len(covered), len(pairs))


def nearest_neighbours(vectors, vocab, words, topn=5) -> dict[str, list[tuple[str, float]]]:
    """The ``topn`` words with the highest cosine similarity to each query word.

    Parameters
    ----------
    vectors : array_like of shape (n_words, dim)
        One vector per word.
    vocab : sequence of str of length n_words
        The word of each row.
    words : sequence of str
        Query words; each must be in ``vocab``.
    topn : int, default 5
        Neighbours per word (the word itself excluded).

    Returns
    -------
    dict
        ``{word: [(neighbour, cosine), ...]}``, most similar first.

    Examples
    --------
    >>> V = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]])
    >>> nearest_neighbours(V, ["a", "b", "c"], ["a"], topn=1)
    {'a': [('b', 0.99...)]}
    """
    unit, index = _unit_rows(vectors, vocab)
    topn = check_positive_int(topn, "topn")
    if isinstance(words, str):
        raise TypeError(f"`words` must be a list of words; got the string {words!r} (wrap it: [{words!r}]).")
    missing = [w for w in words if w not in index]
    if missing:
        raise ValueError(f"`words` must be in `vocab`; {missing[:5]} are not.")
    if topn >= unit.shape[0]:
        raise ValueError(f"`topn` must be < the number of words ({unit.shape[0]}); got {topn}.")
    out = {}
    for w in words:  # one matrix-vector product per query word
        cosine = unit @ unit[index[w]]  # (n_words,)
        cosine[index[w]] = -np.inf
        best = np.argsort(-cosine, kind="stable")[:topn]
        out[w] = [(vocab[b], float(cosine[b])) for b in best]
    return out
