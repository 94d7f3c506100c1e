"""expected.ExpectedLoss's dense numpy path: the trainers' hot loop, against the overflow-safe formula."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

import sgns_helpers as sh
from sgns_helpers.expected import ExpectedLoss, cell_loss

K = 5


@pytest.fixture(scope="module")
def problem(small_sim):
    C = small_sim.counts
    q = sh.unigram_noise(C)
    pos, neg = sh.sgns_weights(C, q, K)
    N = pos.sum()
    return C, q, pos / N, (pos + neg) / N


def _reference(loss, V, U, b=None, c=None):
    """The value and gradients by the safe general formula (``cell_loss``), summed by hand."""
    X = V @ U.T + (0.0 if b is None else b[:, None] + c[None, :])
    value, G = cell_loss(X, loss.P, loss.T, grad=True)
    grads = (G @ U, G.T @ V) + ((G.sum(1), G.sum(0)) if b is not None else (None, None))
    return float(value.sum()), grads


@pytest.mark.parametrize("scale", [0.3, 3.0, 30.0])
@pytest.mark.parametrize("bias", [False, True])
def test_hot_path_equals_the_safe_formula(problem, scale, bias):
    C, q, _, _ = problem
    loss = ExpectedLoss(C, q, K)
    rng = np.random.default_rng(int(scale * 10))
    V, U = scale * rng.standard_normal((20, 3)), rng.standard_normal((20, 3))  # logits up to ~±100 at scale 30
    b, c = (rng.standard_normal(20), rng.standard_normal(20)) if bias else (None, None)
    value, grads = loss(V, U, b, c, grad=True)
    ref_value, ref_grads = _reference(loss, V, U, b, c)
    assert value == pytest.approx(ref_value, rel=1e-12)
    for g, r in zip(grads, ref_grads):
        if r is not None:
            assert_allclose(g, r, rtol=1e-10, atol=1e-15)


def test_logits_past_exp_overflow_give_the_finite_loss(problem):
    C, q, _, _ = problem
    loss = ExpectedLoss(C, q, K)
    V, U = np.full((20, 1), 40.0), np.full((20, 1), 20.0)  # every logit 800: e^800 overflows float64
    with np.errstate(over="raise"):  # and no overflow warning escapes
        value, (gV, gU, _, _) = loss(V, U, grad=True)
    ref_value, (rV, rU, _, _) = _reference(loss, V, U)
    assert np.isfinite(value) and value == pytest.approx(ref_value, rel=1e-12)
    assert value == pytest.approx(800.0 * float((loss.T - loss.P).sum()), rel=1e-12)  # ν softplus(x) ≈ ν x
    assert_allclose(gV, rV, rtol=1e-12)
    assert_allclose(gU, rU, rtol=1e-12)


def test_out_receives_the_gradient(problem):
    C, q, _, _ = problem
    loss = ExpectedLoss(C, q, K)
    rng = np.random.default_rng(0)
    V, U = rng.standard_normal((20, 2)), rng.standard_normal((20, 2))
    out = (np.empty((20, 2)), np.empty((20, 2)))
    value, (gV, gU, gb, gc) = loss(V, U, grad=True, out=out)
    assert gV is out[0] and gU is out[1] and gb is None and gc is None
    ref_value, (rV, rU, _, _) = _reference(loss, V, U)
    assert value == pytest.approx(ref_value, rel=1e-12)
    assert_allclose(out[0], rV, rtol=1e-10, atol=1e-15)
    assert_allclose(out[1], rU, rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("bias", [False, True])
def test_dense_grad_gives_dL_dX_and_writes_the_factor_gradients(problem, bias):
    C, q, _, _ = problem
    loss = ExpectedLoss(C, q, K)
    rng = np.random.default_rng(1)
    V, U = rng.standard_normal((20, 2)), rng.standard_normal((20, 2))
    b, c = (rng.standard_normal(20), rng.standard_normal(20)) if bias else (None, None)
    gV, gU = np.empty((20, 2)), np.empty((20, 2))
    value, G = loss.dense_grad(V, U, b, c, gV, gU)
    X = V @ U.T + (0.0 if b is None else b[:, None] + c[None, :])
    ref_value, ref_G = cell_loss(X, loss.P, loss.T, grad=True)
    assert value == pytest.approx(float(ref_value.sum()), rel=1e-12)
    assert_allclose(G, ref_G, rtol=1e-10, atol=1e-15)
    assert_allclose(gV, ref_G @ U, rtol=1e-10, atol=1e-15)
    assert_allclose(gU, ref_G.T @ V, rtol=1e-10, atol=1e-15)
    assert loss.dense_grad(V, U, b, c)[0] == value  # without buffers: the value and G alone
