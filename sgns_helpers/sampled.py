"""The gist's training loop: mini-batches of cells, sampled negatives, Adam (chapter 3).

The same algorithm as the gist's R loop, organised for speed: each epoch draws
its permutation and all its negatives at once, and each step applies the
hand-derived gradient of the batch loss and torch's Adam update to one flat
parameter vector. Called by ``train_sgns(method="sampled")``.
"""

from __future__ import annotations

import math
import time

import numpy as np
import scipy.sparse as sp
import torch

from .expected import ExpectedLoss
from .model import init_params, param_views

__all__ = ["fit_sampled", "batch_gradient"]

_SEGMENT_ELEMENTS = 1 << 22  # negatives drawn at once: larger epochs are done in segments of cells


def fit_sampled(counts, noise, *, k, dim, bias, gen, dev, epochs, batch_size, lr, normalize, progress,
                lr_schedule="constant", objective_every=1, clock=None, **_):
    """The gist's loop. Returns the parameters and (loss, objective, seconds) per epoch.

    Same algorithm as the gist, organised for speed: each epoch draws its
    permutation and its negatives in one call (in segments of a few million
    for large problems), and each step applies the hand-derived gradient of
    the batch loss (``batch_gradient``, checked against autograd through
    ``SkipGramNS`` in the tests) and an Adam update with torch's formula, to
    one flat parameter vector. ``counts`` may be a ``scipy.sparse`` matrix:
    only its non-zero cells are visited, and the objective is evaluated in
    row blocks (``ExpectedLoss``). ``lr_schedule="linear"`` decays the step
    linearly to zero over the run, as word2vec does.
    """
    clock = clock if clock is not None else time.perf_counter()
    n = counts.shape[0]
    if sp.issparse(counts):
        center_np, context_np = counts.nonzero()  # row-major, as np.nonzero of the dense matrix
        weight_np = counts.data
    else:
        center_np, context_np = np.nonzero(counts)
        weight_np = counts[center_np, context_np]
    n_cells = center_np.shape[0]
    center = torch.as_tensor(center_np, device=dev)  # (C,)
    context = torch.as_tensor(context_np, device=dev)  # (C,)
    weight = torch.as_tensor(weight_np, dtype=torch.float32, device=dev)  # (C,)
    q = torch.as_tensor(noise, dtype=torch.float32, device=dev)  # (n,)
    sign = torch.full((1 + k,), -1.0, device=dev)
    sign[0] = 1.0  # +1 for the positive column, -1 for the K negatives
    batch_of = torch.arange(n_cells, device=dev) // batch_size  # (C,) batch of each position
    n_batches = int(batch_of[-1]) + 1
    per_cell = float(weight_np.sum()) / n_cells  # expected count of a cell: the constant normaliser
    segment = n_cells if n_cells * k <= _SEGMENT_ELEMENTS else max(1, _SEGMENT_ELEMENTS // k // batch_size) * batch_size
    objective = ExpectedLoss(counts, noise, k, dev)

    theta, (V, U, b, c) = init_params(n, dim, bias, gen, dev, torch.float32)
    grad = torch.zeros_like(theta)
    gV, gU, gb, gc = param_views(grad, n, dim, bias)
    adam = _Adam(theta, lr)
    total_steps = epochs * n_batches
    losses, objectives, seconds = np.empty(epochs), np.full(epochs, np.nan), np.empty(epochs)
    for epoch in range(epochs):
        perm = torch.randperm(n_cells, generator=gen, device=dev)  # (C,)
        w = weight[perm]  # (C,)
        if normalize == "batch":
            norm = torch.zeros(n_batches, device=dev).index_add_(0, batch_of, w)[batch_of]  # (C,)
        else:
            norm = per_cell * torch.bincount(batch_of).to(w.dtype)[batch_of]  # (C,)
        scale = w / norm  # (C,) weight of each pair in its batch's loss
        epoch_loss = 0.0
        for s0 in range(0, n_cells, segment):
            s1 = min(n_cells, s0 + segment)
            negs = torch.multinomial(q, (s1 - s0) * k, replacement=True, generator=gen).view(-1, k)
            ctx = torch.cat([context[perm[s0:s1], None], negs], dim=1)  # (S, 1+K) positive, then negatives
            cen = center[perm[s0:s1]]  # (S,)
            sc = scale[s0:s1]  # (S,)
            scores = torch.empty(s1 - s0, 1 + k, device=dev)  # (S, 1+K) logits, kept for the loss
            for s in range(0, s1 - s0, batch_size):
                e = s + batch_size
                grad.zero_()
                batch_gradient(V, U, b, c, cen[s:e], ctx[s:e], sc[s:e], sign, (gV, gU, gb, gc), scores[s:e])
                if lr_schedule == "linear":
                    adam.lr = lr * max(1e-4, 1.0 - adam.t / total_steps)
                adam.step(grad)
            epoch_loss -= (torch.nn.functional.logsigmoid(scores * sign).sum(1) * sc).sum().item()
        losses[epoch] = epoch_loss / n_batches  # mean of the batch losses
        if (epoch + 1) % objective_every == 0 or epoch + 1 == epochs:
            objectives[epoch] = objective(*(None if t is None else t.double() for t in (V, U, b, c)))
        seconds[epoch] = time.perf_counter() - clock
        progress.update(epoch + 1, loss=losses[epoch], objective=objectives[epoch])
    return (V, U, b, c), (losses, objectives, seconds)


class _Adam:
    """torch.optim.Adam's update (no weight decay, no amsgrad) on one flat tensor.

    ``torch.optim.Adam`` gives the same numbers; this skips its per-step
    bookkeeping, which costs more than the arithmetic at this size.
    """

    def __init__(self, theta, lr, betas=(0.9, 0.999), eps=1e-8):
        self.theta, self.lr, self.betas, self.eps = theta, lr, betas, eps
        self.m = torch.zeros_like(theta)
        self.v = torch.zeros_like(theta)
        self.t = 0

    def step(self, grad):
        b1, b2 = self.betas
        self.t += 1
        self.m.lerp_(grad, 1 - b1)
        self.v.mul_(b2).addcmul_(grad, grad, value=1 - b2)
        denom = (self.v.sqrt() / math.sqrt(1 - b2**self.t)).add_(self.eps)
        self.theta.addcdiv_(self.m, denom, value=-self.lr / (1 - b1**self.t))


def batch_gradient(V, U, b, c, center, contexts, scale, sign, grads, scores=None):
    """Add the gradient of one mini-batch loss of the gist to ``grads``, derived by hand.

    The batch loss is ``Σ_r scale_r · -[log σ(s_r0) + Σ_k log σ(-s_rk)]`` with
    ``s_rj = v_center · u_context_j (+ b_center + c_context_j)``. Its derivative
    in ``s_rj`` is ``-sign_j σ(-sign_j s_rj) scale_r``; the chain rule through
    the dot products gives the rows of ``V`` and ``U``.

    Parameters
    ----------
    V, U : Tensor of shape (n, d)
        Center and context vectors.
    b, c : Tensor of shape (n,) or None
        Center and context biases.
    center : LongTensor of shape (B,)
    contexts : LongTensor of shape (B, 1+K)
        The positive context first, then the K negatives.
    scale : Tensor of shape (B,)
        Weight of each pair in the batch loss (its count over the normaliser).
    sign : Tensor of shape (1+K,)
        ``+1``, then ``-1`` K times.
    grads : tuple of Tensor
        ``(gV, gU, gb, gc)``, shaped like the parameters (``None`` without
        biases); the gradient is added to them.
    scores : Tensor of shape (B, 1+K), optional
        Receives the logits ``s``.
    """
    gV, gU, gb, gc = grads
    B, J = contexts.shape
    flat = contexts.reshape(-1)  # (B*J,)
    v = V.index_select(0, center)  # (B, d)
    u = U.index_select(0, flat).view(B, J, -1)  # (B, J, d)
    s = torch.bmm(u, v.unsqueeze(2)).squeeze(2)  # (B, J)
    if b is not None:
        s = s + b.index_select(0, center)[:, None] + c.index_select(0, flat).view(B, J)
    if scores is not None:
        scores.copy_(s)
    coef = torch.sigmoid(-sign * s) * (-sign * scale[:, None])  # (B, J) d loss / d s
    gV.index_add_(0, center, torch.bmm(coef.unsqueeze(1), u).squeeze(1))
    gU.index_add_(0, flat, (coef[:, :, None] * v[:, None, :]).view(B * J, -1))
    if b is not None:
        gb.index_add_(0, center, coef.sum(1))
        gc.index_add_(0, flat, coef.reshape(-1))
