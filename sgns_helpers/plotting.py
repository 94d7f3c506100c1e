"""Figures used across the chapters (matplotlib; seaborn only for :func:`plot_matrix`).

Every function takes ``ax=None`` (a new figure when omitted), draws, and returns the axes; none
calls ``plt.show()``. Inputs are validated like everywhere else: NaNs are an error, not a blank plot.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ._checks import check_finite_matrix
from .style import BOOK_PALETTE, use_book_style

__all__ = ["use_book_style", "BOOK_PALETTE", "scatter_recovery", "plot_histories", "plot_matrix", "plot_cell_counts"]


def _axes(ax, figsize=(4.5, 4.0)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def _as_vector(x, name: str) -> np.ndarray:
    try:
        return np.asarray(x, dtype=float).ravel()
    except (TypeError, ValueError) as exc:
        raise TypeError(f"`{name}` must be an array of numbers; got {type(x).__name__}.") from exc


def _is_number(v) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)


def scatter_recovery(truth, learned, ax=None, *, xlabel="truth", ylabel="learned", diagonal=True, s=6, alpha=0.35,
                     ylim=None, **kwargs):
    """Scatter learned values against the values they should equal, with ``y = x``.

    Parameters
    ----------
    truth, learned : array_like of the same shape
        Paired values (matrices are flattened). Pairs where either is not finite (e.g. ``-inf``
        on zero cells) are left out, and their number is written in the plot's corner.
    ax : matplotlib.axes.Axes, optional
    xlabel, ylabel : str
    diagonal : bool, default True
        Draw the dashed line ``y = x``.
    s, alpha : float
        Marker size and transparency; other keyword arguments go to ``ax.scatter``.
    ylim : (low, high), optional
        Range of the y axis. Points outside it are drawn as triangles on the edge they lie beyond
        and counted in the corner, so that a few extreme values do not squash the cloud.

    Returns
    -------
    matplotlib.axes.Axes
        The corner text states Pearson's r over all finite pairs (clipped ones included) and ``y = x``.
    """
    x, y = _as_vector(truth, "truth"), _as_vector(learned, "learned")
    if x.shape != y.shape:
        raise ValueError(f"`truth` and `learned` must have the same size; got {x.size} and {y.size}.")
    if ylim is not None and not (isinstance(ylim, (tuple, list)) and len(ylim) == 2
                                 and all(_is_number(v) and np.isfinite(v) for v in ylim) and ylim[0] < ylim[1]):
        raise ValueError(f"`ylim` must be None or (low, high), finite numbers with low < high; got {ylim!r}.")
    keep = np.isfinite(x) & np.isfinite(y)
    if keep.sum() < 2:
        raise ValueError(f"need at least 2 finite (truth, learned) pairs to plot; got {int(keep.sum())}.")
    x, y = x[keep], y[keep]
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        raise ValueError("`truth` and `learned` must each vary; a constant has no correlation to report.")
    ax = _axes(ax)
    notes = [f"r = {np.corrcoef(x, y)[0, 1]:.3f}"]
    if (~keep).any():
        notes.append(f"{(~keep).sum()} non-finite left out")
    lo, hi = ylim if ylim is not None else (-np.inf, np.inf)
    inside = (y >= lo) & (y <= hi)
    points = ax.scatter(x[inside], y[inside], s=s, alpha=alpha, **kwargs)
    for beyond, edge, marker, where in ((y < lo, lo, "v", "below"), (y > hi, hi, "^", "above")):
        if beyond.any():
            ax.scatter(x[beyond], np.full(beyond.sum(), edge), marker=marker, s=4 * s, alpha=min(1.0, 2 * alpha),
                       color=points.get_facecolor()[0][:3], clip_on=False)
            notes.append(f"{beyond.sum()} {where} the axis ({'▼' if marker == 'v' else '▲'})")
    if diagonal:  # over the range both axes show
        a, b = max(min(x.min(), y.min()), lo), min(max(x.max(), y.max()), hi)
        ax.plot([a, b], [a, b], ls="--", color="grey", lw=1)
        notes.append("dashed: y = x")
    if ylim is not None:
        ax.set_ylim(lo, hi)
    ax.text(0.03, 0.97, "\n".join(notes), transform=ax.transAxes, va="top", ha="left", fontsize="small",
            bbox=dict(boxstyle="round", facecolor="white", edgecolor="0.8", alpha=0.9))
    ax.set(xlabel=xlabel, ylabel=ylabel)
    return ax


def plot_histories(histories, ax=None, *, reference=None, reference_label="best rank-d objective", xlabel="epoch", ylabel="loss", logy=False):
    """Line plot of one or more training curves.

    Parameters
    ----------
    histories : dict of str to array_like of shape (n_steps,)
        Curve name to values.
    ax : matplotlib.axes.Axes, optional
    reference : float, optional
        Draw a horizontal dashed line at this value (e.g. the best objective).
    reference_label, xlabel, ylabel : str
    logy : bool, default False
        Log scale on the y axis.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if not isinstance(histories, dict) or not histories:
        raise TypeError(f"`histories` must be a non-empty dict of name -> values; got {type(histories).__name__}.")
    curves = {}
    for name, values in histories.items():  # validate every curve before opening a figure
        v = _as_vector(values, f"histories[{name!r}]")
        if not np.all(np.isfinite(v)):
            raise ValueError(f"`histories[{name!r}]` must be finite; found NaN or inf.")
        curves[name] = v
    if reference is not None and not _is_number(reference):
        raise TypeError(f"`reference` must be a number or None; got {reference!r}.")
    if reference is not None and not np.isfinite(reference):
        raise ValueError(f"`reference` must be finite; got {reference!r}.")
    ax = _axes(ax, figsize=(6.0, 3.5))
    for name, v in curves.items():
        ax.plot(np.arange(1, v.size + 1), v, label=name)
    if reference is not None:
        ax.axhline(reference, ls="--", color="grey", lw=1, label=reference_label)
    if logy:
        ax.set_yscale("log")
    ax.set(xlabel=xlabel, ylabel=ylabel)
    ax.legend(fontsize="small")
    return ax


