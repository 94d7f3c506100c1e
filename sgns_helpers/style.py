"""The book's figure style, set without importing seaborn.

The style is seaborn's ``set_theme(style="whitegrid", context="notebook")`` with the
"colorblind" palette, written out as matplotlib ``rcParams`` plus the book's text sizes.
Importing seaborn pulls in ``scipy.stats`` (about half a second per notebook), and most
chapters draw with matplotlib alone; ``tests/test_style.py`` checks that these values
are what seaborn sets. One difference: seaborn also makes its "rocket" map the default
``image.cmap``; here matplotlib's default stays (the book draws matrices with
:func:`sgns_helpers.plotting.plot_matrix`, which names its colour map).
"""

from __future__ import annotations

import matplotlib as mpl
from cycler import cycler
from matplotlib.colors import to_rgb

__all__ = ["BOOK_PALETTE", "use_book_style"]

#: The book's one palette: seaborn's colour-blind-safe "colorblind" (Wong 2011 hues), as RGB triples.
BOOK_PALETTE = tuple(to_rgb(c) for c in ("#0173b2", "#de8f05", "#029e73", "#d55e00", "#cc78bc",
                                         "#ca9161", "#fbafe4", "#949494", "#ece133", "#56b4e9"))

_DARK, _LIGHT = ".15", ".8"  # text and ticks; axes edges and grid
_WHITEGRID = {
    "figure.facecolor": "white", "axes.facecolor": "white", "axes.labelcolor": _DARK, "text.color": _DARK,
    "xtick.color": _DARK, "ytick.color": _DARK, "xtick.direction": "out", "ytick.direction": "out",
    "axes.axisbelow": True, "axes.grid": True, "axes.edgecolor": _LIGHT, "grid.color": _LIGHT,
    "grid.linestyle": "-", "font.family": ["sans-serif"],
    "font.sans-serif": ["Arial", "DejaVu Sans", "Liberation Sans", "Bitstream Vera Sans", "sans-serif"],
    "lines.solid_capstyle": "round", "patch.edgecolor": "w", "patch.force_edgecolor": True,
    "xtick.top": False, "ytick.right": False, "xtick.bottom": False, "ytick.left": False,
    "axes.spines.left": True, "axes.spines.bottom": True, "axes.spines.right": True, "axes.spines.top": True,
}
_NOTEBOOK = {
    "axes.linewidth": 1.25, "grid.linewidth": 1, "lines.linewidth": 1.5, "lines.markersize": 6,
    "patch.linewidth": 1, "xtick.major.width": 1.25, "ytick.major.width": 1.25, "xtick.minor.width": 1,
    "ytick.minor.width": 1, "xtick.major.size": 6, "ytick.major.size": 6, "xtick.minor.size": 4,
    "ytick.minor.size": 4, "font.size": 12.0,
}
_BOOK = {  # text readable on a phone; the figure's size in pixels fixed
    "axes.labelsize": 11, "axes.titlesize": 11, "xtick.labelsize": 10, "ytick.labelsize": 10,
    "legend.fontsize": 10, "legend.title_fontsize": 10, "legend.frameon": False,
    "figure.dpi": 100, "savefig.dpi": 100,
}


def use_book_style() -> None:
    """Set the book's figure style: the palette :data:`BOOK_PALETTE`, text readable on a phone.

    Every chapter calls this once, after its imports; it changes ``rcParams`` of the running kernel only.
    """
    mpl.rcParams.update({**_WHITEGRID, **_NOTEBOOK, "axes.prop_cycle": cycler(color=list(BOOK_PALETTE)), **_BOOK})
