"""lbfgs.minimize_lbfgs: the exact trainer's L-BFGS, against closed-form minimisers."""

import numpy as np
import pytest

from sgns_helpers.lbfgs import _direction, minimize_lbfgs


def _quadratic(seed=0, n=30):
    """f(x) = ½ xᵀAx - bᵀx, minimised at A⁻¹ b."""
    rng = np.random.default_rng(seed)
    Q = rng.standard_normal((n, n))
    A = Q @ Q.T / n + np.diag(np.linspace(0.1, 10.0, n))  # condition number ~ 100
    b = rng.standard_normal(n)
    return A, b, (lambda x: (0.5 * float(x @ A @ x) - float(b @ x), A @ x - b))


def _identity(x):
    return lambda v: v


def test_quadratic_reaches_the_closed_form_minimiser():
    A, b, fun = _quadratic()
    calls = []
    x, f, it = minimize_lbfgs(fun, np.zeros(b.size), precondition=_identity, max_iter=500, ftol=0.0, gtol=1e-10,
                              callback=calls.append)
    x_star = np.linalg.solve(A, b)
    np.testing.assert_allclose(x, x_star, atol=1e-8)
    assert f == pytest.approx(-0.5 * b @ x_star, abs=1e-12)
    assert len(calls) == it < 500 and calls[-1] == f
    assert np.all(np.diff(calls) <= 0)  # every accepted step lowers f (Armijo)


def test_the_exact_inverse_as_preconditioner_solves_a_quadratic_in_one_step():
    A, b, fun = _quadratic(seed=1)
    A_inv = np.linalg.inv(A)
    x, f, it = minimize_lbfgs(fun, np.zeros(b.size), precondition=lambda x: (lambda v: v @ A_inv), max_iter=50,
                              ftol=0.0, gtol=1e-9)
    assert it <= 2  # the first step, -A⁻¹ g, lands on the minimiser; the second confirms it
    np.testing.assert_allclose(x, np.linalg.solve(A, b), atol=1e-9)


def test_rosenbrock_minimum_at_ones():
    def fun(z):
        x, y = z
        return (1 - x) ** 2 + 100 * (y - x * x) ** 2, np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])

    z, f, it = minimize_lbfgs(fun, np.array([-1.2, 1.0]), precondition=_identity, max_iter=500, ftol=0.0, gtol=1e-10)
    np.testing.assert_allclose(z, [1.0, 1.0], atol=1e-7)
    assert f < 1e-14 and it < 200


def test_compact_form_meets_the_secant_equation_of_the_newest_pair():
    rng = np.random.default_rng(2)
    A, _, _ = _quadratic(seed=2)
    S = rng.standard_normal((5, A.shape[0]))
    Y = S @ A  # pairs from the quadratic: y = A s
    P = lambda v: 2.0 * v  # noqa: E731  any symmetric positive definite H0
    PY = P(Y)
    SY, YPY = S @ Y.T, Y @ PY.T
    Z = np.stack([S, PY], axis=1)  # pair i: (s_i, P y_i)
    np.testing.assert_allclose(_direction(Y[-1], P(Y[-1]), Z, SY, YPY), -S[-1], atol=1e-10)  # -H y = -s
    np.testing.assert_allclose(_direction(Y[0], P(Y[0]), Z[:0], SY[:0, :0], YPY[:0, :0]), -2.0 * Y[0])  # H0 alone


def test_compact_form_equals_the_two_loop_recursion():
    rng = np.random.default_rng(4)
    A, _, _ = _quadratic(seed=4)
    S = rng.standard_normal((6, A.shape[0]))
    Y = S @ A + 0.01 * rng.standard_normal(S.shape)  # curvature sᵀy > 0 on every pair, not exactly a quadratic's
    assert np.all(np.einsum("ij,ij->i", S, Y) > 0)
    w = rng.uniform(0.5, 2.0, A.shape[0])
    P = lambda v: v * w  # noqa: E731  a diagonal H0 direction, scaled by gamma below
    g = rng.standard_normal(A.shape[0])
    gamma = (S[-1] @ Y[-1]) / (Y[-1] @ P(Y[-1]))
    q, alphas = g.copy(), []
    for s, y in zip(S[::-1], Y[::-1]):  # Nocedal & Wright, Algorithm 7.4, newest pair first
        alpha = (s @ q) / (s @ y)
        q -= alpha * y
        alphas.append(alpha)
    r = gamma * P(q)
    for (s, y), alpha in zip(zip(S, Y), alphas[::-1]):
        r += s * (alpha - (y @ r) / (s @ y))
    Z = np.stack([S, P(Y)], axis=1)
    np.testing.assert_allclose(_direction(g, P(g), Z, S @ Y.T, Y @ P(Y).T), -r, rtol=1e-9, atol=1e-10)


def test_stopping_rules():
    A, b, fun = _quadratic(seed=3)
    _, _, it = minimize_lbfgs(fun, np.zeros(b.size), precondition=_identity, max_iter=3, ftol=0.0, gtol=0.0)
    assert it == 3
    seen = []
    _, f, it = minimize_lbfgs(fun, np.zeros(b.size), precondition=_identity, max_iter=500, ftol=1e-3, gtol=0.0,
                              callback=seen.append)
    drops = -np.diff([0.0] + seen)
    assert drops[-1] <= 1e-3 * max(abs(seen[-2]), abs(seen[-1]), 1.0) < drops[:-1].min()  # stopped at the first small drop


def test_preconditioner_renewed_every_refresh_iterations():
    A, b, fun = _quadratic(seed=4)
    asked = []

    def precondition(x):
        asked.append(x.copy())
        return lambda v: v

    _, _, it = minimize_lbfgs(fun, np.zeros(b.size), precondition=precondition, max_iter=25, ftol=0.0, gtol=0.0,
                              refresh=10, memory=4)
    assert it == 25 and len(asked) == 3  # iterations 0, 10 and 20


def test_a_short_memory_still_converges():
    """memory = 3: the window of pairs wraps around its buffers many times on the way."""
    A, b, fun = _quadratic(seed=5)
    x, _, it = minimize_lbfgs(fun, np.zeros(b.size), precondition=_identity, max_iter=2000, ftol=0.0, gtol=1e-10,
                              memory=3)
    assert it > 20
    np.testing.assert_allclose(x, np.linalg.solve(A, b), atol=1e-8)


def test_unit_first_step_sets_the_scale_when_the_preconditioner_does_not():
    """A tiny gradient (f = 1e-4 · ½|x - c|², |c| = 1): a first step of -g itself is far too short; one of length 1 is not."""
    target = np.ones(4) / 2.0

    def run(unit_first):
        evals = []

        def fun(x):
            evals.append(1)
            return 0.5e-4 * float((x - target) @ (x - target)), 1e-4 * (x - target)

        x, _, _ = minimize_lbfgs(fun, np.zeros(4), precondition=_identity, max_iter=1, ftol=0.0, gtol=0.0,
                                 unit_first=unit_first)
        return x, len(evals) - 1  # the evaluations of the line search

    x_unit, n_unit = run(True)
    _, n_raw = run(False)
    assert n_unit == 1 and n_raw > 5  # -g alone is grown by doubling, ten-thousandfold
    np.testing.assert_allclose(x_unit, target, atol=1e-12)  # the unit step lands on the minimiser
