"""Large simulated vocabularies as sparse counts, without an n × n matrix (chapter 7).

``simulate_cooccurrence`` builds the dense joint ``P`` (n² floats): fine at
n = 100, 800 MB at n = 10,000. This draws from the same model,
``P_ij ∝ exp(v_i · u_j)`` and ``n_pairs`` pairs, a block of rows at a time:
first each center word's number of pairs (a multinomial over the row sums of
``P``), then the contexts of each row by inverse-CDF sampling. The result is the
same multinomial in distribution, stored as a ``scipy.sparse.csr_array``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ._checks import as_rng, check_positive_float, check_positive_int

__all__ = ["SparseCooccurrence", "simulate_sparse_cooccurrence"]

_BLOCK_ELEMENTS = 1 << 22  # cells per block of rows: 32 MB of float64


@dataclass(frozen=True)
class SparseCooccurrence:
    """A large simulated corpus: true embeddings and sparse pair counts."""

    V: np.ndarray  # (n_words, dim) true center-word vectors
    U: np.ndarray  # (n_words, dim) true context-word vectors
    counts: sp.csr_array  # (n_words, n_words) int64 pair counts, sums to n_pairs; rows = centers


def _row_blocks(n: int):
    step = max(1, _BLOCK_ELEMENTS // n)
    return [(r0, min(n, r0 + step)) for r0 in range(0, n, step)]


def simulate_sparse_cooccurrence(n_words=10_000, dim=2, n_pairs=5_000_000, seed=0, *, scale=1.0) -> SparseCooccurrence:
    """Draw co-occurrence counts from ``P ∝ exp(V Uᵀ)`` as a sparse matrix.

    Parameters
    ----------
    n_words : int, default 10_000
        Vocabulary size ``n``.
    dim : int, default 2
        Dimension of the true embeddings.
    n_pairs : int, default 5_000_000
        Number of pairs ``N`` drawn.
    seed : int or numpy.random.Generator, default 0
        Embeddings first, then the draws.
    scale : float, default 1.0
        Standard deviation of the entries of ``V`` and ``U``.

    Returns
    -------
    SparseCooccurrence
        ``V``, ``U`` and ``counts`` (a ``csr_array``; memory O(nnz), time O(n² d)).
        Rows with no pair are possible when ``n_pairs`` is small; drop them
        before training.

    Examples
    --------
    >>> sim = simulate_sparse_cooccurrence(n_words=50, n_pairs=2000, seed=1)
    >>> int(sim.counts.sum()), sim.counts.shape
    (2000, (50, 50))
    """
    n = check_positive_int(n_words, "n_words")
    dim = check_positive_int(dim, "dim")
    n_pairs = check_positive_int(n_pairs, "n_pairs")
    scale = check_positive_float(scale, "scale")
    rng = as_rng(seed)
    V = scale * rng.standard_normal((n, dim))
    U = scale * rng.standard_normal((n, dim))
    shift = np.linalg.norm(V, axis=1).max() * np.linalg.norm(U, axis=1).max()  # bounds every logit: no overflow
    row_mass = np.concatenate([np.exp(V[r0:r1] @ U.T - shift).sum(1) for r0, r1 in _row_blocks(n)])  # (n,)
    per_row = rng.multinomial(n_pairs, row_mass / row_mass.sum())  # (n,) pairs with each center word
    rows, cols = [], []
    for r0, r1 in _row_blocks(n):
        cdf = np.exp(V[r0:r1] @ U.T - shift).cumsum(1)  # (R, n)
        cdf /= cdf[:, -1:]
        cdf += np.arange(r1 - r0)[:, None]  # row r's CDF lives in (r, r + 1]: one sorted array
        m = per_row[r0:r1]
        local = np.repeat(np.arange(r1 - r0), m)  # (pairs,) local row of each pair
        pos = np.searchsorted(cdf.ravel(), local + rng.random(local.size), side="right")
        rows.append(local + r0)
        cols.append(np.minimum(pos - local * n, n - 1))
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    counts = sp.csr_array((np.ones(rows.size, dtype=np.int64), (rows, cols)), shape=(n, n))
    counts.sum_duplicates()
    counts.sort_indices()
    for arr in (V, U):
        arr.setflags(write=False)
    return SparseCooccurrence(V=V, U=U, counts=counts)
