"""Tests for sgns_helpers.factorize: SPPMI and truncated-SVD embeddings.

Reference values come from theory: SPPMI's positive entries are the full-rank
SGNS optimum, PMI does not change when every count is scaled, and the SVD
split reproduces the Eckart-Young best rank-d approximation.
"""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose

import sgns_helpers as sh


@pytest.fixture(scope="module")
def counts():
    return sh.simulate_cooccurrence(n_words=30, dim=2, n_pairs=20_000, seed=4).counts


# ----------------------------------------------------------------------------- sppmi

@pytest.mark.parametrize("alpha", [1.0, 0.75, 0.0])
@pytest.mark.parametrize("k", [1, 5])
def test_sppmi_positive_entries_are_the_sgns_optimum(counts, k, alpha):
    M = sh.sppmi(counts, k, noise_power=alpha)
    x_star = sh.sgns_optimum(counts, sh.unigram_noise(counts, power=alpha), k)
    keep = x_star > 0
    assert keep.any() and (~keep).any()
    assert_allclose(M[keep], x_star[keep], rtol=1e-12)
    assert np.all(M[~keep] == 0.0)  # clipped cells and unseen cells (x* = -inf) alike


def test_sppmi_k1_alpha1_is_ppmi(counts):
    pmi = sh.empirical_pmi(counts)
    assert_allclose(sh.sppmi(counts, 1), np.where(np.isfinite(pmi), np.maximum(pmi, 0.0), 0.0), atol=1e-12)


def test_sppmi_shift_is_log_k(counts):
    big = sh.sppmi(counts, 1)
    shifted = sh.sppmi(counts, 4)
    assert_allclose(shifted, np.maximum(big - np.log(4), 0.0) * (big > 0), atol=1e-12)


def test_sppmi_is_invariant_to_scaling_the_counts(counts):
    assert_allclose(sh.sppmi(3 * counts, 2, noise_power=0.75), sh.sppmi(counts, 2, noise_power=0.75), atol=1e-12)


def test_sppmi_docstring_value():
    # log(8 * 12 / (9 * 9)) by hand
    assert_allclose(sh.sppmi(np.array([[8, 1], [1, 2]]), 1)[0, 0], np.log(8 * 12 / 81))


def test_sppmi_sparse_and_dense_agree(counts):
    S = sh.sppmi(sp.csr_array(counts), 3, noise_power=0.75)
    assert sp.issparse(S)
    assert S.has_sorted_indices
    assert np.all(S.data > 0)  # only the positive cells are stored
    assert_allclose(S.toarray(), sh.sppmi(counts, 3, noise_power=0.75), atol=1e-12)


