"""Tests for sgns_helpers.train: train_sgns with both methods, against the closed-form theory."""

import dataclasses

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose, assert_array_equal

import sgns_helpers as sh

K = 5  # negatives in the small-simulation tests
FAST = dict(k=K, epochs=10, lr=0.05, batch_size=16)  # a sampled run of a few hundredths of a second


@pytest.fixture(scope="module")
def small(small_sim):
    """Counts, noise and full-rank bound of the small simulation."""
    C = small_sim.counts
    q = sh.unigram_noise(C)
    bound = sh.sgns_objective(sh.sgns_optimum(C, q, K), C, q, K)
    return C, q, bound


@pytest.fixture(scope="module")
def default_fits(default_sim):
    """Exact fits on the default simulation (k = 20, unigram^0.75 noise), d = 1, 2, 4, with and without bias."""
    C = default_sim.counts
    q = sh.unigram_noise(C)
    bound = sh.sgns_objective(sh.sgns_optimum(C, q, 20), C, q, 20)
    fits = {
        (d, bias): sh.train_sgns(C, q, k=20, dim=d, bias=bias, method="exact", seed=0)
        for d in (1, 2, 4)
        for bias in (False, True)
    }
    return C, q, bound, fits


# ---------------------------------------------------------------- the public trainer


@pytest.mark.parametrize("method", ["sampled", "exact"])
def test_result_fields_logits_and_objective(small, method):
    C, q, bound = small
    for bias in (False, True):
        r = sh.train_sgns(C, q, dim=2, bias=bias, method=method, seed=1, max_iter=50, **FAST)
        n = C.shape[0]
        assert isinstance(r, sh.TrainResult)
        assert r.method == method and r.k == K
        assert r.V.shape == (n, 2) and r.U.shape == (n, 2)
        assert r.V.dtype == np.float64
        expected = r.V @ r.U.T
        if bias:
            assert r.center_bias.shape == (n,) and r.context_bias.shape == (n,)
            expected = expected + r.center_bias[:, None] + r.context_bias[None, :]
        else:
            assert r.center_bias is None and r.context_bias is None
        assert_allclose(r.logits(), expected, rtol=1e-12, atol=1e-12)
        assert_allclose(r.objective, sh.sgns_objective(r.logits(), C, q, K), rtol=1e-12, atol=0)
        assert np.all(np.isfinite(r.loss_history)) and np.all(np.isfinite(r.objective_history))
        assert r.objective_history.shape == r.loss_history.shape
        assert r.restart_objectives.shape == (1,)  # one start by default, for both methods
        # the kept start is the best one; its last recorded objective is the final objective
        # (up to float32 parameters in the sampled trainer)
        assert_allclose(r.objective, r.restart_objectives.min(), rtol=1e-5, atol=0)
        assert_allclose(r.objective_history[-1], r.objective, rtol=1e-5, atol=0)
        assert r.seconds > 0
        for arr in (r.V, r.U, r.loss_history, r.objective_history, r.restart_objectives):
            assert not arr.flags.writeable
        with pytest.raises(dataclasses.FrozenInstanceError):
            r.objective = 0.0
        assert r.objective >= bound - 1e-9


def test_sampled_history_lengths_and_progress_of_the_loss(small):
    C, q, _ = small
    r = sh.train_sgns(C, q, dim=2, seed=0, **{**FAST, "epochs": 20})
    assert r.loss_history.shape == (20,)
    assert r.objective_history[-1] < r.objective_history[0] - 0.5  # training works
    # the epoch loss is an unbiased-ish estimate of the objective: same ballpark
    assert_allclose(r.loss_history[-5:].mean(), r.objective_history[-5:].mean(), rtol=0.2, atol=0)


def test_exact_history_is_monotone(small):
    C, q, _ = small
    r = sh.train_sgns(C, q, k=K, dim=2, bias=True, method="exact", seed=0, n_restarts=1)
    assert_array_equal(r.loss_history, r.objective_history)
    assert np.all(np.diff(r.objective_history) <= 1e-12)  # L-BFGS with a line search never goes up


def test_real_valued_counts_and_the_seed_free_default(default_sim, small):
    # counts are weights: scaling them all changes nothing (the loss is per unit of weight)
    C = default_sim.counts
    q = sh.unigram_noise(C)
    a = sh.train_sgns(C, q, k=20, dim=2, method="exact", seed=0)
    b = sh.train_sgns(0.37 * C, q, k=20, dim=2, method="exact", seed=1)  # the SVD start does not use the seed
    assert_allclose(b.objective, a.objective, rtol=1e-9)
    assert_allclose(b.logits(), a.logits(), rtol=1e-3, atol=1e-3)
    C, q, _ = small
    s = sh.train_sgns(0.37 * C, q, dim=2, seed=0, **FAST)
    assert_allclose(s.objective, sh.sgns_objective(s.logits(), C, q, K), rtol=1e-9)


