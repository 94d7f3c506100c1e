"""Tests for sgns_helpers.replicate: the per-seed measurements of chapters 3 and 4."""

import dataclasses

import numpy as np
import pytest
from numpy.testing import assert_allclose

import sgns_helpers as sh
from sgns_helpers.replicate import RECOVERY_CONFIG, TRAINING_CONFIG


@pytest.fixture(scope="module")
def recovery():
    """Chapter 4's fits on seed 0 and their scores."""
    sim = sh.simulate_cooccurrence(seed=0)
    C, k = sim.counts, RECOVERY_CONFIG["k"]
    q = sh.unigram_noise(C, power=RECOVERY_CONFIG["alpha"])
    fit = sh.train_sgns(C, q, k=k, method="exact", seed=0)
    fit_bias = sh.train_sgns(C, q, k=k, method="exact", bias=True, seed=0)
    fit_wide = sh.train_sgns(C, q, k=k, dim=4, method="exact", seed=0)
    return sim, q, k, fit, fit_bias, fit_wide, sh.recovery_scores(sim, fit, fit_bias, fit_wide, q, k)


def test_recovery_scores_from_theory(recovery):
    sim, q, k, fit, fit_bias, fit_wide, s = recovery
    assert dataclasses.is_dataclass(s) and dataclasses.fields(s)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.gist_r = 0.0
    # double-centring removes the biases: the bias model's score is that of its V̂Ûᵀ alone
    T_dc = sh.double_center(sim.V @ sim.U.T)
    assert_allclose(s.dc_r_bias, np.corrcoef(T_dc.ravel(), sh.double_center(fit_bias.V @ fit_bias.U.T).ravel())[0, 1],
                    rtol=0, atol=1e-12)
    assert_allclose(s.dc_r_bias, sh.centred_correlation(fit_bias.logits(), sim.V @ sim.U.T), rtol=0, atol=1e-12)
    assert_allclose(s.zero_share, (sim.counts == 0).mean(), rtol=0, atol=0)
    assert_allclose(s.align_r2_bias, sh.align_embeddings(fit_bias.V, sim.V).r2, rtol=0, atol=0)
    # the chapter's findings on seed 0: biases, or two more dimensions, recover V Uᵀ up to offsets
    assert s.dc_r_bias > 0.99 and s.dc_r_wide > 0.99 and s.dc_r_nobias < 0.9 and s.gist_r < 0.8
    assert abs(s.dc_slope_bias - 1) < 0.05
    assert s.rmse_fit_rare < s.rmse_xstar_rare
    assert s.xmin_wide == fit_wide.logits().min() and s.xmin_wide > sh.RUN_OFF  # seed 0's rank-4 fit has not run off
    assert all(-1 <= v <= 1 for v in (s.gist_r, s.xstar_r_bias, s.xstar_r_wide, s.dc_r_wide))
    assert set(s.as_dict()) == {f.name for f in dataclasses.fields(s)}


def test_recovery_replicate_matches_the_scores(recovery):
    sim, q, k, fit, fit_bias, fit_wide, s = recovery
    scores, objectives = sh.recovery_replicate(0)
    assert_allclose(scores.dc_r_bias, s.dc_r_bias, rtol=0, atol=1e-9)
    assert_allclose(objectives["bias"], fit_bias.objective, rtol=0, atol=1e-9)
    # rank d + 2 holds every rank-d-plus-biases matrix, so its optimum is no worse
    assert objectives["full_bound"] < objectives["wide"] <= objectives["bias"] + 1e-4 < objectives["nobias"]


def test_training_replicate_short_run():
    r = sh.training_replicate(0, epochs=25, const_epochs=31)
    assert isinstance(r, sh.TrainingReplicate)
    assert r.full_bound < r.L_star  # the full-rank bound lies below the best rank-2 fit
    assert abs(r.default_fit_gap) < 1e-3 and r.restart_spread >= 0
    assert r.gist_final > r.L_star and r.const_final > r.L_star and r.reweighted_true > r.L_star - 1e-6
    assert r.gist_own_gap > -1e-6 and r.lstar_own_gap > -1e-6  # the re-weighted optimum is that objective's minimum
    assert 0 <= r.const_late_rises <= 29
    assert r.slow_epoch30 > r.const_epoch30  # lr 1e-3 starts more slowly than 1e-2
    assert r.as_dict()["seed"] == 0 and TRAINING_CONFIG["epochs"] == 200


def test_input_validation(recovery):
    sim, q, k, fit, fit_bias, fit_wide, s = recovery
    with pytest.raises(ValueError, match="`seed` must be"):
        sh.training_replicate(-1)
    with pytest.raises(TypeError, match="`seed` must be"):
        sh.recovery_replicate(1.5)
    with pytest.raises(ValueError, match="`epochs` must be"):
        sh.training_replicate(0, epochs=0)
    with pytest.raises(ValueError, match="`const_epochs` must be"):
        sh.training_replicate(0, const_epochs=0)
    with pytest.raises(TypeError, match="`fit_bias` must be a TrainResult"):
        sh.recovery_scores(sim, fit, "not a fit", fit_wide, q, k)
    with pytest.raises(ValueError, match="`fit` and `fit_wide` must be fits without biases"):
        sh.recovery_scores(sim, fit_bias, fit_bias, fit_wide, q, k)
    with pytest.raises(ValueError, match="`fit_wide` must have rank d \\+ 2 = 4; got 2"):
        sh.recovery_scores(sim, fit, fit_bias, fit, q, k)
    with pytest.raises(ValueError, match="`k` must be"):
        sh.recovery_scores(sim, fit, fit_bias, fit_wide, q, 0)
