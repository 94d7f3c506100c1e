"""One simulation seed of chapters 3 and 4, measured: the per-seed functions of the sweeps.

``training_replicate(seed)`` runs chapter 3's fits on the simulation of that
seed (the best rank-2 fit ``L*``, the gist's loop, the optimum of the objective
the gist's per-batch normaliser re-weights to, the constant normaliser) and
reports their objectives. ``recovery_scores`` measures chapter 4's
comparisons from given fits, and ``recovery_replicate(seed)`` makes those fits
for a seed first. ``benchmarks/sweeps_ch34.py`` calls the replicates over many
seeds; the chapters call them (or ``recovery_scores``) for their own SEED.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from ._checks import check_positive_int
from .align import align_embeddings
from .noise import unigram_noise
from .pmi import double_center
from .simulate import simulate_cooccurrence
from .theory import batch_normalised_counts, sgns_objective, sgns_optimum

__all__ = ["TrainingReplicate", "training_replicate", "RecoveryScores", "recovery_scores", "recovery_replicate"]

#: the settings of chapter 3's runs, recorded in the sweep's json and checked by the chapter
TRAINING_CONFIG = {"k": 20, "alpha": 0.75, "dim": 2, "epochs": 200, "batch_size": 64, "lr": 1e-3,
                   "const_lr": 1e-2, "const_epochs": 80, "lstar_restarts": 10, "reweight_scale": 100}
#: the settings of chapter 4's fits
RECOVERY_CONFIG = {"k": 20, "alpha": 0.75, "dim": 2, "n_restarts": 3, "frequent": 20, "rare": 4}


@dataclass(frozen=True)
class TrainingReplicate:
    """Chapter 3's objectives on one simulation seed (all per observed pair)."""

    seed: int  # simulation seed; the trainers use seeds derived from it
    L_star: float  # best rank-d objective: the best of `lstar_restarts` exact starts
    full_bound: float  # L(x*), the full-rank bound
    restart_spread: float  # max - min final objective over the exact starts of the L* fit
    default_fit_gap: float  # exact fit with train_sgns' default (one call, the screened SVD start), minus L*
    gist_final: float  # the gist's loop (per-batch normaliser, lr 1e-3) after `epochs` epochs
    gist_last20_drop: float  # how much the gist's run still fell over its last 20 epochs
    reweighted_true: float  # optimum of the re-weighted objective, judged by the true L
    gist_own_gap: float  # gist's run minus that optimum, both on the re-weighted objective
    lstar_own_gap: float  # the L* fit minus that optimum, both on the re-weighted objective
    gist_epoch30: float  # the gist's loop after 30 epochs
    slow_epoch30: float  # constant normaliser at the gist's lr 1e-3 after 30 epochs
    const_epoch30: float  # constant normaliser, lr `const_lr`, after 30 epochs
    const_final: float  # constant normaliser, lr `const_lr`, `const_epochs` epochs
    const_late_rises: int  # epochs among its last 30 where the objective went up

    def as_dict(self) -> dict:
        """The fields as a plain dict, for json."""
        return asdict(self)


