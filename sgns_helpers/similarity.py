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
import scipy.sparse as sp

from ._checks import _short, check_finite_matrix, check_positive_int
from .bootstrap import bootstrap_interval

__all__ = ["SimilarityScore", "read_word_pairs", "word_similarity", "nearest_neighbours"]


@dataclass(frozen=True)
class SimilarityScore:
    """How well cosine similarities rank a benchmark's word pairs."""

    spearman: float  # Spearman correlation with the human scores over covered pairs (nan if < 2)
    n_covered: int  # pairs whose two words are both in the vocabulary
    n_pairs: int  # pairs in the benchmark
    low: float = float("nan")  # bootstrap interval over the covered pairs (nan unless n_boot > 0)
    high: float = float("nan")

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
    pairs = []
    for number, line in _data_lines(path, comment="#"):
        fields = line.rstrip("\n").split("\t")
        try:
            pairs.append((fields[0].lower(), fields[1].lower(), float(fields[2])))
        except (IndexError, ValueError) as exc:
            raise ValueError(
                f"`path` line {number} must be 'word1<TAB>word2<TAB>score'; got {_short(line.strip())}."
            ) from exc
    return pairs


def _data_lines(path, comment):
    """``(line number, line)`` of a benchmark file, blank lines and lines starting with ``comment`` skipped."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"`path` must be a file path; got {_short(path)}.")
    with open(path, encoding="utf8") as f:
        for number, line in enumerate(f, start=1):
            if line.strip() and not line.startswith(comment):
                yield number, line


def _unit_rows(vectors, vocab):
    """Rows scaled to length 1 (a zero row stays zero) and the index of each word.

    A ``scipy.sparse`` matrix (explicit PPMI rows) stays sparse: a csr_matrix comes back.
    """
    if sp.issparse(vectors):
        vectors = sp.csr_matrix(vectors, dtype=float)
        if not np.all(np.isfinite(vectors.data)):
            raise ValueError("`vectors` must be finite; the sparse matrix holds NaN or inf entries.")
    else:
        vectors = check_finite_matrix(vectors, "vectors")
    if isinstance(vocab, str) or len(vocab) != vectors.shape[0]:
        raise ValueError(
            f"`vocab` must list one word per row of `vectors` ({vectors.shape[0]}); "
            f"got {_short(vocab) if isinstance(vocab, str) else len(vocab)}."
        )
    index = {w: i for i, w in enumerate(vocab)}
    if sp.issparse(vectors):
        norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())  # (n_words,)
        return sp.diags(1 / np.where(norms > 0, norms, 1.0)) @ vectors, index
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(norms > 0, norms, 1.0)
    return unit, index


def _pair_cosines(unit, i, j) -> np.ndarray:
    """Cosine of rows ``i[p]`` and ``j[p]`` of the unit rows, dense or sparse; shape (P,)."""
    if sp.issparse(unit):
        return np.asarray(unit[i].multiply(unit[j]).sum(axis=1)).ravel()
    return np.einsum("pd,pd->p", unit[i], unit[j])


def _spearman_rows(a, b) -> np.ndarray:
    """Spearman correlation of each row of ``a`` with the same row of ``b``, both (R, P)."""
    import scipy.stats  # here, not at the top: scipy.stats takes ~0.6 s to import

    ra, rb = (scipy.stats.rankdata(x, axis=1) for x in (a, b))  # average ranks for ties, as spearmanr
    ra, rb = ra - ra.mean(1, keepdims=True), rb - rb.mean(1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):  # a redraw of one repeated pair: nan, ignored
        return (ra * rb).sum(1) / np.sqrt((ra**2).sum(1) * (rb**2).sum(1))


def word_similarity(vectors, vocab, pairs, *, n_boot=0, seed=0, level=0.95) -> SimilarityScore:
    """Spearman correlation between cosine similarities and human scores.

    Parameters
    ----------
    vectors : array_like or scipy.sparse matrix of shape (n_words, dim)
        One vector per word (sparse: e.g. rows of a PPMI matrix, kept sparse).
    vocab : sequence of str of length n_words
        The word of each row.
    pairs : sequence of (str, str, float)
        Benchmark pairs with their human score, e.g. from :func:`read_word_pairs`.
        Pairs with a word outside ``vocab`` are skipped and counted.
    n_boot : int, default 0
        Bootstrap redraws of the covered pairs for the interval ``low, high``
        (:func:`sgns_helpers.bootstrap_interval`); 0 skips it.
    seed : int or numpy.random.Generator, default 0
        Randomness of the redraws.
    level : float, default 0.95
        Coverage of the interval.

    Returns
    -------
    SimilarityScore
        ``spearman`` is ``nan`` when only one pair is covered; no pair at all
        raises ``ValueError``.

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
    n_boot = check_positive_int(n_boot, "n_boot", minimum=0)
    covered = [(index[a], index[b], s) for a, b, s in pairs if a in index and b in index]
    if not covered:
        raise ValueError(f"`pairs` and `vocab` have no overlap: none of the {len(pairs)} pairs has both words "
                         f"in the vocabulary of {len(index)} words (lower-case? same tokeniser?).")
    if len(covered) < 2:
        return SimilarityScore(float("nan"), len(covered), len(pairs))
    i, j, human = (np.array(column) for column in zip(*covered))
    cosine = _pair_cosines(unit, i, j)  # (P,)
    rho = float(_spearman_rows(cosine[None], human[None])[0])
    if n_boot == 0:
        return SimilarityScore(rho, len(covered), len(pairs))
    low, high = bootstrap_interval(lambda r: _spearman_rows(cosine[r], human[r]), len(covered),
                                   n_boot=n_boot, seed=seed, level=level)
    return SimilarityScore(rho, len(covered), len(pairs), low, high)


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
        cosine = unit @ unit[index[w]].T  # (n_words,), or (n_words, 1) sparse
        cosine = cosine.toarray().ravel() if sp.issparse(cosine) else cosine
        cosine[index[w]] = -np.inf
        best = np.argsort(-cosine, kind="stable")[:topn]
        out[w] = [(vocab[b], float(cosine[b])) for b in best]
    return out
