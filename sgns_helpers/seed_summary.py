"""What one simulation seed looks like: the figures chapters 1 and 2 state (for sweeps over seeds).

Chapters 1 and 2 describe one draw of the simulation (their ``SEED``). Whether a
statement holds for *the model* or only for that draw is checked by computing
the same figures for many seeds: ``simulation_summary`` is that per-seed
measurement, used by the chapters for their own seed and by
``benchmarks/sweeps_ch12.py`` for the sweep whose medians and ranges they quote.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from ._checks import check_positive_int
from .noise import unigram_noise, zero_cell_noise
from .pmi import empirical_pmi, true_pmi
from .simulate import simulate_cooccurrence

__all__ = ["SimulationSummary", "simulation_summary"]


@dataclass(frozen=True)
class SimulationSummary:
    """Figures of one simulated draw (chapter 1: counts and PMI; chapter 2: noise)."""

    seed: int  # the simulation seed
    marginal_log_r: float  # Pearson r of log P_i. and log P_.i over words
    marginal_ratio_max: float  # largest factor between a word's two marginals
    reldev_small: float  # median |n_ij - N P_ij| / (N P_ij) over observed cells with N P_ij < 5
    reldev_large: float  # the same over cells with N P_ij > 500 (nan if none)
    r_all: float  # Pearson r of empirical and true PMI on the non-zero cells
    r_big: float  # the same on the cells with n_ij >= 20
    sd_rare: float  # sd of empirical - true PMI on cells with 1 <= n_ij <= 3
    sd_common: float  # the same on cells with n_ij > 100 (nan if none)
    sv_rel: tuple  # singular values 3, 4, 5 of the true PMI, relative to the first
    row_sum_min: int  # smallest row sum n_i
    row_sum_median: float  # median row sum n_i
    zero_share: float  # share of the n^2 cells with n_ij = 0
    max_share: float  # share of all pairs in the largest cell
    top1_share: float  # share of all pairs in the largest 1% of cells
    max_logit: float  # largest v_i . u_j
    rho_zero_unigram: float  # Spearman rho of the zero-cell and unigram^0.75 noise (contexts)
    rho_length_frequency: float  # Spearman rho of |u_j| and the context count n_j
    rho_length_zeros: float  # Spearman rho of |u_j| and the zero cells of column j
    rows_ratio_max: float  # largest q_j(rows) / q_j(columns), unigram^0.75
    rows_ratio_min: float  # smallest such ratio
    rows_log_r: float  # Pearson r of log q(rows) and log q(columns)
    contexts_no_zero: int  # contexts (columns) with no zero cell
    centers_no_zero: int  # centers (rows) with no zero cell
    rho_zero_unigram_high_dim: float  # rho_zero_unigram for a draw with dim = high_dim

    def as_dict(self) -> dict:
        """The fields as a plain dict (``sv_rel`` as a list), for JSON."""
        out = asdict(self)
        out["sv_rel"] = list(self.sv_rel)
        return out


def _ranks(x) -> np.ndarray:
    """Ranks 0 .. n-1 of ``x``, ties sharing their average rank (as pandas and scipy do)."""
    x = np.asarray(x, dtype=float)
    ranks = np.empty(x.size)
    ranks[np.argsort(x, kind="stable")] = np.arange(x.size)
    _, tie, size = np.unique(x, return_inverse=True, return_counts=True)
    return (np.bincount(tie, weights=ranks) / size)[tie]


def _spearman(a, b) -> float:
    """Spearman's rho: the Pearson correlation of the ranks (numpy only; scipy.stats is slow to import)."""
    return float(np.corrcoef(_ranks(a), _ranks(b))[0, 1])


def _median_or_nan(x) -> float:
    return float(np.median(x)) if np.size(x) else float("nan")


def _noise_rho(counts: np.ndarray) -> float:
    """Spearman rho of zero-cell and unigram noise over contexts, ignoring never-drawn centers.

    Both distributions are increasing functions of a per-column number (its zero cells, its
    count), and Spearman's rho only sees ranks: so it is computed from those numbers.
    """
    counts = counts[counts.sum(axis=1) > 0]  # a center never drawn has no row of pairs
    return _spearman((counts == 0).sum(axis=0), counts.sum(axis=0))