@pytest.mark.parametrize("method", ["sampled", "exact"])
def test_determinism(small, method):
    C, q, _ = small
    kw = dict(dim=2, bias=True, method=method, max_iter=40, init="random", **FAST)
    a = sh.train_sgns(C, q, seed=7, **kw)
    b = sh.train_sgns(C, q, seed=7, **kw)
    g = sh.train_sgns(C, q, seed=np.random.default_rng(7), **kw)
    c = sh.train_sgns(C, q, seed=8, **kw)
    for x in (b, g):
        for field in ("V", "U", "center_bias", "context_bias", "loss_history", "objective_history", "restart_objectives"):
            assert_array_equal(getattr(a, field), getattr(x, field))
        assert a.objective == x.objective
    assert not np.array_equal(a.V, c.V)
    assert not np.array_equal(a.objective_history, c.objective_history)


def test_normalize_constant_and_several_restarts(small):
    C, q, bound = small
    r = sh.train_sgns(C, q, dim=2, normalize="constant", n_restarts=2, seed=0, **FAST)
    assert r.restart_objectives.shape == (2,)
    assert np.all(np.isfinite(r.objective_history))
    assert r.objective >= bound
    b = sh.train_sgns(C, q, dim=2, normalize="batch", seed=0, **FAST)
    assert not np.array_equal(r.V, b.V)


def test_progress_prints_plain_text_lines_and_silence_otherwise(small, capsys):
    C, q, _ = small
    sh.train_sgns(C, q, dim=2, seed=0, **FAST)
    sh.train_sgns(C, q, dim=2, method="exact", max_iter=5, seed=0, k=K)
    assert capsys.readouterr().out == ""
    sh.train_sgns(C, q, dim=2, seed=0, progress=True, **FAST)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 10  # one line per tenth of the run
    assert all(line.startswith("[") and "epoch" in line and "objective" in line for line in lines)
    assert lines[-1].startswith("[" + "#" * 20 + "]") and "epoch 10/10" in lines[-1]
    assert not any("\r" in line or "\x1b" in line for line in lines)  # no widgets, no escapes
    sh.train_sgns(C, q, dim=2, method="exact", max_iter=5, n_restarts=2, seed=0, k=K, progress=True)
    out = capsys.readouterr().out
    assert "start 1/2, L-BFGS iteration" in out and "start 2/2" in out
    # an exact fit that converges before max_iter still prints its last iteration
    r = sh.train_sgns(C, q, dim=2, bias=True, method="exact", n_restarts=1, seed=0, k=K, progress=True)
    last = capsys.readouterr().out.splitlines()[-1]
    assert f"iteration {r.objective_history.size}/2000" in last


def test_device_cpu_forms(small):
    C, q, _ = small
    a = sh.train_sgns(C, q, dim=2, seed=0, **FAST)
    b = sh.train_sgns(C, q, dim=2, seed=0, device=torch.device("cpu"), **FAST)
    assert_array_equal(a.V, b.V)


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the error raised when CUDA is absent")
def test_cuda_absent_raises_a_clear_error(small):
    C, q, _ = small
    with pytest.raises(ValueError, match=r"`device` is 'cuda' but CUDA is not available on this machine; use 'cpu'"):
        sh.train_sgns(C, q, device="cuda", **FAST)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="CUDA is not available on this machine")
def test_both_methods_run_on_cuda(small):
    C, q, bound = small
    for method in ("sampled", "exact"):
        r = sh.train_sgns(C, q, dim=2, bias=True, method=method, device="cuda", seed=0, max_iter=100, **FAST)
        assert isinstance(r.V, np.ndarray) and r.V.shape == (C.shape[0], 2)
        assert np.all(np.isfinite(r.objective_history))
        assert_allclose(r.objective, sh.sgns_objective(r.logits(), C, q, K), rtol=1e-12, atol=0)
        assert r.objective >= bound - 1e-9
        assert r.objective_history[-1] < r.objective_history[0]


# ---------------------------------------------------------------- against the closed-form theory


def test_no_rank_d_fit_beats_the_full_rank_bound(small):
    C, q, bound = small
    for d in (1, 2, 4):
        for bias in (False, True):
            for method in ("sampled", "exact"):
                r = sh.train_sgns(C, q, dim=d, bias=bias, method=method, seed=d, n_restarts=1, max_iter=100, **FAST)
                assert r.objective >= bound - 1e-9, (d, bias, method)
                assert np.all(r.objective_history >= bound - 1e-6)


