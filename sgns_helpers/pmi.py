"""Pointwise mutual information, true and empirical, and double-centring (chapter 1).

For a joint distribution ``P`` over (center i, context j),
``PMI_ij = log P_ij - log P_i. - log P_.j``. For the simulation's
``P_ij = exp(v_i · u_j) / Z`` this is ``v_i · u_j`` plus a row offset, a column
offset and a constant, which is why PMI is not ``V Uᵀ``. Double-centring removes
exactly such offsets.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ._checks import check_counts_dense_or_sparse, check_finite_matrix

__all__ = ["true_pmi", "empirical_pmi", "double_center"]


def true_pmi(P) -> np.ndarray:
    """PMI of a joint distribution: ``log P_ij - log P_i. - log P_.j``.

    Parameters
    ----------
    P : array_like of shape (n_words, n_contexts)
        Joint probabilities: non-negative, summing to 1.

    Returns
    -------
    ndarray of shape (n_words, n_contexts)
        ``-inf`` where ``P_ij = 0``.

    Examples
    --------
    >>> true_pmi([[0.25, 0.25], [0.25, 0.25]])  # independence: PMI = 0
    array([[0., 0.],
           [0., 0.]])
    """
    P = check_finite_matrix(P, "P")
    if np.any(P < 0):
        raise ValueError(f"`P` must be non-negative; got minimum {float(P.min())!r}.")
    total = P.sum()
    if not np.isclose(total, 1.0, rtol=0, atol=1e-8):
        raise ValueError(f"`P` must sum to 1 (a joint distribution); got sum {float(total)!r}.")
    row = P.sum(axis=1, keepdims=True)
    col = P.sum(axis=0, keepdims=True)
    with np.errstate(divide="ignore"):
        return np.log(P) - np.log(row) - np.log(col)


def empirical_pmi(counts) -> np.ndarray:
    """PMI estimated from pair counts: ``log(n_ij N / (n_i. n_.j))``.

    Parameters
    ----------
    counts : array_like or scipy.sparse matrix of shape (n_words, n_words)
        Non-negative integer pair counts; rows are center words.

    Returns
    -------
    ndarray or scipy.sparse.csr_array of shape (n_words, n_words)
        ``-inf`` on zero cells (the pair was never seen). For sparse counts, a
        ``csr_array`` storing the PMI of the observed cells only (its unstored
        cells stand for ``-inf``, not 0).

    Examples
    --------
    >>> empirical_pmi([[2, 0], [1, 1]]).round(3)
    array([[ 0.288,   -inf],
           [-0.405,  0.693]])
    """
    counts = check_counts_dense_or_sparse(counts)
    if sp.issparse(counts):
        row = np.asarray(counts.sum(axis=1), dtype=float).ravel()
        col = np.asarray(counts.sum(axis=0), dtype=float).ravel()
        i, j = counts.nonzero()
        x = np.log(counts.data) + np.log(row.sum()) - np.log(row[i]) - np.log(col[j])
        return sp.csr_array((x, counts.indices.copy(), counts.indptr.copy()), shape=counts.shape)
    counts = counts.astype(float)
    N = counts.sum()
    row = counts.sum(axis=1, keepdims=True)
    col = counts.sum(axis=0, keepdims=True)
    with np.errstate(divide="ignore"):
        return np.log(counts) + np.log(N) - np.log(row) - np.log(col)


def double_center(M) -> np.ndarray:
    """Subtract row means and column means, add back the grand mean.

    ``double_center(M) = J M J`` with ``J = I - 11ᵀ/n``: it removes any
    ``a_i + b_j`` from ``M`` and keeps the rest. So the double-centred PMI of the
    simulation equals the double-centred ``V Uᵀ``.

    Parameters
    ----------
    M : array_like of shape (n_rows, n_cols)
        A finite matrix.

    Returns
    -------
    ndarray of shape (n_rows, n_cols)
        Every row and every column sums to zero.

    Examples
    --------
    >>> double_center([[1.0, 2.0], [3.0, 4.0]])  # purely additive: nothing left
    array([[0., 0.],
           [0., 0.]])
    """
    M = check_finite_matrix(M, "M")
    return M - M.mean(axis=1, keepdims=True) - M.mean(axis=0, keepdims=True) + M.mean()
