"""The expected SGNS loss and its gradient: the one implementation every caller uses (chapters 2-7).

Averaged over the negatives, SGNS with ``k`` negatives from ``q`` minimises

    L(X) = Σ_ij [a_ij softplus(-x_ij) + ν_ij softplus(x_ij)] / N,   a_ij = n_ij,  ν_ij = k n_i q_j,

with ``softplus(x) = log(1 + eˣ) = -log σ(-x)`` and ``N = Σ_ij n_ij``.
``sgns_objective``, ``sgns_gradient``, ``lowrank.cell_losses`` and both
trainers call :class:`ExpectedLoss` (or :func:`cell_loss`, its one-cell
formula). Small problems are done in one dense piece. For large ones the
positive term runs over the non-zero cells only and the negative term,
which covers all n² cells, a block of rows at a time: memory O(nnz + block).
The same code runs on numpy arrays (the CPU: what the chapters read and
what the trainers use) and on torch tensors (``device=...``: a GPU; the
tests also run it on the CPU, through autograd).
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp

__all__ = ["ExpectedLoss", "cell_loss", "CHUNK_ELEMENTS", "DENSE_ELEMENTS"]

CHUNK_ELEMENTS = 1 << 21  # cells per block of the negative term: 16 MB in float64
DENSE_ELEMENTS = 1 << 22  # problems up to this many cells (n <= 2048) are done in one dense piece


def cell_loss(x, a, total, xp=np, grad=False, finite=False, summed=False):
    """One-cell losses ``a softplus(-x) + ν softplus(x)``, ``ν = total - a`` (and ``dℓ/dx`` with ``grad``).

    Parameters
    ----------
    x : ndarray or Tensor
        Logits; ``±inf`` allowed (numpy, no ``grad``) where the weight that
        would make the term infinite is zero, as on ``sgns_optimum``'s cells.
    a : ndarray or Tensor broadcastable to ``x``, or None
        Positive weights ``n_ij / N`` (None: no positive term).
    total : ndarray or Tensor broadcastable to ``x``
        ``a + ν``, with negative weights ``ν_ij = k n_i q_j / N``.
    xp : module, default numpy
        ``numpy`` or ``torch``.
    finite : bool, default False
        The caller knows ``x`` is finite (logits from finite factors): skip the check.
    summed : bool, default False
        Return the losses' sum (a scalar) instead of the losses.

    Returns
    -------
    loss, or (loss, dℓ/dx = (a + ν) σ(x) - a), shaped like ``x`` (the loss a scalar with ``summed``).

    Examples
    --------
    >>> bool(np.isclose(cell_loss(np.array(0.0), 3.0, 4.0), 4 * np.log(2)))
    True
    """
    if (xp is np and isinstance(x, np.ndarray) and x.ndim and x.dtype.kind == "f" and np.shape(total) == x.shape
            and (finite or np.isfinite(x).all())):
        return _cell_loss_numpy(x, a, total, grad, summed)
    out = _cell_loss_any(x, a, total, xp, grad)
    if not summed:
        return out
    return (out[0].sum(), out[1]) if grad else out.sum()


def _cell_loss_any(x, a, total, xp, grad):
    """``cell_loss`` on numpy arrays or torch tensors, infinite logits allowed (numpy, no ``grad``)."""
    m = abs(x)
    e = xp.exp(-m)  # e^-|x| in (0, 1]: no overflow
    t = xp.log(1.0 + e)  # log(1 + e^-|x|) to within 1e-16 (absolute) without log1p, which is twice as slow
    if xp is np:  # infinite logits: a zero weight times an infinite softplus costs nothing
        a = np.zeros(()) if a is None else np.asarray(a)
        up, down = np.maximum(x, 0.0) + t, np.maximum(-x, 0.0) + t
        with np.errstate(invalid="ignore"):
            return np.where(a > 0, a * down, 0.0) + np.where(total - a > 0, (total - a) * up, 0.0)
    up = (x + m) * 0.5 + t  # softplus(x) = max(x, 0) + t = -log σ(-x); softplus(-x) = softplus(x) - x
    loss = total * up if a is None else total * up - a * x
    if not grad:
        return loss
    s = xp.exp((x - m) * 0.5) / (1.0 + e)  # σ(x) = e^min(x, 0) / (1 + e^-|x|): no overflow, no branch
    return loss, total * s if a is None else total * s - a


def _cell_loss_numpy(x, a, total, grad, summed):
    """``cell_loss`` for finite float arrays ``x`` shaped like ``total``, in four buffers.

    Twice as fast at n = 100 as the general path, which allocates a fresh array per step.
    """
    e, ope, loss, up = (np.empty_like(x) for _ in range(4))
    np.abs(x, out=e)
    np.negative(e, out=e)
    np.exp(e, out=e)  # e^-|x|
    np.add(e, 1.0, out=ope)
    np.log(ope, out=loss)  # log(1 + e^-|x|)
    loss += np.maximum(x, 0.0, out=up)  # softplus(x)
    if summed:  # Σ total softplus(x) - Σ a x, two dot products
        loss = float(np.vdot(total, loss)) - (0.0 if a is None else float(np.vdot(a, x)))
    else:
        loss *= total
        if a is not None:
            loss -= np.multiply(a, x, out=up)
    if not grad:
        return loss
    np.copyto(e, 1.0, where=x >= 0.0)  # e^min(x, 0)
    e /= ope  # σ(x) = e^min(x, 0) / (1 + e^-|x|)
    e *= total
    if a is not None:
        e -= a
    return loss, e


def _summed_with_grad(x, a, neg, total, work):
    """``cell_loss(x, a, total, grad=True, summed=True)`` for the trainers' hot loop, in buffers ``work`` (3, *x.shape).

    With ``e = eˣ``: the loss is ``Σ total log(1 + e) - Σ a x`` (as ``softplus(-x) =
    softplus(x) - x``) and ``dℓ/dx = ν - total / (1 + e)``, ``ν = neg = total - a``:
    five passes over the cells and two dot products, where the overflow-safe
    form takes a dozen passes (half the time at n = 100). Where some ``x``
    exceeds ~709, ``eˣ`` overflows and the sum is not finite; then the safe
    form answers instead. The caller silences numpy's overflow warnings
    (``np.errstate(over="ignore", invalid="ignore")``), once for many calls.
    """
    e, log1pe, g = work
    np.exp(x, out=e)
    e += 1.0
    np.log(e, out=log1pe)  # log(1 + eˣ) to within 1e-16 (absolute), as the safe form
    value = float(np.vdot(total, log1pe)) - float(np.vdot(a, x))
    if not math.isfinite(value):
        return _cell_loss_numpy(x, a, total, True, True)
    np.divide(total, e, out=g)
    np.subtract(neg, g, out=g)  # (a + ν) σ(x) - a = ν - (a + ν) / (1 + eˣ)
    return value, g


class ExpectedLoss:
    """Loss and gradient of the expected SGNS objective for fixed counts and noise.

    Parameters
    ----------
    counts : ndarray or scipy.sparse.csr_array of shape (n, n)
        Validated non-negative counts (or real weights).
    noise : ndarray of shape (n,)
        Validated noise distribution ``q``.
    k : int
        Negatives per positive pair.
    device : str or torch.device, optional
        ``None``: numpy. Otherwise torch tensors on that device (float64).
    """

    def __init__(self, counts, noise, k, device=None):
        n = counts.shape[0]
        row = np.asarray(counts.sum(axis=1), dtype=float).ravel()  # (n,) n_i
        self.n, self.N = n, float(row.sum())
        self.dense = n * n <= DENSE_ELEMENTS
        self._work = None  # (4, n, n) buffers of the dense gradient path, made on first use
        if device is None:
            self.xp, self.put, self.get = np, np.asarray, np.asarray
        else:
            import torch

            self.xp, self.get = torch, lambda t: t.cpu().numpy()
            self.put = lambda a: torch.as_tensor(a, device=device)  # float64 stays float64
        put = self.put
        self.m = put(k * row / self.N)  # (n,) k n_i / N
        self.q = put(np.asarray(noise, dtype=float))  # (n,)
        if self.dense:
            P = (counts.toarray() if sp.issparse(counts) else counts) / self.N  # (n, n) n_ij / N
            neg = np.outer(k * row / self.N, noise)  # (n, n) ν_ij = k n_i q_j / N
            self.P, self.T = put(P), put(P + neg)  # and n_ij / N + ν_ij
            self._neg = neg if device is None else None  # for the numpy hot path
            return
        csr = sp.csr_array(counts, dtype=float)
        i, j = csr.nonzero()
        self.i, self.j, self.w = put(i), put(j), put(csr.data / self.N)  # (C,) cells and n_ij / N
        self.csr = csr  # its pattern scatters the positive gradient (numpy)

    def __call__(self, X, U=None, b=None, c=None, grad=False, out=None):
        """The loss of logits ``X`` (n, n), or of the factors ``V = X, U, b, c`` (biases may be None).

        Returns a float; with ``grad=True`` (factors only) ``(loss, (gV, gU, gb, gc))``.
        ``out``: two arrays shaped like ``V`` and ``U`` for ``gV`` and ``gU`` (numpy, one
        dense piece: the trainer's loop writes them into its gradient vector).
        """
        factored = U is not None
        V = X
        n, xp = self.n, self.xp
        if self.dense and grad and xp is np:  # the trainers' hot path, in one piece
            with np.errstate(over="ignore", invalid="ignore"):
                value, G = self.dense_grad(V, U, b, c, *(out or (None, None)))
            return value, (G @ U if out is None else out[0], G.T @ V if out is None else out[1],
                           None if b is None else G.sum(1), None if b is None else G.sum(0))
        loss = 0.0
        grads = [xp.zeros_like(V), xp.zeros_like(U), None if b is None else xp.zeros_like(b),
                 None if b is None else xp.zeros_like(c)] if grad else None
        if not self.dense:  # positive term on the non-zero cells: Σ w softplus(-x)
            x = (V[self.i] * U[self.j]).sum(1) if factored else X[self.i, self.j]  # (C,)
            if b is not None:
                x = x + b[self.i] + c[self.j]
            out = cell_loss(x, self.w, self.w, xp, grad, factored, summed=True)
            loss += float(out[0] if grad else out)
            if grad:
                self._scatter(out[1], V, U, b is not None, grads)
        step = n if self.dense else max(1, CHUNK_ELEMENTS // n)
        for r0 in range(0, n, step):  # the n² cells, a block of rows at a time
            r1 = min(n, r0 + step)
            Xb = V[r0:r1] @ U.T if factored else X[r0:r1]  # (R, n)
            if b is not None:
                Xb = Xb + b[r0:r1, None] + c[None, :]
            if self.dense:
                out = cell_loss(Xb, self.P[r0:r1], self.T[r0:r1], xp, grad, factored, summed=True)
            else:
                out = cell_loss(Xb, None, self.m[r0:r1, None] * self.q[None, :], xp, grad, factored, summed=True)
            loss += float(out[0] if grad else out)
            if grad:
                G = out[1]  # (R, n) dL/dX
                grads[0][r0:r1] += G @ U
                grads[1] += G.T @ V[r0:r1]
                if b is not None:
                    grads[2][r0:r1] += G.sum(1)
                    grads[3] += G.sum(0)
        return (loss, tuple(grads)) if grad else loss

    def dense_grad(self, V, U, b=None, c=None, gV=None, gU=None):
        """The loss and ``G = dL/dX`` (n, n) of factors on a dense numpy problem, in buffers kept between calls.

        Writes ``dL/dV = G U`` into ``gV`` and ``dL/dU = Gᵀ V`` into ``gU`` when given
        (the trainer's gradient vector); ``G`` is overwritten by the next call.
        The trainers' hot loop: the caller silences numpy's overflow warnings
        (``np.errstate(over="ignore", invalid="ignore")``; an overflow falls back
        to the safe formula, so the value stays right).
        """
        if self._work is None:
            self._work = np.empty((4, self.n, self.n))
        X = np.matmul(V, U.T, out=self._work[3])
        if b is not None:
            X += b[:, None]
            X += c[None, :]
        value, G = _summed_with_grad(X, self.P, self._neg, self.T, self._work[:3])
        if gV is not None:
            np.matmul(G, U, out=gV)
            np.matmul(G.T, V, out=gU)
        return value, G

    def _scatter(self, coef, V, U, bias, grads):
        """Add the positive term's gradient, ``coef`` (C,) on the non-zero cells, to ``grads``."""
        if self.xp is np:
            G = sp.csr_array((coef, self.csr.indices, self.csr.indptr), shape=self.csr.shape)
            grads[0] += G @ U
            grads[1] += G.T @ V
            if bias:
                grads[2] += G.sum(1)
                grads[3] += G.sum(0)
            return
        grads[0].index_add_(0, self.i, coef[:, None] * U[self.j])
        grads[1].index_add_(0, self.j, coef[:, None] * V[self.i])
        if bias:
            grads[2].index_add_(0, self.i, coef)
            grads[3].index_add_(0, self.j, coef)
