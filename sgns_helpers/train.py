"""Training SGNS on co-occurrence counts: the public entry point ``train_sgns`` (chapter 3).

``method="sampled"`` runs the gist's mini-batch loop (``sampled.py``);
``method="exact"`` minimises the expected loss, negatives averaged out in closed
form, with L-BFGS (``exact.py``). This module validates the arguments, runs
``n_restarts`` random starts, keeps the best and packs the result.
"""

from __future__ import annotations

import contextlib
import sys
import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import threadpoolctl
import torch

from ._checks import as_rng, check_choice, check_counts_dense_or_sparse, check_noise, check_positive_float, check_positive_int
from .exact import fit_exact
from .expected import ExpectedLoss
from .sampled import fit_sampled
from .theory import sgns_objective

__all__ = ["TrainResult", "train_sgns"]


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
    time_history: np.ndarray | None = None  # (n_steps,) seconds since the call began, at each history entry

    def logits(self) -> np.ndarray:
        """Learned logit matrix ``V Uᵀ`` plus the biases, shape (n_words, n_words).

        Dense: at n = 10,000 this is 800 MB. For the objective of a large fit
        use ``self.objective``, or ``sgns_objective(self.factors(), ...)``.
        """
        X = self.V @ self.U.T
        if self.center_bias is not None:
            X = X + self.center_bias[:, None] + self.context_bias[None, :]
        return X

    def factors(self) -> tuple:
        """``(V, U, center_bias, context_bias)``: the logits in factored form, for ``sgns_objective``."""
        return self.V, self.U, self.center_bias, self.context_bias


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
    init="random",
    lr_schedule="constant",
    objective_every=1,
    tol=1e-12,
) -> TrainResult:
    """Fit SGNS embeddings to co-occurrence counts.

    Parameters
    ----------
    counts : array_like or scipy.sparse matrix of shape (n_words, n_words)
        Pair counts ``n_ij``; rows are center words, columns contexts. A
        sparse matrix is never densified: both methods visit only its
        non-zero cells, and the negative term over all cells is computed a
        block of rows at a time (chapter 7).
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
    init : {"random", "svd"}, default "random"
        Exact method only. ``"random"``: every start from N(0, 1) entries, as
        ``nn.Embedding``. ``"svd"``: the first start from the truncated SVD of
        the clipped optimum (``exact.svd_start``), further starts random; it
        reaches ``L*`` in a fraction of the iterations.
    lr_schedule : {"constant", "linear"}, default "constant"
        Sampled method only: keep ``lr``, or decay it linearly to zero over
        the run (word2vec's schedule), which removes most of the
        stochastic-gradient noise at the end.
    objective_every : int, default 1
        Sampled method only: evaluate the exact objective every this many
        epochs (and after the last); the other entries of
        ``objective_history`` are NaN. At n = 10,000 an evaluation visits
        10⁸ cells, so a large run may want fewer.
    tol : float, default 1e-12
        Exact method only: L-BFGS stops when the relative decrease of the
        objective in an iteration falls below ``tol`` (scipy's ``ftol``).

    Returns
    -------
    TrainResult
        Numpy ``V``, ``U`` (and biases), histories, final objective, seconds.

    See chapter 3, "Training the torch model".
    """
    start = time.perf_counter()
    counts = check_counts_dense_or_sparse(counts)
    n = counts.shape[0]
    noise = check_noise(noise, n)
    k = check_positive_int(k, "k")
    dim = check_positive_int(dim, "dim")
    method = check_choice(method, "method", ("sampled", "exact"))
    normalize = check_choice(normalize, "normalize", ("batch", "constant"))
    init = check_choice(init, "init", ("random", "svd"))
    lr_schedule = check_choice(lr_schedule, "lr_schedule", ("constant", "linear"))
    objective_every = check_positive_int(objective_every, "objective_every")
    tol = check_positive_float(tol, "tol")
    if not isinstance(bias, (bool, np.bool_)):
        raise TypeError(f"`bias` must be True or False; got {bias!r}.")
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    lr = check_positive_float(lr, "lr")
    max_iter = check_positive_int(max_iter, "max_iter")
    if n_restarts is None:
        n_restarts = 1 if method == "sampled" else 3
    n_restarts = check_positive_int(n_restarts, "n_restarts")
    if not isinstance(progress, (bool, np.bool_)):
        raise TypeError(f"`progress` must be True or False; got {progress!r}.")
    dev = _check_device(device)
    rng = as_rng(seed)
    gen = torch.Generator(device=dev).manual_seed(int(rng.integers(2**62)))

    fit = fit_sampled if method == "sampled" else fit_exact
    runs = []
    one_thread = method == "sampled" or n <= 2000  # small ops per step: a pool only adds waiting
    with _few_threads(one_thread), torch.no_grad():  # gradients are derived by hand: no autograd
        for r in range(n_restarts):
            label = "epoch" if method == "sampled" else "L-BFGS iteration"
            if n_restarts > 1:
                label = f"start {r + 1}/{n_restarts}, {label}"
            params, histories = fit(
                counts, noise, k=k, dim=dim, bias=bool(bias), gen=gen, dev=dev, epochs=epochs,
                batch_size=batch_size, lr=lr, normalize=normalize, max_iter=max_iter, init=init,
                restart=r, clock=start, ftol=tol, lr_schedule=lr_schedule, objective_every=objective_every,
                progress=_Progress(epochs if method == "sampled" else max_iter, bool(progress), label),
            )
            runs.append((params, histories))
    finals = np.array([histories[1][-1] for _, histories in runs])
    params, (loss_history, objective_history, time_history) = runs[int(np.argmin(finals))]
    V, U, b, c = (None if t is None else t.detach().cpu().double().numpy() for t in params)
    for arr in (V, U, b, c, loss_history, objective_history, finals, time_history):
        if arr is not None:
            arr.setflags(write=False)
    if sp.issparse(counts) or n > 2000:  # the same formula in torch, in row blocks: seconds, not minutes
        objective = ExpectedLoss(counts, noise, k, dev)(*(None if t is None else t.double() for t in params))
    else:
        objective = sgns_objective(V @ U.T + (0.0 if b is None else b[:, None] + c[None, :]), counts, noise, k)
    return TrainResult(
        V=V, U=U, center_bias=b, context_bias=c,
        loss_history=loss_history, objective_history=objective_history,
        objective=objective, restart_objectives=finals,
        seconds=time.perf_counter() - start, method=method, k=k, time_history=time_history,
    )


@contextlib.contextmanager
def _few_threads(one_thread: bool):
    """Run many small operations on one thread (torch, OpenMP and BLAS alike).

    Thousands of tiny operations gain nothing from a thread pool, and when the
    cores are busy the pools' idle workers spin and slow every call several-fold.
    The sampled loop always qualifies (a step touches a batch and one flat
    vector); the exact trainer only for small n, where a pass is tens of µs.
    """
    if not one_thread:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpoolctl.threadpool_limits(limits=1):
            yield
    finally:
        torch.set_num_threads(before)
