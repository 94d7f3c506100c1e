"""Explicit factorization: shifted positive PMI and its truncated SVD (chapter 5).

SGNS factorizes ``x*_ij = PMI_ij - log k`` implicitly, weighting each cell by
how often it is seen. The explicit alternative of Levy & Goldberg (2014), tuned
by Levy, Goldberg & Dagan (2015), builds the matrix itself,

    SPPMI_k(i, j) = max(PMI_ij - log k, 0),

(zero where ``n_ij = 0``, so the matrix is sparse and finite) and takes a
truncated SVD ``M ≈ Φ_d Σ_d Ψ_dᵀ`` (left and right singular vectors ``Φ_d``,
``Ψ_d``), with word vectors ``W = Φ_d Σ_d^p`` and context vectors
``Ψ_d Σ_d^p`` (this book's convention; the traditional one keeps ``Ψ_d``).
Chapter 5 compares both with SGNS, and ``baselines`` gives the SVD its best form.
"""

from __future__ import annotations

import numbers

import numpy as np
import scipy.sparse as sp

from ._checks import check_counts_dense_or_sparse, check_finite_matrix, check_positive_int

__all__ = ["sppmi", "svd_embeddings"]


def _check_power(value, name: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be a real number; got {value!r} of type {type(value).__name__}.")
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"`{name}` must be a finite number >= 0; got {value!r}.")
    return float(value)


def sppmi(counts, k, *, noise_power=1.0):
    """Shifted positive PMI: ``max(log(n_ij / (n_i q_j)) - log k, 0)``.

    ``q`` is the context distribution ``q_j ∝ n_j ** noise_power`` (column
    sums); ``noise_power=1`` gives the plain PMI, ``0.75`` the "context
    distribution smoothing" of Levy, Goldberg & Dagan (2015). Every positive
    entry is exactly the full-rank SGNS optimum ``x*_ij`` of
    :func:`sgns_helpers.sgns_optimum` with the same ``q`` and ``k``: SPPMI keeps
    the cells where ``x*_ij > 0`` and sets the rest, ``-inf`` included, to 0.

    Parameters
    ----------
    counts : array_like or scipy.sparse matrix of shape (n_words, n_words)
        Pair counts ``n_ij``; rows are centers, columns contexts.
    k : int
        Number of negatives; the shift is ``log k`` (``k=1``: no shift, PPMI).
    noise_power : float, default 1.0
        Exponent ``α`` of the context distribution.

    Returns
    -------
    ndarray or scipy.sparse.csr_array of shape (n_words, n_words)
        Non-negative and finite; sparse (only the positive cells stored) when
        ``counts`` is sparse.

    Examples
    --------
    >>> C = np.array([[8, 1], [1, 2]])
    >>> sppmi(C, k=1).round(3)  # PPMI: log(8 * 12 / (9 * 9)) = 0.17
    array([[0.17 , 0.   ],
           [0.   , 0.981]])
    >>> sppmi(C, k=2).round(3)  # the shift log 2 = 0.693 clips the (0, 0) cell
    array([[0.   , 0.   ],
           [0.   , 0.288]])
    """
    counts = check_counts_dense_or_sparse(counts, whole=False)  # weighted counts too (chapter 8)
    k = check_positive_int(k, "k")
    alpha = _check_power(noise_power, "noise_power")
    row = np.asarray(counts.sum(axis=1), dtype=float).ravel()
    col = np.asarray(counts.sum(axis=0), dtype=float).ravel()
    # log q_j, computed in logs so that large counts and powers cannot overflow
    with np.errstate(divide="ignore"):
        log_col = np.log(col)
    log_w = np.where(col > 0, alpha * (log_col - log_col[col > 0].max()), -np.inf)
    log_q = log_w - np.log(np.exp(log_w[col > 0]).sum())
    if sp.issparse(counts):
        i, j = counts.nonzero()  # rows, then sorted columns: the order of counts.data
        x = np.log(counts.data) - np.log(row[i]) - log_q[j] - np.log(k)
        keep = x > 0
        out = sp.csr_array((x[keep], (i[keep], j[keep])), shape=counts.shape)
        out.sort_indices()
        return out
    with np.errstate(divide="ignore", invalid="ignore"):  # an unseen context: log 0 - log 0
        x = np.log(counts) - np.log(row)[:, None] - log_q[None, :] - np.log(k)
    return np.where(counts > 0, np.maximum(x, 0.0), 0.0)


