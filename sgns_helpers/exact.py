"""The exact trainer: L-BFGS on the expected SGNS loss, no sampling (chapter 3).

The expectation over negatives is taken in closed form (``sgns_objective``), so
every cell enters every step and there is no learning rate to tune. Called by
``train_sgns(method="exact")``.
"""

from __future__ import annotations

import numpy as np
import scipy.optimize
import torch

from .model import init_params, logits_from, param_views
from .theory import sgns_weights

__all__ = ["fit_exact"]


def fit_exact(counts, noise, *, k, dim, bias, gen, dev, max_iter, progress, **_):
    """Full-batch L-BFGS (scipy's) on the expected loss, in float64.

    The loss and its gradient are computed in torch (so on ``dev``) from the
    hand-derived ``∂L/∂X = ((n_ij + k n_i q_j) σ(X) - n_ij) / N`` (checked against
    autograd in the tests), then chained through ``X = V Uᵀ (+ b + c)``.
    """
    n = counts.shape[0]
    positive, negative = (torch.as_tensor(a, device=dev) for a in sgns_weights(counts, noise, k))
    total = positive + negative
    N = float(counts.sum())
    theta, (V, U, b, c) = init_params(n, dim, bias, gen, dev, torch.float64)
    grad = torch.zeros_like(theta)
    gV, gU, gb, gc = param_views(grad, n, dim, bias)

    def fun(x):
        theta.copy_(torch.from_numpy(x))
        X = logits_from(V, U, b, c)  # (n, n)
        log_sig = torch.nn.functional.logsigmoid(X)  # log σ(x); log σ(-x) = log σ(x) - x
        loss = -(positive * log_sig + negative * (log_sig - X)).sum() / N
        G = (total * log_sig.exp() - positive) / N  # (n, n) dL/dX
        torch.mm(G, U, out=gV)
        torch.mm(G.T, V, out=gU)
        if bias:
            torch.sum(G, dim=1, out=gb)
            torch.sum(G, dim=0, out=gc)
        return loss.item(), grad.cpu().numpy()

    history = []

    def callback(intermediate_result):
        history.append(float(intermediate_result.fun))
        progress.update(len(history), objective=history[-1])

    result = scipy.optimize.minimize(
        fun, theta.cpu().numpy().copy(), jac=True, method="L-BFGS-B", callback=callback,
        options={"maxiter": max_iter, "ftol": 1e-12, "gtol": 1e-9, "maxcor": 20},
    )
    theta.copy_(torch.from_numpy(result.x))
    if history:
        progress.update(len(history), last=True, objective=history[-1])
    h = np.array(history if history else [float(result.fun)])
    return (V, U, b, c), (h, h.copy())