def training_replicate(seed: int, *, epochs: int = 200, const_epochs: int = 80) -> TrainingReplicate:
    """Run chapter 3's fits on ``simulate_cooccurrence(seed=seed)`` and measure them.

    Parameters
    ----------
    seed : int
        Simulation seed (non-negative). The exact fits use ``seed``, the sampled
        runs ``seed``, and the ``L*`` reference ``seed + 5``, as in chapter 3.
    epochs, const_epochs : int, default 200, 80
        Epochs of the gist's loop (the gist's 200) and of the constant-normaliser
        run at ``const_lr`` (chapter 3's 80); fewer only for tests.

    Returns
    -------
    TrainingReplicate
        Settings in ``TRAINING_CONFIG``.
    """
    from .train import train_sgns  # torch is imported on first use

    seed = check_positive_int(seed, "seed", minimum=0)
    epochs = check_positive_int(epochs, "epochs")
    const_epochs = check_positive_int(const_epochs, "const_epochs")
    cfg = TRAINING_CONFIG
    C = simulate_cooccurrence(seed=seed).counts
    k = cfg["k"]
    q = unigram_noise(C, power=cfg["alpha"])
    best = train_sgns(C, q, k=k, dim=cfg["dim"], method="exact", n_restarts=cfg["lstar_restarts"], seed=seed + 5)
    default = train_sgns(C, q, k=k, dim=cfg["dim"], method="exact", seed=seed)
    gist = train_sgns(C, q, k=k, dim=cfg["dim"], method="sampled", epochs=epochs, batch_size=cfg["batch_size"],
                      lr=cfg["lr"], normalize="batch", seed=seed)
    C_eff = np.rint(cfg["reweight_scale"] * batch_normalised_counts(C, batch_size=cfg["batch_size"], seed=seed))
    reweighted = train_sgns(C_eff.astype(int), q, k=k, dim=cfg["dim"], method="exact", seed=seed)
    const = train_sgns(C, q, k=k, dim=cfg["dim"], normalize="constant", lr=cfg["const_lr"],
                       epochs=const_epochs, seed=seed)
    slow = train_sgns(C, q, k=k, dim=cfg["dim"], normalize="constant", lr=cfg["lr"], epochs=30, seed=seed)
    hist = gist.objective_history
    return TrainingReplicate(
        seed=seed, L_star=best.objective, full_bound=sgns_objective(sgns_optimum(C, q, k), C, q, k),
        restart_spread=float(np.ptp(best.restart_objectives)), default_fit_gap=default.objective - best.objective,
        gist_final=gist.objective, gist_last20_drop=float(hist[-21] - hist[-1]) if hist.size > 20 else float("nan"),
        reweighted_true=sgns_objective(reweighted.logits(), C, q, k),
        gist_own_gap=sgns_objective(gist.logits(), C_eff, q, k) - reweighted.objective,
        lstar_own_gap=sgns_objective(best.logits(), C_eff, q, k) - reweighted.objective,
        gist_epoch30=float(hist[min(29, hist.size - 1)]), slow_epoch30=float(slow.objective_history[-1]),
        const_epoch30=float(const.objective_history[min(29, const_epochs - 1)]), const_final=const.objective,
        const_late_rises=int((np.diff(const.objective_history[-30:]) > 0).sum()),
    )


@dataclass(frozen=True)
class RecoveryScores:
    """Chapter 4's recovery measures for one simulation (r: Pearson correlation)."""

    zero_share: float  # share of the cells never observed
    gist_r: float  # r of the gist's plot: V̂Ûᵀ + log k (rank d, no biases) against the true V Uᵀ
    tail_zero_share: float  # share of never-observed cells among the lowest 5% of that plot's points
    xstar_r_nobias: float  # r of the bias-free logits against x*, observed cells
    xstar_r_bias: float  # r of the bias model's logits against x*, observed cells
    xstar_r_wide: float  # r of the rank-(d + 2) bias-free logits against x*, observed cells
    xstar_r_frequent: float  # the same on cells seen at least RECOVERY_CONFIG["frequent"] times
    rmse_fit_rare: float  # RMS of bias logits minus the noise-free x̄ on cells seen 1..rare times
    rmse_xstar_rare: float  # RMS of x* minus x̄ on those cells
    dc_r_nobias: float  # r of double-centred V̂Ûᵀ (rank d, no biases) against double-centred V Uᵀ
    dc_r_bias: float  # the same for the bias model's logits (rank d plus biases)
    dc_slope_bias: float  # least-squares slope of that plot
    dc_r_wide: float  # the same for a bias-free fit of rank d + 2 (word2vec's model, two more dimensions)
    dc_slope_wide: float  # least-squares slope of that plot
    xmin_wide: float  # the rank-(d + 2) fit's smallest logit: below RUN_OFF (-100) it has run off (chapter 5)
    align_r2_nobias: float  # R² of aligned V̂ (rank d, no biases) against the centred true V
    align_r2_bias: float  # the same for the bias model
    align_r2_U_bias: float  # R² of the bias model's aligned Û against the centred true U
    align_map_gap: float  # largest |A_U - A_V^(-T)|: how far the two maps are from one gauge map
    align_r2_wide: float  # the same for the rank-(d + 2) bias-free fit (a (d + 2) × d map)

    def as_dict(self) -> dict:
        """The fields as a plain dict, for json."""
        return asdict(self)


def _corr(a, b) -> float:
    return float(np.corrcoef(np.ravel(a), np.ravel(b))[0, 1])


