"""Tests for sgns_helpers.sampled: the hand-derived batch gradient and Adam against torch."""

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose

from sgns_helpers.model import SkipGramNS
from sgns_helpers.sampled import _Adam, batch_gradient


@pytest.mark.parametrize("bias", [False, True])
def test_batch_gradient_matches_autograd_through_the_module(bias):
    # reference (b): the weighted batch loss Σ_r scale_r · SkipGramNS(center, context, negatives)_r
    n, d, B, k = 9, 3, 12, 4
    g = torch.Generator().manual_seed(5)
    m = SkipGramNS(n, d, bias=bias, generator=g, dtype=torch.float64)
    if bias:
        with torch.no_grad():
            m.in_bias.normal_(generator=g)
            m.out_bias.normal_(generator=g)
    center = torch.randint(n, (B,), generator=g)  # (B,) with repeats
    contexts = torch.randint(n, (B, 1 + k), generator=g)  # (B, 1+K)
    contexts[0, 1] = contexts[0, 2] = contexts[0, 0]  # the positive drawn again as negatives
    scale = torch.rand(B, generator=g, dtype=torch.float64)  # (B,)
    loss = (scale * m(center, contexts[:, 0], contexts[:, 1:])).sum()
    loss.backward()

    V, U = m.in_embed.weight.detach(), m.out_embed.weight.detach()
    b = m.in_bias.detach() if bias else None
    c = m.out_bias.detach() if bias else None
    grads = tuple(None if p is None else torch.zeros_like(p) for p in (V, U, b, c))
    sign = torch.full((1 + k,), -1.0, dtype=torch.float64)
    sign[0] = 1.0
    scores = torch.empty(B, 1 + k, dtype=torch.float64)
    batch_gradient(V, U, b, c, center, contexts, scale, sign, grads, scores)

    assert_allclose(grads[0].numpy(), m.in_embed.weight.grad.numpy(), rtol=1e-10, atol=1e-13)
    assert_allclose(grads[1].numpy(), m.out_embed.weight.grad.numpy(), rtol=1e-10, atol=1e-13)
    if bias:
        assert_allclose(grads[2].numpy(), m.in_bias.grad.numpy(), rtol=1e-10, atol=1e-13)
        assert_allclose(grads[3].numpy(), m.out_bias.grad.numpy(), rtol=1e-10, atol=1e-13)
    assert_allclose(scores.numpy(), m.score(center, contexts).detach().numpy(), rtol=1e-12, atol=1e-12)
    # the gradient is added, not assigned
    batch_gradient(V, U, b, c, center, contexts, scale, sign, grads)
    assert_allclose(grads[0].numpy(), 2 * m.in_embed.weight.grad.numpy(), rtol=1e-10, atol=1e-13)


def test_adam_matches_torch_optim_adam():
    g = torch.Generator().manual_seed(0)
    theta0 = torch.randn(50, generator=g, dtype=torch.float64)
    p = torch.nn.Parameter(theta0.clone())
    ref = torch.optim.Adam([p], lr=0.01)
    mine = _Adam(theta0.clone(), 0.01)
    for _ in range(6):
        grad = torch.randn(50, generator=g, dtype=torch.float64)
        p.grad = grad.clone()
        ref.step()
        mine.step(grad)
        assert_allclose(mine.theta.numpy(), p.detach().numpy(), rtol=1e-12, atol=1e-15)
    assert not np.allclose(mine.theta.numpy(), theta0.numpy())


# ---------------------------------------------------------------- the result object
