"""Judging low-rank (and other) logit matrices by the SGNS objective, cell by cell (chapter 5).

The expected SGNS loss is a sum of independent one-cell losses,

    L(X) = Σ_ij ℓ_ij(x_ij) / N,   ℓ_ij(x) = n_ij log(1 + e^-x) + ν_ij log(1 + e^x),

a loss with positive weight ``n_ij`` and negative weight ``ν_ij = k n_i q_j``.
Each ``ℓ_ij`` is convex with minimum at ``x*_ij = log(n_ij / ν_ij)`` and
curvature ``h_ij = n_ij ν_ij / (n_ij + ν_ij)`` there, so near the optimum SGNS is a
weighted least-squares fit of ``x*``. These functions split a matrix's loss
over the cells, measure its distance to the full-rank bound, and compare the
structure it holds with the truth.
"""

from __future__ import annotations

import numpy as np

from ._checks import check_finite_matrix, check_logits
from .expected import cell_loss
from .pmi import double_center
from .theory import sgns_optimum, sgns_weights

__all__ = ["RUN_OFF", "cell_losses", "quadratic_weights", "objective_deviation", "centred_correlation"]

RUN_OFF = -100.0  # a logit below this has "run off" (chapters 4, 5, 7): far beneath every observed cell's x*,
# where only an unseen cell's logit gets, pushed down by an objective with no minimum in that direction


def cell_losses(X, counts, noise, k) -> np.ndarray:
    """Each cell's share of the expected SGNS loss: ``ℓ_ij(x_ij) / N``.

    Parameters
    ----------
    X : array_like of shape (n_words, n_words)
        Logits; ``±inf`` allowed (a cell whose weight is zero costs nothing).
    counts : array_like of shape (n_words, n_words)
        Pair counts ``n_ij``; rows are centers, columns contexts.
    noise : array_like of shape (n_words,)
        Noise distribution ``q`` over contexts.
    k : int
        Number of negatives.

    Returns
    -------
    ndarray of shape (n_words, n_words)
        Non-negative; sums to ``sgns_objective(X, counts, noise, k)``. The loss is
        separable, so the sum over any group of cells is that group's share.

    Examples
    --------
    At ``X = 0`` a cell costs ``(n_ij + ν_ij) log 2 / N``:

    >>> C = np.array([[3, 1], [2, 4]])
    >>> (cell_losses(np.zeros((2, 2)), C, [0.5, 0.5], k=2) / np.log(2)).round(4)
    array([[0.7, 0.5],
           [0.8, 1. ]])
    """
    positive, negative = sgns_weights(counts, noise, k)
    X = check_logits(X, positive.shape)
    N = positive.sum()
    return cell_loss(X, positive / N, (positive + negative) / N)  # the trainers' one-cell formula


def quadratic_weights(counts, noise, k) -> np.ndarray:
    """Curvature of each one-cell loss at its optimum: ``h_ij = n_ij ν_ij / (n_ij + ν_ij)``.

    Near ``x*``, ``L(X) - L(x*) ≈ Σ_ij h_ij (x_ij - x*_ij)² / (2N)`` over the
    cells with ``n_ij > 0``: SGNS is a weighted least-squares fit of ``x*`` with
    these weights. ``h_ij = n_ij σ(-x*_ij)`` lies between ``min(n_ij, ν_ij) / 2``
    and ``min(n_ij, ν_ij)``: close to ``n_ij`` only where ``x*_ij << 0`` (large ``k``).

    Parameters
    ----------
    counts, noise, k
        As in :func:`cell_losses`.

    Returns
    -------
    ndarray of shape (n_words, n_words)
        Zero on unseen cells (their loss has no minimum: it only pushes down).

    Examples
    --------
    >>> quadratic_weights([[3, 1], [2, 4]], [0.5, 0.5], k=2)  # ν = n_i: 4 and 6
    array([[1.71428571, 0.8       ],
           [1.5       , 2.4       ]])
    """
    positive, negative = sgns_weights(counts, noise, k)
    total = positive + negative
    with np.errstate(invalid="ignore", divide="ignore"):
        h = positive * negative / total
    return np.where((positive > 0) & (negative > 0), h, 0.0)


