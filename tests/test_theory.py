"""Tests for sgns_helpers.theory: the closed-form optimum, objective and gradient."""

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal

import sgns_helpers as sh


def _noises(counts):
    n = counts.shape[1]
    return {
        "unigram 0.75": sh.unigram_noise(counts),
        "unigram 1": sh.unigram_noise(counts, power=1.0),
        "uniform": np.full(n, 1.0 / n),
        "center unigram": sh.unigram_noise(counts, axis="center"),
    }


def test_sgns_weights_are_counts_and_k_n_i_q_j(dense_counts):
    q = sh.unigram_noise(dense_counts)
    pos, neg = sh.sgns_weights(dense_counts, q, 7)
    assert pos.dtype == float and neg.shape == dense_counts.shape
    assert_array_equal(pos, dense_counts)
    assert_allclose(neg, 7 * dense_counts.sum(1)[:, None] * q[None, :], rtol=1e-12, atol=0)
    assert_allclose(neg.sum(), 7 * dense_counts.sum(), rtol=1e-12, atol=0)  # k negatives per pair


def test_optimum_is_a_stationary_point(dense_counts):
    # no zero cell and q > 0 everywhere: x* is finite and the gradient vanishes on every cell
    for name, q in _noises(dense_counts).items():
        for k in (1, 5, 20):
            X = sh.sgns_optimum(dense_counts, q, k)
            assert np.all(np.isfinite(X)), name
            assert_allclose(X, np.log(dense_counts / (k * np.outer(dense_counts.sum(1), q))), rtol=1e-12, atol=1e-12)
            assert_allclose(sh.sgns_gradient(X, dense_counts, q, k), 0.0, rtol=0, atol=1e-15)


def test_optimum_is_the_minimum_with_the_closed_form_value(dense_counts):
    q = sh.unigram_noise(dense_counts)
    k = 5
    X = sh.sgns_optimum(dense_counts, q, k)
    pos, neg = sh.sgns_weights(dense_counts, q, k)
    # at x*, σ(x*) = n/(n + kn_iq_j): L* = -Σ [n log(n/(n+m)) + m log(m/(n+m))] / N
    expected = -(pos * np.log(pos / (pos + neg)) + neg * np.log(neg / (pos + neg))).sum() / pos.sum()
    best = sh.sgns_objective(X, dense_counts, q, k)
    assert_allclose(best, expected, rtol=1e-12, atol=0)
    rng = np.random.default_rng(0)
    for _ in range(20):  # the loss is strictly convex in each cell: any move goes up
        assert sh.sgns_objective(X + 0.1 * rng.standard_normal(X.shape), dense_counts, q, k) > best


def test_optimum_infinity_conventions():
    C = np.array([[5, 0, 2], [1, 3, 0], [4, 4, 1]])
    q = np.array([0.5, 0.5, 0.0])  # context 2 is never drawn as a negative
    k = 3
    X = sh.sgns_optimum(C, q, k)
    # -inf where n_ij = 0 (cells [0,1] and [1,2]; [1,2] also has q_j = 0)
    assert np.isneginf(X[0, 1]) and np.isneginf(X[1, 2])
    # +inf where q_j = 0 < n_ij
    assert np.isposinf(X[0, 2]) and np.isposinf(X[2, 2])
    finite = np.isfinite(X)
    assert_array_equal(finite, (C > 0) & (q[None, :] > 0))
    i, j = np.nonzero(finite)
    assert_allclose(X[i, j], np.log(C[i, j] / (k * C.sum(1)[i] * q[j])), rtol=1e-12, atol=0)
    # the infinite cells contribute nothing: the objective is finite and equals that of a
    # clipped matrix, whose gradient is zero up to σ(±50) ≈ 2e-22
    L = sh.sgns_objective(X, C, q, k)
    assert np.isfinite(L)
    clipped = np.clip(X, -50, 50)
    assert_allclose(sh.sgns_objective(clipped, C, q, k), L, rtol=1e-14, atol=0)
    assert_allclose(sh.sgns_gradient(clipped, C, q, k), 0.0, rtol=0, atol=1e-15)


def test_optimum_plus_log_k_is_empirical_pmi_for_context_unigram_noise(small_sim):
    C = small_sim.counts
    assert (C == 0).any()
    q = sh.unigram_noise(C, power=1.0)
    for k in (1, 5, 20):
        assert_allclose(sh.sgns_optimum(C, q, k) + np.log(k), sh.empirical_pmi(C), rtol=0, atol=1e-12)


def test_smoothed_noise_shifts_each_column_by_a_constant(small_sim):
    # x*_ij + log k - PMI_ij = log(q1_j / q_j): depends on the column only
    C = small_sim.counts
    k = 5
    q1 = sh.unigram_noise(C, power=1.0)
    q = sh.unigram_noise(C, power=0.75)
    with np.errstate(invalid="ignore"):  # -inf - (-inf) on zero cells
        diff = sh.sgns_optimum(C, q, k) + np.log(k) - sh.empirical_pmi(C)
    nz = C > 0
    expected = np.broadcast_to(np.log(q1 / q)[None, :], C.shape)
    assert_allclose(diff[nz], expected[nz], rtol=0, atol=1e-12)
    assert np.ptp(np.log(q1 / q)) > 0.1  # the shift really differs between columns


