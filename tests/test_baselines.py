"""Tests for sgns_helpers.baselines: the best-form SVD and the ablation from SPPMI to it.

Reference answers from theory: the smoothed shifted PMI is x* with a pseudo-count,
double-centring plus a truncated SVD is the best Frobenius fit by offsets plus a
rank-d matrix, and weighted least squares with equal weights is that same fit.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

import sgns_helpers as sh


@pytest.fixture(scope="module")
def sim():
    return sh.simulate_cooccurrence(n_words=30, dim=2, n_pairs=20_000, seed=4)


def _offsets_plus_rank(rng, shape, dim):
    return (rng.normal(size=(shape[0], dim)) @ rng.normal(size=(dim, shape[1]))
            + rng.normal(size=(shape[0], 1)) + rng.normal(size=(1, shape[1])))


def test_smoothed_shifted_pmi_is_x_star_with_a_pseudo_count(sim):
    C = sim.counts
    q = sh.unigram_noise(C, power=0.75)
    M = sh.smoothed_shifted_pmi(C, q, 5, smoothing=0.5)
    x_star = sh.sgns_optimum(C, q, 5)
    seen = C > 0
    assert (~seen).any() and np.all(np.isfinite(M))
    assert_allclose(M[seen], x_star[seen] + np.log((C[seen] + 0.5) / C[seen]), rtol=1e-12)
    nu = 5 * C.sum(axis=1, keepdims=True) * q
    assert_allclose(M[~seen], np.log(0.5 / np.broadcast_to(nu, C.shape)[~seen]), rtol=1e-12)


def test_offset_svd_is_exact_on_offsets_plus_rank_d():
    M = _offsets_plus_rank(np.random.default_rng(0), (12, 9), 2)
    assert_allclose(sh.offset_svd_logits(M, 2), M, atol=1e-10)


def test_offset_svd_is_the_best_offsets_plus_rank_d_fit():
    rng = np.random.default_rng(1)
    M = rng.normal(size=(10, 8))
    best = np.linalg.norm(M - sh.offset_svd_logits(M, 2))
    for _ in range(50):
        other = sh.offset_svd_logits(M + 0.3 * rng.normal(size=M.shape), 2)  # also offsets + rank 2
        assert np.linalg.norm(M - other) >= best - 1e-12
    centred = sh.double_center(M)  # the offsets are M's own: nothing but the SVD changes a centred M
    W, Z = sh.svd_embeddings(centred, 2)
    assert_allclose(sh.offset_svd_logits(centred, 2), W @ Z.T, atol=1e-12)


def test_weighted_fit_with_equal_weights_is_the_offset_svd():
    M = np.random.default_rng(2).normal(size=(10, 8))
    X = sh.weighted_offset_fit(M, np.ones_like(M), 2, n_iter=300)
    assert_allclose(np.linalg.norm(M - X), np.linalg.norm(M - sh.offset_svd_logits(M, 2)), rtol=1e-6)


def test_weighted_fit_beats_the_unweighted_one_on_its_own_loss():
    rng = np.random.default_rng(3)
    M, H = rng.normal(size=(10, 8)), rng.uniform(0.1, 5.0, size=(10, 8))
    X = sh.weighted_offset_fit(M, H, 2, n_iter=200)
    assert (H * (M - X) ** 2).sum() < (H * (M - sh.offset_svd_logits(M, 2)) ** 2).sum()
    X_exact = sh.weighted_offset_fit(_offsets_plus_rank(rng, (10, 8), 1), H, 1, n_iter=200)
    assert np.all(np.isfinite(X_exact))


def test_svd_ablation_steps(sim):
    C, T = sim.counts, sim.V @ sim.U.T
    abl = sh.svd_ablation(C, T, 1, noise_power=0.75)
    assert abl.steps == sh.baselines.ABLATION_STEPS and len(abl.logits) == 5
    W, Z = sh.svd_embeddings(sh.sppmi(C, 1, noise_power=0.75), 2)
    assert_allclose(abl.logits[0], W @ Z.T)
    q = sh.unigram_noise(C, power=0.75)
    assert_allclose(abl.logits[3], sh.offset_svd_logits(sh.smoothed_shifted_pmi(C, q, 1), 2))
    assert np.all(abl.deviation >= 0)
    assert abl.recovery[3] > abl.recovery[0]
    assert abl.deviation[4] < abl.deviation[3], "weights help on the weighted objective"


def test_input_validation(sim):
    C = sim.counts
    q = sh.unigram_noise(C)
    with pytest.raises(ValueError, match="`smoothing` must be"):
        sh.smoothed_shifted_pmi(C, q, 1, smoothing=0.0)
    with pytest.raises(ValueError, match="`noise` must be positive on every context"):
        sh.smoothed_shifted_pmi(C, np.r_[0.0, q[1:] / q[1:].sum()], 1)
    with pytest.raises(ValueError, match="`M` must"):
        sh.offset_svd_logits(np.full((3, 3), np.inf), 1)
    with pytest.raises(TypeError, match="`dim` must be an int"):
        sh.offset_svd_logits(np.eye(3), 1.5)
    with pytest.raises(ValueError, match="`weights` must have the shape of `target`"):
        sh.weighted_offset_fit(np.eye(3), np.ones((3, 2)), 1)
    with pytest.raises(ValueError, match="`weights` must be >= 0 with a positive entry"):
        sh.weighted_offset_fit(np.eye(3), np.diag([1.0, 1.0, 0.0]), 1)
    with pytest.raises(ValueError, match="`n_iter` must be >= 1"):
        sh.weighted_offset_fit(np.eye(3), np.ones((3, 3)), 1, n_iter=0)
    with pytest.raises(ValueError, match="`counts`"):
        sh.svd_ablation(-C, C, 1)


def test_chapter6_ablation_file_comes_from_its_script(tmp_path):
    # chapter 6 reads benchmarks/ablation_ch6.json; the script must still run and write the same settings
    import importlib.util
    import json
    import sys
    from pathlib import Path

    bench = Path(__file__).resolve().parent.parent / "benchmarks"
    sys.path.insert(0, str(bench))
    try:
        spec = importlib.util.spec_from_file_location("ablation_ch6", bench / "ablation_ch6.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        fresh = module.main(["--n-iter", "1", "--out", str(tmp_path / "out.json")])
    finally:
        sys.path.remove(str(bench))
    stored = json.loads((bench / "ablation_ch6.json").read_text())
    assert stored["config"] == {**module.CONFIG, "n_iter": 100}
    assert {key: stored["figures"][key] for key in ("n", "N", "nnz")} == {key: fresh["figures"][key] for key in ("n", "N", "nnz")}
    # one alternation from the offset SVD does not get past the stored hundred on the frequent pairs
    assert fresh["figures"]["r"]["100"] <= stored["figures"]["r"]["100"] + 1e-9
