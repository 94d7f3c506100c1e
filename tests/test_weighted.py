"""Tests for sgns_helpers.weighted: expected co-occurrence weights of gensim's skip-gram."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

import sgns_helpers as sh
from sgns_helpers.weighted import keep_probability, word2vec_counts


def random_corpus(seed, n_sentences=6, n_types=8, length=25):
    rng = np.random.default_rng(seed)
    p = 1.0 / np.arange(1, n_types + 1) ** 1.5  # a few very frequent words, as in text
    p /= p.sum()
    return [list(rng.choice([f"w{t}" for t in range(n_types)], size=length, p=p)) for _ in range(n_sentences)]


def sampled_epoch(sentences, index, keep, window, rng):
    """One epoch of gensim's pair generation: subsample tokens, then a random window per center."""
    counts = np.zeros((len(index), len(index)))
    for sentence in sentences:
        ids = [index[w] for w in sentence if w in index]
        ids = [i for i in ids if rng.random() < keep[i]]
        for p, center in enumerate(ids):
            b = window - rng.integers(window)  # gensim: reduced_windows in [0, window)
            for q in range(max(0, p - b), min(len(ids), p + b + 1)):
                if q != p:
                    counts[center, ids[q]] += 1
    return counts


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("window", [1, 3])
def test_without_sampling_or_shrinking_equals_plain_counts(seed, window):
    sentences = random_corpus(seed)
    wc = word2vec_counts(sentences, window, min_count=2, sample=0, shrink_windows=False)
    vocab, counts = sh.cooccurrence_counts(sentences, window, min_count=2)
    assert wc.vocab == vocab
    assert wc.counts.dtype == np.float64
    assert_allclose(wc.counts.toarray(), counts.toarray())


def test_shrinking_weights_each_distance():
    sentences = random_corpus(0)
    w = 4
    wc = word2vec_counts(sentences, w, min_count=1, sample=0)
    by_window = [np.zeros_like(wc.counts.toarray())] + [
        sh.cooccurrence_counts(sentences, o)[1].toarray() for o in range(1, w + 1)]
    expected = sum((w - o + 1) / w * (by_window[o] - by_window[o - 1]) for o in range(1, w + 1))
    assert_allclose(wc.counts.toarray(), expected)


def test_expected_weights_match_the_average_of_sampled_epochs():
    sentences = random_corpus(1)
    wc = word2vec_counts(sentences, 3, min_count=2, sample=0.05)
    assert wc.keep.min() < 0.6  # subsampling really acts
    index = {w: i for i, w in enumerate(wc.vocab)}
    rng = np.random.default_rng(0)
    draws = np.stack([sampled_epoch(sentences, index, wc.keep, 3, rng) for _ in range(2000)])
    mean, se = draws.mean(0), draws.std(0) / np.sqrt(draws.shape[0])
    expected = wc.counts.toarray()
    z = (mean - expected) / np.maximum(se, 1e-3)
    assert np.abs(z).max() < 5, np.abs(z).max()
    assert_allclose(mean.sum(), expected.sum(), rtol=0.01)
    assert np.array_equal(expected, expected.T)


def test_keep_probability_is_gensims():
    from gensim.models import Word2Vec

    sentences = random_corpus(2, n_sentences=20)
    model = Word2Vec(min_count=2, sample=0.01, vector_size=4)
    model.build_vocab(sentences)
    wc = word2vec_counts(sentences, 2, min_count=2, sample=0.01)
    gensim_keep = [model.wv.get_vecattr(w, "sample_int") / 2**32 for w in wc.vocab]
    assert_allclose(wc.keep, np.minimum(gensim_keep, 1.0), atol=1e-9)
    assert_allclose(wc.word_counts, [model.wv.get_vecattr(w, "count") for w in wc.vocab])


def test_keep_probability_by_hand():
    # t = 0.025 * 400 = 10: sqrt(360 / 10) = 6; a word with f < t is always kept
    assert_allclose(keep_probability([360, 39, 1], 0.025), [7 * 10 / 360, min(1.0, (np.sqrt(39 / 10) + 1) * 10 / 39), 1.0])
    assert_allclose(keep_probability([5, 7], 0), [1, 1])


def test_input_validation():
    with pytest.raises(ValueError, match="`sample` must be a number in"):
        keep_probability([3, 4], 1.5)
    with pytest.raises(ValueError, match="`word_counts` must be a non-empty"):
        keep_probability([0, 4], 0.1)
    with pytest.raises(TypeError, match="`shrink_windows` must be True or False"):
        word2vec_counts([["a"]], 2, shrink_windows="yes")
    with pytest.raises(ValueError, match="`tol` must be a positive"):
        word2vec_counts([["a"]], 2, tol=-1.0)
    with pytest.raises(ValueError, match="at least one token"):
        word2vec_counts([[]], 2)
    with pytest.raises(ValueError, match="`window` must be"):
        word2vec_counts([["a"]], 0)
