"""The skip-gram negative-sampling model in torch (chapter 3).

A port of the gist's ``nn_module``: two embedding tables, ``in_embed`` for
center words (``V``) and ``out_embed`` for contexts (``U``), scored by dot
products and trained with the log-sigmoid loss. ``bias=True`` adds a scalar per
center word and per context, so the logit is ``v_i · u_j + b_i + c_j``.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

__all__ = ["SkipGramNS", "init_params", "param_views", "logits_from"]


class SkipGramNS(nn.Module):
    """Center and context embeddings with optional per-word biases.

    Parameters
    ----------
    n_words : int
        Vocabulary size ``n``.
    dim : int
        Embedding dimension ``d``.
    bias : bool, default False
        Add a center bias ``b_i`` and a context bias ``c_j`` to every logit.
    generator : torch.Generator, optional
        Source of the initial values: embeddings ``N(0, 1)`` (torch's
        ``nn.Embedding`` default, as in the gist), biases zero.
    dtype : torch.dtype, default torch.float32
    device : torch.device or str, default "cpu"
    """

    def __init__(self, n_words, dim, *, bias=False, generator=None, dtype=torch.float32, device="cpu"):
        super().__init__()
        kw = dict(dtype=dtype, device=device)
        self.in_embed = nn.Embedding(n_words, dim, **kw)  # V: (n, d)
        self.out_embed = nn.Embedding(n_words, dim, **kw)  # U: (n, d)
        with torch.no_grad():
            self.in_embed.weight.normal_(generator=generator)
            self.out_embed.weight.normal_(generator=generator)
        self.has_bias = bool(bias)
        if self.has_bias:
            self.in_bias = nn.Parameter(torch.zeros(n_words, **kw))  # b: (n,)
            self.out_bias = nn.Parameter(torch.zeros(n_words, **kw))  # c: (n,)

    def score(self, center, context):
        """Logits for index tensors of broadcastable shapes, e.g. (B,) and (B, K)."""
        v = self.in_embed(center)  # (B, d)
        u = self.out_embed(context)  # (B, d) or (B, K, d)
        if u.dim() == v.dim() + 1:
            v = v.unsqueeze(-2)  # (B, 1, d)
        s = (v * u).sum(-1)  # (B,) or (B, K)
        if self.has_bias:
            b = self.in_bias[center]
            s = s + (b.unsqueeze(-1) if s.dim() > b.dim() else b) + self.out_bias[context]
        return s

    def forward(self, center, context, negatives):
        """Per-pair SGNS loss ``-[log σ(s_pos) + Σ_k log σ(-s_neg_k)]``.

        Parameters
        ----------
        center, context : LongTensor of shape (B,)
        negatives : LongTensor of shape (B, K)

        Returns
        -------
        Tensor of shape (B,)
        """
        pos = F.logsigmoid(self.score(center, context))  # (B,)
        neg = F.logsigmoid(-self.score(center, negatives)).sum(-1)  # (B,)
        return -(pos + neg)

    def logits(self):
        """The full logit matrix ``V Uᵀ (+ b_i + c_j)``, shape (n, n)."""
        X = self.in_embed.weight @ self.out_embed.weight.T  # (n, n)
        if self.has_bias:
            X = X + self.in_bias[:, None] + self.out_bias[None, :]
        return X


# The trainers keep all parameters in one flat vector (one Adam or L-BFGS update for all),
# with V, U, b, c as views into it, initialised as SkipGramNS is.


def init_params(n, dim, bias, gen, dev, dtype):
    """Flat parameter vector and its views (V, U, b, c), initialised as ``nn.Embedding``: N(0, 1), biases 0."""
    size = 2 * n * dim + (2 * n if bias else 0)
    theta = torch.zeros(size, dtype=dtype, device=dev)
    theta[: 2 * n * dim].normal_(generator=gen)
    return theta, param_views(theta, n, dim, bias)


def param_views(theta, n, dim, bias):
    """Views ``(V, U, b, c)`` into a flat parameter vector (``b``, ``c`` are None without biases)."""
    nd = n * dim
    V = theta[:nd].view(n, dim)
    U = theta[nd : 2 * nd].view(n, dim)
    if not bias:
        return V, U, None, None
    return V, U, theta[2 * nd : 2 * nd + n], theta[2 * nd + n :]


def logits_from(V, U, b, c):
    """The logit matrix ``V Uᵀ (+ b_i + c_j)`` from parameter tensors, shape (n, n)."""
    X = V @ U.T  # (n, n)
    if b is not None:
        X = X + b[:, None] + c[None, :]
    return X
