"""Training SGNS on co-occurrence counts: the public entry point ``train_sgns`` (chapter 3).

``method="sampled"`` runs the gist's mini-batch loop (``sampled.py``, torch);
``method="exact"`` minimises the expected loss, negatives averaged out in closed
form, with L-BFGS (``exact.py`` and ``lbfgs.py``, numpy: torch is imported only for a GPU).
This module validates the arguments once, runs
the starts, keeps the best and packs the result.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ._checks import as_rng, check_choice, check_counts_dense_or_sparse, check_noise, check_positive_float, check_positive_int
from ._run import Progress, check_device, few_threads
from .exact import fit_exact
from .expected import DENSE_ELEMENTS, ExpectedLoss

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
    n_restarts=1,
    max_iter=2000,
    device="cpu",
    progress=False,
    init="svd",
    lr_schedule="constant",
    objective_every=1,
    tol=1e-12,
) -> TrainResult:
    """Fit SGNS embeddings to co-occurrence counts.

    Parameters
    ----------
    counts : array_like or scipy.sparse matrix of shape (n_words, n_words)
        Pair counts ``n_ij`` (or non-negative real weights); rows are center
        words, columns contexts. A sparse matrix is never densified: both
        methods visit only its non-zero cells, and the negative term over all
        cells is computed a block of rows at a time (chapter 7).
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
    n_restarts : int, default 1
        Starts, the best (lowest objective) kept; the first from ``init``,
        further ones random. Rank-d fits can have local minima: on simulation
        seeds 0-99 (``k = 20``, no biases; benchmark B1) one default call ended
        more than 1e-4 above the best objective found (ten random starts, this
        call, the leading-pair SVD start alone) on 8 seeds, by up to 0.04; the
        leading-pair start alone did so on 14. So add starts where the best
        rank-d objective itself matters.
    max_iter : int, default 2000
        Exact method only: the most L-BFGS iterations per start (the book's
        100-word problem needs 30 to 90; where the rank-d objective has no
        minimum, as on benchmark B1's seed 51, a call uses them all).
    device : str or torch.device, default "cpu"
        Where to train, e.g. ``"cuda"``.
    progress : bool, default False
        Print a plain-text progress line every tenth of the run.
    init : {"random", "svd"}, default "svd"
        Exact method only. ``"svd"``: the first start from the truncated SVD
        of the smoothed optimum (``starts.svd_start``); without biases, on a
        problem done in one dense piece (n ≤ 2048), two such starts are
        screened for ten iterations each and the lower goes on
        (``starts.svd_candidates``). ``"random"``: N(0, 1) entries, as
        ``nn.Embedding`` (the sampled method always starts so).
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
    counts = check_counts_dense_or_sparse(counts, whole=False)
    n = counts.shape[0]
    noise = check_noise(noise, n)
    k, dim = check_positive_int(k, "k"), check_positive_int(dim, "dim")
    method = check_choice(method, "method", ("sampled", "exact"))
    normalize = check_choice(normalize, "normalize", ("batch", "constant"))
    init = check_choice(init, "init", ("random", "svd"))
    lr_schedule = check_choice(lr_schedule, "lr_schedule", ("constant", "linear"))
    objective_every = check_positive_int(objective_every, "objective_every")
    tol = check_positive_float(tol, "tol")
    for flag, name in ((bias, "bias"), (progress, "progress")):
        if not isinstance(flag, (bool, np.bool_)):
            raise TypeError(f"`{name}` must be True or False; got {flag!r}.")
    epochs, batch_size = check_positive_int(epochs, "epochs"), check_positive_int(batch_size, "batch_size")
    lr = check_positive_float(lr, "lr")
    max_iter, n_restarts = check_positive_int(max_iter, "max_iter"), check_positive_int(n_restarts, "n_restarts")
    dev = check_device(device)
    rng = as_rng(seed)

    runs = []
    with few_threads(method == "sampled" or n * n <= DENSE_ELEMENTS, torch_too=method == "sampled"):
        loss = ExpectedLoss(counts, noise, k, device=dev) if method == "exact" else None  # numpy unless on a GPU
        for r in range(n_restarts):
            label = "epoch" if method == "sampled" else "L-BFGS iteration"
            label = f"start {r + 1}/{n_restarts}, {label}" if n_restarts > 1 else label
            bar = Progress(epochs if method == "sampled" else max_iter, bool(progress), label)
            if method == "exact":
                runs.append(fit_exact(loss, counts, noise, k=k, dim=dim, bias=bool(bias), rng=rng,
                                      init=init if r == 0 else "random", max_iter=max_iter, tol=tol,
                                      clock=start, progress=bar))
            else:
                runs.append(_sampled(counts, noise, k=k, dim=dim, bias=bool(bias), rng=rng, dev=dev, epochs=epochs,
                                     batch_size=batch_size, lr=lr, normalize=normalize, progress=bar, clock=start,
                                     lr_schedule=lr_schedule, objective_every=objective_every))
    finals = np.array([histories[1][-1] for _, histories in runs])  # the exact objective at the end of each start
    params, (loss_history, objective_history, time_history) = runs[int(np.argmin(finals))]
    V, U, b, c = (None if t is None else np.array(t, dtype=float) for t in params)
    for arr in (V, U, b, c, loss_history, objective_history, finals, time_history):
        if arr is not None:
            arr.setflags(write=False)
    return TrainResult(
        V=V, U=U, center_bias=b, context_bias=c,
        loss_history=loss_history, objective_history=objective_history,
        objective=float(finals.min()), restart_objectives=finals,
        seconds=time.perf_counter() - start, method=method, k=k, time_history=time_history,
    )


def _sampled(counts, noise, *, rng, dev, **kw):
    """One start of the gist's loop (``sampled.fit_sampled``, torch), parameters back as numpy."""
    import torch

    from .sampled import fit_sampled

    dev = dev if dev is not None else torch.device("cpu")
    gen = torch.Generator(device=dev).manual_seed(int(rng.integers(2**62)))
    with torch.no_grad():  # gradients are derived by hand: no autograd
        params, histories = fit_sampled(counts, noise, gen=gen, dev=dev, **kw)
    return tuple(None if t is None else t.detach().cpu().double().numpy() for t in params), histories
