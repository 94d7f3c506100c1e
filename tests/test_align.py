"""Tests for sgns_helpers.align: least-squares alignment of embeddings."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

import sgns_helpers as sh
from sgns_helpers.align import Alignment


def test_recovers_an_invertible_map_exactly():
    rng = np.random.default_rng(0)
    R = rng.standard_normal((30, 2))
    M = np.array([[2.0, 1.0], [-0.5, 3.0]])
    out = sh.align_embeddings(R @ M, R, center=False)
    assert isinstance(out, Alignment)
    assert_allclose(out.r2, 1.0, rtol=0, atol=1e-12)
    assert_allclose(out.A, np.linalg.inv(M), rtol=1e-10, atol=1e-12)
    assert_allclose(out.aligned, R, rtol=0, atol=1e-12)


def test_the_VU_symmetry_is_undone():
    # V Uᵀ = (V A)(U A⁻ᵀ)ᵀ: both factors of the transformed pair align back with r2 = 1
    rng = np.random.default_rng(1)
    V, U = rng.standard_normal((25, 3)), rng.standard_normal((25, 3))
    A = rng.standard_normal((3, 3)) + 3 * np.eye(3)
    V2, U2 = V @ A, U @ np.linalg.inv(A).T
    assert_allclose(V2 @ U2.T, V @ U.T, rtol=0, atol=1e-10)
    assert_allclose(sh.align_embeddings(V2, V).r2, 1.0, rtol=0, atol=1e-12)
    assert_allclose(sh.align_embeddings(U2, U).r2, 1.0, rtol=0, atol=1e-12)


def test_centring_absorbs_a_shift():
    rng = np.random.default_rng(2)
    R = rng.standard_normal((40, 2))
    L = R @ np.array([[1.0, 2.0], [0.0, 1.0]]) + np.array([5.0, -3.0])  # affine, not linear
    out = sh.align_embeddings(L, R)  # center=True by default
    assert_allclose(out.r2, 1.0, rtol=0, atol=1e-12)
    assert_allclose(out.aligned, R - R.mean(axis=0), rtol=0, atol=1e-12)
    assert_allclose(out.aligned.mean(axis=0), 0.0, rtol=0, atol=1e-12)
    assert sh.align_embeddings(L, R, center=False).r2 < 0.99  # without centring the shift hurts


def test_r2_of_unrelated_vectors_is_small_and_shapes():
    rng = np.random.default_rng(3)
    L, R = rng.standard_normal((500, 2)), rng.standard_normal((500, 3))
    out = sh.align_embeddings(L, R)
    assert out.A.shape == (2, 3) and out.aligned.shape == (500, 3)
    assert 0.0 <= out.r2 < 0.05
    # r2 is the usual share of variance explained by the least-squares fit
    Rc = R - R.mean(axis=0)
    assert_allclose(out.r2, 1 - ((out.aligned - Rc) ** 2).sum() / (Rc**2).sum(), rtol=1e-12, atol=0)


def test_input_validation():
    with pytest.raises(ValueError, match=r"`learned` and `reference` must have one row per word each; got 5 and 4 rows"):
        sh.align_embeddings(np.ones((5, 2)), np.ones((4, 2)))
    with pytest.raises(ValueError, match=r"`learned` must not contain NaN"):
        sh.align_embeddings([[np.nan, 1.0], [1.0, 2.0]], np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"`reference` must be finite; found 1 infinite entries"):
        sh.align_embeddings(np.ones((2, 2)), [[np.inf, 1.0], [1.0, 2.0]])
    with pytest.raises(ValueError, match=r"`learned` must be a 2-D matrix; got an array of shape \(3,\)"):
        sh.align_embeddings([1.0, 2.0, 3.0], np.ones((3, 1)))
    with pytest.raises(ValueError, match=r"`reference` must not be empty"):
        sh.align_embeddings(np.ones((2, 2)), np.ones((2, 0)))
    with pytest.raises(TypeError, match=r"`learned` must be an array of numbers; got None"):
        sh.align_embeddings(None, np.ones((2, 2)))
    with pytest.raises(TypeError, match=r"`reference` must hold integers or floats; got an array of dtype bool"):
        sh.align_embeddings(np.ones((2, 2)), np.ones((2, 2), dtype=bool))
    with pytest.raises(TypeError, match=r"`center` must be True or False; got 'yes'"):
        sh.align_embeddings(np.eye(2), np.eye(2), center="yes")
    with pytest.raises(ValueError, match=r"`reference` has no variation"):
        sh.align_embeddings(np.eye(3), np.ones((3, 2)))  # constant columns vanish after centring
