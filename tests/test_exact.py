"""exact.fit_exact from a given start: the exact trainer polishes another fit (benchmark B5)."""

import numpy as np
import pytest

import sgns_helpers as sh
from sgns_helpers._run import Progress
from sgns_helpers.exact import fit_exact
from sgns_helpers.expected import ExpectedLoss


@pytest.fixture(scope="module")
def problem():
    C = sh.simulate_cooccurrence(seed=3).counts
    q = sh.unigram_noise(C, power=0.75)
    return C, q, sh.train_sgns(C, q, k=5, dim=2, method="exact")


def _polish(C, q, start, *, bias=False, max_iter=500):
    loss = ExpectedLoss(C, q, 5)
    params, (history, _, _) = fit_exact(loss, C, q, k=5, dim=2, bias=bias, rng=None, init=start,
                                        max_iter=max_iter, tol=1e-12, clock=0.0, progress=Progress(1, False, ""))
    return loss, params, history


def test_a_start_at_the_optimum_stays_there(problem):
    C, q, fit = problem
    loss, (V, U, _, _), history = _polish(C, q, (fit.V, fit.U, None, None), max_iter=20)
    assert history[-1] <= fit.objective + 1e-12
    assert np.allclose(V @ U.T, fit.V @ fit.U.T, atol=1e-5)


def test_a_perturbed_start_returns_to_the_same_valley(problem):
    C, q, fit = problem
    rng = np.random.default_rng(0)
    V0, U0 = fit.V + 0.05 * rng.standard_normal(fit.V.shape), fit.U + 0.05 * rng.standard_normal(fit.U.shape)
    loss, (V, U, _, _), history = _polish(C, q, (V0, U0, None, None))
    assert loss(V0, U0) > fit.objective + 1e-4  # the perturbation costs something
    assert history[-1] == pytest.approx(fit.objective, abs=1e-8)
    assert np.all(np.diff(history) <= 1e-12)  # L-BFGS only goes down
    assert np.abs(V @ U.T - fit.V @ fit.U.T).max() < 1e-3


def test_a_start_with_biases(problem):
    C, q, _ = problem
    fit = sh.train_sgns(C, q, k=5, dim=2, method="exact", bias=True)
    start = (fit.V, fit.U, fit.center_bias + 0.1, fit.context_bias - 0.1)
    _, (V, U, b, c), history = _polish(C, q, start, bias=True)
    assert history[-1] == pytest.approx(fit.objective, abs=1e-8)
    assert np.allclose(V @ U.T + b[:, None] + c[None, :], fit.logits(), atol=1e-3)
