"""Training SGNS on co-occurrence counts: the gist's loop and an exact full-batch fit (chapter 3).

``method="sampled"`` is a faithful port of the gist: shuffle the non-zero cells,
mini-batches of ``batch_size`` cells, ``k`` negatives drawn from ``noise`` per
cell, loss weighted by the cell's count, Adam. ``method="exact"`` minimises the
expected loss (every cell, negatives averaged out in closed form) with L-BFGS,
from ``n_restarts`` random starts, keeping the best.
"""

from __future__ import annotations

import contextlib
import math
import numbers
import sys
import time
from dataclasses import dataclass

import numpy as np
import scipy.optimize
import threadpoolctl
import torch

from ._checks import as_rng, check_choice, check_counts, check_noise, check_positive_int
from .model import expected_loss
from .theory import sgns_objective, sgns_weights

__all__ = ["TrainResult", "train_sgns", "batch_gradient"]


@dataclass(frozen=True)
class TrainResult:
    """What a training run learned and how it got there."""

    V: np.ndarray  # (n_words, dim) learned center vectors
    U: np.ndarray  # (n_words, dim) learned context vectors
    center_bias: np.ndarray | None  # (n_words,) b_i, or None without biases
    context_bias: np.ndarray | None  # (n_words,) c_j, or None without biases
    loss_history: np.ndarray  # (n_steps,) sampled: mean mini-batch loss per epoch; exact: loss per L-BFGS iteration
    objective_history: np.ndarray  # (n_steps,) exact expected loss (sgns_objective) after each epoch / iteration
    objective: float  # final exact expected loss, sgns_objective(self.logits(), ...)
    restart_objectives: np.ndarray  # (n_restarts,) final objective of each random start
    seconds: float  # wall time of the whole call
    method: str  # "sampled" or "exact"
    k: int  # negatives per positive pair

    def logits(self) -> np.ndarray:
        """Learned logit matrix ``V Uᵀ`` plus the biases, shape (n_words, n_words)."""
        X = self.V @ self.U.T
        if self.center_bias is not None:
            X = X + self.center_bias[:, None] + self.context_bias[None, :]
        return X


def _check_device(device) -> torch.device:
    if device is None:
        return torch.device("cpu")
    if not isinstance(device, (str, torch.device)):
        raise TypeError(f"`device` must be a string or torch.device; got {device!r}.")
    try:
        dev = torch.device(device)
    except RuntimeError as exc:
        raise ValueError(f"`device` must name a torch device such as 'cpu' or 'cuda'; got {device!r}.") from exc
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"`device` is {device!r} but CUDA is not available on this machine; use 'cpu'.")
    if dev.type not in ("cpu", "cuda"):
        raise ValueError(f"`device` must be 'cpu' or 'cuda'; got {device!r}.")
    return dev


