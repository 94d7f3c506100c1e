"""Tests for sgns_helpers.seed_summary: the per-seed figures of chapters 1 and 2."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import sgns_helpers as sh

SIZES = dict(n_words=30, dim=2, n_pairs=20_000)


@pytest.fixture(scope="module")
def pair():
    sim = sh.simulate_cooccurrence(seed=3, **SIZES)
    return sim, sh.simulation_summary(3, **SIZES)


def test_rank_of_pmi_is_d_plus_2(pair):
    _, s = pair
    assert s.sv_rel[0] > 1e-3 and s.sv_rel[1] > 1e-3, "the 3rd and 4th singular values are not ~0"
    assert s.sv_rel[2] < 1e-10, "theory: PMI = V Uᵀ + row offset + column offset has rank <= d + 2"


def test_figures_match_direct_computation(pair):
    sim, s = pair
    C, N = sim.counts, sim.n_pairs
    assert s.seed == 3
    assert s.zero_share == np.mean(C == 0)
    assert s.max_share == C.max() / N
    assert s.row_sum_min == C.sum(axis=1).min() and s.row_sum_median == np.median(C.sum(axis=1))
    assert s.contexts_no_zero == np.sum((C == 0).sum(axis=0) == 0)
    assert s.centers_no_zero == np.sum((C == 0).sum(axis=1) == 0)
    assert_allclose(s.max_logit, (sim.V @ sim.U.T).max())
    nz = C > 0
    r = np.corrcoef(sh.true_pmi(sim.P)[nz], sh.empirical_pmi(C)[nz])[0, 1]
    assert_allclose(s.r_all, r, rtol=1e-12)
    q75, qz = sh.unigram_noise(C), sh.zero_cell_noise(C)
    assert_allclose(s.rho_zero_unigram, pd.Series(qz).corr(pd.Series(q75), method="spearman"), rtol=1e-12)
    ratio = sh.unigram_noise(C, axis="center") / q75
    assert_allclose([s.rows_ratio_max, s.rows_ratio_min], [ratio.max(), ratio.min()], rtol=1e-12)
    rows, cols = sim.P.sum(axis=1), sim.P.sum(axis=0)
    assert_allclose(s.marginal_ratio_max, np.max(np.maximum(rows / cols, cols / rows)), rtol=1e-12)
    assert_allclose(s.marginal_log_r, np.corrcoef(np.log(rows), np.log(cols))[0, 1], rtol=1e-12)
    assert s.top1_share >= s.max_share and 0 <= s.zero_share < 1


def test_high_dim_rho_uses_ranks_only():
    # where every center occurs, the rank shortcut equals the rho of the two noise vectors
    sim = sh.simulate_cooccurrence(seed=1, n_words=30, dim=4, n_pairs=50_000)
    assert np.all(sim.counts.sum(axis=1) > 0)
    s = sh.simulation_summary(1, n_words=30, dim=2, n_pairs=50_000, high_dim=4)
    full = pd.Series(sh.zero_cell_noise(sim.counts)).corr(pd.Series(sh.unigram_noise(sim.counts)),
                                                          method="spearman")
    assert_allclose(s.rho_zero_unigram_high_dim, full, rtol=1e-12)


def test_deterministic_frozen_and_json_ready(pair):
    _, s = pair
    assert sh.simulation_summary(3, **SIZES) == s
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.seed = 4
    d = s.as_dict()
    assert isinstance(d["sv_rel"], list) and len(d["sv_rel"]) == 3 and d["seed"] == 3


def test_input_validation():
    with pytest.raises(ValueError, match=r"`seed` must be >= 0; got -1"):
        sh.simulation_summary(-1)
    with pytest.raises(TypeError, match=r"`seed` must be an int; got 1.5"):
        sh.simulation_summary(1.5)
    with pytest.raises(ValueError, match=r"`n_words` must be >= 5; got 4"):
        sh.simulation_summary(0, n_words=4)
    with pytest.raises(TypeError, match=r"`dim` must be an int"):
        sh.simulation_summary(0, dim=2.0)
    with pytest.raises(ValueError, match=r"`high_dim` must be >= 1; got 0"):
        sh.simulation_summary(0, high_dim=0)
    with pytest.raises(ValueError, match=r"`n_pairs` = 10 leaves some word without a pair"):
        sh.simulation_summary(0, n_words=50, n_pairs=10)


def test_committed_sweep_is_current():
    """benchmarks/sweeps_ch12.json holds what simulation_summary gives now (chapters 1 and 2 read it)."""
    import json
    from pathlib import Path

    sweep = json.loads((Path(__file__).resolve().parent.parent / "benchmarks" / "sweeps_ch12.json").read_text())
    config = sweep["config"]
    assert {k: config[k] for k in ("n_words", "dim", "n_pairs", "high_dim")} == \
        {"n_words": 100, "dim": 2, "n_pairs": 200_000, "high_dim": 10}
    assert config["seeds"] >= 20 and len(sweep["per_seed"]["seed"]) == config["seeds"]
    for seed in (0, config["seeds"] - 1):
        now = sh.simulation_summary(seed, high_dim=10).as_dict()
        stored = {key: values[seed] for key, values in sweep["per_seed"].items()}
        assert stored.keys() == now.keys()
        for key, value in now.items():
            # atol: the fifth singular value of the true PMI is 0 in exact arithmetic, ~1e-16 by BLAS
            assert_allclose(stored[key], value, rtol=1e-12, atol=1e-12, err_msg=f"{key}: rerun benchmarks/sweeps_ch12.py")
    medians = sweep["summary"]["r_big"]["median"]
    assert_allclose(medians, np.median(sweep["per_seed"]["r_big"]))