def _assert_first_order_conditions(r, C, q, k, atol):
    """At a rank-d minimum, ∂L/∂V = G U = 0 and ∂L/∂U = Gᵀ V = 0 with G = ∂L/∂X;
    with biases the row and column sums of G vanish too."""
    G = sh.sgns_gradient(r.logits(), C, q, k)
    assert np.abs(G).max() > 10 * atol  # a rank-d fit is not the full-rank optimum
    assert_allclose(G @ r.U, 0.0, rtol=0, atol=atol)
    assert_allclose(G.T @ r.V, 0.0, rtol=0, atol=atol)
    if r.center_bias is not None:
        assert_allclose(G.sum(axis=1), 0.0, rtol=0, atol=atol)
        assert_allclose(G.sum(axis=0), 0.0, rtol=0, atol=atol)


def test_exact_fit_satisfies_the_first_order_conditions(small):
    C, q, _ = small
    r = sh.train_sgns(C, q, k=K, dim=2, bias=True, method="exact", seed=0, n_restarts=1)
    assert r.objective_history.size < 500  # converged before max_iter
    _assert_first_order_conditions(r, C, q, K, atol=1e-5)


@pytest.mark.slow
def test_exact_fits_on_the_default_simulation_are_stationary(default_fits):
    C, q, _, fits = default_fits
    for bias in (False, True):
        _assert_first_order_conditions(fits[2, bias], C, q, 20, atol=1e-5)


def test_full_rank_exact_fit_reaches_the_bound():
    # d = n with bias: the model can represent any finite matrix, so the exact trainer must
    # attain the closed-form optimum (dense counts: x* is finite)
    C = np.random.default_rng(2).integers(1, 30, size=(5, 5))
    q = sh.unigram_noise(C)
    bound = sh.sgns_objective(sh.sgns_optimum(C, q, 3), C, q, 3)
    r = sh.train_sgns(C, q, k=3, dim=5, bias=True, method="exact", seed=0, n_restarts=1, max_iter=2000)
    assert_allclose(r.objective, bound, rtol=0, atol=1e-8)
    assert_allclose(r.logits(), sh.sgns_optimum(C, q, 3), rtol=0, atol=1e-3)


@pytest.mark.slow
def test_exact_objective_improves_with_dimension_and_bias(default_fits):
    C, q, bound, fits = default_fits
    obj = {key: r.objective for key, r in fits.items()}
    for bias in (False, True):
        assert obj[1, bias] > obj[2, bias] > obj[4, bias] >= bound
    for d in (1, 2, 4):
        assert obj[d, True] <= obj[d, False] + 1e-9  # biases can only help
    # the truth is rank 2 plus row and column offsets: d = 2 with bias is all but full rank
    assert obj[2, True] - bound < 0.05
    assert obj[2, False] - bound > 0.1  # without biases, d = 2 misses the offsets


@pytest.mark.slow
def test_exact_trainer_finds_the_best_rank_2_fit(default_fits):
    C, q, _, fits = default_fits
    reference = sh.train_sgns(C, q, k=20, dim=2, method="exact", n_restarts=10, seed=123)
    assert fits[2, False].objective - reference.objective < 1e-3
    assert fits[2, False].objective >= reference.restart_objectives.min() - 1e-3


@pytest.mark.slow
def test_exact_fit_with_bias_recovers_the_true_embeddings(default_sim, default_fits):
    # with biases the centred vectors are identified up to an invertible 2 × 2 map
    *_, fits = default_fits
    r = fits[2, True]
    assert sh.align_embeddings(r.V, default_sim.V).r2 > 0.99
    assert sh.align_embeddings(r.U, default_sim.U).r2 > 0.99


@pytest.mark.slow
def test_sampled_trainer_approaches_the_exact_fit_and_batch_normalisation_reweights(small):
    C, q, _ = small
    exact = sh.train_sgns(C, q, k=K, dim=2, bias=True, method="exact", seed=0)
    kw = dict(k=K, dim=2, bias=True, epochs=100, lr=0.05, batch_size=16, seed=1)
    const = sh.train_sgns(C, q, normalize="constant", **kw)
    batch = sh.train_sgns(C, q, normalize="batch", **kw)
    assert const.objective - exact.objective < 0.1
    # per-batch normalisation minimises the objective with the batch-normalised counts:
    # it scores worse on the true objective and better on the re-weighted one
    eff = np.round(1000 * sh.batch_normalised_counts(C, batch_size=16, n_draws=20_000)).astype(int)
    assert batch.objective > const.objective
    assert sh.sgns_objective(batch.logits(), eff, q, K) < sh.sgns_objective(const.logits(), eff, q, K)


# ---------------------------------------------------------------- validation