def _check_positive_float(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be a positive float; got {value!r}.")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"`{name}` must be a positive finite float; got {value!r}.")
    return float(value)


class _Progress:
    """A plain-text progress bar: one line every tenth of the run, no widgets."""

    def __init__(self, total: int, enabled: bool, label: str):
        self.total, self.enabled, self.label = total, enabled, label
        self.marks = {max(1, round(total * f / 10)) for f in range(1, 11)}
        self._printed = 0

    def update(self, step: int, *, last: bool = False, **values: float) -> None:
        """Print at each tenth of the run, and at ``last`` (a run that stopped early)."""
        if not self.enabled or (step not in self.marks and not last) or step == self._printed:
            return
        self._printed = step
        filled = round(20 * step / self.total)
        text = "  ".join(f"{k} {v:.4f}" for k, v in values.items())
        print(f"[{'#' * filled}{'.' * (20 - filled)}] {self.label} {step}/{self.total}  {text}", file=sys.stdout, flush=True)


def train_sgns(
    counts,
    noise,
    *,
    k=20,
    dim=2,
    method="sampled",
    bias=False,
    seed=0,
    epochs=200,
    batch_size=64,
    lr=1e-3,
    normalize="batch",
    n_restarts=None,
    max_iter=2000,
    device="cpu",
    progress=False,
) -> TrainResult:
    """Fit SGNS embeddings to co-occurrence counts.

    Parameters
    ----------
    counts : array_like of shape (n_words, n_words)
        Pair counts ``n_ij``; rows are center words, columns contexts.
    noise : array_like of shape (n_words,)
        Noise distribution ``q`` over contexts that negatives are drawn from.
    k : int, default 20
        Negatives per positive pair.
    dim : int, default 2
        Embedding dimension ``d``.
    method : {"sampled", "exact"}, default "sampled"
        ``"sampled"``: the gist's mini-batch loop with sampled negatives and
        Adam. ``"exact"``: full-batch L-BFGS on the expected loss
        (``sgns_objective``), no sampling.
    bias : bool, default False
        Add a bias per center word and per context to every logit.
    seed : int or numpy.random.Generator, default 0
        Seeds a local ``torch.Generator`` (initial values, shuffling, negatives).
    epochs, batch_size, lr : int, int, float, default 200, 64, 1e-3
        Sampled method only: passes over the non-zero cells, cells per step,
        Adam learning rate (the gist's values).
    normalize : {"batch", "constant"}, default "batch"
        Sampled method only. ``"batch"`` divides each mini-batch loss by the
        batch's total count, as the gist does (this re-weights cells, see
        ``batch_normalised_counts``); ``"constant"`` divides by the expected
        batch total, so each step is an unbiased estimate of the objective.
    n_restarts : int, optional
        Random starts, the best (lowest objective) kept. Default 1 for
        ``"sampled"`` and 3 for ``"exact"`` (rank-d fits have local minima).
    max_iter : int, default 2000
        Exact method only: the most L-BFGS iterations per start. Most starts
        converge in a few hundred; some cross flat regions slowly and need more.
    device : str or torch.device, default "cpu"
        Where to train, e.g. ``"cuda"``.
    progress : bool, default False
        Print a plain-text progress line every tenth of the run.

    Returns
    -------
    TrainResult
        Numpy ``V``, ``U`` (and biases), histories, final objective, seconds.

    See chapter 3, "Training the torch model".
    """
    start = time.perf_counter()
    counts = check_counts(counts)
    n = counts.shape[0]
    noise = check_noise(noise, n)
    k = check_positive_int(k, "k")
    dim = check_positive_int(dim, "dim")
    method = check_choice(method, "method", ("sampled", "exact"))
    normalize = check_choice(normalize, "normalize", ("batch", "constant"))
    if not isinstance(bias, (bool, np.bool_)):
        raise TypeError(f"`bias` must be True or False; got {bias!r}.")
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    lr = _check_positive_float(lr, "lr")
    max_iter = check_positive_int(max_iter, "max_iter")
    if n_restarts is None:
        n_restarts = 1 if method == "sampled" else 3
    n_restarts = check_positive_int(n_restarts, "n_restarts")
    if not isinstance(progress, (bool, np.bool_)):
        raise TypeError(f"`progress` must be True or False; got {progress!r}.")
    dev = _check_device(device)
    rng = as_rng(seed)
    gen = torch.Generator(device=dev).manual_seed(int(rng.integers(2**62)))

    fit = _fit_sampled if method == "sampled" else _fit_exact
    runs = []
    with _few_threads(n), torch.no_grad():  # gradients are derived by hand: no autograd
        for r in range(n_restarts):
            label = "epoch" if method == "sampled" else "L-BFGS iteration"
            if n_restarts > 1:
                label = f"start {r + 1}/{n_restarts}, {label}"
            params, histories = fit(
                counts, noise, k=k, dim=dim, bias=bool(bias), gen=gen, dev=dev, epochs=epochs,
                batch_size=batch_size, lr=lr, normalize=normalize, max_iter=max_iter,
                progress=_Progress(epochs if method == "sampled" else max_iter, bool(progress), label),
            )
            runs.append((params, histories))
    finals = np.array([histories[1][-1] for _, histories in runs])
    params, (loss_history, objective_history) = runs[int(np.argmin(finals))]
    V, U, b, c = (None if t is None else t.detach().cpu().double().numpy() for t in params)
    for arr in (V, U, b, c, loss_history, objective_history, finals):
        if arr is not None:
            arr.setflags(write=False)
    X = V @ U.T + (0.0 if b is None else b[:, None] + c[None, :])
    return TrainResult(
        V=V, U=U, center_bias=b, context_bias=c,
        loss_history=loss_history, objective_history=objective_history,
        objective=sgns_objective(X, counts, noise, k), restart_objectives=finals,
        seconds=time.perf_counter() - start, method=method, k=k,
    )


@contextlib.contextmanager
def _few_threads(n_words: int):
    """Run small problems on one thread (torch, OpenMP and BLAS alike).

    Thousands of tiny operations gain nothing from a thread pool, and when the
    cores are busy the pools' idle workers spin and slow every call several-fold.
    """
    if n_words > 2000:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpoolctl.threadpool_limits(limits=1):
            yield
    finally:
        torch.set_num_threads(before)


def _init_params(n, dim, bias, gen, dev, dtype):
    """Flat parameter vector and its views (V, U, b, c), initialised as ``nn.Embedding``: N(0, 1), biases 0."""
    size = 2 * n * dim + (2 * n if bias else 0)
    theta = torch.zeros(size, dtype=dtype, device=dev)
    theta[: 2 * n * dim].normal_(generator=gen)
    return theta, _views(theta, n, dim, bias)


def _views(theta, n, dim, bias):
    nd = n * dim
    V = theta[:nd].view(n, dim)
    U = theta[nd : 2 * nd].view(n, dim)
    if not bias:
        return V, U, None, None
    return V, U, theta[2 * nd : 2 * nd + n], theta[2 * nd + n :]


def _logits(V, U, b, c):
    X = V @ U.T  # (n, n)
    if b is not None:
        X = X + b[:, None] + c[None, :]
    return X


def _fit_sampled(counts, noise, *, k, dim, bias, gen, dev, epochs, batch_size, lr, normalize, progress, **_):
    """The gist's loop. Returns the parameters and (loss per epoch, objective per epoch).

    Same algorithm as the gist, organised for speed: each epoch draws its
    permutation and all its negatives at once, and each step applies the
    hand-derived gradient of the batch loss (``batch_gradient``, checked
    against autograd through ``SkipGramNS`` in the tests) and an Adam update
    with torch's formula, to one flat parameter vector.
    """
    n = counts.shape[0]
    center_np, context_np = np.nonzero(counts)
    n_cells = center_np.shape[0]
    center = torch.as_tensor(center_np, device=dev)  # (C,)
    context = torch.as_tensor(context_np, device=dev)  # (C,)
    weight = torch.as_tensor(counts[center_np, context_np], dtype=torch.float32, device=dev)  # (C,)
    q = torch.as_tensor(noise, dtype=torch.float32, device=dev)  # (n,)
    sign = torch.full((1 + k,), -1.0, device=dev)
    sign[0] = 1.0  # +1 for the positive column, -1 for the K negatives
    batch_of = torch.arange(n_cells, device=dev) // batch_size  # (C,) batch of each position
    n_batches = int(batch_of[-1]) + 1
    per_cell = float(counts.sum()) / n_cells  # expected count of a cell: the constant normaliser
    positive, negative = (torch.as_tensor(a, device=dev) for a in sgns_weights(counts, noise, k))

    theta, (V, U, b, c) = _init_params(n, dim, bias, gen, dev, torch.float32)
    grad = torch.zeros_like(theta)
    gV, gU, gb, gc = _views(grad, n, dim, bias)
    adam = _Adam(theta, lr)
    losses, objectives = np.empty(epochs), np.empty(epochs)
    for epoch in range(epochs):
        perm = torch.randperm(n_cells, generator=gen, device=dev)  # (C,)
        negs = torch.multinomial(q, n_cells * k, replacement=True, generator=gen).view(n_cells, k)
        ctx = torch.cat([context[perm, None], negs], dim=1)  # (C, 1+K) positive, then negatives
        cen = center[perm]  # (C,)
        w = weight[perm]  # (C,)
        if normalize == "batch":
            norm = torch.zeros(n_batches, device=dev).index_add_(0, batch_of, w)[batch_of]  # (C,)
        else:
            norm = per_cell * torch.bincount(batch_of).to(w.dtype)[batch_of]  # (C,)
        scale = w / norm  # (C,) weight of each pair in its batch's loss
        scores = torch.empty(n_cells, 1 + k, device=dev)  # (C, 1+K) logits, kept for the loss
        for s in range(0, n_cells, batch_size):
            e = s + batch_size
            grad.zero_()
            batch_gradient(V, U, b, c, cen[s:e], ctx[s:e], scale[s:e], sign, (gV, gU, gb, gc), scores[s:e])
            adam.step(grad)
        per_pair = -(torch.nn.functional.logsigmoid(scores * sign).sum(1) * scale)  # (C,)
        losses[epoch] = per_pair.sum().item() / n_batches  # mean of the batch losses
        objectives[epoch] = expected_loss(_logits(V, U, b, c).double(), positive, negative).item()
        progress.update(epoch + 1, loss=losses[epoch], objective=objectives[epoch])
    return (V, U, b, c), (losses, objectives)


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


def _fit_exact(counts, noise, *, k, dim, bias, gen, dev, max_iter, progress, **_):
    """Full-batch L-BFGS (scipy's) on the expected loss, in float64.

    The loss and its gradient are computed in torch (so on ``dev``) from the
    hand-derived ``∂L/∂X = ((n_ij + k n_i q_j) σ(X) - n_ij) / N`` (checked against
    autograd in the tests), then chained through ``X = V Uᵀ (+ b + c)``.
    """
    n = counts.shape[0]
    positive, negative = (torch.as_tensor(a, device=dev) for a in sgns_weights(counts, noise, k))
    total = positive + negative
    N = float(counts.sum())
    theta, (V, U, b, c) = _init_params(n, dim, bias, gen, dev, torch.float64)
    grad = torch.zeros_like(theta)
    gV, gU, gb, gc = _views(grad, n, dim, bias)

    def fun(x):
        theta.copy_(torch.from_numpy(x))
        X = _logits(V, U, b, c)  # (n, n)
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
