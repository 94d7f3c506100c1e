"""The exact trainer: L-BFGS on the expected SGNS loss, no sampling (chapters 3, 7).

The expectation over negatives is taken in closed form (``ExpectedLoss``), so
every cell enters every step and there is no learning rate to tune. Called by
``train_sgns(method="exact")``. Two things make it fast on the book's problems:
the start (``svd_start``: the truncated SVD of the clipped optimum) and a
preconditioner. For fixed contexts the loss in one center word's vector
``(v_i, b_i)`` is convex, with a (d+1) × (d+1) Hessian that costs one pass to
form; L-BFGS runs in coordinates scaled by those blocks (and the contexts'),
refreshed every ``ROUND`` iterations. Large problems (row blocks) skip it.
"""

from __future__ import annotations

import time

import numpy as np
import scipy.optimize
import scipy.sparse as sp
import scipy.sparse.linalg as spla

__all__ = ["fit_exact", "svd_start", "ROUND"]

ROUND = 20  # L-BFGS iterations between refreshes of the preconditioner


def fit_exact(loss, counts, noise, *, k, dim, bias, rng, init, max_iter, tol, clock, progress):
    """Minimise ``loss`` (an ``ExpectedLoss``) over ``V, U`` (and ``b, c``); float64.

    ``init`` is ``"svd"``, ``"random"`` or a start ``(V, U, b, c)`` of shapes
    (n, dim), (n, dim), (n,), (n,) (``b``, ``c`` None without bias), e.g. another
    trainer's result to polish (benchmark B5).

    Stops when an iteration lowers the objective by less than ``tol`` relative
    (scipy's ``ftol``) or after ``max_iter`` iterations. Returns the numpy
    parameters ``(V, U, b, c)`` and (objective per iteration, the same, seconds
    since ``clock`` per iteration).
    """
    n, p = counts.shape[0], dim + bias
    if isinstance(init, tuple) or init == "svd":  # a tuple: the caller's start (V, U, b, c), b and c None without bias
        V, U, b, c = init if isinstance(init, tuple) else svd_start(counts, noise, k, dim, bias)
        A, B = (np.c_[V, b], np.c_[U, c]) if bias else (np.array(V, dtype=float), np.array(U, dtype=float))
    else:  # N(0, 1) entries as nn.Embedding, biases 0
        A, B = (np.c_[rng.standard_normal((n, dim)), np.zeros(n)[:, None]] if bias else rng.standard_normal((n, dim))
                for _ in range(2))
    put, get = loss.put, loss.get
    history, seconds = [], []

    def split(A, B):
        return (A[:, :dim], B[:, :dim], A[:, dim], B[:, dim]) if bias else (A, B, None, None)

    def callback(intermediate_result):
        history.append(float(intermediate_result.fun))
        seconds.append(time.perf_counter() - clock)
        progress.update(len(history), objective=history[-1])

    while True:
        scale = _block_scales(loss, A, B, dim, bias)  # (2, n, p, p) or None

        def fun(z, A0=A, B0=B, scale=scale):
            zA, zB = z[: n * p].reshape(n, p), z[n * p :].reshape(n, p)
            Az, Bz = (A0 + zA, B0 + zB) if scale is None else (
                A0 + np.einsum("ide,ie->id", scale[0], zA), B0 + np.einsum("ide,ie->id", scale[1], zB))
            value, (gV, gU, gb, gc) = loss(*(None if t is None else put(t) for t in split(Az, Bz)), grad=True)
            gA, gB = (np.c_[get(gV), get(gb)], np.c_[get(gU), get(gc)]) if bias else (get(gV), get(gU))
            if scale is not None:  # chain rule through the scaled coordinates
                gA, gB = np.einsum("ied,ie->id", scale[0], gA), np.einsum("ied,ie->id", scale[1], gB)
            return value, np.concatenate([gA.ravel(), gB.ravel()])

        left = max_iter - len(history)
        result = scipy.optimize.minimize(
            fun, np.zeros(2 * n * p), jac=True, method="L-BFGS-B", callback=callback,
            options={"maxiter": min(left, ROUND) if scale is not None else left, "ftol": tol, "gtol": 1e-12,
                     "maxcor": 20},
        )
        z = result.x
        if scale is None:
            A, B = A + z[: n * p].reshape(n, p), B + z[n * p :].reshape(n, p)
        else:
            A = A + np.einsum("ide,ie->id", scale[0], z[: n * p].reshape(n, p))
            B = B + np.einsum("ide,ie->id", scale[1], z[n * p :].reshape(n, p))
        final = float(result.fun)
        if result.status != 1 or len(history) >= max_iter or result.nit == 0:  # 1: out of iterations
            break
    if history:
        progress.update(len(history), last=True, objective=history[-1])
    else:
        history, seconds = [final], [time.perf_counter() - clock]
    h = np.array(history)
    h[-1] = final
    return split(A, B), (h, h.copy(), np.array(seconds))


