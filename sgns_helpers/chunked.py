"""The expected SGNS loss for large or sparse problems, a block of rows at a time (chapter 7).

``sgns_objective`` sends sparse counts, and logits given as factors
``(V, U)`` or ``(V, U, b, c)``, here. The positive term
``Σ n_ij log σ(x_ij)`` needs only the non-zero cells. The negative term
``Σ_ij k n_i q_j log σ(-x_ij)`` covers every cell, so it is summed over blocks
of rows, ``Σ_i k n_i [log σ(-X_block) q]_i``: peak memory is one block
(``CHUNK_ELEMENTS`` cells), never an n × n matrix. This is the exact value, not
a sampled estimate; it costs one pass over the n² cells.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

__all__ = ["chunked_objective", "CHUNK_ELEMENTS"]

CHUNK_ELEMENTS = 1 << 21  # cells per block: 16 MB of float64


def _log_sigmoid(x: np.ndarray) -> np.ndarray:
    """log σ(x) = -log(1 + e^{-x}), stable, exact at ±inf."""
    return -np.logaddexp(0.0, -x)


def _rows(X, r0, r1):
    """Logits of rows ``r0:r1``, from a dense matrix or from factors ``(V, U, b, c)``."""
    if not isinstance(X, tuple):
        return np.asarray(X[r0:r1], dtype=float)
    V, U, b, c = X
    out = V[r0:r1] @ U.T  # (R, n)
    if b is not None:
        out += b[r0:r1, None] + c[None, :]
    return out


def _cells(X, i, j):
    """Logits of the cells ``(i, j)``, without forming the matrix."""
    if not isinstance(X, tuple):
        return np.asarray(X)[i, j].astype(float)
    V, U, b, c = X
    out = np.einsum("cd,cd->c", V[i], U[j])  # (C,)
    if b is not None:
        out += b[i] + c[j]
    return out


def chunked_objective(X, counts, noise, k) -> float:
    """``-Σ_ij [n_ij log σ(x_ij) + k n_i q_j log σ(-x_ij)] / N`` in row blocks.

    Parameters
    ----------
    X : ndarray of shape (n, n), or tuple ``(V, U, b, c)``
        Logits, or factors with ``X = V Uᵀ + b 1ᵀ + 1 cᵀ`` (``b``, ``c`` may be None).
    counts : ndarray or scipy.sparse matrix of shape (n, n)
        Validated counts.
    noise : ndarray of shape (n,)
        Validated noise distribution ``q``.
    k : int
        Negatives per positive pair.

    Returns
    -------
    float
        The same value as the dense formula (up to rounding); cells whose weight
        is zero contribute nothing, so ``X`` may hold ``±inf`` there.

    Examples
    --------
    >>> V, U = np.array([[1.0], [-1.0]]), np.array([[0.5], [2.0]])
    >>> C, q = sp.csr_array(np.array([[3, 0], [1, 2]])), np.array([0.25, 0.75])
    >>> dense = -(np.array([[3, 0], [1, 2]]) * _log_sigmoid(V @ U.T)
    ...           + 4 * np.outer([3, 3], q) * _log_sigmoid(-V @ U.T)).sum() / 6
    >>> bool(np.isclose(chunked_objective((V, U, None, None), C, q, 4), dense))
    True
    """
    n = counts.shape[0]
    csr = sp.csr_array(counts)
    i, j = csr.nonzero()
    w = csr.data.astype(float)  # (C,) n_ij of the non-zero cells
    N = w.sum()
    m = k * np.asarray(csr.sum(axis=1), dtype=float).ravel()  # (n,) k n_i
    positive = float(np.dot(w, _log_sigmoid(_cells(X, i, j))))
    negative = 0.0
    step = max(1, CHUNK_ELEMENTS // n)
    drawn = noise > 0  # q_j = 0: the column is never drawn, even where x = +inf
    for r0 in range(0, n, step):
        r1 = min(n, r0 + step)
        Xb = _rows(X, r0, r1)  # (R, n)
        per_row = _log_sigmoid(-Xb[:, drawn]) @ noise[drawn]  # (R,) Σ_j q_j log σ(-x_ij)
        negative += float(np.dot(m[r0:r1], per_row))
    return -(positive + negative) / N
