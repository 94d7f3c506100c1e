"""Tests for sgns_helpers.model: the torch SGNS module, and the shared expected loss run on torch (autograd)."""

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose, assert_array_equal

import sgns_helpers as sh
from sgns_helpers.expected import cell_loss
from sgns_helpers.model import SkipGramNS


def _weights(counts, k, power=0.75):
    q = sh.unigram_noise(counts, power=power)
    return q, *(torch.as_tensor(a) for a in sh.sgns_weights(counts, q, k))


def expected_loss(X, pos, neg):
    """The expected loss of torch logits: ``expected.cell_loss`` (the trainers' formula) run on torch."""
    N = pos.sum()
    return cell_loss(X, pos / N, (pos + neg) / N, xp=torch).sum()


def test_expected_loss_equals_sgns_objective(small_sim):
    C = small_sim.counts
    rng = np.random.default_rng(0)
    for k in (1, 5):
        q, pos, neg = _weights(C, k)
        X = rng.standard_normal(C.shape)
        got = expected_loss(torch.as_tensor(X), pos, neg).item()
        assert_allclose(got, sh.sgns_objective(X, C, q, k), rtol=1e-12, atol=0)


def test_autograd_of_expected_loss_matches_hand_derived_gradient(small_sim):
    # reference (a): torch autograd at random logits vs theory.sgns_gradient
    C = small_sim.counts
    rng = np.random.default_rng(1)
    for k, power in ((5, 0.75), (20, 1.0), (1, 0.0)):
        q, pos, neg = _weights(C, k, power)
        X = torch.tensor(2.0 * rng.standard_normal(C.shape), dtype=torch.float64, requires_grad=True)
        expected_loss(X, pos, neg).backward()
        G = sh.sgns_gradient(X.detach().numpy(), C, q, k)
        assert_allclose(X.grad.numpy(), G, rtol=1e-10, atol=1e-15)


def test_autograd_vanishes_at_the_optimum(dense_counts):
    q, pos, neg = _weights(dense_counts, 5)
    X = torch.tensor(sh.sgns_optimum(dense_counts, q, 5), requires_grad=True)
    expected_loss(X, pos, neg).backward()
    assert_allclose(X.grad.numpy(), 0.0, rtol=0, atol=1e-15)


def test_module_shapes_initialisation_and_seeding():
    g = torch.Generator().manual_seed(0)
    m = SkipGramNS(7, 3, generator=g, dtype=torch.float64)
    assert m.in_embed.weight.shape == (7, 3) and m.out_embed.weight.shape == (7, 3)
    assert m.in_embed.weight.dtype == torch.float64
    assert not m.has_bias and not hasattr(m, "in_bias")
    again = SkipGramNS(7, 3, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    assert_array_equal(m.in_embed.weight.detach().numpy(), again.in_embed.weight.detach().numpy())
    assert_array_equal(m.out_embed.weight.detach().numpy(), again.out_embed.weight.detach().numpy())
    other = SkipGramNS(7, 3, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    assert not np.array_equal(m.in_embed.weight.detach().numpy(), other.in_embed.weight.detach().numpy())
    mb = SkipGramNS(7, 3, bias=True, generator=g)
    assert mb.has_bias
    assert_array_equal(mb.in_bias.detach().numpy(), np.zeros(7))  # biases start at zero
    assert_array_equal(mb.out_bias.detach().numpy(), np.zeros(7))
    assert len(list(mb.parameters())) == 4


@pytest.mark.parametrize("bias", [False, True])
def test_score_forward_and_logits_agree(bias):
    g = torch.Generator().manual_seed(3)
    m = SkipGramNS(6, 2, bias=bias, generator=g, dtype=torch.float64)
    if bias:
        with torch.no_grad():
            m.in_bias.normal_(generator=g)
            m.out_bias.normal_(generator=g)
    X = m.logits().detach().numpy()  # (n, n)
    V = m.in_embed.weight.detach().numpy()
    U = m.out_embed.weight.detach().numpy()
    expected = V @ U.T
    if bias:
        expected = expected + m.in_bias.detach().numpy()[:, None] + m.out_bias.detach().numpy()[None, :]
    assert_allclose(X, expected, rtol=1e-12, atol=1e-12)
    center = torch.tensor([0, 3, 3, 5])  # (B,)
    context = torch.tensor([1, 1, 4, 0])  # (B,)
    negatives = torch.tensor([[2, 2, 5], [0, 1, 3], [4, 4, 4], [5, 0, 1]])  # (B, K)
    s_pos = m.score(center, context).detach().numpy()
    s_neg = m.score(center, negatives).detach().numpy()
    assert s_pos.shape == (4,) and s_neg.shape == (4, 3)
    assert_allclose(s_pos, X[center, context], rtol=1e-12, atol=1e-12)
    assert_allclose(s_neg, X[center.numpy()[:, None], negatives.numpy()], rtol=1e-12, atol=1e-12)
    loss = m(center, context, negatives).detach().numpy()
    log_sig = lambda x: -np.logaddexp(0.0, -x)  # noqa: E731
    assert_allclose(loss, -(log_sig(s_pos) + log_sig(-s_neg).sum(1)), rtol=1e-12, atol=1e-12)
    assert np.all(loss > 0)
