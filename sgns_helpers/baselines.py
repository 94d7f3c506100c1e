"""The SVD baseline in its best form, and the ablation from SPPMI to it (chapter 5).

The SVD of SPPMI differs from SGNS in four ways: it clips negative PMI to 0, it
cannot hold row and column offsets at low rank, it sets unseen cells to 0, and
it weights every cell the same. :func:`svd_ablation` removes them one at a
time, so the gap between the two methods can be attributed. The best-form SVD
is :func:`offset_svd_logits` of the smoothed shifted PMI
``log((n_ij + 1/2) / (k n_i q_j))``: offsets ``β_i + γ_j`` from double-centring,
plus the rank-``d`` SVD ``Φ_d Σ_d Ψ_dᵀ`` of the double-centred matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import as_rng, check_counts, check_finite_matrix, check_positive_float, check_positive_int
from .factorize import sppmi, svd_embeddings
from .lowrank import centred_correlation, objective_deviation
from .noise import unigram_noise
from .pmi import double_center
from .theory import sgns_optimum, sgns_weights

__all__ = ["smoothed_shifted_pmi", "offset_svd_logits", "weighted_offset_fit", "svd_ablation", "Ablation",
           "ABLATION_STEPS"]

ABLATION_STEPS = (
    "SVD of SPPMI",  # clipped, no offsets, unseen cells 0, unweighted
    "+ offsets",  # the same matrix, double-centred; offsets added back
    "+ negative PMI kept",  # shifted PMI on the seen cells (unseen cells still 0)
    "+ unseen cells smoothed",  # log((n + 1/2) / ν) everywhere
    "+ weights h",  # weighted least squares with the curvatures of the smoothed cells
)


def smoothed_shifted_pmi(counts, noise, k, *, smoothing=0.5) -> np.ndarray:
    """Shifted PMI with a pseudo-count: ``log((n_ij + smoothing) / (k n_i q_j))``.

    Finite on every cell, unseen ones included, and equal to ``x*`` up to the
    pseudo-count on the seen ones: a full logit matrix an SVD can take.

    Parameters
    ----------
    counts : array_like of shape (n_words, n_words)
        Pair counts ``n_ij``; rows are centers, columns contexts.
    noise : array_like of shape (n_words,)
        Noise distribution ``q``, positive on every context.
    k : int
        Number of negatives.
    smoothing : float, default 0.5
        Pseudo-count added to every cell, ``> 0``.

    Returns
    -------
    ndarray of shape (n_words, n_words)

    Examples
    --------
    >>> smoothed_shifted_pmi([[1, 0], [2, 1]], [0.5, 0.5], k=1).round(3)  # ν = 0.5 in row 0, 1.5 in row 1
    array([[1.099, 0.   ],
           [0.511, 0.   ]])
    """
    smoothing = check_positive_float(smoothing, "smoothing")
    positive, negative = sgns_weights(counts, noise, k)  # n_ij and ν_ij = k n_i q_j
    if np.any(negative <= 0):
        raise ValueError("`noise` must be positive on every context (and every row of `counts` non-empty).")
    return np.log(positive + smoothing) - np.log(negative)


def offset_svd_logits(M, dim) -> np.ndarray:
    """Row and column offsets plus the rank-``dim`` SVD of the double-centred ``M``.

    ``β_i + γ_j + Φ_d Σ_d Ψ_dᵀ``, with ``β_i + γ_j`` the row mean plus column mean
    minus the grand mean of ``M``: the best approximation of ``M`` in Frobenius
    norm by a rank-``dim`` matrix plus offsets (what an SVD can do once it is
    given the offsets that a bias model has).

    Parameters
    ----------
    M : array_like of shape (n_rows, n_cols)
        A finite matrix.
    dim : int
        Rank of the interaction part, ``1 <= dim <= min(M.shape)``.

    Returns
    -------
    ndarray of shape (n_rows, n_cols)

    Examples
    --------
    >>> M = np.add.outer([0.0, 1.0, 5.0], [2.0, -1.0])  # offsets only
    >>> np.allclose(offset_svd_logits(M, 1), M)
    True
    """
    M = check_finite_matrix(M, "M")
    dim = check_positive_int(dim, "dim")
    centred = double_center(M)
    W, U_svd = svd_embeddings(centred, dim)
    return (M - centred) + W @ U_svd.T


def weighted_offset_fit(target, weights, dim, *, n_iter=100, seed=None) -> np.ndarray:
    """Weighted least squares: ``argmin Σ h_ij (x_ij - t_ij)²`` over ``X = V Uᵀ + b 1ᵀ + 1 cᵀ``.

    Alternating least squares: each half-step solves one small weighted
    regression per row (then per column) for ``(v_i, b_i)`` (``(u_j, c_j)``).
    It starts from the unweighted answer, :func:`offset_svd_logits`, unless
    a ``seed`` asks for a random start; each half-step can only lower the loss.

    Parameters
    ----------
    target : array_like of shape (n_rows, n_cols)
        Finite targets ``t``.
    weights : array_like of shape (n_rows, n_cols)
        Non-negative weights ``h``; every row and column needs positive ones.
    dim : int
        Rank of ``V Uᵀ``.
    n_iter : int, default 100
        Number of alternations.
    seed : int, numpy.random.Generator or None, default None
        ``None``: start from the unweighted fit; otherwise a standard normal start of ``V``, ``U``.

    Returns
    -------
    ndarray of shape (n_rows, n_cols)
        The fitted logits ``X``.

    Examples
    --------
    >>> T = np.outer([1.0, -2.0, 0.5], [1.0, 0.0, 3.0]) + 4.0
    >>> np.allclose(weighted_offset_fit(T, np.ones((3, 3)), 1), T)
    True
    """
    target = check_finite_matrix(target, "target")
    weights = check_finite_matrix(weights, "weights")
    if weights.shape != target.shape:
        raise ValueError(f"`weights` must have the shape of `target`, {target.shape}; got {weights.shape}.")
    if np.any(weights < 0) or np.any(weights.sum(axis=1) <= 0) or np.any(weights.sum(axis=0) <= 0):
        raise ValueError("`weights` must be >= 0 with a positive entry in every row and every column.")
    dim = check_positive_int(dim, "dim")
    n_iter = check_positive_int(n_iter, "n_iter")
    n_rows, n_cols = target.shape
    if seed is None:  # the unweighted optimum: SVD of the double-centred target, offsets in c
        W, U_svd = svd_embeddings(double_center(target), dim)
        V, U, c = W, U_svd, target.mean(axis=0) - target.mean()
    else:
        rng = as_rng(seed)
        V, U, c = rng.standard_normal((n_rows, dim)), rng.standard_normal((n_cols, dim)), np.zeros(n_cols)

    def rows(h, features, t):  # per row i: argmin_θ Σ_j h_ij (t_ij − features_j · θ)²
        A = np.einsum("ij,jk,jl->ikl", h, features, features) + 1e-10 * np.eye(features.shape[1])
        return np.linalg.solve(A, np.einsum("ij,jk,ij->ik", h, features, t)[..., None])[..., 0]

    for _ in range(n_iter):
        theta = rows(weights, np.hstack([U, np.ones((n_cols, 1))]), target - c)
        V, b = theta[:, :dim], theta[:, dim]
        theta = rows(weights.T, np.hstack([V, np.ones((n_rows, 1))]), (target - b[:, None]).T)
        U, c = theta[:, :dim], theta[:, dim]
    return V @ U.T + b[:, None] + c


@dataclass(frozen=True)
class Ablation:
    """The SVD baseline, one change at a time (rows in the order of ``ABLATION_STEPS``)."""

    steps: tuple  # names of the steps, ABLATION_STEPS
    logits: tuple  # (n_words, n_words) logit matrix of each step
    recovery: np.ndarray  # (n_steps,) centred correlation with the truth
    deviation: np.ndarray  # (n_steps,) 100 (L(X) − L(x*)) / L(x*), %


def svd_ablation(counts, truth, k, *, noise_power=0.75, dim=2) -> Ablation:
    """From the SVD of SPPMI to the best-form SVD, one change at a time.

    Steps (``ABLATION_STEPS``): the SVD of SPPMI; the same with offsets
    (:func:`offset_svd_logits`); shifted PMI ``x*`` on the seen cells in place
    of its positive part (unseen cells still 0); unseen cells from the smoothed
    shifted PMI (:func:`smoothed_shifted_pmi`); and weighted least squares with
    the curvatures ``h = m ν / (m + ν)``, ``m = n + 1/2``
    (:func:`weighted_offset_fit`).

    Parameters
    ----------
    counts : array_like of shape (n_words, n_words)
        Pair counts.
    truth : array_like of shape (n_words, n_words)
        The matrix recovery is measured against, e.g. ``V Uᵀ``.
    k : int
        Number of negatives (the shift, and the SGNS objective judged).
    noise_power : float, default 0.75
        ``α`` of the context distribution ``q ∝ n_j^α``.
    dim : int, default 2
        Rank of every fit.

    Returns
    -------
    Ablation

    Examples
    --------
    >>> import sgns_helpers as sh
    >>> sim = sh.simulate_cooccurrence(n_words=40, n_pairs=50_000, seed=1)
    >>> abl = svd_ablation(sim.counts, sim.V @ sim.U.T, k=1)
    >>> bool(abl.recovery[3] > abl.recovery[0])
    True
    """
    counts = check_counts(counts)
    q = unigram_noise(counts, power=noise_power)
    seen = counts > 0
    x_star = sgns_optimum(counts, q, k)
    smooth = smoothed_shifted_pmi(counts, q, k)
    m, nu = counts + 0.5, sgns_weights(counts, q, k)[1]
    W, U_svd = svd_embeddings(sppmi(counts, k, noise_power=noise_power), dim)
    logits = (
        W @ U_svd.T,
        offset_svd_logits(sppmi(counts, k, noise_power=noise_power), dim),
        offset_svd_logits(np.where(seen, x_star, 0.0), dim),
        offset_svd_logits(smooth, dim),
        weighted_offset_fit(smooth, m * nu / (m + nu), dim),
    )
    truth = check_finite_matrix(truth, "truth")
    recovery = np.array([centred_correlation(X, truth) for X in logits])
    deviation = np.array([objective_deviation(X, counts, q, k) for X in logits])
    return Ablation(ABLATION_STEPS, logits, recovery, deviation)
