"""word2vec's SGD, driven by counts instead of text (chapter 8, benchmark B5).

gensim's skip-gram makes, per epoch, one update per (center, context) pair of
the text with ``k`` negatives drawn from ``q``, by plain SGD whose step decays
linearly from ``lr`` to ``min_lr``. Given the expected pair weights ``n_ij`` of
one epoch (``word2vec_counts``), the same updates can be made without the text:
each epoch uses cell ``(i, j)`` ``floor(n_ij)`` times, plus once more with
probability ``n_ij - floor(n_ij)`` (the right number in expectation, with less
variance than drawing pairs independently), in a random order, in mini-batches
whose updates touch only the rows they use (sparse row updates, float32). The
expected loss per epoch is the SGNS objective of the weighted counts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import torch

from ._checks import as_rng, check_noise, check_positive_float, check_positive_int

__all__ = ["CountsSGDResult", "train_counts_sgd"]


@dataclass(frozen=True)
class CountsSGDResult:
    """Vectors of the count-driven SGD and its cost."""

    V: np.ndarray  # (n_words, dim) float32 word (input) vectors, gensim's wv.vectors
    U: np.ndarray  # (n_words, dim) float32 context (output) vectors, gensim's syn1neg
    seconds: np.ndarray  # (epochs,) wall time at the end of each epoch, from the call
    updates: int  # positive pairs used over all epochs


def _epoch_pairs(rows, cols, weight, rng) -> tuple[np.ndarray, np.ndarray]:
    """This epoch's (center, context) pairs: each cell floor(w) times, plus once w.p. frac(w), shuffled."""
    reps = np.floor(weight).astype(np.int64) + (rng.random(weight.shape[0]) < weight - np.floor(weight))
    cell = np.repeat(np.arange(weight.shape[0]), reps)  # (P,)
    rng.shuffle(cell)
    return rows[cell], cols[cell]


def train_counts_sgd(counts, noise, *, k=5, dim=100, epochs=20, lr=0.025, min_lr=1e-4, batch_size=2048,
                     shared_negatives=0, seed=0, threads=None) -> CountsSGDResult:
    """Train bias-free SGNS vectors on weighted counts with word2vec's SGD.

    Parameters
    ----------
    counts : scipy.sparse matrix of shape (n_words, n_words)
        Non-negative pair weights of one epoch (rows centers, columns contexts),
        e.g. ``word2vec_counts(...).counts``.
    noise : array_like of shape (n_words,)
        The negative-sampling distribution ``q`` (gensim: ``f ** 0.75``, normalised).
    k : int, default 5
        Negatives per positive pair.
    dim : int, default 100
    epochs : int, default 20
    lr, min_lr : float, default 0.025, 1e-4
        The step decays linearly from ``lr`` to ``min_lr`` over the run (gensim's alpha, min_alpha).
    batch_size : int, default 2048
        Pairs per update; the rows a batch shares get the sum of their updates.
    shared_negatives : int, default 0
        0: ``k`` negatives of its own per pair (gensim). ``S > 0``: one set of
        ``S`` negatives per batch, shared by all its pairs, each weighted
        ``k / S`` (two matrix products instead of ``B k`` row gathers).
    seed : int or numpy.random.Generator, default 0
    threads : int, optional
        torch threads during the call (restored after); ``None`` keeps torch's setting.

    Returns
    -------
    CountsSGDResult

    Examples
    --------
    >>> C = sp.csr_matrix(np.array([[0.0, 30.0], [30.0, 0.0]]))
    >>> fit = train_counts_sgd(C, [0.5, 0.5], k=1, dim=2, epochs=20, seed=0)
    >>> fit.V.shape, fit.updates
    ((2, 2), 1200)

    See chapter 8, "Our SGNS on the counts".
    """
    if not sp.issparse(counts) or counts.ndim != 2 or counts.shape[0] != counts.shape[1]:
        raise TypeError(f"`counts` must be a square scipy.sparse matrix; got {type(counts).__name__} "
                        f"of shape {getattr(counts, 'shape', None)}.")
    counts = sp.csr_matrix(counts)
    if counts.nnz == 0 or not np.all(np.isfinite(counts.data)) or counts.data.min() < 0:
        raise ValueError("`counts` must hold finite, non-negative weights, at least one of them positive.")
    n = counts.shape[0]
    q = check_noise(noise, n)
    k, dim, epochs = (check_positive_int(v, name) for v, name in ((k, "k"), (dim, "dim"), (epochs, "epochs")))
    batch_size = check_positive_int(batch_size, "batch_size")
    shared_negatives = check_positive_int(shared_negatives, "shared_negatives", minimum=0)
    lr, min_lr = check_positive_float(lr, "lr"), check_positive_float(min_lr, "min_lr")
    rng = as_rng(seed)
    old_threads = torch.get_num_threads()
    if threads is not None:
        torch.set_num_threads(check_positive_int(threads, "threads"))
    try:
        return _run(counts, q, k, dim, epochs, lr, min_lr, batch_size, shared_negatives, rng)
    finally:
        torch.set_num_threads(old_threads)


