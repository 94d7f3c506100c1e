"""The closed-form SGNS optimum and the exact expected objective (chapters 2-4).

Averaged over negative samples, SGNS with ``k`` negatives drawn from ``q``
minimises, per center word i and context j,

    ℓ_ij(x) = -[ n_ij log σ(x) + k n_i q_j log σ(-x) ],

where ``n_i = Σ_j n_ij``. Setting ``dℓ/dx = 0`` gives the stationary point
``x*_ij = log(n_ij / (k n_i q_j))``; for ``q`` the unigram distribution of
contexts this is ``PMI_ij - log k`` (Levy & Goldberg, 2014).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ._checks import (
    as_rng, check_counts, check_counts_dense_or_sparse, check_logits, check_noise, check_positive_int,
)
from .chunked import chunked_objective

__all__ = [
    "sgns_weights",
    "sgns_optimum",
    "sgns_objective",
    "sgns_gradient",
    "batch_normalised_counts",
]


def _check_k(k) -> int:
    return check_positive_int(k, "k")



def _no_sparse(counts, what: str):
    if sp.issparse(counts):
        raise TypeError(
            f"`counts` is a scipy.sparse matrix, but {what} is a dense n × n matrix; "
            "pass counts.toarray() for a small problem (sgns_objective and sgns_optimum take sparse counts)."
        )


def _check_factors(X, n: int):
    """Validate factors ``(V, U)`` or ``(V, U, b, c)`` of the logits; return ``(V, U, b, c)``."""
    if len(X) not in (2, 4):
        raise ValueError(f"`X` given as factors must be (V, U) or (V, U, b, c); got a tuple of {len(X)}.")
    V, U, b, c = (tuple(X) + (None, None))[:4]
    if (b is None) != (c is None):
        raise ValueError("`X` given as factors needs both biases b and c, or neither.")
    V, U = np.asarray(V, dtype=float), np.asarray(U, dtype=float)
    if V.ndim != 2 or V.shape != U.shape or V.shape[0] != n:
        raise ValueError(f"`X` factors V and U must both have shape ({n}, d); got {V.shape} and {U.shape}.")
    if b is not None:
        b, c = np.asarray(b, dtype=float), np.asarray(c, dtype=float)
        if b.shape != (n,) or c.shape != (n,):
            raise ValueError(f"`X` biases b and c must have shape ({n},); got {b.shape} and {c.shape}.")
    for arr in (V, U, b, c):
        if arr is not None and not np.all(np.isfinite(arr)):
            raise ValueError("`X` factors must be finite; found NaN or inf entries.")
    return V, U, b, c


def sgns_weights(counts, noise, k) -> tuple[np.ndarray, np.ndarray]:
    """Positive and negative weights of every cell in the expected SGNS loss.

    Parameters
    ----------
    counts : array_like of shape (n_words, n_words)
        Pair counts ``n_ij``; rows are centers, columns contexts.
    noise : array_like of shape (n_words,)
        Noise distribution ``q`` over contexts, summing to 1.
    k : int
        Number of negatives per positive pair.

    Returns
    -------
    positive : ndarray of shape (n_words, n_words)
        ``n_ij`` as floats.
    negative : ndarray of shape (n_words, n_words)
        ``k n_i q_j``: how many times, in expectation, context j is drawn as
        a negative for center i.
    """
    _no_sparse(counts, "the negative weight k n_i q_j")
    counts = check_counts(counts)
    noise = check_noise(noise, counts.shape[1])
    k = _check_k(k)
    positive = counts.astype(float)
    negative = k * np.outer(positive.sum(axis=1), noise)
    return positive, negative


def sgns_optimum(counts, noise, k) -> np.ndarray:
    """Full-rank minimiser of the expected SGNS loss: ``x*_ij = log(n_ij / (k n_i q_j))``.

    Parameters
    ----------
    counts : array_like or scipy.sparse matrix of shape (n_words, n_words)
        Pair counts.
    noise : array_like of shape (n_words,)
        Noise distribution over contexts.
    k : int
        Number of negatives.

    Returns
    -------
    ndarray or scipy.sparse.csr_array of shape (n_words, n_words)
        ``-inf`` where ``n_ij = 0`` (the cell is only ever pushed down) and
        ``+inf`` where ``q_j = 0 < n_ij`` (it is only ever pushed up). For
        sparse counts, a ``csr_array`` that stores ``x*`` on the observed cells
        only (its unstored cells stand for ``-inf``, not 0).

    Examples
    --------
    With unigram noise over contexts, ``x* + log k`` is the empirical PMI:

    >>> from sgns_helpers import empirical_pmi, unigram_noise
    >>> C = np.array([[3, 1], [2, 4]])
    >>> q = unigram_noise(C, power=1.0)
    >>> bool(np.allclose(sgns_optimum(C, q, k=5) + np.log(5), empirical_pmi(C)))
    True
    """
    if sp.issparse(counts):
        counts = check_counts_dense_or_sparse(counts)
        noise = check_noise(noise, counts.shape[1])
        k = _check_k(k)
        i, j = counts.nonzero()
        row = np.asarray(counts.sum(axis=1), dtype=float).ravel()
        with np.errstate(divide="ignore"):
            x = np.log(counts.data) - np.log(k * row[i]) - np.log(noise[j])
        return sp.csr_array((x, counts.indices.copy(), counts.indptr.copy()), shape=counts.shape)
    positive, negative = sgns_weights(counts, noise, k)
    with np.errstate(divide="ignore", invalid="ignore"):
        X = np.log(positive) - np.log(negative)
    X[positive == 0] = -np.inf  # includes cells where both weights vanish
    return X


def _log_sigmoid(x: np.ndarray) -> np.ndarray:
    """log σ(x) = -log(1 + e^{-x}), stable for large |x| and exact at ±inf."""
    return -np.logaddexp(0.0, -x)


def sgns_objective(X, counts, noise, k) -> float:
    """Exact expected SGNS loss of a logit matrix, per positive pair.

    ``L(X) = -Σ_ij [n_ij log σ(x_ij) + k n_i q_j log σ(-x_ij)] / Σ_ij n_ij``.
    A cell whose weight is zero contributes nothing, so ``X`` may hold ``±inf``
    (as ``sgns_optimum`` does).

    For sparse counts, or logits given as factors, the sum runs a block of
    rows at a time (``chunked.chunked_objective``): the exact value, computed
    without any n × n matrix, so it works at n = 10,000 (chapter 7).

    Parameters
    ----------
    X : array_like of shape (n_words, n_words), or tuple of arrays
        Logits ``x_ij`` (for a model, ``V Uᵀ`` plus any biases), or the factors
        ``(V, U)`` or ``(V, U, b, c)`` of ``X = V Uᵀ + b 1ᵀ + 1 cᵀ``
        (``TrainResult.factors()``).
    counts : array_like or scipy.sparse matrix of shape (n_words, n_words)
        Pair counts.
    noise : array_like of shape (n_words,)
        Noise distribution over contexts.
    k : int
        Number of negatives.

    Returns
    -------
    float
        The loss; ``sgns_objective(sgns_optimum(...), ...)`` is its minimum
        over all matrices (the full-rank bound).

    Examples
    --------
    With ``X = 0`` every term is ``log 2``: the loss is ``(1 + k) log 2``.

    >>> C = np.array([[3, 1], [2, 4]])
    >>> q = np.array([0.5, 0.5])
    >>> bool(np.isclose(sgns_objective(np.zeros((2, 2)), C, q, k=3), 4 * np.log(2)))
    True
    """
    factored = isinstance(X, tuple) and len(X) > 0 and np.ndim(X[0]) == 2
    if factored or sp.issparse(counts):
        counts = check_counts_dense_or_sparse(counts)
        noise = check_noise(noise, counts.shape[1])
        k = _check_k(k)
        X = _check_factors(X, counts.shape[0]) if factored else check_logits(X, counts.shape)
        return chunked_objective(X, counts, noise, k)
    positive, negative = sgns_weights(counts, noise, k)
    X = check_logits(X, positive.shape)
    with np.errstate(invalid="ignore"):
        pos = np.where(positive > 0, positive * _log_sigmoid(X), 0.0)
        neg = np.where(negative > 0, negative * _log_sigmoid(-X), 0.0)
    return float(-(pos.sum() + neg.sum()) / positive.sum())


def sgns_gradient(X, counts, noise, k) -> np.ndarray:
    """Gradient of ``sgns_objective`` with respect to the logits, derived by hand.

    ``∂L/∂x_ij = -[n_ij σ(-x_ij) - k n_i q_j σ(x_ij)] / Σ n``; it vanishes
    exactly at ``sgns_optimum``.

    Parameters
    ----------
    X : array_like of shape (n_words, n_words)
        Finite logits.
    counts, noise, k
        As in ``sgns_objective``.

    Returns
    -------
    ndarray of shape (n_words, n_words)
    """
    _no_sparse(counts, "the gradient in the logits")
    positive, negative = sgns_weights(counts, noise, k)
    X = check_logits(X, positive.shape)
    if not np.all(np.isfinite(X)):
        raise ValueError("`X` must be finite to take a gradient; found infinite entries.")
    sig = 0.5 * (1.0 + np.tanh(0.5 * X))  # σ(x) without overflow
    return -(positive * (1.0 - sig) - negative * sig) / positive.sum()


def batch_normalised_counts(counts, batch_size=64, *, n_draws=4000, seed=0) -> np.ndarray:
    """The counts that a loop normalising each batch by its own weight really uses.

    The gist divides each mini-batch loss by the batch's total count,
    ``Σ_b w_b ℓ_b / Σ_b w_b``. A cell of count ``w`` in a batch with ``B - 1``
    other cells of total ``S`` then enters with weight ``w / (w + S)``, so over an
    epoch it is weighted by ``w E[1 / (w + S)]`` instead of ``w``: heavy cells
    dominate their own batch and are shrunk. This estimates those effective
    counts by Monte Carlo over ``S`` (the other cells drawn uniformly from the
    non-zero cells) and rescales them to the same total as ``counts``.

    Parameters
    ----------
    counts : array_like of shape (n_words, n_words)
        Pair counts.
    batch_size : int, default 64
        Cells per mini-batch ``B``.
    n_draws : int, default 4000
        Monte Carlo draws of ``S``.
    seed : int or numpy.random.Generator, default 0
        Randomness for the draws.

    Returns
    -------
    ndarray of shape (n_words, n_words)
        Effective counts (floats), zero on zero cells, summing to ``counts.sum()``.
        The per-batch loop minimises, in expectation, the SGNS objective with
        these in place of ``n_ij`` (for the positives *and* inside ``n_i`` of the
        negatives, since a cell's negatives share its batch weight).
    """
    counts = check_counts(counts)
    batch_size = check_positive_int(batch_size, "batch_size")
    n_draws = check_positive_int(n_draws, "n_draws")
    rng = as_rng(seed)
    w = counts[counts > 0].astype(float)  # (C,) the non-zero cells
    others = rng.choice(w, size=(n_draws, batch_size - 1), replace=True).sum(axis=1)  # (M,)
    unique, inverse = np.unique(w, return_inverse=True)  # few distinct counts: cheap
    mean_inv = (1.0 / (unique[:, None] + others[None, :])).mean(axis=1)  # (U,)
    eff = w * mean_inv[inverse]
    eff *= w.sum() / eff.sum()
    out = np.zeros(counts.shape)
    out[counts > 0] = eff
    return out
