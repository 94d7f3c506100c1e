"""Tests for sgns_helpers.lowrank: per-cell losses, quadratic weights, deviation, centred correlation."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

import sgns_helpers as sh


@pytest.fixture(scope="module")
def problem(small_sim):
    C = small_sim.counts
    q = sh.unigram_noise(C)
    return C, q, 5


def test_cell_losses_sum_to_the_objective(problem):
    C, q, k = problem
    X = np.random.default_rng(0).normal(size=C.shape)
    cells = sh.cell_losses(X, C, q, k)
    assert np.all(cells >= 0)
    assert_allclose(cells.sum(), sh.sgns_objective(X, C, q, k), rtol=1e-12)


def test_cell_losses_at_the_optimum_allow_infinities(problem):
    C, q, k = problem
    x_star = sh.sgns_optimum(C, q, k)
    assert np.isneginf(x_star).any()
    cells = sh.cell_losses(x_star, C, q, k)
    assert np.all(np.isfinite(cells))
    assert np.all(cells[C == 0] == 0)  # unseen cells cost nothing at -inf
    assert_allclose(cells.sum(), sh.sgns_objective(x_star, C, q, k), rtol=1e-12)


def test_cell_losses_at_zero_are_total_weight_times_log2(dense_counts):
    q = sh.unigram_noise(dense_counts, power=0.75)
    a, b = sh.sgns_weights(dense_counts, q, 3)
    assert_allclose(sh.cell_losses(np.zeros(a.shape), dense_counts, q, 3), (a + b) * np.log(2) / a.sum())


def test_quadratic_weights_are_the_curvature_at_the_optimum(dense_counts):
    q = sh.unigram_noise(dense_counts, power=0.75)
    k, h = 3, 1e-4
    x_star = sh.sgns_optimum(dense_counts, q, k)
    N = dense_counts.sum()
    # second difference of each one-cell loss at x*
    f = lambda X: sh.cell_losses(X, dense_counts, q, k) * N
    second = (f(x_star + h) - 2 * f(x_star) + f(x_star - h)) / h**2
    w = sh.quadratic_weights(dense_counts, q, k)
    assert_allclose(second, w, rtol=1e-5)
    a = dense_counts.astype(float)
    assert np.all((w > 0) & (w < a))


def test_quadratic_approximation_of_the_objective(dense_counts):
    q = sh.unigram_noise(dense_counts)
    k = 2
    x_star = sh.sgns_optimum(dense_counts, q, k)
    E = np.random.default_rng(2).normal(size=x_star.shape)
    w = sh.quadratic_weights(dense_counts, q, k)
    N = dense_counts.sum()
    bound = sh.sgns_objective(x_star, dense_counts, q, k)
    for eps in (1e-2, 1e-3):
        excess = sh.sgns_objective(x_star + eps * E, dense_counts, q, k) - bound
        quad = eps**2 * (w * E**2).sum() / (2 * N)
        assert abs(excess - quad) < 0.5 * eps * quad  # error is third order


def test_quadratic_weights_zero_on_unseen_cells(problem):
    C, q, k = problem
    w = sh.quadratic_weights(C, q, k)
    assert np.all(w[C == 0] == 0) and np.all(w[C > 0] > 0)


def test_objective_deviation(problem):
    C, q, k = problem
    x_star = sh.sgns_optimum(C, q, k)
    assert sh.objective_deviation(x_star, C, q, k) == 0.0
    X = np.zeros(C.shape)
    bound = sh.sgns_objective(x_star, C, q, k)
    expected = 100 * (sh.sgns_objective(X, C, q, k) - bound) / bound
    assert_allclose(sh.objective_deviation(X, C, q, k), expected, rtol=1e-12)
    # at X = 0 the loss is (1 + k) log 2 exactly
    assert_allclose(sh.objective_deviation(X, C, q, k), 100 * ((1 + k) * np.log(2) / bound - 1), rtol=1e-12)


def test_objective_deviation_splits_into_groups_of_cells(problem):
    C, q, k = problem
    X = np.random.default_rng(5).normal(size=C.shape)
    seen = C > 0
    total = sh.objective_deviation(X, C, q, k)
    parts = [sh.objective_deviation(X, C, q, k, cells=group) for group in (seen, ~seen)]
    assert_allclose(sum(parts), total, rtol=1e-12)
    assert min(parts) > 0
    assert_allclose(sh.objective_deviation(X, C, q, k, cells=np.ones(C.shape, dtype=bool)), total, rtol=1e-12)
    assert sh.objective_deviation(X, C, q, k, cells=np.zeros(C.shape, dtype=bool)) == 0.0
    # on the unseen cells the optimum costs nothing, so their share is their whole loss
    bound = sh.sgns_objective(sh.sgns_optimum(C, q, k), C, q, k)
    assert_allclose(parts[1], 100 * sh.cell_losses(X, C, q, k)[~seen].sum() / bound, rtol=1e-12)
    with pytest.raises(TypeError, match=r"`cells` must be a boolean numpy array; got ndarray of dtype int64"):
        sh.objective_deviation(X, C, q, k, cells=seen.astype(np.int64))
    with pytest.raises(TypeError, match=r"`cells` must be a boolean numpy array; got list"):
        sh.objective_deviation(X, C, q, k, cells=seen.tolist())
    with pytest.raises(ValueError, match=r"`cells` must have the shape of `counts`, \(20, 20\); got \(3, 3\)"):
        sh.objective_deviation(X, C, q, k, cells=np.ones((3, 3), dtype=bool))


def test_centred_correlation():
    rng = np.random.default_rng(3)
    T = rng.normal(size=(8, 2)) @ rng.normal(size=(2, 8))
    offsets = rng.normal(size=(8, 1)) + rng.normal(size=(1, 8)) - 4.0
    assert_allclose(sh.centred_correlation(2.0 * T + offsets, T), 1.0)
    assert_allclose(sh.centred_correlation(-T, T), -1.0)
    X = rng.normal(size=(8, 8))
    expected = np.corrcoef(sh.double_center(X).ravel(), sh.double_center(T).ravel())[0, 1]
    assert_allclose(sh.centred_correlation(X, T), expected, rtol=1e-12)
    assert_allclose(sh.centred_correlation(X, T), sh.centred_correlation(T, X), rtol=1e-12)
    assert np.isnan(sh.centred_correlation(offsets, T))  # nothing left after centring
    assert np.isnan(sh.centred_correlation(np.zeros((8, 8)), T))


def test_input_validation(problem):
    C, q, k = problem
    with pytest.raises(ValueError, match=r"`X` must have the shape of `counts` \(20, 20\); got \(3, 3\)"):
        sh.cell_losses(np.zeros((3, 3)), C, q, k)
    with pytest.raises(ValueError, match=r"`X` must not contain NaN; found 1 NaN entries"):
        X = np.zeros(C.shape)
        X[0, 0] = np.nan
        sh.objective_deviation(X, C, q, k)
    with pytest.raises(TypeError, match=r"`X` must be an array of floats; got str"):
        sh.cell_losses("logits", C, q, k)
    with pytest.raises(ValueError, match=r"`k` must be >= 1; got 0"):
        sh.quadratic_weights(C, q, 0)
    with pytest.raises(ValueError, match=r"`noise` must sum to 1"):
        sh.cell_losses(np.zeros(C.shape), C, q * 2, k)
    with pytest.raises(ValueError, match=r"the full-rank bound of `counts` is 0"):
        # every seen cell has q_j = 0 and every cell with negatives is unseen
        sh.objective_deviation(np.zeros((2, 2)), np.array([[1, 0], [1, 0]]), np.array([0.0, 1.0]), 1)
    with pytest.raises(ValueError, match=r"`X` and `truth` must have the same shape; got \(2, 2\) and \(2, 3\)"):
        sh.centred_correlation(np.zeros((2, 2)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"`truth` must be finite"):
        sh.centred_correlation(np.zeros((2, 2)), np.array([[0.0, np.inf], [0.0, 0.0]]))
    with pytest.raises(ValueError, match=r"`X` must be a 2-D matrix"):
        sh.centred_correlation(np.zeros(4), np.zeros(4))