def _run(counts, q, k, dim, epochs, lr, min_lr, batch_size, shared, rng) -> CountsSGDResult:
    clock = time.perf_counter()
    n = counts.shape[0]
    rows, cols = counts.nonzero()
    weight = counts.data.astype(float)
    gen = torch.Generator().manual_seed(int(rng.integers(2**62)))
    V = ((torch.rand(n, dim, generator=gen) * 2 - 1) / dim).contiguous()  # gensim's initial range
    U = torch.zeros(n, dim)
    q_t = torch.as_tensor(q, dtype=torch.float32)
    expected_pairs = weight.sum() * epochs
    done, seconds = 0, np.empty(epochs)
    for epoch in range(epochs):
        center, context = (torch.from_numpy(a) for a in _epoch_pairs(rows, cols, weight, rng))
        for s in range(0, center.shape[0], batch_size):
            step = max(min_lr, lr - (lr - min_lr) * done / expected_pairs)
            ci, cj = center[s:s + batch_size], context[s:s + batch_size]  # (B,)
            negs = torch.multinomial(q_t, shared if shared else k * ci.shape[0], replacement=True, generator=gen)
            _update(V, U, ci, cj, negs, k, step, shared)
            done += ci.shape[0]
        seconds[epoch] = time.perf_counter() - clock
    return CountsSGDResult(V.numpy(), U.numpy(), seconds, done)


def _update(V, U, ci, cj, negs, k, step, shared) -> None:
    """One SGD step of the batch's log-likelihood, in place, gensim's ascent direction.

    ``ci, cj`` (B,) centers and their positive contexts; ``negs`` the negatives: (B*k,)
    one set per pair, or (S,) shared by the batch, each weighted ``k / S`` so that the
    expected negative gradient of a pair is that of ``k`` draws either way.
    """
    B, dim = ci.shape[0], V.shape[1]
    v, u_pos = V.index_select(0, ci), U.index_select(0, cj)  # (B, d) each
    g_pos = (1 - torch.sigmoid((v * u_pos).sum(1))) * step  # (B,)
    if shared:
        u_neg = U.index_select(0, negs)  # (S, d)
        g_neg = torch.sigmoid(v @ u_neg.T) * (-step * k / negs.shape[0])  # (B, S)
        gv = g_pos[:, None] * u_pos + g_neg @ u_neg  # (B, d)
        U.index_add_(0, negs, g_neg.T @ v)
    else:
        u_neg = U.index_select(0, negs).view(B, k, dim)  # (B, k, d)
        g_neg = torch.sigmoid((u_neg * v[:, None, :]).sum(2)) * -step  # (B, k)
        gv = g_pos[:, None] * u_pos + (g_neg[:, :, None] * u_neg).sum(1)  # (B, d)
        U.index_add_(0, negs, (g_neg[:, :, None] * v[:, None, :]).view(B * k, dim))
    U.index_add_(0, cj, g_pos[:, None] * v)
    V.index_add_(0, ci, gv)
