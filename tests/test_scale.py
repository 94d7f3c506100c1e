"""Tests for the large-problem paths: sparse counts, row blocks, the sparse simulation (chapter 7)."""

import numpy as np
import pytest
import scipy.sparse as sp
import torch
from numpy.testing import assert_allclose, assert_array_equal

import sgns_helpers as sh
from sgns_helpers import expected
from sgns_helpers.starts import svd_start
from sgns_helpers.expected import ExpectedLoss

K = 5


@pytest.fixture(scope="module")
def small(small_sim):
    C = small_sim.counts
    return C, sp.csr_array(C), sh.unigram_noise(C)


@pytest.fixture
def tiny_blocks(monkeypatch):
    """Force several row blocks even at n = 20, so the chunked loops really loop."""
    monkeypatch.setattr(expected, "CHUNK_ELEMENTS", 60)
    monkeypatch.setattr(expected, "DENSE_ELEMENTS", 0)  # row blocks even for small n


def test_chunked_objective_equals_the_dense_formula(small, tiny_blocks):
    C, Cs, q = small
    rng = np.random.default_rng(0)
    V, U, b, c = rng.standard_normal((20, 2)), rng.standard_normal((20, 2)), rng.standard_normal(20), rng.standard_normal(20)
    X = V @ U.T + b[:, None] + c[None, :]
    dense = sh.sgns_objective(X, C, q, K)
    assert_allclose(sh.sgns_objective(X, Cs, q, K), dense, rtol=1e-12)  # sparse counts, dense X
    assert_allclose(sh.sgns_objective((V, U, b, c), Cs, q, K), dense, rtol=1e-12)  # sparse, factors
    assert_allclose(sh.sgns_objective((V, U, b, c), C, q, K), dense, rtol=1e-12)  # dense, factors
    assert_allclose(sh.sgns_objective((V, U), Cs, q, K), sh.sgns_objective(V @ U.T, C, q, K), rtol=1e-12)
    # the optimum's infinities are handled as in the dense formula: the full-rank bound
    assert_allclose(sh.sgns_objective(sh.sgns_optimum(C, q, K), Cs, q, K),
                    sh.sgns_objective(sh.sgns_optimum(C, q, K), C, q, K), rtol=1e-12)


def test_sparse_optimum_pmi_and_noise_match_dense(small):
    C, Cs, q = small
    X = sh.sgns_optimum(Cs, q, K)
    assert sp.issparse(X) and X.nnz == np.count_nonzero(C)
    i, j = np.nonzero(C)
    assert_allclose(X.toarray()[i, j], sh.sgns_optimum(C, q, K)[i, j], rtol=1e-12)
    P = sh.empirical_pmi(Cs)
    assert_allclose(P.toarray()[i, j], sh.empirical_pmi(C)[i, j], rtol=1e-12, atol=1e-12)
    for power in (0.0, 0.75, 1.0):
        assert_allclose(sh.unigram_noise(Cs, power=power), sh.unigram_noise(C, power=power), rtol=1e-12)
    for axis in ("context", "center"):
        assert_allclose(sh.zero_cell_noise(Cs, axis=axis), sh.zero_cell_noise(C, axis=axis), rtol=1e-12)
    qz = np.r_[0.0, np.full(19, 1 / 19)]  # a context never drawn: +inf where observed
    assert np.isposinf(sh.sgns_optimum(Cs, qz, K).toarray()[C[:, 0] > 0, 0]).all()


@pytest.mark.parametrize("bias", [False, True])
def test_expected_loss_chunked_equals_dense_with_gradient(small, tiny_blocks, monkeypatch, bias):
    C, Cs, q = small
    dev = torch.device("cpu")
    g = torch.Generator().manual_seed(1)
    V, U = torch.randn(20, 3, generator=g, dtype=torch.float64), torch.randn(20, 3, generator=g, dtype=torch.float64)
    b, c = (torch.randn(20, generator=g, dtype=torch.float64) for _ in range(2)) if bias else (None, None)
    out = {}
    for name, counts, limit in (("dense", C, 1 << 22), ("sparse", Cs, 0)):
        monkeypatch.setattr(expected, "DENSE_ELEMENTS", limit)
        loss = ExpectedLoss(counts, q, K, dev)  # the torch run of the shared code
        assert loss.dense == (name == "dense")
        out[name] = loss(V, U, b, c, grad=True)
        numpy_run = ExpectedLoss(counts.astype(float), q, K)(*(None if t is None else t.numpy() for t in (V, U, b, c)), grad=True)
        assert_allclose(numpy_run[0], out[name][0], rtol=1e-12)
        for gn, gt in zip(numpy_run[1], out[name][1]):
            if gt is not None:
                assert_allclose(gn, gt.numpy(), rtol=1e-10, atol=1e-14)
    assert_allclose(out["sparse"][0], out["dense"][0], rtol=1e-12)
    assert_allclose(out["dense"][0], sh.sgns_objective(V.numpy() @ U.numpy().T + (0 if b is None else b.numpy()[:, None] + c.numpy()[None, :]), C, q, K), rtol=1e-12)
    for gs, gd in zip(out["sparse"][1], out["dense"][1]):
        if gd is not None:
            assert_allclose(gs.numpy(), gd.numpy(), rtol=1e-10, atol=1e-14)
    # the dense gradient is autograd's
    params = [t.clone().requires_grad_(True) for t in (V, U, b, c) if t is not None]
    X = params[0] @ params[1].T + (params[2][:, None] + params[3][None, :] if bias else 0)
    pos, neg = (torch.as_tensor(a) for a in sh.sgns_weights(C, q, K))
    N = pos.sum()
    expected.cell_loss(X, pos / N, (pos + neg) / N, xp=torch).sum().backward()
    for p, gd in zip(params, [g for g in out["dense"][1] if g is not None]):
        assert_allclose(gd.numpy(), p.grad.numpy(), rtol=1e-9, atol=1e-13)