def plot_matrix(M, ax=None, *, title=None, center=None, cmap=None, cbar=True, vmin=None, vmax=None):
    """Heatmap of a matrix; ``-inf`` cells (zero counts) are drawn in black (the axes' background).

    Parameters
    ----------
    M : array_like of shape (n_rows, n_cols)
    ax : matplotlib.axes.Axes, optional
    title : str, optional
    center : float, optional
        Value at the centre of a diverging colour map (e.g. 0 for PMI).
    cmap : str, optional
        Defaults to ``"vlag"`` when ``center`` is given, else ``"viridis"``.
    cbar : bool, default True
    vmin, vmax : float, optional
        Ends of the colour scale (values beyond them get the end colours). Give
        several panels the same range to make them comparable.

    Returns
    -------
    matplotlib.axes.Axes
    """
    M = check_finite_matrix(M, "M", allow_neg_inf=True)
    for name, value in (("vmin", vmin), ("vmax", vmax)):
        if value is not None and not (_is_number(value) and np.isfinite(value)):
            raise ValueError(f"`{name}` must be a finite number or None; got {value!r}.")
    if vmin is not None and vmax is not None and vmin >= vmax:
        raise ValueError(f"`vmin` must be below `vmax`; got {vmin!r} and {vmax!r}.")
    ax = _axes(ax)
    mask = ~np.isfinite(M)
    ax.set_facecolor("black")  # what shows through the masked cells
    import seaborn as sns  # imported here: it takes ~0.5 s (scipy.stats), and only this figure needs it

    sns.heatmap(np.where(mask, 0.0, M), mask=mask, ax=ax, center=center, cbar=cbar, vmin=vmin, vmax=vmax,
                cmap=cmap or ("vlag" if center is not None else "viridis"), xticklabels=False, yticklabels=False, square=True)
    ax.set(xlabel="context j", ylabel="center i", title=title or "")
    return ax


def plot_cell_counts(counts, ax=None, *, label=None):
    """Cell counts sorted from largest to smallest, on log-log axes (a rank plot).

    Parameters
    ----------
    counts : array_like
        Pair counts (any shape; flattened). Zero cells are not drawn.
    ax : matplotlib.axes.Axes, optional
    label : str, optional
        Legend entry for this curve.

    Returns
    -------
    matplotlib.axes.Axes
    """
    c = _as_vector(counts, "counts")
    if not np.all(np.isfinite(c)) or np.any(c < 0):
        raise ValueError("`counts` must be finite and non-negative.")
    c = np.sort(c[c > 0])[::-1]
    if c.size == 0:
        raise ValueError("`counts` has no non-zero cell to plot.")
    ax = _axes(ax)
    ax.loglog(np.arange(1, c.size + 1), c, label=label)
    ax.set(xlabel="rank of cell", ylabel="count $n_{ij}$")
    if label is not None:
        ax.legend(fontsize="small")
    return ax
