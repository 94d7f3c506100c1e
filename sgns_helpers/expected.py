"""The exact expected SGNS loss and its gradient in torch, dense or in row chunks (chapters 3, 7).

The trainers call one object, ``ExpectedLoss``, for the objective
``L = -Σ_ij [n_ij log σ(x_ij) + k n_i q_j log σ(-x_ij)] / N`` of the factors
``X = V Uᵀ (+ b_i + c_j)``. Small dense problems are done in one piece. For
large n (sparse counts) the positive term runs over the non-zero cells only
and the negative term, which covers all n² cells, is computed a block of rows
at a time, so no n × n matrix is ever held: memory is O(nnz + chunk · n).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import torch

__all__ = ["ExpectedLoss", "CHUNK_ELEMENTS", "DENSE_ELEMENTS"]

CHUNK_ELEMENTS = 1 << 22  # cells per block of the negative term: 32 MB in float64
DENSE_ELEMENTS = 1 << 22  # problems up to this many cells (n <= 2048) are done in one dense piece
_CLAMP = -700.0  # σ(x) underflows to 0 below about -745; log σ(x) is flat there for our purposes


class ExpectedLoss:
    """Loss and gradient of the expected SGNS objective for fixed counts and noise.

    Parameters
    ----------
    counts : ndarray or scipy.sparse.csr_array of shape (n, n)
        Validated integer counts.
    noise : ndarray of shape (n,)
        Validated noise distribution ``q``.
    k : int
        Negatives per positive pair.
    dev : torch.device
    dtype : torch.dtype, default torch.float64
    """

    def __init__(self, counts, noise, k, dev, dtype=torch.float64):
        n = counts.shape[0]
        self.n, self.dev, self.dtype = n, dev, dtype
        kw = dict(device=dev, dtype=dtype)
        row = np.asarray(counts.sum(axis=1), dtype=float).ravel()  # (n,) n_i
        self.N = float(row.sum())
        self.sparse = n * n > DENSE_ELEMENTS
        if not self.sparse:
            dense = counts.toarray() if sp.issparse(counts) else counts
            self.P = torch.as_tensor(dense / self.N, **kw)  # (n, n) n_ij / N
            self.M = torch.as_tensor(k * np.outer(row, noise) / self.N, **kw)  # (n, n) k n_i q_j / N
            self.T = self.P + self.M
            return
        csr = sp.csr_array(counts)
        i, j = csr.nonzero()
        self.i = torch.as_tensor(i, device=dev)  # (C,) rows of the non-zero cells
        self.j = torch.as_tensor(j, device=dev)  # (C,) their columns
        self.w = torch.as_tensor(csr.data / self.N, **kw)  # (C,) n_ij / N
        self.m = torch.as_tensor(k * row / self.N, **kw)  # (n,) k n_i / N
        self.q = torch.as_tensor(noise, **kw)  # (n,)
        self.chunk = max(1, CHUNK_ELEMENTS // n)

    def __call__(self, V, U, b=None, c=None, grads=None):
        """The loss (a Python float); with ``grads=(gV, gU, gb, gc)`` also write the gradient there."""
        if not self.sparse:
            return self._dense(V, U, b, c, grads)
        return self._chunked(V, U, b, c, grads)

    def _dense(self, V, U, b, c, grads):
        X = V @ U.T  # (n, n)
        if b is not None:
            X = X + b[:, None] + c[None, :]
        X = X.clamp_(min=_CLAMP)
        s = torch.sigmoid(X)  # σ(x); log σ(-x) = log σ(x) - x
        loss = torch.vdot(self.M.view(-1), X.view(-1)) - torch.vdot(self.T.view(-1), torch.log(s).view(-1))
        if grads is not None:
            G = self.T * s - self.P  # (n, n) dL/dX
            _chain(G, V, U, b, grads)
        return loss.item()

    def _chunked(self, V, U, b, c, grads):
        n = self.n
        # positive term on the non-zero cells: -Σ w log σ(x)
        x = (V.index_select(0, self.i) * U.index_select(0, self.j)).sum(1)  # (C,)
        if b is not None:
            x = x + b.index_select(0, self.i) + c.index_select(0, self.j)
        loss = -torch.dot(self.w, torch.nn.functional.logsigmoid(x)).item()
        if grads is not None:
            gV, gU, gb, gc = grads
            for g in grads:
                if g is not None:
                    g.zero_()
            coef = -self.w * torch.sigmoid(-x)  # (C,) dL/dx on the non-zero cells
            gV.index_add_(0, self.i, coef[:, None] * U.index_select(0, self.j))
            gU.index_add_(0, self.j, coef[:, None] * V.index_select(0, self.i))
            if b is not None:
                gb.index_add_(0, self.i, coef)
                gc.index_add_(0, self.j, coef)
        # negative term over all cells, a block of rows at a time: -Σ_i m_i Σ_j q_j log σ(-x_ij)
        for r0 in range(0, n, self.chunk):
            r1 = min(n, r0 + self.chunk)
            X = V[r0:r1] @ U.T  # (R, n)
            if b is not None:
                X += b[r0:r1, None] + c[None, :]
            X.clamp_(min=_CLAMP)
            loss -= torch.dot(self.m[r0:r1], (torch.nn.functional.logsigmoid(-X) @ self.q)).item()
            if grads is not None:
                G = torch.sigmoid(X).mul_(self.q[None, :]).mul_(self.m[r0:r1, None])  # (R, n) dL/dX
                gV[r0:r1] += G @ U
                gU.addmm_(G.T, V[r0:r1])
                if b is not None:
                    gb[r0:r1] += G.sum(1)
                    gc += G.sum(0)
        return loss


def _chain(G, V, U, b, grads):
    """Chain ``G = dL/dX`` through ``X = V Uᵀ + b 1ᵀ + 1 cᵀ`` into ``grads``."""
    gV, gU, gb, gc = grads
    torch.mm(G, U, out=gV)
    torch.mm(G.T, V, out=gU)
    if b is not None:
        torch.sum(G, dim=1, out=gb)
        torch.sum(G, dim=0, out=gc)
