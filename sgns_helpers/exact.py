"""The exact trainer: L-BFGS on the expected SGNS loss, no sampling (chapters 3, 7).

The expectation over negatives is taken in closed form (``ExpectedLoss``), so
every cell enters every step and there is no learning rate to tune. Called by
``train_sgns(method="exact")``. Three things make it fast on the book's problems:
the start (``starts.py``: the truncated SVD of the smoothed optimum; without
biases, two such starts screened), a preconditioner, and an
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
from .lbfgs import minimize_lbfgs
from .starts import svd_candidates

__all__ = ["fit_exact", "ROUND", "SCREEN"]

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
    n = counts.shape[0]
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

    blocks = loss.dense and loss.xp is np  # else no preconditioner (row blocks, a GPU): scipy's unit first step
    if blocks and not bias:  # the same, with the gradient written straight into its vector

        def fun(theta):
            g = np.empty_like(theta)
            value = loss.dense_grad(theta[: n * p].reshape(n, p), theta[n * p :].reshape(n, p), None, None,
                                    g[: n * p].reshape(n, p), g[n * p :].reshape(n, p))[0]
            return value, g

    def precondition(theta):
        if not blocks:
            return lambda v: v
        inv = _block_inverses(loss, theta[: n * p].reshape(n, p), theta[n * p :].reshape(n, p), dim, bias)

        def apply(v):  # each word's p entries times its block: one v (N,), or each row of v (m, N)
            if v.ndim == 1:
                return np.einsum("ide,ie->id", inv, v.reshape(2 * n, p)).ravel()
            return (inv @ v.reshape(-1, 2 * n, p).transpose(1, 2, 0)).transpose(2, 0, 1).reshape(v.shape)

        return apply

    def callback(f):
        history.append(f)
        seconds.append(time.perf_counter() - clock)
        progress.update(done + len(history), objective=f)

    with np.errstate(over="ignore", invalid="ignore"):  # for dense_grad: an overflow falls back to the safe form
        theta, final, _ = minimize_lbfgs(fun, np.concatenate([A.ravel(), B.ravel()]), precondition=precondition,
                                         max_iter=max_iter, ftol=tol, gtol=1e-12, memory=MEMORY, refresh=ROUND,
                                         unit_first=not blocks, callback=callback)
    if not history:
        history, seconds = [final], [time.perf_counter() - clock]
    history[-1] = final
    return theta[: n * p].reshape(n, p), theta[n * p :].reshape(n, p), history, seconds


def _block_inverses(loss, A, B, dim, bias):
    """The inverse of each word's p × p Hessian block (p = d, or d + 1 with biases), centers then contexts: (2n, p, p).

    ``H_i = Σ_j w_ij ũ_j ũ_jᵀ`` with ``w = (n_ij + ν_ij) σ(x)σ(-x) / N`` and ``ũ_j = (u_j, 1)``
    (and the same for contexts), lightly damped: the loss has flat directions
    (``V → V M``, ``U → U M⁻ᵀ``). A dense numpy problem only.
    """
    V, U = A[:, :dim], B[:, :dim]
    W = V @ U.T
    if bias:
        W += A[:, dim, None] + B[None, :, dim]
    W *= 0.5
    np.tanh(W, out=W)  # h = tanh(x/2)
    W *= W
    W *= -0.25
    W += 0.25
    W *= loss.T  # (n, n): w = T σ(x)σ(-x) = T (1 - tanh²(x/2)) / 4, no overflow
    ones = np.ones((A.shape[0], 1))
    At, Bt = (np.c_[V, ones], np.c_[U, ones]) if bias else (V, U)
    p = At.shape[1]
    r, c = _upper(p)  # H is symmetric: one GEMM over the p(p+1)/2 products ũ_jd ũ_je
    M = np.concatenate([W @ (Bt[:, r] * Bt[:, c]), W.T @ (At[:, r] * At[:, c])])  # (2n, p(p+1)/2) via BLAS
    diagonal = np.flatnonzero(r == c)
    damp = 1e-3 * M[:, diagonal].sum(1) / p + 1e-12  # a thousandth of the mean eigenvalue
    M[:, diagonal] += damp[:, None]
    if p == 2:  # the adjugate of [[a, b], [b, d]]: a third of the time of the batched LAPACK inverse
        a, b, d = M.T
        return np.stack([d, -b, -b, a], axis=1).reshape(-1, 2, 2) / (a * d - b * b)[:, None, None]
    H = np.empty((M.shape[0], p, p))
    H[:, r, c] = H[:, c, r] = M
    return np.linalg.inv(H)


@functools.cache
def _upper(p):
    """Row and column indices of the upper triangle of a p × p matrix."""
    return np.triu_indices(p)
