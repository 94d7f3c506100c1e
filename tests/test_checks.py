"""Tests for sgns_helpers._checks: validation and random-state handling."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sgns_helpers import _checks as ck


def test_as_rng_int_and_generator():
    rng = ck.as_rng(5)
    assert isinstance(rng, np.random.Generator)
    assert_array_equal(rng.integers(1000, size=5), np.random.default_rng(5).integers(1000, size=5))
    g = np.random.default_rng(1)
    assert ck.as_rng(g) is g  # shared, not copied
    assert isinstance(ck.as_rng(np.int64(3)), np.random.Generator)


def test_check_positive_int_returns_int():
    out = ck.check_positive_int(np.int32(4), "n")
    assert out == 4 and type(out) is int
    assert ck.check_positive_int(0, "n", minimum=0) == 0


def test_check_choice_returns_value():
    assert ck.check_choice("a", "mode", ("a", "b")) == "a"


def test_check_finite_matrix_conversions():
    M = ck.check_finite_matrix([[1, 2], [3, 4]], "M", square=True)
    assert M.dtype == float
    assert_allclose(M, [[1.0, 2.0], [3.0, 4.0]], rtol=0, atol=0)
    out = ck.check_finite_matrix([[0.0, -np.inf]], "M", allow_neg_inf=True)
    assert np.isneginf(out[0, 1])


def test_check_counts_accepts_whole_floats_and_zero_columns():
    out = ck.check_counts([[2.0, 0.0], [1.0, 0.0]])  # column 1 is never observed: allowed
    assert out.dtype == np.int64
    assert_array_equal(out, [[2, 0], [1, 0]])
    assert ck.check_counts(np.array([[3]], dtype=np.uint8)).dtype == np.int64


def test_check_probabilities_and_noise():
    p = ck.check_probabilities([0.25, 0.75], "p", size=2)
    assert_allclose(p, [0.25, 0.75], rtol=0, atol=0)
    # noise allows a 1e-6 rounding error in the sum, probabilities 1e-8
    ck.check_noise([0.5, 0.5 + 5e-7], 2)
    with pytest.raises(ValueError, match="must sum to 1"):
        ck.check_probabilities([0.5, 0.5 + 5e-7], "p")


def test_input_validation():
    # as_rng
    with pytest.raises(TypeError, match=r"`seed` must be an int or a numpy.random.Generator; got 1.5"):
        ck.as_rng(1.5)
    with pytest.raises(TypeError, match=r"`seed` must be an int or a numpy.random.Generator; got True"):
        ck.as_rng(True)
    with pytest.raises(TypeError, match=r"`rs` must be an int or a numpy.random.Generator"):
        ck.as_rng("0", name="rs")
    with pytest.raises(ValueError, match=r"`seed` must be a non-negative int; got -1"):
        ck.as_rng(-1)
    # check_positive_int
    with pytest.raises(TypeError, match=r"`k` must be an int; got 2.0 of type float"):
        ck.check_positive_int(2.0, "k")
    with pytest.raises(TypeError, match=r"`k` must be an int; got False"):
        ck.check_positive_int(False, "k")
    with pytest.raises(ValueError, match=r"`k` must be >= 1; got 0"):
        ck.check_positive_int(0, "k")
    with pytest.raises(ValueError, match=r"`k` must be >= 3; got 2"):
        ck.check_positive_int(2, "k", minimum=3)
    # check_choice
    with pytest.raises(ValueError, match=r"`axis` must be one of 'a', 'b'; got 'c'"):
        ck.check_choice("c", "axis", ("a", "b"))
    with pytest.raises(ValueError, match=r"`axis` must be one of 'a', 'b'; got 0"):
        ck.check_choice(0, "axis", ("a", "b"))
    # array conversion (shared by every array checker)
    with pytest.raises(TypeError, match=r"`M` must be an array of numbers; got 'abc'"):
        ck.check_finite_matrix("abc", "M")
    with pytest.raises(TypeError, match=r"`M` must be an array of numbers; got None"):
        ck.check_finite_matrix(None, "M")
    with pytest.raises(TypeError, match=r"`M` must be an array of numbers"):
        ck.check_finite_matrix([[1, 2], [3]], "M")  # ragged
    with pytest.raises(TypeError, match=r"`M` must hold integers or floats; got an array of dtype bool"):
        ck.check_finite_matrix([[True, False]], "M")
    with pytest.raises(TypeError, match=r"`M` must hold integers or floats; got an array of dtype <U1"):
        ck.check_finite_matrix([["a", "b"]], "M")
    with pytest.raises(TypeError, match=r"must hold integers or floats; got an array of dtype complex128"):
        ck.check_finite_matrix([[1j]], "M")
    # check_finite_matrix
    with pytest.raises(ValueError, match=r"`M` must be a 2-D matrix; got an array of shape \(3,\)"):
        ck.check_finite_matrix([1.0, 2.0, 3.0], "M")
    with pytest.raises(ValueError, match=r"`M` must not be empty; got shape \(0, 3\)"):
        ck.check_finite_matrix(np.zeros((0, 3)), "M")
    with pytest.raises(ValueError, match=r"`M` must be a square matrix; got shape \(1, 2\)"):
        ck.check_finite_matrix([[1.0, 2.0]], "M", square=True)
    with pytest.raises(ValueError, match=r"`M` must not contain NaN; found 1 NaN entries"):
        ck.check_finite_matrix([[1.0, np.nan]], "M")
    with pytest.raises(ValueError, match=r"`M` must be finite; found 2 infinite entries"):
        ck.check_finite_matrix([[np.inf, -np.inf]], "M")
    with pytest.raises(ValueError, match=r"`M` must be finite; found 1 infinite entries"):
        ck.check_finite_matrix([[np.inf, -np.inf]], "M", allow_neg_inf=True)  # +inf never allowed
    with pytest.raises(ValueError, match=r"`M` must not contain NaN"):
        ck.check_finite_matrix([[np.nan, -np.inf]], "M", allow_neg_inf=True)
    # check_counts
    with pytest.raises(TypeError, match=r"`counts` must be an array of numbers; got 'x'"):
        ck.check_counts("x")
    with pytest.raises(TypeError, match=r"`counts` must hold integers or floats; got an array of dtype bool"):
        ck.check_counts(np.ones((2, 2), dtype=bool))
    with pytest.raises(ValueError, match=r"`counts` must be a 2-D matrix; got an array of shape \(2,\)"):
        ck.check_counts([1, 2])
    with pytest.raises(ValueError, match=r"`counts` must be a 2-D matrix; got an array of shape \(0,\)"):
        ck.check_counts([])
    with pytest.raises(ValueError, match=r"`counts` must not be empty; got shape \(0, 0\)"):
        ck.check_counts(np.zeros((0, 0)))
    with pytest.raises(ValueError, match=r"`counts` must be a square matrix \(rows = center words.*got shape \(2, 3\)"):
        ck.check_counts(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"`counts` must be finite; found NaN or inf entries"):
        ck.check_counts([[1.0, np.nan], [1.0, 1.0]])
    with pytest.raises(ValueError, match=r"`counts` must be finite; found NaN or inf entries"):
        ck.check_counts([[1.0, np.inf], [1.0, 1.0]])
    with pytest.raises(ValueError, match=r"`counts` must hold whole numbers \(counts of pairs\); got 1.5 at \[0, 1\]"):
        ck.check_counts([[1.0, 1.5], [1.0, 1.0]])
    with pytest.raises(ValueError, match=r"`counts` must be non-negative; got -2 at \[0, 1\]"):
        ck.check_counts([[1, -2], [1, 1]])
    with pytest.raises(ValueError, match=r"`counts` must be non-negative; got -1.0 at \[1, 0\]"):
        ck.check_counts([[1.0, 2.0], [-1.0, 1.0]])
    with pytest.raises(ValueError, match=r"`counts` must have at least one count in every row; rows \[1\] are all zero"):
        ck.check_counts([[1, 2], [0, 0]])
    with pytest.raises(ValueError, match=r"`C` must be non-negative"):
        ck.check_counts([[-1]], name="C")
    # check_probabilities / check_noise
    with pytest.raises(ValueError, match=r"`p` must be a 1-D vector; got an array of shape \(1, 2\)"):
        ck.check_probabilities([[0.5, 0.5]], "p")
    with pytest.raises(ValueError, match=r"`p` must have one entry per word \(3\); got length 2"):
        ck.check_probabilities([0.5, 0.5], "p", size=3)
    with pytest.raises(ValueError, match=r"`p` must not be empty"):
        ck.check_probabilities([], "p")
    with pytest.raises(ValueError, match=r"`p` must be finite; found NaN or inf entries"):
        ck.check_probabilities([np.nan, 1.0], "p")
    with pytest.raises(ValueError, match=r"`p` must be non-negative; got -0.5 at \[1\]"):
        ck.check_probabilities([1.5, -0.5], "p")
    with pytest.raises(ValueError, match=r"`p` must sum to 1; got sum 0.9"):
        ck.check_probabilities([0.5, 0.4], "p")
    with pytest.raises(TypeError, match=r"`p` must hold integers or floats; got an array of dtype bool"):
        ck.check_probabilities([True, False], "p")
    with pytest.raises(ValueError, match=r"`noise` must have one entry per word \(3\); got length 2"):
        ck.check_noise([0.5, 0.5], 3)
    with pytest.raises(ValueError, match=r"`noise` must sum to 1; got sum 0.99"):
        ck.check_noise([0.5, 0.49], 2)


def test_check_counts_dense_or_sparse():
    import scipy.sparse as sp

    dense = ck.check_counts_dense_or_sparse([[2, 0], [1, 3]])
    assert isinstance(dense, np.ndarray) and dense.dtype == np.int64
    M = sp.coo_matrix(([2.0, 1.0, 0.0, 3.0, 1.0], ([0, 1, 1, 1, 1], [0, 0, 0, 1, 1])), shape=(2, 2))
    out = ck.check_counts_dense_or_sparse(M)  # duplicates summed, explicit zeros dropped
    assert sp.issparse(out) and out.format == "csr" and out.dtype == np.int64
    assert out.has_sorted_indices
    assert_array_equal(out.toarray(), [[2, 0], [1, 4]])
    assert out.nnz == 3
    with pytest.raises(ValueError, match=r"`counts` must be a square matrix \(rows = center words.*got shape \(2, 3\)"):
        ck.check_counts_dense_or_sparse(sp.csr_array(np.ones((2, 3))))
    with pytest.raises(ValueError, match=r"`counts` must not be empty; got shape \(0, 0\)"):
        ck.check_counts_dense_or_sparse(sp.csr_array((0, 0)))
    with pytest.raises(TypeError, match=r"`counts` must hold integers or floats; got a sparse matrix of dtype bool"):
        ck.check_counts_dense_or_sparse(sp.csr_array(np.eye(2, dtype=bool)))
    with pytest.raises(ValueError, match=r"`counts` must be finite; found NaN or inf entries"):
        ck.check_counts_dense_or_sparse(sp.csr_array(np.array([[1.0, np.inf], [1.0, 1.0]])))
    with pytest.raises(ValueError, match=r"`counts` must hold whole numbers \(counts of pairs\); got 0.5"):
        ck.check_counts_dense_or_sparse(sp.csr_array(np.array([[1.0, 0.5], [1.0, 1.0]])))
    with pytest.raises(ValueError, match=r"`counts` must be non-negative; got -2"):
        ck.check_counts_dense_or_sparse(sp.csr_array(np.array([[1, -2], [1, 1]])))
    with pytest.raises(ValueError, match=r"`counts` must have at least one count in every row; rows \[1\] are all zero"):
        ck.check_counts_dense_or_sparse(sp.csr_array(np.array([[1, 2], [0, 0]])))
    with pytest.raises(ValueError, match=r"`C` must be non-negative"):
        ck.check_counts_dense_or_sparse(sp.csr_array(np.array([[-1]])), name="C")
