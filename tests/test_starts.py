"""starts: the SVD start of the exact trainer and the two starts it screens without biases."""

import numpy as np
import pytest

import sgns_helpers as sh
from sgns_helpers._run import Progress
from sgns_helpers.exact import fit_exact
from sgns_helpers.expected import ExpectedLoss
from sgns_helpers.starts import _leading_factors, svd_candidates, svd_start


@pytest.fixture(scope="module")
def problem():
    C = sh.simulate_cooccurrence(seed=1).counts
    return C, sh.unigram_noise(C, power=0.75)


@pytest.mark.parametrize("r", [1, 2, 3, 5])
def test_leading_factors_are_the_truncated_svd(r):
    rng = np.random.default_rng(r)
    Z = rng.standard_normal((40, 40)) + np.outer(rng.standard_normal(40), rng.standard_normal(40)) * 5
    left, s, right_t = np.linalg.svd(Z)
    V, U = _leading_factors(Z, r)
    np.testing.assert_allclose(V @ U.T, (left[:, :r] * s[:r]) @ right_t[:r], atol=1e-9)  # Eckart-Young's best rank r
    np.testing.assert_allclose(np.linalg.norm(V, axis=0) * np.linalg.norm(U, axis=0), s[:r], rtol=1e-9)  # largest first


def test_two_candidates_without_biases_the_second_swaps_the_last_direction(problem):
    C, q = problem
    one, two = svd_candidates(C, q, 20, 2, False, screen=True)
    V3, U3, _, _ = svd_start(C, q, 20, 3, False)
    V2, U2, _, _ = svd_start(C, q, 20, 2, False)
    np.testing.assert_allclose(one[0] @ one[1].T, V2 @ U2.T, atol=1e-9)  # the leading pair: the plain SVD start
    np.testing.assert_allclose(two[0] @ two[1].T, V3[:, [0, 2]] @ U3[:, [0, 2]].T, atol=1e-9)  # first and third
    assert one[2] is None and two[3] is None


@pytest.mark.parametrize("bias, screen, dim", [(True, True, 2), (False, False, 2), (False, True, 99)])
def test_one_candidate_with_biases_unscreened_or_without_a_spare_direction(problem, bias, screen, dim):
    C, q = problem
    starts = svd_candidates(C, q, 20, dim, bias, screen=screen)
    assert len(starts) == 1
    V, U, b, c = starts[0]
    V0, U0, b0, c0 = svd_start(C, q, 20, dim, bias)
    np.testing.assert_allclose(V @ U.T, V0 @ U0.T, atol=1e-9)
    assert (b is None) == (not bias)


def test_the_screened_default_reaches_the_best_valley_where_the_leading_pair_does_not():
    """Seed 11 (benchmark B1): the leading pair ends about 0.03 above the best of ten random starts."""
    C = sh.simulate_cooccurrence(seed=11).counts
    q = sh.unigram_noise(C, power=0.75)
    best = sh.train_sgns(C, q, k=20, method="exact", init="random", n_restarts=10, seed=16).objective
    default = sh.train_sgns(C, q, k=20, method="exact").objective
    _, (h, _, _) = fit_exact(ExpectedLoss(C, q, 20), C, q, k=20, dim=2, bias=False, rng=None,
                             init=svd_start(C, q, 20, 2, False), max_iter=2000, tol=1e-12, clock=0.0,
                             progress=Progress(1, False, ""))
    assert default <= best + 1e-8 < h[-1] - 0.01
