"""Tests for sgns_helpers.simulate: the log-bilinear simulation and the count table."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import sgns_helpers as sh


def test_shapes_dtypes_and_totals():
    sim = sh.simulate_cooccurrence(n_words=7, dim=3, n_pairs=1234, seed=2)
    assert isinstance(sim, sh.Cooccurrence)
    assert sim.V.shape == (7, 3) and sim.U.shape == (7, 3)
    assert sim.P.shape == (7, 7) and sim.counts.shape == (7, 7)
    assert sim.counts.dtype == np.int64
    assert int(sim.counts.sum()) == 1234
    assert sim.n_words == 7 and sim.n_pairs == 1234
    assert_allclose(sim.P.sum(), 1.0, rtol=0, atol=1e-12)
    assert np.all(sim.P > 0) and np.all(sim.counts >= 0)


def test_P_is_the_log_bilinear_model():
    sim = sh.simulate_cooccurrence(n_words=9, dim=2, n_pairs=100, seed=4)
    E = np.exp(sim.V @ sim.U.T)
    assert_allclose(sim.P, E / E.sum(), rtol=1e-12, atol=0)


def test_arrays_are_read_only():
    sim = sh.simulate_cooccurrence(n_words=4, n_pairs=50, seed=0)
    for arr in (sim.V, sim.U, sim.P, sim.counts):
        assert not arr.flags.writeable
        with pytest.raises(ValueError):
            arr[0, 0] = 1
    with pytest.raises(AttributeError):  # frozen dataclass
        sim.V = np.zeros((4, 2))


def test_same_seed_same_draw_different_seed_differs():
    a = sh.simulate_cooccurrence(n_words=10, n_pairs=500, seed=11)
    b = sh.simulate_cooccurrence(n_words=10, n_pairs=500, seed=11)
    c = sh.simulate_cooccurrence(n_words=10, n_pairs=500, seed=12)
    for x, y in ((a.V, b.V), (a.U, b.U), (a.P, b.P), (a.counts, b.counts)):
        assert_array_equal(x, y)
    assert not np.array_equal(a.V, c.V)
    assert not np.array_equal(a.counts, c.counts)


def test_generator_is_accepted_and_matches_int_seed():
    a = sh.simulate_cooccurrence(n_words=6, n_pairs=300, seed=5)
    b = sh.simulate_cooccurrence(n_words=6, n_pairs=300, seed=np.random.default_rng(5))
    assert_array_equal(a.V, b.V)
    assert_array_equal(a.counts, b.counts)
    # a shared generator advances: two calls give two different corpora
    g = np.random.default_rng(5)
    first = sh.simulate_cooccurrence(n_words=6, n_pairs=300, seed=g)
    second = sh.simulate_cooccurrence(n_words=6, n_pairs=300, seed=g)
    assert not np.array_equal(first.V, second.V)


def test_n_pairs_does_not_change_the_embeddings():
    # the embeddings are drawn before the multinomial, so only the counts change
    a = sh.simulate_cooccurrence(n_words=8, n_pairs=100, seed=9)
    b = sh.simulate_cooccurrence(n_words=8, n_pairs=100_000, seed=9)
    assert_array_equal(a.V, b.V)
    assert_array_equal(a.U, b.U)
    assert_array_equal(a.P, b.P)


def test_scale_sets_the_spread_and_large_scales_do_not_overflow():
    a = sh.simulate_cooccurrence(n_words=50, dim=4, n_pairs=10, seed=1, scale=1.0)
    b = sh.simulate_cooccurrence(n_words=50, dim=4, n_pairs=10, seed=1, scale=3.0)
    assert_allclose(b.V, 3.0 * a.V, rtol=1e-12, atol=0)
    big = sh.simulate_cooccurrence(n_words=50, dim=4, n_pairs=1000, seed=1, scale=30.0)
    assert np.all(np.isfinite(big.P))
    assert_allclose(big.P.sum(), 1.0, rtol=0, atol=1e-12)
    assert int(big.counts.sum()) == 1000


def test_counts_are_consistent_with_P():
    # law of large numbers: frequencies approach P (each cell within 5 standard errors)
    sim = sh.simulate_cooccurrence(n_words=5, n_pairs=1_000_000, seed=8)
    freq = sim.counts / sim.n_pairs
    se = np.sqrt(sim.P * (1 - sim.P) / sim.n_pairs)
    assert np.all(np.abs(freq - sim.P) < 5 * se + 1e-12)


def test_count_table_columns_nonzero_and_round_trip():
    sim = sh.simulate_cooccurrence(n_words=12, n_pairs=400, seed=3)
    C = sim.counts
    assert (C == 0).any()  # the test needs zero cells
    tab = sh.count_table(C)
    assert isinstance(tab, pd.DataFrame)
    assert list(tab.columns) == ["center", "context", "count"]
    assert len(tab) == int((C > 0).sum())
    assert (tab["count"] > 0).all()
    assert int(tab["count"].sum()) == int(C.sum())
    back = np.zeros_like(C)
    back[tab["center"].to_numpy(), tab["context"].to_numpy()] = tab["count"].to_numpy()
    assert_array_equal(back, C)
    # row-major order of the matrix
    order = tab["center"].to_numpy() * C.shape[1] + tab["context"].to_numpy()
    assert np.all(np.diff(order) > 0)


def test_count_table_small_example():
    tab = sh.count_table([[0, 2], [1, 0]])
    assert_array_equal(tab.to_numpy(), [[0, 1, 2], [1, 0, 1]])


def test_input_validation():
    for name in ("n_words", "dim", "n_pairs"):
        with pytest.raises(ValueError, match=rf"`{name}` must be >= 1; got 0"):
            sh.simulate_cooccurrence(**{name: 0})
        with pytest.raises(TypeError, match=rf"`{name}` must be an int; got 2.5"):
            sh.simulate_cooccurrence(**{name: 2.5})
        with pytest.raises(TypeError, match=rf"`{name}` must be an int; got True"):
            sh.simulate_cooccurrence(**{name: True})
    with pytest.raises(TypeError, match=r"`scale` must be a positive float; got '1'"):
        sh.simulate_cooccurrence(scale="1")
    with pytest.raises(TypeError, match=r"`scale` must be a positive float; got True"):
        sh.simulate_cooccurrence(scale=True)
    with pytest.raises(ValueError, match=r"`scale` must be a positive finite float; got 0"):
        sh.simulate_cooccurrence(scale=0)
    with pytest.raises(ValueError, match=r"`scale` must be a positive finite float; got -1.0"):
        sh.simulate_cooccurrence(scale=-1.0)
    with pytest.raises(ValueError, match=r"`scale` must be a positive finite float; got inf"):
        sh.simulate_cooccurrence(scale=float("inf"))
    with pytest.raises(ValueError, match=r"`seed` must be a non-negative int; got -3"):
        sh.simulate_cooccurrence(seed=-3)
    with pytest.raises(TypeError, match=r"`seed` must be an int or a numpy.random.Generator; got 0.5"):
        sh.simulate_cooccurrence(seed=0.5)
    with pytest.raises(TypeError, match=r"`seed` must be an int or a numpy.random.Generator; got None"):
        sh.simulate_cooccurrence(seed=None)
    # count_table validates its counts
    with pytest.raises(ValueError, match=r"`counts` must be non-negative"):
        sh.count_table([[1, -1], [1, 1]])
    with pytest.raises(ValueError, match=r"`counts` must hold whole numbers"):
        sh.count_table([[1, 0.5], [1, 1]])
    with pytest.raises(ValueError, match=r"`counts` must be a square matrix"):
        sh.count_table([[1, 2, 3]])
    with pytest.raises(ValueError, match=r"at least one count in every row"):
        sh.count_table([[1, 2], [0, 0]])
    with pytest.raises(TypeError, match=r"`counts` must hold integers or floats; got an array of dtype bool"):
        sh.count_table([[True, True], [True, True]])