def test_objective_at_zero_is_one_plus_k_log_2(small_sim, dense_counts):
    for C in (small_sim.counts, dense_counts):
        for q in _noises(C).values():
            for k in (1, 4, 20):
                assert_allclose(sh.sgns_objective(np.zeros(C.shape), C, q, k), (1 + k) * np.log(2), rtol=1e-12, atol=0)


def test_objective_matches_a_direct_formula_and_is_stable(small_sim):
    C = small_sim.counts
    q = sh.unigram_noise(C)
    rng = np.random.default_rng(3)
    X = rng.standard_normal(C.shape)
    pos, neg = sh.sgns_weights(C, q, 5)
    sig = 1 / (1 + np.exp(-X))
    expected = -(pos * np.log(sig) + neg * np.log(1 - sig)).sum() / C.sum()
    assert_allclose(sh.sgns_objective(X, C, q, 5), expected, rtol=1e-12, atol=0)
    # large logits do not overflow: the loss is linear in |x| on the wrong side
    big = sh.sgns_objective(np.full(C.shape, 800.0), C, q, 5)
    assert_allclose(big, 800.0 * neg.sum() / C.sum(), rtol=1e-12, atol=0)


def test_gradient_matches_finite_differences(small_sim):
    C = small_sim.counts
    q = sh.unigram_noise(C)
    k = 5
    rng = np.random.default_rng(4)
    X = rng.standard_normal(C.shape)
    G = sh.sgns_gradient(X, C, q, k)
    h = 1e-6
    for _ in range(15):
        i, j = rng.integers(C.shape[0], size=2)
        E = np.zeros(C.shape)
        E[i, j] = h
        fd = (sh.sgns_objective(X + E, C, q, k) - sh.sgns_objective(X - E, C, q, k)) / (2 * h)
        assert_allclose(G[i, j], fd, rtol=1e-5, atol=1e-10)


def test_gradient_formula():
    C = np.array([[2, 1], [0, 3]])
    q = np.array([0.25, 0.75])
    X = np.array([[0.5, -1.0], [2.0, 0.0]])
    sig = 1 / (1 + np.exp(-X))
    pos, neg = C, 2 * np.outer(C.sum(1), q)
    assert_allclose(sh.sgns_gradient(X, C, q, 2), -(pos * (1 - sig) - neg * sig) / 6, rtol=1e-12, atol=0)


def test_batch_normalised_counts_basic_properties(small_sim):
    C = small_sim.counts
    eff = sh.batch_normalised_counts(C, batch_size=16, seed=0)
    assert eff.shape == C.shape
    assert_allclose(eff.sum(), C.sum(), rtol=1e-12, atol=0)
    assert np.all(eff[C == 0] == 0)
    assert np.all(eff[C > 0] > 0)
    # heavy cells dominate their own batch and are shrunk: eff / count decreases with count
    nz = C > 0
    order = np.argsort(C[nz], kind="stable")
    w, ratio = C[nz][order], (eff[nz] / C[nz])[order]
    distinct = np.diff(w) > 0
    assert np.all(np.diff(ratio)[distinct] < 0)
    assert_allclose(np.diff(ratio)[~distinct], 0.0, rtol=0, atol=1e-15)  # equal counts, equal ratio
    assert ratio[0] > 1 > ratio[-1]


def test_batch_normalised_counts_batch_size_one_weights_cells_equally(small_sim):
    # a batch of one cell: weight w · (1/w) = 1, so every non-zero cell counts the same,
    # rescaled to the total: N / (number of non-zero cells)
    C = small_sim.counts
    eff = sh.batch_normalised_counts(C, batch_size=1, n_draws=10)
    nz = C > 0
    assert_allclose(eff[nz], C.sum() / nz.sum(), rtol=1e-12, atol=0)
    assert np.all(eff[~nz] == 0)


def test_batch_normalised_counts_equal_counts_are_unchanged():
    # every non-zero cell has the same count: S = (B - 1) w is deterministic, nothing is re-weighted
    C = np.array([[3, 0, 3], [3, 3, 0], [0, 3, 3]])
    assert_allclose(sh.batch_normalised_counts(C, batch_size=4, n_draws=50), C, rtol=1e-12, atol=0)


def test_batch_normalised_counts_deterministic_with_a_seed(small_sim):
    C = small_sim.counts
    a = sh.batch_normalised_counts(C, batch_size=8, n_draws=500, seed=3)
    b = sh.batch_normalised_counts(C, batch_size=8, n_draws=500, seed=3)
    c = sh.batch_normalised_counts(C, batch_size=8, n_draws=500, seed=4)
    g = sh.batch_normalised_counts(C, batch_size=8, n_draws=500, seed=np.random.default_rng(3))
    assert_array_equal(a, b)
    assert_array_equal(a, g)
    assert not np.array_equal(a, c)
    assert_allclose(a, c, rtol=0.05, atol=0)  # Monte Carlo noise is small


