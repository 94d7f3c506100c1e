"""Shared fixtures: a headless matplotlib backend and the simulations the tests reuse."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import sgns_helpers as sh  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every figure a test opened, so figures never pile up across tests."""
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def default_sim():
    """The book's default simulation: 100 words, d = 2, 200,000 pairs, seed 0."""
    return sh.simulate_cooccurrence()


@pytest.fixture(scope="session")
def small_sim():
    """A small simulation for fast training tests (it has zero cells)."""
    return sh.simulate_cooccurrence(n_words=20, dim=2, n_pairs=5000, seed=3)


@pytest.fixture(scope="session")
def dense_counts():
    """A count matrix with no zero cell, so the optimum is finite everywhere."""
    rng = np.random.default_rng(7)
    return rng.integers(1, 60, size=(6, 6))
