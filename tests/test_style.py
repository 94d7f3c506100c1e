"""Tests for sgns_helpers.style: the book's style is seaborn's whitegrid theme, set without seaborn."""

import subprocess
import sys

import matplotlib as mpl
import pytest

from sgns_helpers import style


@pytest.fixture
def fresh_rc():
    saved = mpl.rcParams.copy()
    yield
    mpl.rcParams.update(saved)


def test_palette_is_seaborns_colorblind():
    sns = pytest.importorskip("seaborn")
    assert style.BOOK_PALETTE == tuple(sns.color_palette("colorblind"))


def test_use_book_style_sets_what_seaborns_theme_sets(fresh_rc):
    sns = pytest.importorskip("seaborn")
    mpl.rcdefaults()
    sns.set_theme(style="whitegrid", palette=list(style.BOOK_PALETTE), font_scale=1.0)
    mpl.rcParams.update(style._BOOK)
    theirs = dict(mpl.rcParams)
    mpl.rcParams.update({"figure.facecolor": "black", "axes.grid": False, "font.size": 7.0})  # differ first
    mpl.rcdefaults()
    style.use_book_style()
    ours = dict(mpl.rcParams)
    differ = {key for key in theirs if ours[key] != theirs[key]}
    assert differ == {"image.cmap"}  # seaborn's "rocket"; see the module docstring
    assert ours["legend.frameon"] is False and ours["axes.labelsize"] == 11 and ours["figure.dpi"] == 100


def test_style_and_plotting_import_without_seaborn():
    code = "import sgns_helpers as sh, sys; sh.plotting.use_book_style(); print('seaborn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
