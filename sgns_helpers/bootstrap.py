"""Percentile bootstrap intervals for benchmark scores (chapter 8).

A benchmark score is a statistic of a few hundred items (word pairs, analogy
questions). Redrawing the items with replacement and recomputing the statistic
shows how much the score owes to which items happened to be in the benchmark:
the central ``level`` share of the redrawn scores is the interval. Two methods
scored on the same items are called different only when their intervals do not
overlap, a conservative rule.
"""

from __future__ import annotations

import numpy as np

from ._checks import _short, as_rng, check_positive_int

__all__ = ["bootstrap_interval"]


def bootstrap_interval(statistic, n_items, *, n_boot=1000, seed=0, level=0.95) -> tuple[float, float]:
    """Percentile bootstrap interval of ``statistic`` over ``n_items`` items.

    Parameters
    ----------
    statistic : callable
        ``statistic(index)`` takes an int array of shape (n_boot, n_items),
        one redraw of the items (with repeats) per row, and returns the
        statistic of each row, shape (n_boot,). Vectorised: one call in all.
    n_items : int
        Number of items (``>= 2``).
    n_boot : int, default 1000
        Number of redraws.
    seed : int or numpy.random.Generator, default 0
        Randomness of the redraws.
    level : float, default 0.95
        Coverage of the interval, in (0, 1).

    Returns
    -------
    (float, float)
        The ``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles of the
        redrawn statistics (NaN redraws ignored).

    Examples
    --------
    >>> x = np.arange(100.0)
    >>> low, high = bootstrap_interval(lambda i: x[i].mean(axis=1), 100, seed=0)
    >>> bool(low < 49.5 < high), bool(high - low < 15)
    (True, True)
    """
    if not callable(statistic):
        raise TypeError(f"`statistic` must be a function of an index array; got {_short(statistic)}.")
    n_items = check_positive_int(n_items, "n_items", minimum=2)
    n_boot = check_positive_int(n_boot, "n_boot")
    if isinstance(level, bool) or not isinstance(level, (int, float, np.floating)) or not 0 < level < 1:
        raise ValueError(f"`level` must be a number in (0, 1); got {level!r}.")
    rng = as_rng(seed)
    draws = np.asarray(statistic(rng.integers(n_items, size=(n_boot, n_items))), dtype=float)  # (n_boot,)
    if draws.shape != (n_boot,):
        raise ValueError(f"`statistic` must return one value per redraw, shape ({n_boot},); got shape {draws.shape}.")
    low, high = np.nanquantile(draws, [(1 - level) / 2, (1 + level) / 2])
    return float(low), float(high)