def recovery_scores(sim, fit, fit_bias, fit_wide, noise, k) -> RecoveryScores:
    """Measure how well three fits recover the simulation's ``V Uᵀ`` (chapter 4).

    Parameters
    ----------
    sim : Cooccurrence
        The simulation (``counts``, ``P``, ``V``, ``U``).
    fit, fit_bias, fit_wide : TrainResult
        Fits to ``sim.counts``: rank d without biases (the gist's model), rank d
        with biases, rank d + 2 without biases.
    noise : array_like of shape (n_words,)
        The noise distribution ``q`` the fits used.
    k : int
        Negatives per positive pair.

    Returns
    -------
    RecoveryScores
    """
    k = check_positive_int(k, "k")
    for name, f in (("fit", fit), ("fit_bias", fit_bias), ("fit_wide", fit_wide)):
        if not hasattr(f, "logits") or f.V.shape[0] != sim.counts.shape[0]:
            raise TypeError(f"`{name}` must be a TrainResult of a fit to `sim.counts`; got {type(f).__name__}.")
    if fit.center_bias is not None or fit_wide.center_bias is not None or fit_bias.center_bias is None:
        raise ValueError("`fit` and `fit_wide` must be fits without biases and `fit_bias` one with biases.")
    if fit_wide.V.shape[1] != fit.V.shape[1] + 2:
        raise ValueError(f"`fit_wide` must have rank d + 2 = {fit.V.shape[1] + 2}; got {fit_wide.V.shape[1]}.")
    C, T = sim.counts, sim.V @ sim.U.T
    q = np.asarray(noise, dtype=float)
    nz, frequent = C > 0, C >= RECOVERY_CONFIG["frequent"]
    rare = nz & (C <= RECOVERY_CONFIG["rare"])
    x_star, X, X_bias = sgns_optimum(C, q, k), fit.logits(), fit_bias.logits()
    x_bar = np.log(sim.P / (k * sim.P.sum(axis=1, keepdims=True) * q[None, :]))
    T_dc = double_center(T)
    dc = {name: double_center(f.logits()) for name, f in (("bias", fit_bias), ("wide", fit_wide))}
    low = X + np.log(k) <= np.quantile(X, 0.05) + np.log(k)  # the lowest 5% of the gist's plot
    al_V, al_U = align_embeddings(fit_bias.V, sim.V), align_embeddings(fit_bias.U, sim.U)
    rms = lambda a, b: float(np.sqrt(np.mean((a - b) ** 2)))  # noqa: E731
    slope = lambda y: float(np.polyfit(T_dc.ravel(), y.ravel(), 1)[0])  # noqa: E731
    return RecoveryScores(
        zero_share=float((C == 0).mean()), gist_r=_corr(T, X + np.log(k)), tail_zero_share=float((C[low] == 0).mean()), xstar_r_nobias=_corr(x_star[nz], X[nz]),
        xstar_r_bias=_corr(x_star[nz], X_bias[nz]), xstar_r_frequent=_corr(x_star[frequent], X_bias[frequent]),
        xstar_r_wide=_corr(x_star[nz], fit_wide.logits()[nz]),
        rmse_fit_rare=rms(X_bias[rare], x_bar[rare]), rmse_xstar_rare=rms(x_star[rare], x_bar[rare]),
        dc_r_nobias=_corr(T_dc, double_center(X)), dc_r_bias=_corr(T_dc, dc["bias"]),
        dc_slope_bias=slope(dc["bias"]), dc_r_wide=_corr(T_dc, dc["wide"]), dc_slope_wide=slope(dc["wide"]),
        xmin_wide=float(fit_wide.logits().min()),
        align_r2_nobias=align_embeddings(fit.V, sim.V).r2, align_r2_bias=al_V.r2,
        align_r2_U_bias=al_U.r2, align_map_gap=float(np.abs(al_U.A - np.linalg.inv(al_V.A).T).max()),
        align_r2_wide=align_embeddings(fit_wide.V, sim.V).r2,
    )


def recovery_replicate(seed: int):
    """Simulate with ``seed``, make chapter 4's three exact fits, and measure them.

    Parameters
    ----------
    seed : int
        Simulation seed (non-negative); the fits use it too, as in chapter 4.

    Returns
    -------
    scores : RecoveryScores
    objectives : dict
        Final objectives ``{"nobias", "bias", "wide", "full_bound"}``.
    """
    from .train import train_sgns  # torch is imported on first use

    seed = check_positive_int(seed, "seed", minimum=0)
    cfg = RECOVERY_CONFIG
    sim = simulate_cooccurrence(seed=seed)
    C, k, d = sim.counts, cfg["k"], cfg["dim"]
    q = unigram_noise(C, power=cfg["alpha"])
    fits = [train_sgns(C, q, k=k, dim=dim, method="exact", bias=bias, n_restarts=cfg["n_restarts"], seed=seed)
            for dim, bias in ((d, False), (d, True), (d + 2, False))]
    objectives = {"nobias": fits[0].objective, "bias": fits[1].objective, "wide": fits[2].objective,
                  "full_bound": sgns_objective(sgns_optimum(C, q, k), C, q, k)}
    return recovery_scores(sim, *fits, q, k), objectives
