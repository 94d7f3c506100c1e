"""Tests for sgns_helpers.counts_sgd: word2vec's SGD driven by weighted counts."""

import inspect
import json
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
import torch

import sgns_helpers as sh
from sgns_helpers.counts_sgd import _alias_table, _draw, _epoch_pairs, train_counts_sgd


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


def test_alias_table_is_exactly_the_noise_distribution():
    q = np.array([0.5, 0.3, 0.15, 0.05, 0.0])
    keep, other = (t.numpy() for t in _alias_table(q))
    implied = (keep + np.bincount(other, weights=1 - keep.astype(float), minlength=5)) / 5  # P(j) of the two-step draw
    np.testing.assert_allclose(implied, q, atol=1e-7)
    draws = _draw(_alias_table(q), 200_000, torch.Generator().manual_seed(0)).numpy()
    np.testing.assert_allclose(np.bincount(draws, minlength=5) / 200_000, q, atol=0.004)  # ~3.5 standard errors


@pytest.mark.slow
@pytest.mark.parametrize(("shared", "group"), [(0, 64), (16, 64), (4, 8)])
def test_full_rank_fit_approaches_the_shifted_pmi(shared, group):
    counts, q = small_problem()
    k = 3
    fit = train_counts_sgd(counts, q, k=k, dim=8, epochs=150, lr=0.05, batch_size=64, shared_negatives=shared,
                           group_size=group, seed=1)
    x_star = sh.sgns_optimum(counts, q, k).toarray()
    X = fit.V.astype(float) @ fit.U.T
    seen = counts.toarray() >= 20
    assert np.corrcoef(X[seen], x_star[seen])[0, 1] > 0.99
    assert np.sqrt(np.mean((X[seen] - x_star[seen]) ** 2)) < 0.1 * x_star[seen].std()  # full rank: x* itself
    assert fit.updates == pytest.approx(150 * counts.sum(), rel=0.02)
    assert fit.seconds.shape == (150,) and np.all(np.diff(fit.seconds) >= 0)


def test_same_seed_same_vectors():
    counts, q = small_problem()
    a = train_counts_sgd(counts, q, dim=4, epochs=3, lr=0.025, batch_size=64, seed=5, threads=1)
    b = train_counts_sgd(counts, q, dim=4, epochs=3, lr=0.025, batch_size=64, seed=5, threads=1)
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
    with pytest.raises(ValueError, match="`group_size` must be >= 1"):
        train_counts_sgd(counts, q, group_size=0)
    with pytest.raises(ValueError, match=r"diverged in epoch 1 .* lower `lr` \(got 1e\+20\)"):
        train_counts_sgd(counts, q, lr=1e20, epochs=2)
    # 8 words: a batch of 2048 pairs holds each row ~256 times; summed steps of 0.1 blow up (finite but huge)
    with pytest.raises(ValueError, match=r"diverged .* `batch_size` \(got 2048; a small vocabulary needs small"):
        train_counts_sgd(counts, q)


def test_b5_results_ran_the_defaults():
    # chapter 8 says B5 runs the trainer's defaults (on one torch thread)
    config = json.loads((Path(__file__).parents[1] / "benchmarks" / "b5_results.json").read_text())["config"]["ours"]
    defaults = {name: p.default for name, p in inspect.signature(train_counts_sgd).parameters.items()}
    assert config.pop("threads") == 1
    assert config == {key: defaults[key] for key in config}
