"""Tests for sgns_helpers.corpus: co-occurrence counts from tokenised sentences."""

from collections import Counter

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_array_equal

import sgns_helpers as sh


def reference_counts(sentences, window, min_count=1):
    """The plain loop the vectorised helper must reproduce, token by token."""
    freq = Counter(w for s in sentences for w in s)
    first = {}
    for s in sentences:
        for w in s:
            first.setdefault(w, len(first))
    vocab = sorted((w for w in freq if freq[w] >= min_count), key=lambda w: (-freq[w], first[w]))
    index = {w: i for i, w in enumerate(vocab)}
    counts = np.zeros((len(vocab), len(vocab)), dtype=np.int64)
    for s in sentences:
        kept = [w for w in s if w in index]  # rare words go before windowing
        for p, center in enumerate(kept):
            for q in range(max(0, p - window), min(len(kept), p + window + 1)):
                if q != p:
                    counts[index[center], index[kept[q]]] += 1
    return vocab, counts


def random_corpus(seed, n_sentences=40, n_types=15, max_len=12):
    rng = np.random.default_rng(seed)
    words = [f"w{t}" for t in range(n_types)]
    p = 1.0 / np.arange(1, n_types + 1)  # Zipf-like: frequent and rare words, many ties
    p /= p.sum()
    return [list(rng.choice(words, size=rng.integers(0, max_len + 1), p=p)) for _ in range(n_sentences)]


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("window", [1, 2, 5, 20])
@pytest.mark.parametrize("min_count", [1, 3, 10])
def test_agrees_exactly_with_the_reference_loop(seed, window, min_count):
    sentences = random_corpus(seed)
    vocab, counts = sh.cooccurrence_counts(sentences, window, min_count=min_count)
    ref_vocab, ref_counts = reference_counts(sentences, window, min_count)
    assert vocab == ref_vocab
    assert isinstance(counts, sp.csr_matrix)
    assert counts.dtype == np.int64
    assert_array_equal(counts.toarray(), ref_counts)


def test_small_example_by_hand():
    vocab, counts = sh.cooccurrence_counts([["a", "b", "c", "d"]], window=2)
    assert vocab == ["a", "b", "c", "d"]  # all ties: order of first appearance
    expected = np.array([[0, 1, 1, 0], [1, 0, 1, 1], [1, 1, 0, 1], [0, 1, 1, 0]])
    assert_array_equal(counts.toarray(), expected)


def test_windows_stop_at_sentence_edges():
    # "b" ends the first sentence and "c" starts the second: never neighbours
    vocab, counts = sh.cooccurrence_counts([["a", "b"], ["c", "d"]], window=5)
    C = counts.toarray()
    i = {w: k for k, w in enumerate(vocab)}
    assert C[i["b"], i["c"]] == 0 and C[i["c"], i["b"]] == 0
    assert C[i["a"], i["b"]] == 1 and C[i["c"], i["d"]] == 1
    assert counts.sum() == 4


def test_window_wider_than_the_sentence_pairs_every_two_positions():
    sentence = ["x", "y", "z", "x", "y"]
    _, counts = sh.cooccurrence_counts([sentence], window=100)
    L = len(sentence)
    assert counts.sum() == L * (L - 1)  # every ordered pair of distinct positions
    _, counts_w = sh.cooccurrence_counts([sentence], window=L - 1)
    assert_array_equal(counts.toarray(), counts_w.toarray())


def test_each_token_has_two_w_neighbours_away_from_the_edges():
    sentence = [f"t{p}" for p in range(30)]  # all distinct
    _, counts = sh.cooccurrence_counts([sentence], window=3)
    row_sums = np.asarray(counts.sum(axis=1)).ravel()
    assert_array_equal(row_sums[3:-3], 6)
    assert_array_equal(row_sums[:4], [3, 4, 5, 6])  # truncated at the left edge


def test_min_count_removes_words_before_windowing():
    # "rare" sits between "a" and "b"; once removed, a and b are adjacent
    sentences = [["a", "rare", "b"], ["a", "b"]]
    vocab, counts = sh.cooccurrence_counts(sentences, window=1, min_count=2)
    assert vocab == ["a", "b"]
    assert_array_equal(counts.toarray(), [[0, 2], [2, 0]])
    vocab1, counts1 = sh.cooccurrence_counts(sentences, window=1, min_count=1)
    assert vocab1 == ["a", "b", "rare"]
    assert counts1.toarray()[0, 1] == 1  # with "rare" kept, a-b are adjacent only once


