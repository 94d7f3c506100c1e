"""Helpers for the book *SGNS is implicit matrix factorization*.

Import as ``import sgns_helpers as sh``. Numpy modules (simulation, PMI, noise,
theory, the expected loss) never import torch; ``train`` is imported on first
use of ``train_sgns`` or ``TrainResult``, and torch only by the sampled loop,
``model``, or an exact fit on a GPU (importing torch takes
seconds, and the exact fits of chapters 3-5 do not need it). Plotting sits on top, nothing
imports it, and ``sh.plotting`` is imported on first use too.
"""

import importlib

from .align import align_embeddings
from .analogy import AnalogyScore, analogy_scores, read_analogies, word_analogies
from .bootstrap import bootstrap_interval
from .baselines import Ablation, offset_svd_logits, smoothed_shifted_pmi, svd_ablation, weighted_offset_fit
from .corpus import cooccurrence_counts
from .corpus_files import cooccurrence_counts_from_files
from .factorize import sppmi, svd_embeddings
from .lowrank import RUN_OFF, cell_losses, centred_correlation, objective_deviation, quadratic_weights
from .noise import unigram_noise, zero_cell_noise
from .pmi import double_center, empirical_pmi, true_pmi
from .replicate import RecoveryScores, TrainingReplicate, recovery_replicate, recovery_scores, training_replicate
from .seed_summary import SimulationSummary, simulation_summary
from .similarity import SimilarityScore, nearest_neighbours, read_word_pairs, word_similarity
from .simulate import Cooccurrence, count_table, simulate_cooccurrence
from .simulate_sparse import SparseCooccurrence, simulate_sparse_cooccurrence
from .theory import batch_normalised_counts, sgns_gradient, sgns_objective, sgns_optimum, sgns_weights
from .weighted import WeightedCounts, keep_probability, word2vec_counts

__all__ = [
    "Cooccurrence",
    "simulate_cooccurrence",
    "count_table",
    "SparseCooccurrence",
    "simulate_sparse_cooccurrence",
    "true_pmi",
    "empirical_pmi",
    "double_center",
    "SimulationSummary",
    "simulation_summary",
    "unigram_noise",
    "zero_cell_noise",
    "sgns_weights",
    "sgns_optimum",
    "sgns_objective",
    "sgns_gradient",
    "RUN_OFF",
    "batch_normalised_counts",
    "align_embeddings",
    "cooccurrence_counts",
    "cooccurrence_counts_from_files",
    "SimilarityScore",
    "read_word_pairs",
    "word_similarity",
    "nearest_neighbours",
    "AnalogyScore",
    "analogy_scores",
    "read_analogies",
    "word_analogies",
    "bootstrap_interval",
    "WeightedCounts",
    "keep_probability",
    "word2vec_counts",
    "sppmi",
    "svd_embeddings",
    "cell_losses",
    "quadratic_weights",
    "objective_deviation",
    "centred_correlation",
    "TrainingReplicate",
    "training_replicate",
    "RecoveryScores",
    "recovery_scores",
    "recovery_replicate",
    "smoothed_shifted_pmi",
    "offset_svd_logits",
    "weighted_offset_fit",
    "svd_ablation",
    "Ablation",
    "implicit_mf_measurements",
    "has_local_minimum",
    "MFMeasurements",
    "TrainResult",
    "train_sgns",
    "CountsSGDResult",
    "train_counts_sgd",
    "SkipGramNS",
    "plotting",
    "quiz",
]

_LAZY = {
    "TrainResult": "train", "train_sgns": "train", "SkipGramNS": "model",
    "train": "train", "model": "model", "sampled": "sampled", "exact": "exact",
    "implicit_mf_measurements": "mf_sweep", "has_local_minimum": "mf_sweep", "MFMeasurements": "mf_sweep",
    "mf_sweep": "mf_sweep",
    "train_counts_sgd": "counts_sgd", "CountsSGDResult": "counts_sgd", "counts_sgd": "counts_sgd",
    "plotting": "plotting",  # matplotlib takes about a third of a second to import
    "quiz": "quiz",  # self-check questions (IPython, jupyterquiz): sh.quiz.show("ch02", "noise")
}


def __getattr__(name):
    """Import the torch-based modules and plotting only when they are first used."""
    if name in _LAZY:
        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        return module if name == _LAZY[name] else getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_LAZY))
