"""Simulated co-occurrence counts from known embeddings (chapter 1).

The generative model of the R gist: ground-truth center vectors ``V`` and
context vectors ``U`` with i.i.d. standard normal entries, a joint distribution
``P_ij ∝ exp(v_i · u_j)`` over (center, context) pairs, and ``n_pairs`` pairs
drawn from it, i.e. one multinomial draw over the ``n × n`` cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._checks import as_rng, check_counts, check_positive_float, check_positive_int

__all__ = ["Cooccurrence", "simulate_cooccurrence", "count_table"]


@dataclass(frozen=True)
class Cooccurrence:
    """A simulated corpus, summarised as counts, with the truth that made it."""

    V: np.ndarray  # (n_words, dim) true center-word vectors
    U: np.ndarray  # (n_words, dim) true context-word vectors
    P: np.ndarray  # (n_words, n_words) joint probabilities, P ∝ exp(V Uᵀ), sums to 1
    counts: np.ndarray  # (n_words, n_words) int64 pair counts, sums to n_pairs; rows = centers

    @property
    def n_words(self) -> int:
        """Vocabulary size ``n``."""
        return self.counts.shape[0]

    @property
    def n_pairs(self) -> int:
        """Total number of (center, context) pairs ``N``."""
        return int(self.counts.sum())


def simulate_cooccurrence(n_words=100, dim=2, n_pairs=200_000, seed=0, *, scale=1.0) -> Cooccurrence:
    """Draw co-occurrence counts from the log-bilinear model ``P ∝ exp(V Uᵀ)``.

    Parameters
    ----------
    n_words : int, default 100
        Vocabulary size ``n`` (the same words serve as centers and contexts).
    dim : int, default 2
        Dimension ``d`` of the true embeddings.
    n_pairs : int, default 200_000
        Number of (center, context) pairs ``N`` drawn.
    seed : int or numpy.random.Generator, default 0
        Source of randomness: embeddings first, then the multinomial draw.
    scale : float, default 1.0
        Standard deviation of the entries of ``V`` and ``U``. Larger values make
        ``P`` (and the counts) more heavy-tailed.

    Returns
    -------
    Cooccurrence
        ``V``, ``U`` of shape (n_words, dim); ``P`` and ``counts`` of shape
        (n_words, n_words).

    Notes
    -----
    With few pairs per word (``n_pairs`` small against ``n_words``) a word may
    never be drawn as a center; the other functions reject such a count matrix
    (an all-zero row has no objective), so draw more pairs.

    Examples
    --------
    >>> sim = simulate_cooccurrence(n_words=5, dim=2, n_pairs=1000, seed=1)
    >>> int(sim.counts.sum()), bool(np.isclose(sim.P.sum(), 1.0))
    (1000, True)

    See chapter 1, "Simulating PMI".
    """
    n_words = check_positive_int(n_words, "n_words")
    dim = check_positive_int(dim, "dim")
    n_pairs = check_positive_int(n_pairs, "n_pairs")
    scale = check_positive_float(scale, "scale")
    rng = as_rng(seed)
    V = scale * rng.standard_normal((n_words, dim))
    U = scale * rng.standard_normal((n_words, dim))
    logits = V @ U.T  # (n, n)
    P = np.exp(logits - logits.max())  # subtract the max: no overflow for large scales
    P /= P.sum()
    counts = rng.multinomial(n_pairs, P.ravel()).reshape(n_words, n_words).astype(np.int64)
    for arr in (V, U, P, counts):
        arr.setflags(write=False)
    return Cooccurrence(V=V, U=U, P=P, counts=counts)


def count_table(counts) -> pd.DataFrame:
    """The long table of non-zero cells: one row per observed (center, context) pair.

    This is what the trainer iterates over (the gist's ``df_pos``).

    Parameters
    ----------
    counts : array_like of shape (n_words, n_words)
        Non-negative integer pair counts.

    Returns
    -------
    pandas.DataFrame
        Columns ``center``, ``context`` (0-based word indices) and ``count``,
        in row-major order of the matrix.

    Examples
    --------
    >>> count_table([[0, 2], [1, 0]])
       center  context  count
    0       0        1      2
    1       1        0      1
    """
    counts = check_counts(counts)
    center, context = np.nonzero(counts)
    return pd.DataFrame(
        {"center": center, "context": context, "count": counts[center, context]}
    )
