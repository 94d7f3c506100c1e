"""The exact trainer: L-BFGS on the expected SGNS loss, no sampling (chapters 3, 7).

The expectation over negatives is taken in closed form (``ExpectedLoss``), so
every cell enters every step and there is no learning rate to tune. Called by
``train_sgns(method="exact")``. Three things make it fast on the book's problems:
the start (``svd_start``: the truncated SVD of the smoothed optimum; without
biases, two such starts screened, ``svd_candidates``), a preconditioner, and an
L-BFGS with little bookkeeping (``lbfgs.py``). For fixed contexts the loss in
one center word's vector ``(v_i, b_i)`` is convex, with a (d+1) × (d+1) Hessian
that costs one pass to form; the inverses of those blocks (and the contexts')
precondition L-BFGS, renewed every ``ROUND`` iterations. Large problems (row
blocks) skip it.
"""

from __future__ import annotations

import functools
import time

import numpy as np
import scipy.linalg
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from .lbfgs import minimize_lbfgs

__all__ = ["fit_exact", "svd_start", "svd_candidates", "ROUND", "SCREEN"]

ROUND = 20  # L-BFGS iterations between refreshes of the preconditioner
MEMORY = 20  # (s, y) pairs L-BFGS keeps
SCREEN = 10  # L-BFGS iterations from each of the two screened SVD starts


def fit_exact(loss, counts, noise, *, k, dim, bias, rng, init, max_iter, tol, clock, progress):
    """Minimise ``loss`` (an ``ExpectedLoss``) over ``V, U`` (and ``b, c``); float64.

    ``init`` is ``"svd"``, ``"random"`` or a start ``(V, U, b, c)`` of shapes
    (n, dim), (n, dim), (n,), (n,) (``b``, ``c`` None without bias), e.g. another
    trainer's result to polish (benchmark B5). Without biases, on a problem done
    in one dense piece, ``"svd"`` screens two starts (``svd_candidates``):
    ``SCREEN`` iterations from each, then the one with the lower objective goes on.

    Stops when an iteration lowers the objective by less than ``tol`` relative
    (scipy's ``ftol``) or after ``max_iter`` iterations. Returns the numpy
    parameters ``(V, U, b, c)`` and (objective per iteration, the same, seconds
    since ``clock`` per iteration).
    """
    n, p = counts.shape[0], dim + bias
    if isinstance(init, tuple):  # the caller's start (V, U, b, c), b and c None without bias
        starts = [init]
    elif init == "svd":
        starts = svd_candidates(counts, noise, k, dim, bias, screen=loss.dense and max_iter > SCREEN)
    else:  # N(0, 1) entries as nn.Embedding, biases 0
        V, U = rng.standard_normal((n, dim)), rng.standard_normal((n, dim))
        starts = [(V, U) + ((np.zeros(n),) * 2 if bias else (None, None))]
    runs = []
    for V, U, b, c in starts:
        A, B = (np.c_[V, b], np.c_[U, c]) if bias else (np.array(V, dtype=float), np.array(U, dtype=float))
        runs.append(_descend(loss, A, B, dim, bias, SCREEN if len(starts) > 1 else max_iter, tol, clock, progress, 0))
    A, B, history, seconds = min(runs, key=lambda run: run[2][-1])
    if len(starts) > 1 and len(history) == SCREEN:  # the better screened start goes on (unless it has converged)
        A, B, more, later = _descend(loss, A, B, dim, bias, max_iter - SCREEN, tol, clock, progress, SCREEN)
        history, seconds = history + more, seconds + later
    progress.update(len(history), last=True, objective=history[-1])
    h = np.array(history)
    split = (A[:, :dim], B[:, :dim], A[:, dim], B[:, dim]) if bias else (A, B, None, None)
    return split, (h, h.copy(), np.array(seconds))


