"""Tests for sgns_helpers.counts_sgd: word2vec's SGD driven by weighted counts."""

import numpy as np
import pytest
import scipy.sparse as sp

import sgns_helpers as sh
from sgns_helpers.counts_sgd import _epoch_pairs, train_counts_sgd


def small_problem(seed=0, n=8):
    rng = np.random.default_rng(seed)
    C = rng.gamma(2.0, 20.0, size=(n, n)) * (rng.random((n, n)) < 0.8)
    C = C + C.T + np.eye(n)  # symmetric, every row seen
    q = C.sum(0) ** 0.75
    return sp.csr_matrix(C), q / q.sum()


def test_epoch_uses_each_cell_its_weight_in_expectation():
    rows, cols, weight = np.array([0, 1, 2]), np.array([1, 2, 0]), np.array([2.0, 0.25, 3.5])
    rng = np.random.default_rng(0)
    used = np.zeros(3)
    for _ in range(4000):
        r, c = _epoch_pairs(rows, cols, weight, rng)
        used += np.bincount(r, minlength=3)
    np.testing.assert_allclose(used / 4000, weight, atol=0.03)


@pytest.mark.slow
@pytest.mark.parametrize("shared", [0, 16])
def test_full_rank_fit_approaches_the_shifted_pmi(shared):
    counts, q = small_problem()
    k = 3
    fit = train_counts_sgd(counts, q, k=k, dim=8, epochs=150, lr=0.05, batch_size=64, shared_negatives=shared, seed=1)
    x_star = sh.sgns_optimum(counts, q, k).toarray()
    X = fit.V.astype(float) @ fit.U.T
    seen = counts.toarray() >= 20
    assert np.corrcoef(X[seen], x_star[seen])[0, 1] > 0.9
    assert fit.updates == pytest.approx(150 * counts.sum(), rel=0.02)
    assert fit.seconds.shape == (150,) and np.all(np.diff(fit.seconds) >= 0)


def test_same_seed_same_vectors():
    counts, q = small_problem()
    a = train_counts_sgd(counts, q, dim=4, epochs=3, seed=5, threads=1)
    b = train_counts_sgd(counts, q, dim=4, epochs=3, seed=5, threads=1)
    np.testing.assert_array_equal(a.V, b.V)


def test_input_validation():
    counts, q = small_problem()
    with pytest.raises(TypeError, match="`counts` must be a square scipy.sparse matrix"):
        train_counts_sgd(counts.toarray(), q)
    with pytest.raises(ValueError, match="finite, non-negative"):
        train_counts_sgd(counts * -1.0, q)
    with pytest.raises(ValueError, match="`noise`"):
        train_counts_sgd(counts, q[:-1])
    with pytest.raises(ValueError, match="`shared_negatives` must be >= 0"):
        train_counts_sgd(counts, q, shared_negatives=-2)
    with pytest.raises(ValueError, match="`lr` must be a positive"):
        train_counts_sgd(counts, q, lr=0.0)
