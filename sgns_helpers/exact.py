"""The exact trainer: L-BFGS on the expected SGNS loss, no sampling (chapters 3, 7).

The expectation over negatives is taken in closed form (``sgns_objective``), so
every cell enters every step and there is no learning rate to tune. Called by
``train_sgns(method="exact")``. The loss and gradient come from
``ExpectedLoss``: one dense piece for small problems, row blocks for sparse
counts, so the trainer scales to n = 10,000 without an n × n matrix.
"""

from __future__ import annotations

import time

import numpy as np
import scipy.optimize
import scipy.sparse as sp
import scipy.sparse.linalg as spla
import torch

from .expected import ExpectedLoss
from .model import init_params, param_views

__all__ = ["fit_exact", "svd_start"]


def fit_exact(counts, noise, *, k, dim, bias, gen, dev, max_iter, progress, init="random", restart=0,
              clock=None, ftol=1e-12, **_):
    """Full-batch L-BFGS (scipy's) on the expected loss, in float64.

    The gradient is the hand-derived ``∂L/∂X = ((n_ij + k n_i q_j) σ(x_ij) - n_ij) / N``
    (checked against autograd in the tests), chained through ``X = V Uᵀ (+ b + c)``.
    ``init="svd"`` starts the first restart from ``svd_start`` instead of N(0, 1).
    Returns the parameters and (objective per iteration, the same, seconds per iteration).
    """
    clock = clock if clock is not None else time.perf_counter()
    n = counts.shape[0]
    loss_fn = ExpectedLoss(counts, noise, k, dev)
    theta, (V, U, b, c) = init_params(n, dim, bias, gen, dev, torch.float64)
    if init == "svd" and restart == 0:
        start = svd_start(counts, noise, k, dim, bias)
        for view, value in zip((V, U, b, c), start):
            if view is not None:
                view.copy_(torch.as_tensor(value))
    grad = torch.zeros_like(theta)
    grads = param_views(grad, n, dim, bias)

    def fun(x):
        theta.copy_(torch.from_numpy(x))
        loss = loss_fn(V, U, b, c, grads)
        return loss, grad.cpu().numpy().copy()

    history, seconds = [], []

    def callback(intermediate_result):
        history.append(float(intermediate_result.fun))
        seconds.append(time.perf_counter() - clock)
        progress.update(len(history), objective=history[-1])

    result = scipy.optimize.minimize(
        fun, theta.cpu().numpy().copy(), jac=True, method="L-BFGS-B", callback=callback,
        options={"maxiter": max_iter, "ftol": ftol, "gtol": 1e-9, "maxcor": 20},
    )
    theta.copy_(torch.from_numpy(result.x))
    if history:
        progress.update(len(history), last=True, objective=history[-1])
    else:
        history, seconds = [float(result.fun)], [time.perf_counter() - clock]
    h = np.array(history)
    return (V, U, b, c), (h, h.copy(), np.array(seconds))


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
    if n <= 500 or dim >= n - 1:
        left, s, right_t = np.linalg.svd(op @ np.eye(n))
        left, s, right_t = left[:, :dim], s[:dim], right_t[:dim]
    else:
        left, s, right_t = spla.svds(op, k=dim, v0=np.full(n, n**-0.5), solver="arpack")
    V, U = left * np.sqrt(s), right_t.T * np.sqrt(s)
    if not bias:
        return V, U, None, None
    rmean, cmean = matvec(ones) / n, rmatvec(ones) / n  # row and column means of Z
    grand = rmean.mean()
    return V, U, rmean - grand / 2, cmean - grand / 2
