"""Tests for sgns_helpers.pmi: true and empirical PMI, double-centring."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import sgns_helpers as sh


def test_true_pmi_of_independence_is_zero():
    rng = np.random.default_rng(0)
    a, b = rng.dirichlet(np.ones(5)), rng.dirichlet(np.ones(7))
    assert_allclose(sh.true_pmi(np.outer(a, b)), 0.0, rtol=0, atol=1e-12)


def test_true_pmi_identity_for_the_simulation(default_sim):
    # P = exp(V Uᵀ)/Z  ⇒  PMI = V Uᵀ − log a_i − log b_j + log Z,
    # with a_i = Σ_j exp(v_i·u_j), b_j = Σ_i exp(v_i·u_j), Z = Σ_ij exp(v_i·u_j)
    X = default_sim.V @ default_sim.U.T
    E = np.exp(X)
    a, b, Z = E.sum(axis=1), E.sum(axis=0), E.sum()
    expected = X - np.log(a)[:, None] - np.log(b)[None, :] + np.log(Z)
    assert_allclose(sh.true_pmi(default_sim.P), expected, rtol=0, atol=1e-10)


def test_true_pmi_has_rank_at_most_d_plus_2(default_sim):
    d = default_sim.V.shape[1]
    s = np.linalg.svd(sh.true_pmi(default_sim.P), compute_uv=False)
    assert s[d + 1] > 1e-3 * s[0]  # the row and column offsets really add two directions
    assert_allclose(s[d + 2 :] / s[0], 0.0, rtol=0, atol=1e-12)


def test_true_pmi_matches_the_formula_and_minus_inf_on_zero_cells():
    P = np.array([[0.2, 0.0, 0.1], [0.3, 0.25, 0.15]])
    out = sh.true_pmi(P)
    row, col = P.sum(1, keepdims=True), P.sum(0, keepdims=True)
    with np.errstate(divide="ignore"):
        expected = np.log(P / (row * col))
    assert np.isneginf(out[0, 1])
    assert_allclose(out, expected, rtol=1e-12, atol=0)


def test_double_center_removes_additive_offsets_exactly():
    rng = np.random.default_rng(1)
    M = rng.standard_normal((6, 4))
    a, b = rng.standard_normal(6), rng.standard_normal(4)
    shifted = M + a[:, None] + b[None, :] + 3.7
    assert_allclose(sh.double_center(shifted), sh.double_center(M), rtol=0, atol=1e-12)
    assert_allclose(sh.double_center(a[:, None] + b[None, :]), 0.0, rtol=0, atol=1e-12)


def test_double_center_rows_and_columns_sum_to_zero_and_is_a_projection():
    rng = np.random.default_rng(2)
    M = rng.standard_normal((5, 8))
    D = sh.double_center(M)
    assert_allclose(D.sum(axis=0), 0.0, rtol=0, atol=1e-12)
    assert_allclose(D.sum(axis=1), 0.0, rtol=0, atol=1e-12)
    assert_allclose(sh.double_center(D), D, rtol=0, atol=1e-12)  # idempotent
    J = np.eye(5) - 1 / 5
    K = np.eye(8) - 1 / 8
    assert_allclose(D, J @ M @ K, rtol=0, atol=1e-12)  # J M J form


def test_double_centred_pmi_equals_double_centred_VU(default_sim):
    X = default_sim.V @ default_sim.U.T
    assert_allclose(
        sh.double_center(sh.true_pmi(default_sim.P)), sh.double_center(X), rtol=0, atol=1e-10
    )


def test_empirical_pmi_formula_and_minus_inf_on_zeros():
    C = np.array([[5, 0, 2], [1, 3, 0], [4, 4, 1]])
    out = sh.empirical_pmi(C)
    N = C.sum()
    n_i, n_j = C.sum(1), C.sum(0)
    nz = C > 0
    assert_array_equal(np.isneginf(out), ~nz)
    i, j = np.nonzero(nz)
    assert_allclose(out[i, j], np.log(C[i, j] * N / (n_i[i] * n_j[j])), rtol=1e-12, atol=0)


def test_empirical_pmi_is_the_true_pmi_of_the_frequencies(small_sim):
    C = small_sim.counts
    assert_allclose(sh.empirical_pmi(C), sh.true_pmi(C / C.sum()), rtol=1e-12, atol=1e-12)


def test_empirical_pmi_converges_to_true_pmi():
    # the error of log n_ij is about 1 / sqrt(N P_ij) (delta method); allow 5 of those
    sim = sh.simulate_cooccurrence(n_words=5, n_pairs=2_000_000, seed=6)
    err = np.abs(sh.empirical_pmi(sim.counts) - sh.true_pmi(sim.P))
    assert np.all(err < 5 / np.sqrt(sim.n_pairs * sim.P))


def test_input_validation():
    # true_pmi
    with pytest.raises(ValueError, match=r"`P` must be non-negative; got minimum -0.1"):
        sh.true_pmi([[0.6, -0.1], [0.25, 0.25]])
    with pytest.raises(ValueError, match=r"`P` must sum to 1 \(a joint distribution\); got sum 2.0"):
        sh.true_pmi([[0.5, 0.5], [0.5, 0.5]])
    with pytest.raises(ValueError, match=r"`P` must not contain NaN"):
        sh.true_pmi([[np.nan, 0.5], [0.25, 0.25]])
    with pytest.raises(ValueError, match=r"`P` must be finite"):
        sh.true_pmi([[np.inf, 0.5], [0.25, 0.25]])
    with pytest.raises(ValueError, match=r"`P` must be a 2-D matrix"):
        sh.true_pmi([0.5, 0.5])
    with pytest.raises(ValueError, match=r"`P` must not be empty"):
        sh.true_pmi(np.zeros((0, 2)))
    with pytest.raises(TypeError, match=r"`P` must be an array of numbers; got 'P'"):
        sh.true_pmi("P")
    with pytest.raises(TypeError, match=r"`P` must hold integers or floats; got an array of dtype bool"):
        sh.true_pmi([[True, False]])
    # empirical_pmi: the count rules
    with pytest.raises(ValueError, match=r"`counts` must be non-negative"):
        sh.empirical_pmi([[1, -1], [1, 1]])
    with pytest.raises(ValueError, match=r"`counts` must hold whole numbers"):
        sh.empirical_pmi([[1.5, 1], [1, 1]])
    with pytest.raises(ValueError, match=r"`counts` must be finite"):
        sh.empirical_pmi([[np.nan, 1], [1, 1]])
    with pytest.raises(ValueError, match=r"`counts` must be a square matrix"):
        sh.empirical_pmi(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"`counts` must be a 2-D matrix"):
        sh.empirical_pmi([1, 2, 3])
    with pytest.raises(ValueError, match=r"`counts` must not be empty"):
        sh.empirical_pmi(np.zeros((0, 0)))
    with pytest.raises(ValueError, match=r"at least one count in every row; rows \[0\]"):
        sh.empirical_pmi([[0, 0], [1, 1]])
    with pytest.raises(TypeError, match=r"`counts` must hold integers or floats"):
        sh.empirical_pmi([["a", "b"], ["c", "d"]])
    # double_center
    with pytest.raises(ValueError, match=r"`M` must not contain NaN"):
        sh.double_center([[np.nan, 1.0]])
    with pytest.raises(ValueError, match=r"`M` must be finite"):
        sh.double_center([[-np.inf, 1.0]])
    with pytest.raises(ValueError, match=r"`M` must be a 2-D matrix"):
        sh.double_center([1.0, 2.0])
    with pytest.raises(TypeError, match=r"`M` must be an array of numbers"):
        sh.double_center(None)