def _fix_signs(left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Flip singular-vector pairs so each left vector's largest entry is positive."""
    idx = np.argmax(np.abs(left), axis=0)
    signs = np.sign(left[idx, np.arange(left.shape[1])])
    signs[signs == 0] = 1.0
    return left * signs, right * signs


def svd_embeddings(M, dim, *, eig_power=0.5) -> tuple[np.ndarray, np.ndarray]:
    """Word and context vectors from a truncated SVD: ``W = Φ_d Σ_d^p``, ``C = Ψ_d Σ_d^p``.

    ``M ≈ Φ_d Σ_d Ψ_dᵀ`` keeps the ``dim`` largest singular values ``Σ_d`` with
    their left and right singular vectors ``Φ_d``, ``Ψ_d``. With
    ``eig_power=0.5`` (the symmetric split) ``W Cᵀ = Φ_d Σ_d Ψ_dᵀ``, the
    best rank-``dim`` approximation of ``M`` in Frobenius norm (Eckart-Young).
    Other powers keep the same directions but re-weight them: ``p=0`` gives
    unit-length singular vectors, ``p=1`` puts all of ``Σ`` on both sides.

    Parameters
    ----------
    M : array_like or scipy.sparse matrix of shape (n_words, n_contexts)
        A finite matrix, e.g. the output of :func:`sppmi`.
    dim : int
        Number of singular triplets kept, ``1 <= dim <= min(M.shape)``
        (``< min(M.shape)`` for sparse ``M``, a limit of ARPACK).
    eig_power : float, default 0.5
        Exponent ``p`` of the singular values.

    Returns
    -------
    W : ndarray of shape (n_words, dim)
        Word (row) vectors, columns ordered by decreasing singular value.
    C : ndarray of shape (n_contexts, dim)
        Context (column) vectors. Signs are fixed (largest entry of each column
        of ``Φ_d`` positive) so the output is deterministic.

    Examples
    --------
    >>> M = np.array([[3.0, 0.0], [0.0, 2.0]])
    >>> W, C = svd_embeddings(M, 1)
    >>> (W @ C.T).round(6)  # keeps the larger singular value
    array([[3., 0.],
           [0., 0.]])
    """
    dim = check_positive_int(dim, "dim")
    p = _check_power(eig_power, "eig_power")
    if sp.issparse(M):
        if M.ndim != 2 or min(M.shape) == 0:
            raise ValueError(f"`M` must be a non-empty 2-D matrix; got shape {M.shape}.")
        M = sp.csr_array(M, dtype=float)
        if not np.all(np.isfinite(M.data)):
            raise ValueError("`M` must be finite; found NaN or inf entries.")
        if dim >= min(M.shape):
            raise ValueError(
                f"`dim` must be < min(M.shape) = {min(M.shape)} for a sparse `M`; got {dim} "
                "(pass M.toarray() for a full SVD)."
            )
        from scipy.sparse.linalg import svds

        v0 = np.full(min(M.shape), 1.0 / np.sqrt(min(M.shape)))  # fixed start: deterministic
        left, s, right_t = svds(M, k=dim, v0=v0, solver="arpack")
        order = np.argsort(s)[::-1]
        left, s, right = left[:, order], s[order], right_t[order].T
    else:
        M = check_finite_matrix(M, "M")
        if dim > min(M.shape):
            raise ValueError(f"`dim` must be <= min(M.shape) = {min(M.shape)}; got {dim}.")
        left, s, right_t = np.linalg.svd(M, full_matrices=False)
        left, s, right = left[:, :dim], s[:dim], right_t[:dim].T
    left, right = _fix_signs(left, right)
    scale = s**p
    return left * scale, right * scale
