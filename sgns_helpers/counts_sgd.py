"""word2vec's SGD, driven by counts instead of text (chapter 8, benchmark B5).

gensim's skip-gram makes, per epoch, one update per (center, context) pair of
the text with ``k`` negatives drawn from ``q``, by plain SGD whose step decays
linearly from ``lr`` to ``min_lr``. Given the expected pair weights ``n_ij`` of
one epoch (``word2vec_counts``), the same updates can be made without the text:
each epoch uses cell ``(i, j)`` ``floor(n_ij)`` times, plus once more with
probability ``n_ij - floor(n_ij)`` (the right number in expectation, with less
variance than drawing pairs independently), in a random order, in mini-batches
whose updates touch only the rows they use (sparse row updates, float32). The
expected loss per epoch is the SGNS objective of the weighted counts. By default
groups of pairs share their negatives (drawn exactly from ``q`` by Walker's alias
method): a pair then moves 2.25 rows instead of 7; chapter 8 explains the choice.
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


def train_counts_sgd(counts, noise, *, k=5, dim=100, epochs=4, lr=0.1, min_lr=1e-4, batch_size=2048,
                     shared_negatives=16, group_size=64, seed=0, threads=None) -> CountsSGDResult:
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
    epochs : int, default 4
    lr, min_lr : float, default 0.1, 1e-4
        The step decays linearly from ``lr`` to ``min_lr`` over the run (gensim's alpha, min_alpha).
        gensim: 20 epochs from 0.025; on chapter 8's counts 4 epochs from 0.1 score as well.
    batch_size : int, default 2048
        Pairs per update; the rows a batch shares get the sum of their updates, so a
        small vocabulary (each row many times per batch) needs a smaller batch.
    shared_negatives : int, default 16
        0: ``k`` negatives of its own per pair (gensim). ``S > 0``: each group of
        ``group_size`` consecutive (shuffled) pairs shares one set of ``S`` negatives,
        each weighted ``k / S``: the same expected gradient, from batched matrix
        products over ``S`` gathered rows per group instead of ``k`` per pair.
    group_size : int, default 64
        Pairs sharing one set of negatives. A drawn negative row gets ``group_size * k / S``
        pairs' worth of update at once; keep that small (20 by default) or a high ``lr`` diverges.
    seed : int or numpy.random.Generator, default 0
    threads : int, optional
        torch threads during the call (restored after); ``None`` keeps torch's setting.

    Returns
    -------
    CountsSGDResult

    Examples
    --------
    >>> C = sp.csr_matrix(np.array([[0.0, 30.0], [30.0, 0.0]]))
    >>> fit = train_counts_sgd(C, [0.5, 0.5], k=1, dim=2, epochs=20, lr=0.025, seed=0)
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
    q = check_noise(noise, counts.shape[0])
    k, dim, epochs, batch_size, group_size = (check_positive_int(v, name) for v, name in (
        (k, "k"), (dim, "dim"), (epochs, "epochs"), (batch_size, "batch_size"), (group_size, "group_size")))
    shared_negatives = check_positive_int(shared_negatives, "shared_negatives", minimum=0)
    lr, min_lr = check_positive_float(lr, "lr"), check_positive_float(min_lr, "min_lr")
    rng = as_rng(seed)
    old_threads = torch.get_num_threads()
    if threads is not None:
        torch.set_num_threads(check_positive_int(threads, "threads"))
    try:
        return _run(counts, q, k, dim, epochs, lr, min_lr, batch_size, (shared_negatives, group_size), rng)
    finally:
        torch.set_num_threads(old_threads)


def _alias_table(q) -> tuple[torch.Tensor, torch.Tensor]:
    """Walker's alias table of ``q``: draw ``j`` uniformly, keep it w.p. ``keep[j]``, else take ``other[j]``."""
    n = q.shape[0]
    p = q * (n / q.sum())  # (n,) mean 1
    keep, other = np.ones(n), np.arange(n)
    small, large = [j for j in range(n) if p[j] < 1], [j for j in range(n) if p[j] >= 1]
    while small and large:
        s, g = small.pop(), large.pop()
        keep[s], other[s] = p[s], g
        p[g] -= 1 - p[s]
        (small if p[g] < 1 else large).append(g)
    return torch.as_tensor(keep, dtype=torch.float32), torch.as_tensor(other)


def _draw(table, size, gen) -> torch.Tensor:
    """``size`` independent draws from the alias table's distribution, (size,) int64."""
    keep, other = table
    j = torch.randint(keep.shape[0], (size,), generator=gen)
    return torch.where(torch.rand(size, generator=gen) < keep[j], j, other[j])