def _descend(loss, A, B, dim, bias, max_iter, tol, clock, progress, done):
    """L-BFGS (``lbfgs.minimize_lbfgs``) from ``A = [V, b]``, ``B = [U, c]``, at most ``max_iter`` iterations.

    Preconditioned by the inverse of each word's Hessian block, renewed every
    ``ROUND`` iterations. Returns the final ``A``, ``B``, the objective after each
    iteration (at least one entry, the last the final value) and seconds since
    ``clock`` at each; ``done`` (iterations run before) is for the progress line.
    """
    n, p = A.shape
    put, get = loss.put, loss.get
    history, seconds = [], []

    def fun(theta):
        Az, Bz = theta[: n * p].reshape(n, p), theta[n * p :].reshape(n, p)
        parts = (Az[:, :dim], Bz[:, :dim], Az[:, dim], Bz[:, dim]) if bias else (Az, Bz, None, None)
        value, (gV, gU, gb, gc) = loss(*(None if t is None else put(t) for t in parts), grad=True)
        gA, gB = (np.c_[get(gV), get(gb)], np.c_[get(gU), get(gc)]) if bias else (get(gV), get(gU))
        return value, np.concatenate([gA.ravel(), gB.ravel()])

    def precondition(theta):
        inv = _block_inverses(loss, theta[: n * p].reshape(n, p), theta[n * p :].reshape(n, p), dim, bias)
        if inv is None:
            return lambda v: v
        def apply(v):  # each word's p entries times its block: one v (N,), or each row of v (m, N)
            if v.ndim == 1:
                return np.einsum("ide,ie->id", inv, v.reshape(2 * n, p)).ravel()
            return (inv @ v.reshape(-1, 2 * n, p).transpose(1, 2, 0)).transpose(2, 0, 1).reshape(v.shape)

        return apply

    def callback(f):
        history.append(f)
        seconds.append(time.perf_counter() - clock)
        progress.update(done + len(history), objective=f)

    blocks = loss.dense and loss.xp is np  # else no preconditioner: scipy's unit first step sets the scale
    theta, final, _ = minimize_lbfgs(fun, np.concatenate([A.ravel(), B.ravel()]), precondition=precondition,
                                     max_iter=max_iter, ftol=tol, gtol=1e-12, memory=MEMORY, refresh=ROUND,
                                     unit_first=not blocks, callback=callback)
    if not history:
        history, seconds = [final], [time.perf_counter() - clock]
    history[-1] = final
    return theta[: n * p].reshape(n, p), theta[n * p :].reshape(n, p), history, seconds


def _block_inverses(loss, A, B, dim, bias):
    """The inverse of each word's (d+1) × (d+1) Hessian block, centers then contexts: (2n, p, p).

    ``H_i = Σ_j w_ij ũ_j ũ_jᵀ`` with ``w = (n_ij + ν_ij) σ(x)σ(-x) / N`` and ``ũ_j = (u_j, 1)``
    (and the same for contexts), lightly damped: the loss has flat directions
    (``V → V M``, ``U → U M⁻ᵀ``). None for problems done in row blocks.
    """
    if not loss.dense or loss.xp is not np:
        return None
    V, U = A[:, :dim], B[:, :dim]
    X = V @ U.T + (A[:, dim, None] + B[None, :, dim] if bias else 0.0)
    h = np.tanh(0.5 * X)
    W = loss.T * (0.25 - 0.25 * h * h)  # (n, n): σ(x)σ(-x) = (1 - tanh²(x/2)) / 4, no overflow
    ones = np.ones((A.shape[0], 1))
    At, Bt = (np.c_[V, ones], np.c_[U, ones]) if bias else (V, U)
    p = At.shape[1]
    r, c = _upper(p)  # H is symmetric: one GEMM over the p(p+1)/2 products ũ_jd ũ_je
    H = np.empty((2, A.shape[0], p, p))
    for side, (Wt, Z) in enumerate(((W, Bt), (W.T, At))):
        H[side][:, r, c] = H[side][:, c, r] = Wt @ (Z[:, r] * Z[:, c])  # Σ_j w_ij z_jd z_je via BLAS
    H = H.reshape(-1, p, p)
    H[:, range(p), range(p)] += 1e-3 * np.trace(H, axis1=1, axis2=2)[:, None] / p + 1e-12
    if p == 2:  # the adjugate: a third of the time of the batched LAPACK inverse
        a, b, d = H[:, 0, 0], H[:, 0, 1], H[:, 1, 1]
        return np.stack([d, -b, -b, a], axis=1).reshape(-1, 2, 2) / (a * d - b * b)[:, None, None]
    return np.linalg.inv(H)


@functools.cache
def _upper(p):
    """Row and column indices of the upper triangle of a p × p matrix."""
    return np.triu_indices(p)


def svd_candidates(counts, noise, k, dim, bias, screen):
    """The starts that ``init="svd"`` tries: ``[svd_start(...)]``, or with ``screen`` two of them.

    Without biases the factors must also carry each row's and column's offset
    (``x*_ij ≈ v_i·u_j + a_i + g_j``), which a rank-``dim`` product can only
    approximate, and which ``dim`` singular directions make the best compromise
    is not always the leading ones: on 2 of benchmark B1's 20 timed seeds (11
    and 17) the leading pair led L-BFGS into a poorer valley, where the first
    and third led into the best one. So with ``screen`` (and no biases) the
    second candidate swaps the ``dim``-th direction for the next; ``fit_exact``
    runs ``SCREEN`` iterations from each and goes on from the lower. Over seeds
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
