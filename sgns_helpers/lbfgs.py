"""A small L-BFGS for the exact trainer: compact form, a preconditioner, a weak Wolfe line search.

scipy's L-BFGS-B takes no preconditioner, and at the book's 100-word problem
(N = 400) spends about as long on its own bookkeeping per iteration as on
the loss and its gradient (~35 µs each, scipy 1.17). This one keeps the last ``memory`` pairs ``s = Δθ``, ``y = Δg`` (with
``P y``, got as ``P g_new - P g`` from the ``P g`` each step needs anyway) as
rows of arrays and applies the inverse-Hessian approximation in its compact
form (Byrd, Nocedal & Schnabel, 1994),

    H = H0 + [S, H0 Y] [[R⁻ᵀ (D + Yᵀ H0 Y) R⁻¹, -R⁻ᵀ], [-R⁻¹, 0]] [S, H0 Y]ᵀ,

with ``R`` the upper triangle of ``Sᵀ Y`` and ``D`` its diagonal: two products
with the stacked ``[S, P Y]`` and two small triangular solves per step instead
of a loop over the pairs. ``H0 = γ P`` is a preconditioner
``P`` (for the trainer: the inverse of each word's Hessian block) scaled by
``γ = sᵀy / yᵀPy`` of the newest pair. ``P`` may be renewed during the run; the
pairs stay valid, since they live in the original coordinates.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg.lapack import dtrtrs

__all__ = ["minimize_lbfgs"]


def minimize_lbfgs(fun, x, *, precondition, max_iter, ftol, gtol, memory=20, refresh=20, unit_first=False,
                   callback=None):
    """Minimise ``fun`` from ``x`` (N,).

    Parameters
    ----------
    fun : callable
        ``fun(x) -> (f, g)``: the value and gradient (N,) at ``x``.
    precondition : callable
        ``precondition(x) -> P``, a function applying a symmetric positive
        definite matrix to a vector (N,) or to each row of an (m, N) array;
        asked at the start and every ``refresh`` iterations.
    max_iter : int
        Iterations at most.
    ftol, gtol : float
        Stop when an iteration lowers ``f`` by at most ``ftol · max(|f|, 1)``
        (scipy's rule) or when every gradient entry is at most ``gtol``.
    memory, refresh : int, default 20, 20
        Pairs kept; iterations between calls of ``precondition``.
    unit_first : bool, default False
        While no pair is kept (the first iteration), try a step of length 1
        along ``-P g``, as scipy's L-BFGS-B does, instead of ``-P g`` itself:
        for a ``P`` that does not know the problem's scale.
    callback : callable, optional
        ``callback(f)`` after each iteration.

    Returns
    -------
    x, f, n_iter
        The last point, its value and the iterations run.
    """
    f, g = fun(x)
    # pairs oldest first in window [a, a + m) of buffers twice the memory: dropping the oldest moves
    # the window; only when it reaches the end are the rows copied back to the front. Pair i is
    # Z[i] = (s_i, P y_i), so one product with Z's window gives both s_iᵀ v and (P y_i)ᵀ v; Y[i] = y_i.
    Z, Y = np.empty((2 * memory, 2, x.size)), np.empty((2 * memory, x.size))
    SY, YPY = np.empty((2 * memory, 2 * memory)), np.empty((2 * memory, 2 * memory))  # s_iᵀ y_j (i <= j), y_iᵀ P y_j
    a, m = 0, 0
    for it in range(max_iter):
        if it % refresh == 0:
            P = precondition(x)
            Pg = P(g)
            if m:
                w = slice(a, a + m)
                Z[w, 1] = P(Y[w])
                YPY[w, w] = Y[w] @ Z[w, 1].T
        w = slice(a, a + m)
        d = _direction(g, Pg, Z[w], SY[w, w], YPY[w, w])
        slope = float(g @ d)
        if not slope < 0:  # lost descent (rounding): forget the pairs
            a, m = 0, 0
            d = -Pg
            slope = float(g @ d)
        t = 1.0 / max(float(np.linalg.norm(d)), 1e-300) if unit_first and not m else 1.0
        x_new, f_new, g_new = _wolfe(fun, x, f, d, slope, t)
        Pg_new = P(g_new)
        s, y = x_new - x, g_new - g
        if float(s @ y) > 1e-12 * float(y @ y):  # curvature condition holds: keep the pair
            if m == memory:  # drop the oldest
                a, m = a + 1, m - 1
            if a + m == 2 * memory:  # the window is at the end: back to the front
                w = slice(a, a + m)
                for buf in (Z, Y):
                    buf[:m] = buf[w]
                for buf in (SY, YPY):
                    buf[:m, :m] = buf[w, w].copy()
                a = 0
            j = a + m  # the new pair's row
            Z[j, 0], Y[j] = s, y
            np.subtract(Pg_new, Pg, out=Z[j, 1])  # P y = P g_new - P g
            m += 1
            w = slice(a, a + m)
            r = Z[w].reshape(2 * m, -1) @ y  # s_iᵀ y and (P y_i)ᵀ y, the new pair's last
            SY[w, j] = r[0::2]  # the new column of R; SY's lower triangle is never read
            YPY[w, j] = YPY[j, w] = r[1::2]
        done = f - f_new <= ftol * max(abs(f), abs(f_new), 1.0)
        x, f, g, Pg = x_new, f_new, g_new, Pg_new
        if callback is not None:
            callback(f)
        if done or np.abs(g).max() <= gtol:
            return x, f, it + 1
    return x, f, max_iter


def _direction(g, Pg, Z, SY, YPY):
    """The step ``-H g`` in compact form with ``H0 = γ P``; ``-P g`` alone while no pair is kept.

    ``Z`` (m, 2, N) holds the pairs ``(s_i, P y_i)``; ``SY`` (m, m) holds ``s_iᵀ y_j`` in
    its upper triangle, ``R``, all that is read of it; ``YPY`` holds ``y_iᵀ P y_j``.
    ``H g = γ (P g - (PY)ᵀ u) + Sᵀ top`` with ``u = R⁻¹ Sᵀ g`` and
    ``top = R⁻ᵀ (D u + γ (Yᵀ P Y u - (PY) g))``, as ``(P y_i)ᵀ g = y_iᵀ P g``.
    """
    m = len(Z)
    if not m:
        return -Pg
    Z = Z.reshape(2 * m, -1)
    gamma = SY[-1, -1] / YPY[-1, -1]
    r = Z @ g  # s_iᵀ g and (P y_i)ᵀ g, interleaved
    u = dtrtrs(SY, r[0::2])[0]
    top = dtrtrs(SY, SY.diagonal() * u + gamma * (YPY @ u - r[1::2]), trans=1)[0]
    c = np.empty(2 * m)
    c[0::2], c[1::2] = -top, gamma * u
    d = c @ Z
    d -= gamma * Pg
    return d


def _wolfe(fun, x, f, d, slope, t=1.0, c1=1e-4, c2=0.9, tries=30):
    """A step along ``d``, from trial length ``t``, meeting the weak Wolfe conditions: shrink or grow a bracket.

    Returns the point, value and gradient there (if ``tries`` run out, the last
    point that lowered ``f`` enough, or ``x`` itself).
    """
    lo, hi = 0.0, np.inf
    best = None
    for _ in range(tries):
        x_t = x + d if t == 1.0 else x + t * d
        f_t, g_t = fun(x_t)
        if not f_t <= f + c1 * t * slope:  # too long (or not finite): shrink, by a safeguarded quadratic fit
            hi = t
            q = -slope * t * t / (2.0 * (f_t - f - slope * t)) if np.isfinite(f_t) else lo + 0.5 * (hi - lo)
            t = min(max(q, lo + 0.1 * (hi - lo)), lo + 0.5 * (hi - lo))
            continue
        best = (x_t, f_t, g_t)
        if float(g_t @ d) < c2 * slope:  # too short: the slope is still steep
            lo = t
            t = 2.0 * t if np.isinf(hi) else 0.5 * (lo + hi)
            continue
        return best
    return best if best is not None else (x, *fun(x))