def test_real_valued_counts_are_weights(small_sim):
    # the loss is per unit of weight: scaling every count leaves the objective, optimum and gradient unchanged
    C = small_sim.counts
    q = sh.unigram_noise(C)
    X = np.random.default_rng(3).standard_normal(C.shape)
    W = 0.37 * C  # real weights, e.g. a distance-weighted window
    assert_allclose(sh.sgns_objective(X, W, q, 5), sh.sgns_objective(X, C, q, 5), rtol=1e-12)
    assert_allclose(sh.sgns_objective(X, sp.csr_array(W), q, 5), sh.sgns_objective(X, C, q, 5), rtol=1e-12)
    assert_allclose(sh.sgns_gradient(X, W, q, 5), sh.sgns_gradient(X, C, q, 5), rtol=1e-10, atol=1e-16)
    assert_array_equal(np.isneginf(sh.sgns_optimum(W, q, 5)), C == 0)
    x_star = sh.sgns_optimum(C, q, 5)
    assert_allclose(sh.sgns_optimum(W, q, 5)[C > 0], x_star[C > 0], rtol=1e-12)
    assert_allclose(sh.sgns_optimum(sp.csr_array(W), q, 5).data, x_star[C > 0], rtol=1e-12)
    assert_allclose(sh.sgns_weights(W, q, 5)[1], 0.37 * sh.sgns_weights(C, q, 5)[1], rtol=1e-12)


def test_input_validation(small_sim):
    C = small_sim.counts
    n = C.shape[0]
    q = sh.unigram_noise(C)
    X = np.zeros(C.shape)
    for fn, extra in (
        (sh.sgns_weights, ()),
        (sh.sgns_optimum, ()),
        (sh.sgns_objective, (X,)),
        (sh.sgns_gradient, (X,)),
    ):
        def call(counts=C, noise=q, k=5):
            return fn(*extra, counts, noise, k)

        with pytest.raises(ValueError, match=rf"`noise` must have one entry per word \({n}\); got length {n - 1}"):
            call(noise=q[:-1])
        with pytest.raises(ValueError, match=r"`noise` must be non-negative; got -0.5 at \[1\]"):
            call(noise=np.r_[1.5, -0.5, np.zeros(n - 2)])
        with pytest.raises(ValueError, match=r"`noise` must sum to 1; got sum 2.0"):
            call(noise=2 * q)
        with pytest.raises(ValueError, match=r"`noise` must be finite"):
            call(noise=np.r_[np.nan, q[1:]])
        with pytest.raises(ValueError, match=r"`noise` must be a 1-D vector"):
            call(noise=q[None, :])
        with pytest.raises(TypeError, match=r"`noise` must be an array of numbers"):
            call(noise="unigram")
        with pytest.raises(ValueError, match=r"`k` must be >= 1; got 0"):
            call(k=0)
        with pytest.raises(TypeError, match=r"`k` must be an int; got 2.5"):
            call(k=2.5)
        with pytest.raises(TypeError, match=r"`k` must be an int; got True"):
            call(k=True)
        with pytest.raises(ValueError, match=r"`counts` must be non-negative"):
            call(counts=np.array([[1, -1], [1, 1]]), noise=[0.5, 0.5])
        with pytest.raises(ValueError, match=r"at least one count in every row"):
            call(counts=np.array([[0, 0], [1, 1]]), noise=[0.5, 0.5])
    for fn in (sh.sgns_objective, sh.sgns_gradient):
        with pytest.raises(ValueError, match=rf"`X` must have the shape of `counts` \({n}, {n}\); got \(2, 2\)"):
            fn(np.zeros((2, 2)), C, q, 5)
        with pytest.raises(ValueError, match=r"`X` must not contain NaN; found 1 NaN entries"):
            fn(np.where(np.eye(n, dtype=bool) & (np.arange(n) == 0), np.nan, 0.0), C, q, 5)
        with pytest.raises(TypeError, match=r"`X` must be an array of floats; got str"):
            fn("zeros", C, q, 5)
    with pytest.raises(ValueError, match=r"`X` must be finite to take a gradient; found infinite entries"):
        sh.sgns_gradient(np.full(C.shape, -np.inf), C, q, 5)
    # batch_normalised_counts
    with pytest.raises(ValueError, match=r"`batch_size` must be >= 1; got 0"):
        sh.batch_normalised_counts(C, batch_size=0)
    with pytest.raises(TypeError, match=r"`batch_size` must be an int; got 8.0"):
        sh.batch_normalised_counts(C, batch_size=8.0)
    with pytest.raises(ValueError, match=r"`n_draws` must be >= 1; got -1"):
        sh.batch_normalised_counts(C, n_draws=-1)
    with pytest.raises(ValueError, match=r"`seed` must be a non-negative int; got -1"):
        sh.batch_normalised_counts(C, seed=-1)
    with pytest.raises(TypeError, match=r"`seed` must be an int or a numpy.random.Generator"):
        sh.batch_normalised_counts(C, seed="0")
    with pytest.raises(ValueError, match=r"`counts` must be finite"):
        sh.batch_normalised_counts([[np.inf, 1.0], [1.0, 1.0]])