def simulation_summary(seed, n_words=100, dim=2, n_pairs=200_000, *, high_dim=10) -> SimulationSummary:
    """The figures chapters 1 and 2 quote, for one simulation seed.

    Parameters
    ----------
    seed : int
        Seed of ``simulate_cooccurrence``; the draw with ``dim=high_dim`` uses the same seed.
    n_words, dim, n_pairs : int
        Sizes passed to ``simulate_cooccurrence`` (the defaults are the gist's).
    high_dim : int, default 10
        Dimension of the second draw, for the sign of ``rho_zero_unigram`` at larger ``d``
        (centers that this draw never sees are left out).

    Returns
    -------
    SimulationSummary
        One frozen record; each field's comment says how it is computed.

    Examples
    --------
    >>> s = simulation_summary(0, n_words=20, n_pairs=5_000)
    >>> s.sv_rel[2] < 1e-10  # PMI has rank at most d + 2 = 4: its fifth singular value vanishes
    True

    See chapters 1 and 2, and ``benchmarks/sweeps_ch12.py``.
    """
    seed = check_positive_int(seed, "seed", minimum=0)
    n_words = check_positive_int(n_words, "n_words", minimum=5)  # five singular values are reported
    dim = check_positive_int(dim, "dim")
    high_dim = check_positive_int(high_dim, "high_dim")
    sim = simulate_cooccurrence(n_words=n_words, dim=dim, n_pairs=n_pairs, seed=seed)
    counts, P, N = sim.counts, sim.P, sim.n_pairs
    if np.any(counts.sum(axis=1) == 0):
        raise ValueError(f"`n_pairs` = {n_pairs} leaves some word without a pair as a center; draw more pairs.")
    center_m, context_m = P.sum(axis=1), P.sum(axis=0)
    log_ratio = np.log(center_m / context_m)
    nz, big = counts > 0, counts >= 20
    expected = N * P[nz]
    reldev = np.abs(counts[nz] - expected) / expected
    pmi_t, pmi_e = true_pmi(P), empirical_pmi(counts)
    resid = pmi_e - pmi_t  # -inf on zero cells, which are never used below
    sv = np.linalg.svd(pmi_t, compute_uv=False)
    flat = np.sort(counts.ravel())[::-1]
    q75 = unigram_noise(counts, power=0.75)
    zeros_col, zeros_row = (counts == 0).sum(axis=0), (counts == 0).sum(axis=1)
    q_zero_ctx = zero_cell_noise(counts) if zeros_col.sum() > 0 else None
    q75_rows = unigram_noise(counts, power=0.75, axis="center")
    ratio = q75_rows / q75
    u_len = np.linalg.norm(sim.U, axis=1)
    high = simulate_cooccurrence(n_words=n_words, dim=high_dim, n_pairs=n_pairs, seed=seed).counts
    return SimulationSummary(
        seed=seed,
        marginal_log_r=float(np.corrcoef(np.log(center_m), np.log(context_m))[0, 1]),
        marginal_ratio_max=float(np.exp(np.abs(log_ratio).max())),
        reldev_small=_median_or_nan(reldev[expected < 5]),
        reldev_large=_median_or_nan(reldev[expected > 500]),
        r_all=float(np.corrcoef(pmi_t[nz], pmi_e[nz])[0, 1]),
        r_big=float(np.corrcoef(pmi_t[big], pmi_e[big])[0, 1]),
        sd_rare=float(np.std(resid[nz & (counts <= 3)])),
        sd_common=float(np.std(resid[counts > 100])) if np.any(counts > 100) else float("nan"),
        sv_rel=tuple(float(v) for v in sv[2:5] / sv[0]),
        row_sum_min=int(counts.sum(axis=1).min()),
        row_sum_median=float(np.median(counts.sum(axis=1))),
        zero_share=float(np.mean(counts == 0)),
        max_share=float(flat[0] / N),
        top1_share=float(flat[: flat.size // 100].sum() / N),
        max_logit=float((sim.V @ sim.U.T).max()),
        rho_zero_unigram=float("nan") if q_zero_ctx is None else _spearman(q_zero_ctx, q75),
        rho_length_frequency=_spearman(u_len, counts.sum(axis=0)),
        rho_length_zeros=_spearman(u_len, zeros_col),
        rows_ratio_max=float(ratio.max()),
        rows_ratio_min=float(ratio.min()),
        rows_log_r=float(np.corrcoef(np.log(q75_rows), np.log(q75))[0, 1]),
        contexts_no_zero=int(np.sum(zeros_col == 0)),
        centers_no_zero=int(np.sum(zeros_row == 0)),
        rho_zero_unigram_high_dim=_noise_rho(high),
    )
