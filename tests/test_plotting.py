"""Tests for sgns_helpers.plotting: every figure returns its axes and rejects bad input."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes

import sgns_helpers as sh
from sgns_helpers import plotting


def test_scatter_recovery_new_and_given_axes():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, 5))
    ax = plotting.scatter_recovery(x, x + 0.1 * rng.standard_normal((5, 5)))
    assert isinstance(ax, Axes)
    note = ax.texts[0].get_text()  # r in the corner, not as a legend entry with a marker
    assert note.startswith("r = ") and "dashed: y = x" in note
    assert ax.get_legend() is None
    _, given = plt.subplots()
    out = plotting.scatter_recovery(x.ravel(), x.ravel(), given, xlabel="PMI", ylabel="x*", diagonal=False)
    assert out is given
    assert given.get_xlabel() == "PMI" and given.get_ylabel() == "x*"
    assert len(given.get_lines()) == 0  # no diagonal


def test_scatter_recovery_leaves_out_non_finite_pairs():
    C = np.array([[5, 0, 2], [1, 3, 0], [4, 4, 1]])
    pmi = sh.empirical_pmi(C)  # -inf on the two zero cells
    ax = plotting.scatter_recovery(pmi, pmi)
    offsets = ax.collections[0].get_offsets()
    assert offsets.shape == (7, 2)
    assert "2 non-finite left out" in ax.texts[0].get_text()


def test_scatter_recovery_clips_to_ylim_and_counts():
    truth = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    learned = np.array([0.1, 1.1, 2.1, -50.0, 9.0])  # one far below, one above the range
    ax = plotting.scatter_recovery(truth, learned, ylim=(-1.0, 5.0))
    inside, below, above = (c.get_offsets() for c in ax.collections)
    assert inside.shape == (3, 2)
    assert np.array_equal(below, [[3.0, -1.0]]) and np.array_equal(above, [[4.0, 5.0]])  # drawn on the edges
    assert ax.get_ylim() == (-1.0, 5.0)
    note = ax.texts[0].get_text()
    assert "1 below the axis" in note and "1 above the axis" in note
    r = np.corrcoef(truth, learned)[0, 1]  # r is over all pairs, clipped ones included
    assert f"r = {r:.3f}" in note
    line = ax.get_lines()[0].get_xydata()
    assert line[0, 0] >= -1.0 and line[1, 1] <= 5.0  # the diagonal stays inside the shown range


def test_use_book_style_sets_the_palette():
    from matplotlib.colors import to_hex

    plotting.use_book_style()
    cycle = [to_hex(c) for c in plt.rcParams["axes.prop_cycle"].by_key()["color"]]
    assert cycle == [to_hex(c) for c in plotting.BOOK_PALETTE]
    assert plt.rcParams["legend.frameon"] is False and plt.rcParams["axes.labelsize"] >= 10


def test_plot_histories():
    ax = plotting.plot_histories({"a": [3.0, 2.0, 1.5], "b": np.array([3.0, 2.5])}, reference=1.2, logy=True)
    assert isinstance(ax, Axes)
    assert len(ax.get_lines()) == 3  # two curves and the reference line
    assert ax.get_yscale() == "log"
    _, given = plt.subplots()
    assert plotting.plot_histories({"a": [1.0, 0.5]}, ax=given, xlabel="step") is given
    assert given.get_xlabel() == "step"


def test_plot_matrix_blanks_minus_inf():
    M = sh.empirical_pmi(np.array([[5, 0, 2], [1, 3, 0], [4, 4, 1]]))
    ax = plotting.plot_matrix(M, title="PMI", center=0.0)
    assert isinstance(ax, Axes)
    assert ax.get_title() == "PMI"
    data = ax.collections[0].get_array()
    assert np.ma.count_masked(data) == 2  # the two zero cells
    assert ax.get_facecolor()[:3] == (0.0, 0.0, 0.0)  # shown in black, unlike any value
    _, given = plt.subplots()
    assert plotting.plot_matrix(np.eye(3), ax=given, cbar=False) is given
    ax = plotting.plot_matrix(np.eye(3), vmin=-2.0, vmax=2.0)
    assert ax.collections[0].get_clim() == (-2.0, 2.0)  # the shared colour range is used


def test_plot_cell_counts():
    C = np.array([[5, 0, 2], [1, 3, 0], [4, 4, 1]])
    ax = plotting.plot_cell_counts(C, label="sim")
    assert isinstance(ax, Axes)
    y = ax.get_lines()[0].get_ydata()
    assert np.array_equal(y, [5, 4, 4, 3, 2, 1, 1])  # zero cells dropped, largest first
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    _, given = plt.subplots()
    assert plotting.plot_cell_counts(C.ravel(), ax=given) is given
    assert given.get_legend() is None


def test_only_plotting_imports_matplotlib():
    # the layering of the package: numpy modules below, plotting (and its style) on top, nothing imports it
    import pathlib

    import sgns_helpers

    root = pathlib.Path(sgns_helpers.__file__).parent
    for path in root.glob("*.py"):
        text = path.read_text()
        if path.name not in ("plotting.py", "style.py", "__init__.py"):
            assert "matplotlib" not in text and "seaborn" not in text and "plotting" not in text, path.name
            assert "from .style" not in text and "import style" not in text, path.name


def test_input_validation():
    n_figs = len(plt.get_fignums())
    # scatter_recovery
    with pytest.raises(ValueError, match=r"`truth` and `learned` must have the same size; got 4 and 3"):
        plotting.scatter_recovery([1, 2, 3, 4], [1, 2, 3])
    with pytest.raises(ValueError, match=r"need at least 2 finite \(truth, learned\) pairs to plot; got 1"):
        plotting.scatter_recovery([1.0, np.nan, 3.0], [1.0, 2.0, np.inf])
    with pytest.raises(ValueError, match=r"need at least 2 finite \(truth, learned\) pairs to plot; got 0"):
        plotting.scatter_recovery([], [])
    with pytest.raises(ValueError, match=r"`truth` and `learned` must each vary"):
        plotting.scatter_recovery([1.0, 1.0, 1.0], [1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match=r"`truth` must be an array of numbers; got str"):
        plotting.scatter_recovery("abc", [1.0])
    with pytest.raises(TypeError, match=r"`learned` must be an array of numbers; got list"):
        plotting.scatter_recovery([1.0, 2.0], [1.0, "x"])
    for bad in [(1.0, 0.0), (0.0, np.inf), (0.0,), "0,1"]:
        with pytest.raises(ValueError, match=r"`ylim` must be None or \(low, high\), finite numbers with low < high; got"):
            plotting.scatter_recovery([1.0, 2.0], [1.0, 3.0], ylim=bad)
    # plot_histories
    with pytest.raises(TypeError, match=r"`histories` must be a non-empty dict of name -> values; got dict"):
        plotting.plot_histories({})
    with pytest.raises(TypeError, match=r"`histories` must be a non-empty dict of name -> values; got list"):
        plotting.plot_histories([1.0, 2.0])
    with pytest.raises(ValueError, match=r"`histories\['b'\]` must be finite; found NaN or inf"):
        plotting.plot_histories({"a": [1.0, 2.0], "b": [1.0, np.nan]})
    with pytest.raises(TypeError, match=r"`histories\['a'\]` must be an array of numbers"):
        plotting.plot_histories({"a": "loss"})
    with pytest.raises(ValueError, match=r"`reference` must be finite; got nan"):
        plotting.plot_histories({"a": [1.0]}, reference=float("nan"))
    with pytest.raises(TypeError, match=r"`reference` must be a number or None; got 'best'"):
        plotting.plot_histories({"a": [1.0]}, reference="best")
    # plot_matrix
    with pytest.raises(ValueError, match=r"`M` must not contain NaN"):
        plotting.plot_matrix([[np.nan, 1.0]])
    with pytest.raises(ValueError, match=r"`M` must be finite; found 1 infinite entries"):
        plotting.plot_matrix([[np.inf, -np.inf]])
    with pytest.raises(ValueError, match=r"`M` must be a 2-D matrix"):
        plotting.plot_matrix([1.0, 2.0])
    with pytest.raises(ValueError, match=r"`M` must not be empty"):
        plotting.plot_matrix(np.zeros((0, 2)))
    with pytest.raises(TypeError, match=r"`M` must be an array of numbers"):
        plotting.plot_matrix("M")
    with pytest.raises(ValueError, match=r"`vmin` must be a finite number or None; got nan"):
        plotting.plot_matrix(np.eye(2), vmin=np.nan)
    with pytest.raises(ValueError, match=r"`vmin` must be below `vmax`; got 1.0 and 0.0"):
        plotting.plot_matrix(np.eye(2), vmin=1.0, vmax=0.0)
    # plot_cell_counts
    with pytest.raises(ValueError, match=r"`counts` must be finite and non-negative"):
        plotting.plot_cell_counts([[1, -1]])
    with pytest.raises(ValueError, match=r"`counts` must be finite and non-negative"):
        plotting.plot_cell_counts([1.0, np.nan])
    with pytest.raises(ValueError, match=r"`counts` has no non-zero cell to plot"):
        plotting.plot_cell_counts(np.zeros((3, 3)))
    with pytest.raises(TypeError, match=r"`counts` must be an array of numbers"):
        plotting.plot_cell_counts("counts")
    # inputs are checked before a figure is opened
    assert len(plt.get_fignums()) == n_figs