def _run(counts, q, k, dim, epochs, lr, min_lr, batch_size, sharing, rng) -> CountsSGDResult:
    clock, n = time.perf_counter(), counts.shape[0]
    (rows, cols), weight = counts.nonzero(), counts.data.astype(float)
    gen = torch.Generator().manual_seed(int(rng.integers(2**62)))
    V = ((torch.rand(n, dim, generator=gen) * 2 - 1) / dim).contiguous()  # gensim's initial range
    U = torch.zeros(n, dim)
    table, (shared, group), expected_pairs = _alias_table(q), sharing, weight.sum() * epochs
    done, seconds = 0, np.empty(epochs)
    for epoch in range(epochs):
        center, context = (torch.from_numpy(a) for a in _epoch_pairs(rows, cols, weight, rng))
        P = center.shape[0]
        negs = _draw(table, P * k, gen).view(P, k) if not shared else None  # (P, k): the epoch's negatives
        for s in range(0, P, batch_size):
            step = max(min_lr, lr - (lr - min_lr) * done / expected_pairs)
            ci, cj = center[s:s + batch_size], context[s:s + batch_size]  # (B,)
            if shared:
                negs_g = _draw(table, -(-ci.shape[0] // group) * shared, gen).view(-1, shared)  # (groups, S)
                _update_shared(V, U, ci, cj, negs_g, k, step)
            else:
                _update(V, U, ci, torch.cat([cj[:, None], negs[s:s + batch_size]], 1), step)
            done += ci.shape[0]
        if not float(V.norm(dim=1).max() * U.norm(dim=1).max()) < 1e6:  # else some |v_i . u_j| may be > 1e6, or NaN
            raise ValueError(f"Training diverged in epoch {epoch + 1} (vectors of norm > 1e3): lower "
                             f"`lr` (got {lr:g}), `batch_size` (got {batch_size}; a small vocabulary needs small "
                             f"batches) or `group_size` (got {group}).")
        seconds[epoch] = time.perf_counter() - clock
    return CountsSGDResult(V.numpy(), U.numpy(), seconds, done)


def _update(V, U, ci, cols, step) -> None:
    """One SGD step of the batch's log-likelihood, in place, gensim's ascent direction.

    ``ci`` (B,) centers; ``cols`` (B, 1 + k): each pair's positive context, then its
    ``k`` negatives. One gather and one scatter of the ``B (1 + k)`` context rows.
    """
    B, dim = cols.shape[0], V.shape[1]
    v = V.index_select(0, ci)  # (B, d)
    u = U.index_select(0, cols.view(-1)).view(B, -1, dim)  # (B, 1 + k, d)
    g = torch.sigmoid((u * v[:, None, :]).sum(2)).neg_()  # (B, 1 + k): label - sigmoid(x), labels 1, 0, ..., 0
    g[:, 0] += 1
    g.mul_(step)
    gv = torch.bmm(g[:, None, :], u).squeeze(1)  # (B, d)
    U.index_add_(0, cols.view(-1), (g[:, :, None] * v[:, None, :]).view(-1, dim))
    V.index_add_(0, ci, gv)


def _update_shared(V, U, ci, cj, negs, k, step) -> None:
    """As ``_update``, with negatives shared by groups of pairs.

    ``negs`` (G, S): one set of ``S`` negatives for each of ``G`` groups of ``ceil(B / G)``
    consecutive pairs (the last group padded with zero vectors, which change nothing),
    each weighted ``k / S`` so that a pair's expected negative gradient is that of
    ``k`` draws.
    """
    (B, dim), (G, S) = (ci.shape[0], V.shape[1]), negs.shape
    size = -(-B // G)  # pairs per group
    v, u_pos = V.index_select(0, ci), U.index_select(0, cj)  # (B, d) each
    g_pos = (1 - torch.sigmoid((v * u_pos).sum(1))) * step  # (B,)
    vg = torch.cat([v, v.new_zeros(G * size - B, dim)]).view(G, size, dim)  # (G, size, d)
    u_neg = U.index_select(0, negs.view(-1)).view(G, S, dim)  # (G, S, d)
    g_neg = torch.sigmoid(torch.bmm(vg, u_neg.transpose(1, 2))) * (-step * k / S)  # (G, size, S)
    gv = g_pos[:, None] * u_pos + torch.bmm(g_neg, u_neg).view(-1, dim)[:B]  # (B, d)
    U.index_add_(0, negs.view(-1), torch.bmm(g_neg.transpose(1, 2), vg).view(-1, dim))
    U.index_add_(0, cj, g_pos[:, None] * v)
    V.index_add_(0, ci, gv)
