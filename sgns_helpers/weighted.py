"""Co-occurrence weights as word2vec's training sees them, in expectation (chapter 8).

gensim's skip-gram does two random things to the pairs of a sentence. It drops
each token of word ``i`` with probability ``1 - r_i`` (frequent-word
*subsampling*, ``sample``), then, for each kept center token, draws an
effective window ``b`` uniformly from ``1..w`` (``shrink_windows=True``), so a
context ``m`` kept tokens away is used with probability ``(w - m + 1) / w``.
Both happen afresh in every epoch, so over many epochs the trainer sees, per
epoch, the *expected* weight of every pair of token positions ``p < q``:

    E[pair] = r_p r_q · E[g(1 + K)],   K = kept tokens strictly between p and q,

with ``g(m) = (w - m + 1) / w`` for ``m <= w`` and 0 beyond (``g = 1`` for
``m <= w`` without shrinking). ``K`` is a sum of independent Bernoulli draws,
so its distribution is computed exactly, offset by offset, by a recursion over
the tokens in between; the offsets stop when no position has more than ``tol``
probability left of reaching ``w``. Words rarer than ``min_count`` go before
anything else, as in gensim.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ._checks import _short, check_positive_float, check_positive_int
from .corpus import _tokens_and_lengths, _vocabulary

__all__ = ["WeightedCounts", "keep_probability", "word2vec_counts"]


@dataclass(frozen=True)
class WeightedCounts:
    """Expected pair weights of one epoch of word2vec, and the word counts behind them."""

    vocab: list  # (n_words,) kept words, most frequent first (ties: first seen)
    counts: sp.csr_matrix  # (n_words, n_words) float64, symmetric: expected uses of (center i, context j) per epoch
    word_counts: np.ndarray  # (n_words,) int64 occurrences of each word (gensim's noise uses these)
    keep: np.ndarray  # (n_words,) probability r_i that a token of word i survives subsampling


def keep_probability(word_counts, sample) -> np.ndarray:
    """gensim's subsampling: the probability that a token of each word is kept.

    ``r_i = min(1, (sqrt(f_i / t) + 1) · t / f_i)`` with ``t = sample · Σ f``
    (``Word2Vec.prepare_vocab`` for ``0 < sample < 1``); ``sample=0`` keeps
    every token.

    Parameters
    ----------
    word_counts : array_like of shape (n_words,)
        Occurrences ``f_i >= 1`` of the kept words.
    sample : float
        gensim's ``sample``, ``0 <= sample < 1``.

    Returns
    -------
    ndarray of shape (n_words,)

    Examples
    --------
    >>> keep_probability([900, 100], 0.01).round(4)  # t = 10
    array([0.1165, 0.4162])
    """
    f = np.asarray(word_counts, dtype=float)
    if f.ndim != 1 or f.size == 0 or not np.all(np.isfinite(f)) or np.any(f < 1):
        raise ValueError(f"`word_counts` must be a non-empty 1-d array of counts >= 1; got {_short(word_counts)}.")
    if isinstance(sample, bool) or not isinstance(sample, (int, float, np.floating)) or not 0 <= sample < 1:
        raise ValueError(f"`sample` must be a number in [0, 1); got {sample!r}.")
    if sample == 0:
        return np.ones_like(f)
    t = sample * f.sum()
    return np.minimum(1.0, (np.sqrt(f / t) + 1) * t / f)


def word2vec_counts(sentences, window, *, min_count=5, sample=1e-3, shrink_windows=True, tol=1e-6) -> WeightedCounts:
    """Expected co-occurrence weights of one epoch of gensim's skip-gram.

    Parameters
    ----------
    sentences : iterable of list of str
        Tokenised sentences; windows never cross a sentence boundary. gensim
        truncates sentences beyond 10,000 kept tokens: split longer ones first.
    window : int
        gensim's ``window`` ``w >= 1``.
    min_count : int, default 5
        Words seen fewer times are removed before windowing.
    sample : float, default 1e-3
        gensim's ``sample`` (``0`` switches subsampling off).
    shrink_windows : bool, default True
        gensim's ``shrink_windows``: draw each center's window from ``1..w``.
    tol : float, default 1e-6
        Offsets stop once every position's probability of having fewer than
        ``w`` kept tokens between it and the next candidate is below ``tol``;
        each dropped pair would have had expected weight below ``tol``.

    Returns
    -------
    WeightedCounts
        With ``sample=0`` and ``shrink_windows=False`` the counts equal
        :func:`sgns_helpers.cooccurrence_counts`'s (as floats).

    Examples
    --------
    >>> wc = word2vec_counts([["a", "b", "c"]], 2, min_count=1, sample=0)
    >>> wc.counts.toarray()  # distance 1: weight 1; distance 2: weight 1/2
    array([[0. , 1. , 0.5],
           [1. , 0. , 1. ],
           [0.5, 1. , 0. ]])

    See chapter 8, "Counts that match word2vec".
    """
    window = check_positive_int(window, "window")
    min_count = check_positive_int(min_count, "min_count")
    if not isinstance(shrink_windows, (bool, np.bool_)):
        raise TypeError(f"`shrink_windows` must be True or False; got {_short(shrink_windows)}.")
    tol = check_positive_float(tol, "tol")
    flat, lengths = _tokens_and_lengths(sentences)
    if not flat:
        raise ValueError("`sentences` must contain at least one token; got none.")
    vocab, token_id, word_counts = _vocabulary(flat, min_count)
    keep = keep_probability(word_counts, sample)
    sentence_id = np.repeat(np.arange(lengths.shape[0]), lengths)[token_id >= 0]  # (T',)
    ids = token_id[token_id >= 0]  # (T',) kept tokens in corpus order
    r = keep[ids]  # (T',) keep probability of each token
    g = (window - np.arange(window)) / window if shrink_windows else np.ones(window)  # (w,) weight at K = 0..w-1

    n, T = len(vocab), ids.shape[0]
    upper = sp.csr_matrix((n, n))  # weights of (earlier token, later token)
    between = np.zeros((T, window))  # (T, w) P(K = m) for the pairs (p, p + offset), m < w
    between[:, 0] = 1.0
    for offset in range(1, T):
        m = T - offset
        same = sentence_id[:m] == sentence_id[offset:]  # (m,)
        live = between[:m] * same[:, None]  # (m, w)
        if live.sum(1).max() < tol:
            break
        weight = r[:m] * r[offset:] * (live @ g)  # (m,) expected weight of the pair (p, p + offset)
        use = weight > 0
        upper = upper + sp.csr_matrix((weight[use], (ids[:m][use], ids[offset:][use])), shape=(n, n))
        # the token at p + offset now lies between p and p + offset + 1: it is kept with prob r
        rr = r[offset:, None]  # (m, 1)
        nxt = live * (1 - rr)
        nxt[:, 1:] += live[:, :-1] * rr
        between = nxt
    counts = (upper + upper.T).tocsr()
    counts.sum_duplicates()
    counts.sort_indices()
    return WeightedCounts(vocab, counts, word_counts.astype(np.int64), keep)