def test_sampled_trainer_on_sparse_counts_is_the_dense_run(small):
    C, Cs, q = small
    kw = dict(k=K, dim=2, bias=True, epochs=5, lr=0.05, batch_size=16, seed=3)
    a, b = sh.train_sgns(C, q, **kw), sh.train_sgns(Cs, q, **kw)
    assert_array_equal(a.V, b.V)  # same cells in the same order, same random stream
    assert_array_equal(a.loss_history, b.loss_history)
    assert_allclose(b.objective, a.objective, rtol=1e-10)
    assert_allclose(b.objective_history, a.objective_history, rtol=1e-6)


def test_exact_trainer_on_sparse_counts_reaches_the_same_objective(small, tiny_blocks):
    C, Cs, q = small
    # different arithmetic, so different paths: the same objective up to the exact trainer's contract
    a = sh.train_sgns(C, q, k=K, dim=2, method="exact", seed=0)
    b = sh.train_sgns(Cs, q, k=K, dim=2, method="exact", seed=0)
    assert_allclose(b.objective, a.objective, rtol=0, atol=1e-3)
    assert_allclose(b.objective, sh.sgns_objective(b.factors(), C, q, K), rtol=1e-10)


def test_svd_start_and_history_clock(small):
    C, Cs, q = small
    for bias in (False, True):
        V, U, b, c = svd_start(C, q, K, 2, bias)
        V2, U2, b2, c2 = svd_start(Cs, q, K, 2, bias)
        assert_allclose(V @ U.T, V2 @ U2.T, rtol=1e-10, atol=1e-10)
        assert (b is None) == (not bias)
        X0 = V @ U.T + (0 if b is None else b[:, None] + c[None, :])
        assert sh.sgns_objective(X0, C, q, K) < sh.sgns_objective(np.zeros_like(X0), C, q, K)
        r = sh.train_sgns(C, q, k=K, dim=2, bias=bias, method="exact", init="svd", n_restarts=2, seed=0)
        ref = sh.train_sgns(C, q, k=K, dim=2, bias=bias, method="exact", init="random", n_restarts=3, seed=0)
        # without biases this 20-word problem has a flat valley: every start stops at max_iter, ~1e-5 apart
        assert r.objective < ref.objective + (1e-6 if bias else 1e-4)
        assert r.time_history.shape == r.objective_history.shape
        assert np.all(np.diff(r.time_history) >= 0) and 0 < r.time_history[-1] <= r.seconds
    # a large-n sparse SVD start uses ARPACK on an operator: same product as the dense one
    sim = sh.simulate_sparse_cooccurrence(n_words=600, n_pairs=60_000, seed=2)
    qq = sh.unigram_noise(sim.counts)
    V, U, _, _ = svd_start(sim.counts, qq, K, 2, False)
    assert np.all(np.isfinite(V)) and V.shape == (600, 2)


def test_sampled_options_schedule_and_objective_every(small):
    C, _, q = small
    kw = dict(k=K, dim=2, epochs=6, lr=0.05, batch_size=16, seed=0)
    r = sh.train_sgns(C, q, objective_every=4, **kw)
    assert np.isnan(r.objective_history[[0, 1, 2, 4]]).all()
    assert np.isfinite(r.objective_history[[3, 5]]).all()
    assert r.time_history.shape == (6,) and np.all(np.diff(r.time_history) > 0)
    lin = sh.train_sgns(C, q, lr_schedule="linear", **kw)
    const = sh.train_sgns(C, q, **kw)
    assert not np.array_equal(lin.V, const.V)


