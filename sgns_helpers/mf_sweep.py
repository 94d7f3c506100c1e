"""Chapter 5's per-seed measurements: rank, the SVD ablation, the knobs, local minima.

One function, :func:`implicit_mf_measurements`, measures everything chapter 5
claims about one simulation seed; the chapter calls it for its ``SEED`` and
``benchmarks/sweeps_ch5.py`` for many seeds, so the claims rest on a sweep.
Every fit is the exact (L-BFGS) one with one start, for three models: rank 2
with biases (``"bias2"``), rank 2 without (``"nobias2"``, word2vec's model) and
rank 4 without (``"nobias4"``, rank ``d + 2``: room for the offsets), plus the
best-form SVD (``"svd"``: smoothed shifted PMI, offsets, rank 2, unweighted).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

import numpy as np

from ._checks import check_positive_int
from .baselines import offset_svd_logits, smoothed_shifted_pmi, svd_ablation
from .lowrank import cell_losses, centred_correlation, objective_deviation, quadratic_weights
from .noise import unigram_noise
from .simulate import simulate_cooccurrence
from .theory import sgns_objective, sgns_optimum
from .train import train_sgns

__all__ = ["MF_CONFIG", "MFMeasurements", "implicit_mf_measurements", "has_local_minimum"]

MF_CONFIG = MappingProxyType({
    "n_words": 100, "n_pairs": 200_000, "k": 20, "alpha": 0.75, "max_iter": 400, "restarts": 3, "init": "svd",
    "dims": (1, 2, 3, 4, 6),
    "min_seen_words": 10,  # a knob setting that leaves fewer words seen both ways is not measured (NaN)
    "knobs": {"k": (1, 5, 20, 50), "alpha": (0.0, 0.5, 0.75, 1.0),
              "n_pairs": (20_000, 200_000, 1_000_000), "scale": (0.25, 0.5, 1.0, 1.25)},
})
MODELS = ("bias2", "nobias2", "nobias4", "svd")
_SHAPES = {"bias2": (2, True), "nobias2": (2, False), "nobias4": (4, False)}


@dataclass(frozen=True)
class MFMeasurements:
    """What chapter 5 measures on one simulation seed (keys listed in :func:`implicit_mf_measurements`)."""

    seed: int  # the simulation seed
    values: Mapping[str, float]  # name -> value, read-only


def _fit(counts, q, k, dim, bias, seed):
    # bias fits: the best of MF_CONFIG["restarts"] starts, the first from the SVD of the smoothed optimum
    # and the others random (their local minima are real, see the chapter); bias-free fits: the SVD start
    # alone, since from a random start the offset directions of a rank-(d + 2) fit converge too slowly
    if bias:
        return train_sgns(counts, q, k=k, dim=dim, method="exact", bias=True, seed=seed, init=MF_CONFIG["init"],
                          n_restarts=MF_CONFIG["restarts"], max_iter=MF_CONFIG["max_iter"])
    return train_sgns(counts, q, k=k, dim=dim, method="exact", bias=False, seed=seed, n_restarts=1,
                      init=MF_CONFIG["init"], max_iter=MF_CONFIG["max_iter"])


def _seen_words(counts, T):
    """Drop the words never seen as center or context (small N, large scale), again until every word left is.

    Returns the counts and truth on those words, or None where fewer than
    ``MF_CONFIG["min_seen_words"]`` are left: on a simulation whose pairs crowd into
    a few cells (seed 51 at scale 1.25: 29 non-zero cells) none is.
    """
    keep = np.ones(counts.shape[0], bool)
    while True:
        sub = counts[np.ix_(keep, keep)]
        empty = (sub.sum(axis=1) == 0) | (sub.sum(axis=0) == 0)
        if not empty.any():
            return (sub, T[np.ix_(keep, keep)]) if keep.sum() >= MF_CONFIG["min_seen_words"] else None
        keep[np.flatnonzero(keep)[empty]] = False


def _seen_models(counts, T, k, alpha, seed, known=None):
    """``(_models(...), truth)`` on the words seen both ways, or None where too few are (see ``_seen_words``)."""
    seen = _seen_words(counts, T)
    return None if seen is None else (_models(*seen, k, alpha, seed, known), seen[1])


def _models(counts, T, k, alpha, seed, known=None):
    """Logits of the three SGNS models and the best-form SVD at one setting."""
    q = unigram_noise(counts, power=alpha)
    out = dict(known or {})
    for name, (dim, bias) in _SHAPES.items():
        if name not in out:
            out[name] = _fit(counts, q, k, dim, bias, seed).logits()
    out["svd"] = offset_svd_logits(smoothed_shifted_pmi(counts, q, k), 2)
    return out


def implicit_mf_measurements(seed, *, knobs=True) -> MFMeasurements:
    """Measure chapter 5's quantities on ``simulate_cooccurrence(seed=seed)``.

    Keys of ``values`` (``k = 20``, ``α = 0.75`` unless a key says otherwise):

    - ``rank/gap/{bias,nobias}/{d}`` and ``rank/r/{bias,nobias}/{d}``: ``L* − L(x*)``
      and recovery of rank-``d`` fits with and without biases, ``d`` in ``MF_CONFIG["dims"]``;
      ``rank/xmin/{bias,nobias}/{d}``: the fit's smallest logit (far below every ``x*`` when
      the fit sends unseen cells off towards ``-inf``), ``rank/iters/...`` its L-BFGS iterations;
    - ``rank/quad_err``: relative error of the quadratic expansion at the rank-2 bias fit;
    - ``ablation/k{1,20}/{r,dev}/{i}``: step ``i`` of :func:`svd_ablation` (recovery, deviation %);
      ``sgns/k{1,20}/{model}/{r,dev}`` the same for the three SGNS models;
    - ``knob/{k,alpha,n_pairs,scale}/{value}/{model}``: recovery at each knob value (for small
      ``N`` or a large scale, over the words seen both as center and as context; NaN where fewer
      than ``MF_CONFIG["min_seen_words"]`` are), and ``.../{model}/xmin`` the smallest logit of
      each SGNS model's fit;
    - with ``knobs=False`` none of the ``knob/`` and ``kshift/`` keys (a third of the time);
    - ``kshift/{model}``: the largest RMS change, over ``k``, of the seen logits with ``log k``
      added back, relative to ``k = 1``; ``kshift/spread/{model}``: their spread (SD) at ``k = 1``;
    - ``curv/k{1,20}/pos_share`` and ``curv/k{1,20}/h_over_n``: the share of pairs in cells with
      ``x* > 0`` and the pair-weighted mean of ``h / n``.

    Parameters
    ----------
    seed : int
        Simulation seed; the fits start from ``seed`` too.
    knobs : bool, default True
        Whether to sweep the knobs ``k``, ``α``, ``N`` and the scale as well.

    Returns
    -------
    MFMeasurements
    """
    seed = check_positive_int(seed, "seed", minimum=0)
    if not isinstance(knobs, (bool, np.bool_)):
        raise TypeError(f"`knobs` must be True or False; got {knobs!r} of type {type(knobs).__name__}.")
    cfg, grid = MF_CONFIG, MF_CONFIG["knobs"]
    k0, a0 = cfg["k"], cfg["alpha"]
    sim = simulate_cooccurrence(n_words=cfg["n_words"], n_pairs=cfg["n_pairs"], seed=seed)
    C, T = sim.counts, sim.V @ sim.U.T
    q = unigram_noise(C, power=a0)
    seen = C > 0
    v = {}
    fits = {(d, b): _fit(C, q, k0, d, b, seed) for b in (False, True) for d in cfg["dims"]}
    bound = sgns_objective(sgns_optimum(C, q, k0), C, q, k0)
    for (d, b), f in fits.items():
        tag = "bias" if b else "nobias"
        v[f"rank/gap/{tag}/{d}"] = f.objective - bound
        v[f"rank/r/{tag}/{d}"] = centred_correlation(f.logits(), T)
        v[f"rank/xmin/{tag}/{d}"] = f.logits().min()
        v[f"rank/iters/{tag}/{d}"] = f.objective_history.size
    X2 = fits[2, True].logits()
    x_star = sgns_optimum(C, q, k0)
    quad = 0.5 * (quadratic_weights(C, q, k0)[seen] * (X2[seen] - x_star[seen]) ** 2).sum() / C.sum()
    gap = v["rank/gap/bias/2"]
    v["rank/quad_err"] = abs(quad + cell_losses(X2, C, q, k0)[~seen].sum() - gap) / gap
    # the knob k, with the default fits reused; its k = 1 and k = 20 logits feed the ablation table
    default = {"bias2": X2, "nobias2": fits[2, False].logits(), "nobias4": fits[4, False].logits()}
    by_k = {kk: _models(C, T, kk, a0, seed, default if kk == k0 else None)
            for kk in (grid["k"] if knobs else (1, k0))}
    for kk in (1, k0):
        abl = svd_ablation(C, T, kk, noise_power=a0)
        for i, (r, dev) in enumerate(zip(abl.recovery, abl.deviation)):
            v[f"ablation/k{kk}/r/{i}"], v[f"ablation/k{kk}/dev/{i}"] = r, dev
        for name in _SHAPES:
            v[f"sgns/k{kk}/{name}/r"] = centred_correlation(by_k[kk][name], T)
            v[f"sgns/k{kk}/{name}/dev"] = objective_deviation(by_k[kk][name], C, q, kk)
        x_k, h = sgns_optimum(C, q, kk), quadratic_weights(C, q, kk)
        v[f"curv/k{kk}/pos_share"] = C[x_k > 0].sum() / C.sum()
        v[f"curv/k{kk}/h_over_n"] = h[seen].sum() / C.sum()
    if not knobs:
        return MFMeasurements(seed, MappingProxyType({key: float(x) for key, x in v.items()}))
    for name in _SHAPES:
        base = by_k[1][name][seen]
        v[f"kshift/{name}"] = max(np.sqrt(np.mean((by_k[kk][name][seen] + np.log(kk) - base) ** 2))
                                  for kk in grid["k"])
        v[f"kshift/spread/{name}"] = base.std()
    # each setting: (logits per model, the truth they are compared with), or None where not measured
    settings = {("k", kk): (by_k[kk], T) for kk in grid["k"]}
    for a in grid["alpha"]:
        settings["alpha", a] = (_models(C, T, k0, a, seed, default if a == a0 else None), T)
    for n in grid["n_pairs"]:  # small N and large scales leave words unseen: those settings are over the seen words
        s = sim if n == cfg["n_pairs"] else simulate_cooccurrence(n_words=cfg["n_words"], n_pairs=n, seed=seed)
        settings["n_pairs", n] = _seen_models(s.counts, T, k0, a0, seed, default if n == cfg["n_pairs"] else None)
    for sc in grid["scale"]:
        s = sim if sc == 1.0 else simulate_cooccurrence(n_words=cfg["n_words"], n_pairs=cfg["n_pairs"],
                                                         seed=seed, scale=sc)
        settings["scale", sc] = _seen_models(s.counts, s.V @ s.U.T, k0, a0, seed, default if sc == 1.0 else None)
    for (knob, value), setting in settings.items():
        logits, truth = setting or (dict.fromkeys(MODELS), None)  # None: too few words seen both ways
        for name in MODELS:
            x = logits[name]
            v[f"knob/{knob}/{value}/{name}"] = np.nan if x is None else centred_correlation(x, truth)
            if name in _SHAPES:
                v[f"knob/{knob}/{value}/{name}/xmin"] = np.nan if x is None else x.min()
    return MFMeasurements(seed, MappingProxyType({key: float(x) for key, x in v.items()}))


def has_local_minimum(seed, *, n_starts=4, tol=0.01) -> bool:
    """Whether exact rank-2 bias fits on ``simulate_cooccurrence(seed=seed)`` end at different levels.

    Fits ``n_starts`` starts (seeds ``0 .. n_starts - 1``; ``k = 20``, ``α = 0.75``) and
    reports whether their objectives spread by more than ``tol``.

    Parameters
    ----------
    seed : int
        Simulation seed.
    n_starts : int, default 4
        Number of starts.
    tol : float, default 0.01
        Objective spread that counts as two valleys.

    Returns
    -------
    bool
    """
    seed = check_positive_int(seed, "seed", minimum=0)
    n_starts = check_positive_int(n_starts, "n_starts", minimum=2)
    sim = simulate_cooccurrence(seed=seed)
    q = unigram_noise(sim.counts, power=MF_CONFIG["alpha"])
    obj = [train_sgns(sim.counts, q, k=MF_CONFIG["k"], dim=2, method="exact", bias=True, n_restarts=1,
                      init="random", seed=s).objective for s in range(n_starts)]
    return bool(np.ptp(obj) > tol)