def _block_scales(loss, A, B, dim, bias):
    """``H⁻¹ᐟ²`` of each word's (d+1) × (d+1) Hessian block, centers then contexts: (2, n, p, p).

    ``H_i = Σ_j w_ij ũ_j ũ_jᵀ`` with ``w = (n_ij + ν_ij) σ(x)σ(-x) / N`` and ``ũ_j = (u_j, 1)``
    (and the same for contexts), lightly damped: the loss has flat directions
    (``V → V M``, ``U → U M⁻ᵀ``). None for problems done in row blocks.
    """
    if not loss.dense or loss.xp is not np:
        return None
    V, U = A[:, :dim], B[:, :dim]
    X = V @ U.T + (A[:, dim, None] + B[None, :, dim] if bias else 0.0)
    s = 0.5 + 0.5 * np.tanh(0.5 * X)  # σ(x) without overflow
    W = loss.T * s * (1.0 - s)  # (n, n)
    ones = np.ones((A.shape[0], 1))
    At, Bt = (np.c_[V, ones], np.c_[U, ones]) if bias else (V, U)
    p = At.shape[1]
    r, c = np.triu_indices(p)  # H is symmetric: one GEMM over the p(p+1)/2 products ũ_jd ũ_je
    out = []
    for Wt, Z in ((W, Bt), (W.T, At)):
        H = np.empty((Wt.shape[0], p, p))
        H[:, r, c] = H[:, c, r] = Wt @ (Z[:, r] * Z[:, c])  # Σ_j w_ij z_jd z_je via BLAS
        H += (1e-3 * np.trace(H, axis1=1, axis2=2) / p + 1e-12)[:, None, None] * np.eye(p)
        out.append(np.linalg.inv(np.linalg.cholesky(H)).transpose(0, 2, 1))  # L⁻ᵀ with H = L Lᵀ
    return np.stack(out)


def svd_start(counts, noise, k, dim, bias):
    """A start near the optimum: the rank-``dim`` truncated SVD of the clipped optimum.

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
    csr = sp.csr_array(counts, dtype=float)
    i, j = csr.nonzero()
    S = sp.csr_array((np.log(2.0 * csr.data), (i, j)), shape=(n, n))  # x* - fill on observed cells
    ones = np.ones(n)
    if n <= 500 or dim >= n - 1:  # small: form the matrix and take its full SVD
        Z = a[:, None] + g[None, :] + S.toarray()  # (n, n)
        rmean, cmean, grand = Z.mean(1), Z.mean(0), Z.mean()
        left, s, right_t = np.linalg.svd(Z - rmean[:, None] - cmean + grand if bias else Z, full_matrices=False)
        V, U = left[:, :dim] * np.sqrt(s[:dim]), right_t[:dim].T * np.sqrt(s[:dim])
        return (V, U, rmean - grand / 2, cmean - grand / 2) if bias else (V, U, None, None)

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
    V, U = left * np.sqrt(s), right_t.T * np.sqrt(s)
    if not bias:
        return V, U, None, None
    rmean, cmean = matvec(ones) / n, rmatvec(ones) / n  # row and column means of Z
    grand = rmean.mean()
    return V, U, rmean - grand / 2, cmean - grand / 2