def test_sparse_simulation():
    sim = sh.simulate_sparse_cooccurrence(n_words=40, dim=2, n_pairs=20_000, seed=4)
    again = sh.simulate_sparse_cooccurrence(n_words=40, dim=2, n_pairs=20_000, seed=4)
    assert isinstance(sim, sh.SparseCooccurrence)
    C = sim.counts
    assert sp.issparse(C) and C.shape == (40, 40) and C.sum() == 20_000 and C.data.min() >= 1
    assert_array_equal(C.toarray(), again.counts.toarray())
    assert not sim.V.flags.writeable
    # the same distribution as the dense model: empirical frequencies near P ∝ exp(V Uᵀ)
    P = np.exp(sim.V @ sim.U.T)
    P /= P.sum()
    big = sh.simulate_sparse_cooccurrence(n_words=40, dim=2, n_pairs=2_000_000, seed=4).counts.toarray() / 2e6
    assert np.abs(big - P).max() < 5 * np.sqrt(P.max() / 2e6)
    with pytest.raises(ValueError, match=r"`n_pairs` must be >= 1; got 0"):
        sh.simulate_sparse_cooccurrence(n_pairs=0)
    with pytest.raises(TypeError, match=r"`scale` must be a positive float; got '1'"):
        sh.simulate_sparse_cooccurrence(n_words=5, scale="1")
    with pytest.raises(ValueError, match=r"`scale` must be a positive finite float; got -1.0"):
        sh.simulate_sparse_cooccurrence(n_words=5, scale=-1.0)


def test_input_validation(small):
    C, Cs, q = small
    with pytest.raises(TypeError, match=r"`counts` is a scipy.sparse matrix, but the negative weight k n_i q_j is a dense"):
        sh.sgns_weights(Cs, q, K)
    with pytest.raises(TypeError, match=r"`counts` is a scipy.sparse matrix, but the gradient in the logits"):
        sh.sgns_gradient(np.zeros((20, 20)), Cs, q, K)
    V = np.zeros((20, 2))
    with pytest.raises(ValueError, match=r"`X` given as factors must be \(V, U\) or \(V, U, b, c\); got a tuple of 3"):
        sh.sgns_objective((V, V, np.zeros(20)), Cs, q, K)
    with pytest.raises(ValueError, match=r"`X` given as factors needs both biases b and c, or neither"):
        sh.sgns_objective((V, V, np.zeros(20), None), Cs, q, K)
    with pytest.raises(ValueError, match=r"`X` factors V and U must both have shape \(20, d\); got \(20, 2\) and \(19, 2\)"):
        sh.sgns_objective((V, V[1:]), Cs, q, K)
    with pytest.raises(ValueError, match=r"`X` biases b and c must have shape \(20,\); got \(19,\) and \(20,\)"):
        sh.sgns_objective((V, V, np.zeros(19), np.zeros(20)), Cs, q, K)
    with pytest.raises(ValueError, match=r"`X` factors must be finite"):
        sh.sgns_objective((V + np.nan, V), Cs, q, K)
    with pytest.raises(ValueError, match=r"`X` must have the shape of `counts` \(20, 20\); got \(2, 2\)"):
        sh.sgns_objective(np.zeros((2, 2)), Cs, q, K)
    with pytest.raises(ValueError, match=r"`counts` must be non-negative"):
        sh.sgns_optimum(sp.csr_array(-C), q, K)
    kw = dict(k=K, epochs=1)
    with pytest.raises(ValueError, match=r"`init` must be one of 'random', 'svd'; got 'pca'"):
        sh.train_sgns(Cs, q, init="pca", **kw)
    with pytest.raises(ValueError, match=r"`lr_schedule` must be one of 'constant', 'linear'; got 'cosine'"):
        sh.train_sgns(Cs, q, lr_schedule="cosine", **kw)
    with pytest.raises(ValueError, match=r"`objective_every` must be >= 1; got 0"):
        sh.train_sgns(Cs, q, objective_every=0, **kw)
    with pytest.raises(ValueError, match=r"`tol` must be a positive finite float; got 0"):
        sh.train_sgns(Cs, q, tol=0, **kw)
    with pytest.raises(ValueError, match=r"`counts` must have at least one count in every row"):
        sh.train_sgns(sp.csr_array(np.vstack([np.zeros((1, 20), dtype=int), C[1:]])), q, **kw)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="CUDA is not available on this machine")
def test_sparse_training_on_cuda(small):
    C, Cs, q = small
    for method in ("sampled", "exact"):
        r = sh.train_sgns(Cs, q, k=K, dim=2, method=method, device="cuda", epochs=3, max_iter=50, seed=0)
        assert_allclose(r.objective, sh.sgns_objective(r.factors(), C, q, K), rtol=1e-6)
