"""Helpers for the book *SGNS is implicit matrix factorization*.

Import as ``import sgns_helpers as sh``. Numpy modules (simulation, PMI, noise,
theory) never import torch; torch lives in ``model`` and ``train``; plotting
sits on top and nothing imports it.
"""

from .align import align_embeddings
from .noise import unigram_noise, zero_cell_noise
from .pmi import double_center, empirical_pmi, true_pmi
from .simulate import Cooccurrence, count_table, simulate_cooccurrence
from .theory import batch_normalised_counts, sgns_gradient, sgns_objective, sgns_optimum, sgns_weights
from .train import TrainResult, train_sgns
from . import plotting

__all__ = [
    "Cooccurrence",
    "simulate_cooccurrence",
    "count_table",
    "true_pmi",
    "empirical_pmi",
    "double_center",
    "unigram_noise",
    "zero_cell_noise",
    "sgns_weights",
    "sgns_optimum",
    "sgns_objective",
    "sgns_gradient",
    "batch_normalised_counts",
    "align_embeddings",
    "TrainResult",
    "train_sgns",
    "plotting",
]