def test_input_validation(small):
    C, q, _ = small
    n = C.shape[0]

    def call(**kw):
        args = dict(counts=C, noise=q, **FAST)
        args.update(kw)
        return sh.train_sgns(args.pop("counts"), args.pop("noise"), **args)

    # counts
    with pytest.raises(ValueError, match=r"`counts` must be non-negative; got -1"):
        call(counts=np.where(np.eye(n, dtype=bool), -1, C), noise=q)
    with pytest.raises(ValueError, match=r"`counts` must be finite; found NaN or inf entries"):
        call(counts=np.where(np.eye(n, dtype=bool), np.nan, C))
    with pytest.raises(ValueError, match=r"`counts` must be a square matrix"):
        call(counts=C[:, :-1])
    with pytest.raises(ValueError, match=r"`counts` must be a 2-D matrix"):
        call(counts=C[0])
    with pytest.raises(ValueError, match=r"`counts` must not be empty"):
        call(counts=np.zeros((0, 0)), noise=[])
    with pytest.raises(ValueError, match=r"`counts` must have at least one count in every row; rows \[0\]"):
        call(counts=np.vstack([np.zeros((1, n), dtype=int), C[1:]]))
    with pytest.raises(TypeError, match=r"`counts` must hold integers or floats; got an array of dtype bool"):
        call(counts=C > 0)
    with pytest.raises(TypeError, match=r"`counts` must be an array of numbers; got 'counts'"):
        call(counts="counts")
    # noise
    with pytest.raises(ValueError, match=rf"`noise` must have one entry per word \({n}\); got length {n + 1}"):
        call(noise=np.r_[q, 0.0])
    with pytest.raises(ValueError, match=r"`noise` must be non-negative"):
        call(noise=np.r_[q[0] + 0.1, -0.1, q[2:]])
    with pytest.raises(ValueError, match=r"`noise` must sum to 1; got sum"):
        call(noise=q * 0.9)
    with pytest.raises(ValueError, match=r"`noise` must be finite"):
        call(noise=np.r_[np.inf, q[1:]])
    # integers
    with pytest.raises(ValueError, match=r"`k` must be >= 1; got 0"):
        call(k=0)
    with pytest.raises(TypeError, match=r"`k` must be an int; got 5.0"):
        call(k=5.0)
    with pytest.raises(ValueError, match=r"`dim` must be >= 1; got 0"):
        call(dim=0)
    with pytest.raises(TypeError, match=r"`dim` must be an int; got '2'"):
        call(dim="2")
    with pytest.raises(ValueError, match=r"`epochs` must be >= 1; got 0"):
        call(epochs=0)
    with pytest.raises(ValueError, match=r"`batch_size` must be >= 1; got -4"):
        call(batch_size=-4)
    with pytest.raises(ValueError, match=r"`max_iter` must be >= 1; got 0"):
        call(max_iter=0)
    with pytest.raises(ValueError, match=r"`n_restarts` must be >= 1; got 0"):
        call(n_restarts=0)
    with pytest.raises(TypeError, match=r"`n_restarts` must be an int; got 1.5"):
        call(n_restarts=1.5)
    # choices
    with pytest.raises(ValueError, match=r"`method` must be one of 'sampled', 'exact'; got 'adam'"):
        call(method="adam")
    with pytest.raises(ValueError, match=r"`normalize` must be one of 'batch', 'constant'; got 'none'"):
        call(normalize="none")
    with pytest.raises(ValueError, match=r"`normalize` must be one of 'batch', 'constant'; got None"):
        call(normalize=None)
    # flags
    with pytest.raises(TypeError, match=r"`bias` must be True or False; got 1"):
        call(bias=1)
    with pytest.raises(TypeError, match=r"`progress` must be True or False; got 'yes'"):
        call(progress="yes")
    # learning rate
    for bad in (0, -1e-3, float("nan"), float("inf")):
        with pytest.raises(ValueError, match=r"`lr` must be a positive finite float; got"):
            call(lr=bad)
    with pytest.raises(TypeError, match=r"`lr` must be a positive float; got '0.01'"):
        call(lr="0.01")
    with pytest.raises(TypeError, match=r"`lr` must be a positive float; got True"):
        call(lr=True)
    # seed
    with pytest.raises(ValueError, match=r"`seed` must be a non-negative int; got -1"):
        call(seed=-1)
    with pytest.raises(TypeError, match=r"`seed` must be an int or a numpy.random.Generator; got 1.0"):
        call(seed=1.0)
    # device
    with pytest.raises(ValueError, match=r"`device` must name a torch device such as 'cpu' or 'cuda'; got 'gpu0'"):
        call(device="gpu0")
    with pytest.raises(ValueError, match=r"`device` must be 'cpu' or 'cuda'; got 'meta'"):
        call(device="meta")
    with pytest.raises(TypeError, match=r"`device` must be a string or torch.device; got 0"):
        call(device=0)
