"""Tests for sgns_helpers.bootstrap: percentile intervals."""

import numpy as np
import pytest

import sgns_helpers as sh


def test_interval_of_a_mean_matches_the_normal_approximation():
    x = np.random.default_rng(0).normal(size=400)
    low, high = sh.bootstrap_interval(lambda r: x[r].mean(axis=1), x.size, n_boot=4000, seed=0)
    se = x.std() / np.sqrt(x.size)
    assert low == pytest.approx(x.mean() - 1.96 * se, abs=0.3 * se)
    assert high == pytest.approx(x.mean() + 1.96 * se, abs=0.3 * se)


def test_same_seed_same_interval_and_level_widens():
    x = np.arange(50.0)
    a = sh.bootstrap_interval(lambda r: x[r].mean(axis=1), 50, seed=3)
    assert a == sh.bootstrap_interval(lambda r: x[r].mean(axis=1), 50, seed=3)
    wide = sh.bootstrap_interval(lambda r: x[r].mean(axis=1), 50, seed=3, level=0.99)
    assert wide[0] < a[0] and wide[1] > a[1]


def test_spearman_interval_of_word_pairs():
    rng = np.random.default_rng(1)
    V = rng.normal(size=(30, 5))
    vocab = [f"w{i}" for i in range(30)]
    unit = V / np.linalg.norm(V, axis=1, keepdims=True)
    pairs = [(f"w{i}", f"w{j}", float(unit[i] @ unit[j] + 0.3 * rng.normal())) for i in range(30) for j in range(i)]
    s = sh.word_similarity(V, vocab, pairs, n_boot=300, seed=0)
    assert s.low < s.spearman < s.high and s.high - s.low < 0.2
    assert np.isnan(sh.word_similarity(V, vocab, pairs).low)


def test_input_validation():
    with pytest.raises(TypeError, match="`statistic` must be a function"):
        sh.bootstrap_interval(3, 10)
    with pytest.raises(ValueError, match="`n_items` must be >= 2"):
        sh.bootstrap_interval(lambda r: r.mean(1), 1)
    with pytest.raises(ValueError, match="`level` must be a number in"):
        sh.bootstrap_interval(lambda r: r.mean(1), 10, level=1.0)
    with pytest.raises(ValueError, match="one value per redraw"):
        sh.bootstrap_interval(lambda r: r.mean(), 10, n_boot=5)
    with pytest.raises(ValueError, match="no overlap"):
        sh.word_similarity(np.eye(2), ["a", "b"], [("x", "y", 1.0)])