def objective_deviation(X, counts, noise, k, *, cells=None) -> float:
    """How far ``L(X)`` is above the full-rank bound, in percent of the bound.

    ``100 (L(X) - L(x*)) / L(x*)``, the measure of Levy & Goldberg (2014,
    Table 1). The loss is separable and ``x*`` minimises every cell on its own,
    so the excess splits into non-negative shares of groups of cells.

    Parameters
    ----------
    X, counts, noise, k
        As in :func:`cell_losses`.
    cells : ndarray of bool, shape (n_words, n_words), optional
        Only these cells' share of the excess, still in percent of the whole
        bound (e.g. ``counts > 0`` and its complement, which add up to the total).

    Returns
    -------
    float
        ``>= 0``; ``0`` for ``X = sgns_optimum(counts, noise, k)``.

    Raises
    ------
    ValueError
        If the bound is 0 (no cell has both weights positive), so no percentage exists.

    Examples
    --------
    >>> C, q = np.array([[3, 1], [2, 4]]), np.array([0.5, 0.5])
    >>> objective_deviation(sgns_optimum(C, q, 2), C, q, 2)
    0.0
    """
    if cells is not None:
        if not isinstance(cells, np.ndarray) or cells.dtype != bool:
            dtype = f" of dtype {cells.dtype}" if isinstance(cells, np.ndarray) else ""
            raise TypeError(f"`cells` must be a boolean numpy array; got {type(cells).__name__}{dtype}.")
        if cells.shape != np.shape(counts):
            raise ValueError(f"`cells` must have the shape of `counts`, {np.shape(counts)}; got {cells.shape}.")
    at_optimum = cell_losses(sgns_optimum(counts, noise, k), counts, noise, k)
    bound = float(at_optimum.sum())
    if bound <= 0:
        raise ValueError(
            "the full-rank bound of `counts` is 0 (no cell has both a positive and a "
            "negative weight), so a deviation in percent is undefined."
        )
    losses = cell_losses(X, counts, noise, k)
    if cells is None:
        return 100.0 * max(float(losses.sum()) - bound, 0.0) / bound
    return 100.0 * max(float((losses[cells] - at_optimum[cells]).sum()), 0.0) / bound


def centred_correlation(X, truth) -> float:
    """Pearson correlation of the double-centred ``X`` and ``truth``, over all cells.

    Double-centring removes any row offset plus column offset (biases, the
    ``-log k`` shift, the offsets that PMI adds to ``V Uᵀ``), so this asks
    whether ``X`` holds the interaction structure of ``truth`` (chapter 4).

    Parameters
    ----------
    X : array_like of shape (n_rows, n_cols)
        A finite matrix, e.g. learned logits.
    truth : array_like of shape (n_rows, n_cols)
        A finite matrix, e.g. the true ``V Uᵀ``.

    Returns
    -------
    float
        In [-1, 1]; ``nan`` when either matrix is purely additive (nothing left
        after centring, e.g. an all-zero SPPMI), as a correlation is then undefined.

    Examples
    --------
    >>> T = np.outer([1.0, -1.0, 0.0], [2.0, 0.0, -2.0])
    >>> centred_correlation(T + np.arange(3)[:, None] + 5.0, T)  # offsets do not matter
    1.0
    """
    X = check_finite_matrix(X, "X")
    truth = check_finite_matrix(truth, "truth")
    if X.shape != truth.shape:
        raise ValueError(f"`X` and `truth` must have the same shape; got {X.shape} and {truth.shape}.")
    a, b = double_center(X).ravel(), double_center(truth).ravel()
    scale_a, scale_b = np.abs(X).max(), np.abs(truth).max()
    if np.sqrt(a @ a) <= 1e-12 * max(scale_a, 1e-300) or np.sqrt(b @ b) <= 1e-12 * max(scale_b, 1e-300):
        return float("nan")
    return float(np.clip(a @ b / np.sqrt((a @ a) * (b @ b)), -1.0, 1.0))