def test_sppmi_unseen_context_gives_zeros_without_warnings():
    C = np.array([[3, 0, 1], [2, 0, 4], [1, 0, 1]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dense = sh.sppmi(C, 1)
        sparse = sh.sppmi(sp.csr_array(C), 1).toarray()
    assert np.all(dense[:, 1] == 0) and np.all(np.isfinite(dense))
    assert_allclose(dense, sparse, atol=1e-12)


def test_sppmi_large_power_does_not_overflow(counts):
    M = sh.sppmi(counts * 1000, 1, noise_power=50.0)
    assert np.all(np.isfinite(M)) and np.all(M >= 0)


# ----------------------------------------------------------------------------- svd_embeddings

@pytest.fixture(scope="module")
def matrix():
    return np.random.default_rng(0).standard_normal((12, 9))


@pytest.mark.parametrize("dim", [1, 3, 9])
def test_svd_symmetric_split_is_the_eckart_young_approximation(matrix, dim):
    W, C = sh.svd_embeddings(matrix, dim)
    left, s, right_t = np.linalg.svd(matrix, full_matrices=False)
    best = (left[:, :dim] * s[:dim]) @ right_t[:dim]
    assert W.shape == (12, dim) and C.shape == (9, dim)
    assert_allclose(W @ C.T, best, atol=1e-10)
    # Frobenius error = sqrt(sum of the discarded squared singular values)
    assert_allclose(np.linalg.norm(matrix - W @ C.T), np.sqrt((s[dim:] ** 2).sum()), atol=1e-10)


def test_svd_no_other_rank_d_matrix_is_closer(matrix):
    W, C = sh.svd_embeddings(matrix, 2)
    best = np.linalg.norm(matrix - W @ C.T)
    rng = np.random.default_rng(1)
    for _ in range(20):
        A, B = rng.standard_normal((12, 2)), rng.standard_normal((9, 2))
        # the best rank-2 fit within span(A) x span(B) is still no better than SVD
        P = A @ np.linalg.pinv(A) @ matrix @ np.linalg.pinv(B).T @ B.T
        assert np.linalg.norm(matrix - P) >= best - 1e-12


def test_svd_eig_power_reweights_the_singular_values(matrix):
    left, s, right_t = np.linalg.svd(matrix, full_matrices=False)
    W0, C0 = sh.svd_embeddings(matrix, 3, eig_power=0.0)
    W1, C1 = sh.svd_embeddings(matrix, 3, eig_power=1.0)
    assert_allclose(W0.T @ W0, np.eye(3), atol=1e-12)  # p = 0: orthonormal columns
    assert_allclose(W1 @ C1.T, (left[:, :3] * s[:3] ** 2) @ right_t[:3], atol=1e-10)  # U Σ^2 Vᵀ
    assert_allclose(np.linalg.norm(W1, axis=0), s[:3], rtol=1e-12)


def test_svd_signs_are_fixed(matrix):
    W, C = sh.svd_embeddings(-matrix, 4)
    idx = np.argmax(np.abs(W), axis=0)
    assert np.all(W[idx, np.arange(4)] > 0)
    W2, C2 = sh.svd_embeddings(-matrix, 4)
    assert_allclose(W, W2)


def test_svd_sparse_and_dense_agree(counts):
    M = sh.sppmi(counts, 1)
    Wd, Cd = sh.svd_embeddings(M, 3)
    Ws, Cs = sh.svd_embeddings(sp.csr_array(M), 3)
    assert_allclose(Ws, Wd, atol=1e-8)
    assert_allclose(Cs, Cd, atol=1e-8)


def test_svd_full_rank_reconstructs(matrix):
    W, C = sh.svd_embeddings(matrix, 9)
    assert_allclose(W @ C.T, matrix, atol=1e-10)


# ----------------------------------------------------------------------------- validation

def test_input_validation():
    C = np.array([[3, 1], [2, 4]])
    with pytest.raises(ValueError, match=r"`k` must be >= 1; got 0"):
        sh.sppmi(C, 0)
    with pytest.raises(TypeError, match=r"`k` must be an int"):
        sh.sppmi(C, 1.5)
    with pytest.raises(ValueError, match=r"`noise_power` must be a finite number >= 0; got -1"):
        sh.sppmi(C, 1, noise_power=-1)
    with pytest.raises(TypeError, match=r"`noise_power` must be a real number"):
        sh.sppmi(C, 1, noise_power="0.75")
    with pytest.raises(TypeError, match=r"`noise_power` must be a real number"):
        sh.sppmi(C, 1, noise_power=True)
    with pytest.raises(ValueError, match=r"`counts` must be a square matrix"):
        sh.sppmi(np.ones((2, 3), dtype=int), 1)
    with pytest.raises(ValueError, match=r"`counts` must be non-negative"):
        sh.sppmi(sp.csr_array(np.array([[1, -1], [1, 1]])), 1)
    with pytest.raises(ValueError, match=r"`counts` must have at least one count in every row"):
        sh.sppmi(np.array([[0, 0], [1, 1]]), 1)

    M = np.arange(6.0).reshape(2, 3)
    with pytest.raises(ValueError, match=r"`dim` must be <= min\(M.shape\) = 2; got 3"):
        sh.svd_embeddings(M, 3)
    with pytest.raises(ValueError, match=r"`dim` must be < min\(M.shape\) = 2 for a sparse `M`; got 2"):
        sh.svd_embeddings(sp.csr_array(M), 2)
    with pytest.raises(ValueError, match=r"`dim` must be >= 1; got 0"):
        sh.svd_embeddings(M, 0)
    with pytest.raises(ValueError, match=r"`eig_power` must be a finite number >= 0"):
        sh.svd_embeddings(M, 1, eig_power=-0.5)
    with pytest.raises(ValueError, match=r"`M` must not contain NaN"):
        sh.svd_embeddings(np.array([[1.0, np.nan], [0.0, 1.0]]), 1)
    with pytest.raises(ValueError, match=r"`M` must be finite"):
        sh.svd_embeddings(np.array([[1.0, np.inf], [0.0, 1.0]]), 1)
    with pytest.raises(ValueError, match=r"`M` must be finite; found NaN or inf"):
        sh.svd_embeddings(sp.csr_array(np.array([[1.0, np.inf, 0], [0.0, 1.0, 0], [0, 0, 1.0]])), 1)
    with pytest.raises(ValueError, match=r"`M` must be a non-empty 2-D matrix"):
        sh.svd_embeddings(sp.csr_array((0, 3)), 1)
