"""Where the exact trainer starts: the truncated SVD of the smoothed optimum (chapters 3, 7).

``svd_start`` is one start near the best rank-d fit; ``svd_candidates`` the
starts that ``train_sgns(init="svd")`` tries (two without biases, screened by
``exact.fit_exact``). Small problems form the n × n matrix; large sparse ones
never do.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg
import scipy.sparse as sp
import scipy.sparse.linalg as spla

__all__ = ["svd_start", "svd_candidates"]


def svd_candidates(counts, noise, k, dim, bias, screen):
    """The starts that ``init="svd"`` tries: ``[svd_start(...)]``, or with ``screen`` two of them.

    Without biases the factors must also carry each row's and column's offset
    (``x*_ij ≈ v_i·u_j + a_i + g_j``), which a rank-``dim`` product can only
    approximate, and which ``dim`` singular directions make the best compromise
    is not always the leading ones: on 2 of benchmark B1's 20 timed seeds (11
    and 17) the leading pair led L-BFGS into a poorer valley, where the first
    and third led into the best one. So with ``screen`` (and no biases) the
    second candidate swaps the ``dim``-th direction for the next; ``fit_exact``
    runs ``exact.SCREEN`` iterations from each and goes on from the lower. Over seeds
    0-99 (B1) this misses the best valley on 8 seeds where the leading pair
    alone misses on 14: it rescues 9 and loses 3.
    """
    if not screen or bias or dim + 1 >= counts.shape[0]:
        return [svd_start(counts, noise, k, dim, bias)]
    V, U, _, _ = svd_start(counts, noise, k, dim + 1, False)  # columns by singular value, largest first
    swap = [*range(dim - 1), dim]
    return [(V[:, :dim], U[:, :dim], None, None), (V[:, swap], U[:, swap], None, None)]


def svd_start(counts, noise, k, dim, bias):
    """A start near the optimum: the rank-``dim`` truncated SVD of the smoothed optimum.

    The full-rank optimum ``x*_ij = log(n_ij / (k n_i q_j))`` is ``-inf`` on
    unobserved cells; we replace those by ``log(1/2 / (k n_i q_j))``, the value a
    cell seen half a time would have (a contexts with ``q_j = 0`` gets ``q_j``
    replaced by the smallest positive ``q``). With ``bias`` the row and column
    means go to the biases and the SVD is of the double-centred matrix. For
    sparse counts the matrix is never formed: it is a rank-2 part plus a
    sparse part, and ``scipy.sparse.linalg.svds`` only needs products with it.

    Returns
    -------
    tuple of ndarray
        ``(V, U, b, c)``, with ``b``, ``c`` None without bias.
    """
    n = counts.shape[0]
    row = np.asarray(counts.sum(axis=1), dtype=float).ravel()
    qq = np.where(noise > 0, noise, noise[noise > 0].min())
    a, g = np.log(0.5 / (k * row)), -np.log(qq)  # fill: a_i + g_j
    if n <= 500 or dim >= n - 1:  # small: form the matrix and take its full SVD
        dense = counts.toarray() if sp.issparse(counts) else np.asarray(counts, dtype=float)
        Z = np.log(2.0 * np.maximum(dense, 0.5)) + a[:, None] + g[None, :]  # fill, plus log(2 n_ij) where seen
        rmean, cmean, grand = Z.mean(1), Z.mean(0), Z.mean()
        V, U = _leading_factors(Z - rmean[:, None] - cmean + grand if bias else Z, dim)
        return (V, U, rmean - grand / 2, cmean - grand / 2) if bias else (V, U, None, None)

    csr = sp.csr_array(counts, dtype=float)
    i, j = csr.nonzero()
    S = sp.csr_array((np.log(2.0 * csr.data), (i, j)), shape=(n, n))  # x* - fill on observed cells
    ones = np.ones(n)

    def matvec(x):  # Z x with Z = a 1ᵀ + 1 gᵀ + S
        return np.multiply.outer(a, x.sum(0)) + np.multiply.outer(ones, g @ x) + S @ x

    def rmatvec(y):
        return np.multiply.outer(ones, a @ y) + np.multiply.outer(g, y.sum(0)) + S.T @ y

    def center(x):
        return x - x.mean(0) if bias else x

    op = spla.LinearOperator(
        (n, n), dtype=float,
        matvec=lambda x: center(matvec(center(x))), rmatvec=lambda y: center(rmatvec(center(y))),
        matmat=lambda x: center(matvec(center(x))), rmatmat=lambda y: center(rmatvec(center(y))),
    )
    left, s, right_t = spla.svds(op, k=dim, v0=np.full(n, n**-0.5), solver="arpack")
    order = np.argsort(s)[::-1]  # largest first, as the dense branch
    V, U = left[:, order] * np.sqrt(s[order]), right_t[order].T * np.sqrt(s[order])
    if not bias:
        return V, U, None, None
    rmean, cmean = matvec(ones) / n, rmatvec(ones) / n  # row and column means of Z
    grand = rmean.mean()
    return V, U, rmean - grand / 2, cmean - grand / 2


def _leading_factors(Z, r):
    """``L √s`` and ``R √s`` for the ``r`` leading singular triplets of ``Z`` (n, n), largest first.

    For few triplets, from the leading eigenvectors of ``Zᵀ Z`` (LAPACK's
    ``syevr`` finds just those: a third of the time of a full SVD at n = 100).
    """
    n = Z.shape[0]
    if 2 * r > n:
        left, s, right_t = np.linalg.svd(Z, full_matrices=False)
        return left[:, :r] * np.sqrt(s[:r]), right_t[:r].T * np.sqrt(s[:r])
    w, right = scipy.linalg.eigh(Z.T @ Z, subset_by_index=[n - r, n - 1], driver="evr", check_finite=False)
    w, right = w[::-1], right[:, ::-1]  # largest first
    s = np.sqrt(np.maximum(w, 0.0))
    inv = np.divide(1.0, np.sqrt(s), out=np.zeros_like(s), where=s > 0)
    return (Z @ right) * inv, right * np.sqrt(s)  # Z r / √s = l √s
