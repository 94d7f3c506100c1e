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

from ._checks import as_rng, check_counts, check_counts_dense_or_sparse, check_factors, check_logits, check_noise, check_positive_int
from .expected import ExpectedLoss, cell_loss

__all__ = ["sgns_weights", "sgns_optimum", "sgns_objective", "sgns_gradient", "batch_normalised_counts"]


def _inputs(counts, noise, k, dense: str | None = None):
    """Validate ``counts`` (real weights allowed), ``noise`` and ``k`` once; ``dense`` names what needs a dense matrix."""
    if dense and sp.issparse(counts):
        raise TypeError(f"`counts` is a scipy.sparse matrix, but {dense} is a dense n × n matrix; pass counts.toarray() "
                        "for a small problem (sgns_objective and sgns_optimum take sparse counts).")
    counts = check_counts_dense_or_sparse(counts, whole=False)
    return counts, check_noise(noise, counts.shape[1]), check_positive_int(k, "k")


def sgns_weights(counts, noise, k) -> tuple[np.ndarray, np.ndarray]:
    """Positive and negative weights of every cell in the expected SGNS loss.

    Parameters
    ----------
    counts : array_like of shape (n_words, n_words)
        Pair counts ``n_ij`` (or any non-negative real weights); rows are centers, columns contexts.
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
    positive, noise, k = _inputs(counts, noise, k, dense="the negative weight k n_i q_j")
    negative = k * np.outer(positive.sum(axis=1), noise)
    return positive, negative


def sgns_optimum(counts, noise, k) -> np.ndarray:
    """Full-rank minimiser of the expected SGNS loss: ``x*_ij = log(n_ij / (k n_i q_j))``.

    Parameters
    ----------
    counts, noise, k
        As in ``sgns_weights``; ``counts`` may be a scipy.sparse matrix.

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
        counts, noise, k = _inputs(counts, noise, k)
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


def sgns_objective(X, counts, noise, k) -> float:
    """Exact expected SGNS loss of a logit matrix, per positive pair.

    ``L(X) = -Σ_ij [n_ij log σ(x_ij) + k n_i q_j log σ(-x_ij)] / Σ_ij n_ij``.
    A cell whose weight is zero contributes nothing, so ``X`` may hold ``±inf``
    (as ``sgns_optimum`` does).

    The sum is ``expected.ExpectedLoss``, the one implementation the trainers
    use too. For large sparse counts it runs a block of rows at a time: the
    exact value without any n × n matrix, so it works at n = 10,000 (chapter 7).

    Parameters
    ----------
    X : array_like of shape (n_words, n_words), or tuple of arrays
        Logits ``x_ij`` (for a model, ``V Uᵀ`` plus any biases), or the factors
        ``(V, U)`` or ``(V, U, b, c)`` of ``X = V Uᵀ + b 1ᵀ + 1 cᵀ``
        (``TrainResult.factors()``).
    counts, noise, k
        As in ``sgns_weights``; ``counts`` may be a scipy.sparse matrix.

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
    counts, noise, k = _inputs(counts, noise, k)
    if isinstance(X, tuple) and len(X) > 0 and np.ndim(X[0]) == 2:  # factors
        return ExpectedLoss(counts, noise, k)(*check_factors(X, counts.shape[0]))
    return ExpectedLoss(counts, noise, k)(check_logits(X, counts.shape))


def sgns_gradient(X, counts, noise, k) -> np.ndarray:
    """Gradient of ``sgns_objective`` with respect to the logits, derived by hand.

    ``∂L/∂x_ij = -[n_ij σ(-x_ij) - k n_i q_j σ(x_ij)] / Σ n``; it vanishes
    exactly at ``sgns_optimum``.

    Parameters
    ----------
    X : array_like of shape (n_words, n_words)
        Finite logits.
    counts, noise, k
        As in ``sgns_objective`` (dense counts).

    Returns
    -------
    ndarray of shape (n_words, n_words)
        The formula is ``expected.cell_loss``'s, the one the trainers use.
    """
    positive, noise, k = _inputs(counts, noise, k, dense="the gradient in the logits")
    negative = k * np.outer(positive.sum(axis=1), noise)
    X = check_logits(X, positive.shape)
    if not np.all(np.isfinite(X)):
        raise ValueError("`X` must be finite to take a gradient; found infinite entries.")
    N = positive.sum()
    return cell_loss(X, positive / N, (positive + negative) / N, grad=True)[1]


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
    batch_size, n_draws : int, default 64, 4000
        Cells per mini-batch ``B``; Monte Carlo draws of ``S``.
    seed : int or numpy.random.Generator, default 0

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
