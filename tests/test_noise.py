"""Tests for sgns_helpers.noise: unigram and zero-cell noise distributions."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

import sgns_helpers as sh

# rows are centers, columns contexts; context 2 never occurs, center 3 has no zero cell
C = np.array(
    [
        [4, 0, 0, 1],
        [2, 6, 0, 0],
        [0, 3, 0, 5],
        [1, 1, 0, 7],
    ]
)


def test_unigram_power_zero_is_uniform_over_occurring_words():
    q = sh.unigram_noise(C, power=0.0)
    assert_allclose(q, [1 / 3, 1 / 3, 0.0, 1 / 3], rtol=1e-12, atol=0)
    q_center = sh.unigram_noise(C, power=0.0, axis="center")  # every center occurs
    assert_allclose(q_center, np.full(4, 0.25), rtol=1e-12, atol=0)


def test_unigram_power_one_is_the_marginal():
    assert_allclose(sh.unigram_noise(C, power=1.0), C.sum(axis=0) / C.sum(), rtol=1e-12, atol=0)
    assert_allclose(
        sh.unigram_noise(C, power=1.0, axis="center"), C.sum(axis=1) / C.sum(), rtol=1e-12, atol=0
    )
    assert_allclose(sh.unigram_noise(C, power=1), sh.unigram_noise(C, power=1.0), rtol=0, atol=0)


def test_unigram_smoothed_formula_and_default():
    f = C.sum(axis=0).astype(float)
    expected = f**0.75 / (f**0.75).sum()
    assert_allclose(sh.unigram_noise(C), expected, rtol=1e-12, atol=0)  # default power 0.75
    for power in (0.0, 0.3, 0.75, 1.0, 2.0):
        q = sh.unigram_noise(C, power=power)
        assert q.shape == (4,)
        assert_allclose(q.sum(), 1.0, rtol=0, atol=1e-12)
        assert q[2] == 0.0  # a word that never occurs is never drawn, for any power


def test_smoothing_flattens_the_distribution(default_sim):
    # lower powers move mass from frequent to rare contexts: the ratio max/min shrinks
    ratios = [np.ptp(np.log(sh.unigram_noise(default_sim.counts, power=a))) for a in (1.0, 0.75, 0.5, 0.0)]
    assert np.all(np.diff(ratios) < 0)
    assert_allclose(ratios[-1], 0.0, rtol=0, atol=1e-12)


def test_zero_cell_noise_context_and_center_axes():
    zeros_per_col = np.array([1, 1, 4, 1], dtype=float)  # context 2 has 4 zero cells
    zeros_per_row = np.array([2, 2, 2, 1], dtype=float)
    assert_allclose(sh.zero_cell_noise(C), zeros_per_col / 7, rtol=1e-12, atol=0)
    assert_allclose(sh.zero_cell_noise(C, axis="center"), zeros_per_row / 7, rtol=1e-12, atol=0)


def test_zero_cell_noise_keeps_alignment():
    # word 0 (as a context) has no zero cell: it keeps its slot with probability 0
    D = np.array([[1, 0, 2], [3, 0, 0], [1, 4, 0]])
    q = sh.zero_cell_noise(D)
    assert q.shape == (3,)
    assert q[0] == 0.0
    assert_allclose(q, [0.0, 2 / 4, 2 / 4], rtol=1e-12, atol=0)
    assert_allclose(sh.zero_cell_noise(D, axis="center"), [1 / 4, 2 / 4, 1 / 4], rtol=1e-12, atol=0)


def test_noise_is_valid_for_the_trainer(small_sim):
    for q in (
        sh.unigram_noise(small_sim.counts),
        sh.unigram_noise(small_sim.counts, axis="center"),
        sh.zero_cell_noise(small_sim.counts),
    ):
        positive, negative = sh.sgns_weights(small_sim.counts, q, 3)
        assert_allclose(negative.sum(), 3 * positive.sum(), rtol=1e-12, atol=0)


def test_input_validation():
    with pytest.raises(TypeError, match=r"`power` must be a real number; got '0.75'"):
        sh.unigram_noise(C, power="0.75")
    with pytest.raises(TypeError, match=r"`power` must be a real number; got True"):
        sh.unigram_noise(C, power=True)
    with pytest.raises(TypeError, match=r"`power` must be a real number; got None"):
        sh.unigram_noise(C, power=None)
    with pytest.raises(ValueError, match=r"`power` must be a finite number >= 0; got -0.5"):
        sh.unigram_noise(C, power=-0.5)
    with pytest.raises(ValueError, match=r"`power` must be a finite number >= 0; got nan"):
        sh.unigram_noise(C, power=float("nan"))
    with pytest.raises(ValueError, match=r"`power` must be a finite number >= 0; got inf"):
        sh.unigram_noise(C, power=float("inf"))
    with pytest.raises(ValueError, match=r"`axis` must be one of 'context', 'center'; got 'row'"):
        sh.unigram_noise(C, axis="row")
    with pytest.raises(ValueError, match=r"`axis` must be one of 'context', 'center'; got 0"):
        sh.zero_cell_noise(C, axis=0)
    with pytest.raises(ValueError, match=r"`counts` has no zero cell, so the zero-cell noise distribution is undefined; use unigram_noise"):
        sh.zero_cell_noise(np.ones((3, 3), dtype=int))
    for fn in (sh.unigram_noise, sh.zero_cell_noise):
        with pytest.raises(ValueError, match=r"`counts` must be non-negative"):
            fn([[1, -1], [1, 1]])
        with pytest.raises(ValueError, match=r"`counts` must hold whole numbers"):
            fn([[1, 0.2], [1, 1]])
        with pytest.raises(ValueError, match=r"`counts` must be finite"):
            fn([[1, np.inf], [1, 1]])
        with pytest.raises(ValueError, match=r"`counts` must be a square matrix"):
            fn([[1, 1, 1]])
        with pytest.raises(ValueError, match=r"at least one count in every row"):
            fn([[0, 0], [1, 0]])
        with pytest.raises(TypeError, match=r"dtype bool"):
            fn(np.ones((2, 2), dtype=bool))
