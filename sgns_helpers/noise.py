"""Negative-sampling (noise) distributions (chapter 2).

SGNS draws negative *contexts*, so a noise distribution is a probability vector
over the columns of the count matrix. ``axis="center"`` computes the same
formula from row (center) counts, as the R gist does; the two differ because
the simulated count matrix is not symmetric.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._checks import check_choice, check_counts_dense_or_sparse

__all__ = ["unigram_noise", "zero_cell_noise"]

_AXES = ("context", "center")


def _marginal(counts: np.ndarray, axis: str) -> np.ndarray:
    """Column sums for ``axis="context"``, row sums for ``axis="center"`` (dense or sparse)."""
    return np.asarray(counts.sum(axis=0 if axis == "context" else 1)).ravel()


def unigram_noise(counts, power=0.75, axis="context") -> np.ndarray:
    """Smoothed unigram distribution ``q_j ∝ n_j ** power``.

    Parameters
    ----------
    counts : array_like or scipy.sparse matrix of shape (n_words, n_words)
        Non-negative integer pair counts; rows are centers, columns contexts.
    power : float, default 0.75
        Exponent ``α``. ``0`` gives the uniform distribution over words that
        occur, ``1`` the plain frequencies, ``0.75`` word2vec's smoothing.
    axis : {"context", "center"}, default "context"
        Count words as contexts (column sums; what SGNS samples) or as centers
        (row sums; the gist's choice).

    Returns
    -------
    ndarray of shape (n_words,)
        Non-negative, sums to 1; zero for a word with count zero (for any power).

    Examples
    --------
    >>> unigram_noise([[1, 3], [0, 4]], power=1.0)  # column sums 1 and 7
    array([0.125, 0.875])
    """
    counts = check_counts_dense_or_sparse(counts)
    if isinstance(power, bool) or not isinstance(power, numbers.Real):
        raise TypeError(f"`power` must be a real number; got {power!r}.")
    if not np.isfinite(power) or power < 0:
        raise ValueError(f"`power` must be a finite number >= 0; got {power!r}.")
    axis = check_choice(axis, "axis", _AXES)
    freq = _marginal(counts, axis).astype(float)
    # scale by the largest count first: no overflow for large powers; 0 ** 0 would be 1
    weights = np.where(freq > 0, (freq / freq.max()) ** float(power), 0.0)
    return weights / weights.sum()


def zero_cell_noise(counts, axis="context") -> np.ndarray:
    """Noise proportional to how many zero cells each word has: the gist's second choice.

    For ``axis="context"`` word j gets weight ``#{i : n_ij = 0}`` (how many
    centers it never co-occurred with); for ``axis="center"`` the zero cells of
    its row, as the gist tallies them. Unlike the gist's dplyr tally, a word
    with no zero cell keeps its place in the vector with probability 0.

    Parameters
    ----------
    counts : array_like or scipy.sparse matrix of shape (n_words, n_words)
        Non-negative integer pair counts.
    axis : {"context", "center"}, default "context"
        Tally zero cells per column or per row.

    Returns
    -------
    ndarray of shape (n_words,)
        Non-negative, sums to 1.

    Raises
    ------
    ValueError
        If ``counts`` has no zero cell at all (the distribution is undefined).

    Examples
    --------
    >>> zero_cell_noise([[1, 0, 2], [0, 0, 3], [1, 1, 1]])  # column zeros: 1, 2 and 0
    array([0.33333333, 0.66666667, 0.        ])
    """
    counts = check_counts_dense_or_sparse(counts)
    axis = check_choice(axis, "axis", _AXES)
    other = counts.shape[0 if axis == "context" else 1]  # cells per column (or row)
    stored = _marginal(counts > 0, axis)  # non-zero cells per column (or row)
    zeros = (other - stored).astype(float)
    if zeros.sum() == 0:
        raise ValueError(
            "`counts` has no zero cell, so the zero-cell noise distribution is undefined; "
            "use unigram_noise instead."
        )
    return zeros / zeros.sum()