def test_vocab_sorted_by_frequency_then_first_appearance():
    sentences = [["c", "b", "a", "b"], ["a", "d", "c"]]  # b, a, c twice; d once
    vocab, _ = sh.cooccurrence_counts(sentences, window=1)
    assert vocab == ["c", "b", "a", "d"]


def test_empty_and_one_word_sentences_add_no_pairs():
    base = [["a", "b", "a"]]
    vocab, counts = sh.cooccurrence_counts(base, window=2)
    padded = [[], ["a"], *base, [], ["b"]]
    vocab_p, counts_p = sh.cooccurrence_counts(padded, window=2)
    assert vocab_p == vocab
    assert_array_equal(counts_p.toarray(), counts.toarray())
    # a word seen only alone in its sentence is in the vocabulary with an empty row
    vocab_s, counts_s = sh.cooccurrence_counts([["a", "b"], ["solo"]], window=1)
    assert vocab_s == ["a", "b", "solo"]
    assert counts_s[2].sum() == 0


def test_matrix_is_symmetric_and_total_matches_pair_count():
    sentences = random_corpus(11, n_sentences=60)
    _, counts = sh.cooccurrence_counts(sentences, window=3)
    assert (counts != counts.T).nnz == 0
    # each sentence of length L gives Σ_{o=1..w} 2 (L - o)^+ ordered pairs
    expected = sum(2 * max(len(s) - o, 0) for s in sentences for o in range(1, 4))
    assert counts.sum() == expected


def test_accepts_generators_tuples_and_numpy_strings():
    sentences = [["a", "b", "c"], ["b", "c"]]
    vocab, counts = sh.cooccurrence_counts(sentences, window=1)
    vocab_g, counts_g = sh.cooccurrence_counts((tuple(s) for s in sentences), window=1)
    vocab_n, counts_n = sh.cooccurrence_counts([np.array(s) for s in sentences], window=1)
    assert vocab_g == vocab == vocab_n
    assert all(type(w) is str for w in vocab_n)
    assert_array_equal(counts_g.toarray(), counts.toarray())
    assert_array_equal(counts_n.toarray(), counts.toarray())


def test_input_validation():
    good = [["a", "b"]]
    with pytest.raises(TypeError, match=r"`sentences` must be an iterable of token lists.*got 'a b'"):
        sh.cooccurrence_counts("a b", 1)
    with pytest.raises(TypeError, match=r"`sentences` must be an iterable of token lists.*got 3"):
        sh.cooccurrence_counts(3, 1)
    with pytest.raises(TypeError, match=r"`sentences` must hold lists of tokens; sentence 1 is 'c d'"):
        sh.cooccurrence_counts([["a", "b"], "c d"], 1)
    with pytest.raises(TypeError, match=r"`sentences` must hold lists of tokens; sentence 0 is 5"):
        sh.cooccurrence_counts([5], 1)
    with pytest.raises(TypeError, match=r"`sentences` must hold string tokens; got 7 of type int"):
        sh.cooccurrence_counts([["a", 7]], 1)
    with pytest.raises(ValueError, match=r"`sentences` must contain at least one token; got none"):
        sh.cooccurrence_counts([[], []], 1)
    with pytest.raises(ValueError, match=r"`sentences` must contain at least one token; got none"):
        sh.cooccurrence_counts([], 1)
    with pytest.raises(ValueError, match=r"`window` must be >= 1; got 0"):
        sh.cooccurrence_counts(good, 0)
    with pytest.raises(TypeError, match=r"`window` must be an int; got 2.5 of type float"):
        sh.cooccurrence_counts(good, 2.5)
    with pytest.raises(TypeError, match=r"`window` must be an int; got True of type bool"):
        sh.cooccurrence_counts(good, True)
    with pytest.raises(ValueError, match=r"`min_count` must be >= 1; got 0"):
        sh.cooccurrence_counts(good, 1, min_count=0)
    with pytest.raises(TypeError, match=r"`min_count` must be an int; got '5' of type str"):
        sh.cooccurrence_counts(good, 1, min_count="5")
    with pytest.raises(
        ValueError, match=r"`min_count` removes every word: the most frequent word occurs 1 times; got min_count=2"
    ):
        sh.cooccurrence_counts(good, 1, min_count=2)
