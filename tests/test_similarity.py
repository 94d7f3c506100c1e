"""Tests for sgns_helpers.similarity: word-similarity scores and nearest neighbours."""

import numpy as np
import pytest
import scipy.stats
from numpy.testing import assert_allclose

import sgns_helpers as sh

VOCAB = ["cat", "dog", "car", "bus", "tree"]
V = np.random.default_rng(0).normal(size=(5, 3))


def write(tmp_path, text):
    path = tmp_path / "pairs.tsv"
    path.write_text(text, encoding="utf8")
    return path


def test_read_word_pairs_skips_comments_and_lowercases(tmp_path):
    path = write(tmp_path, "# header\n# Word 1\tWord 2\tHuman\nCat\tdog\t7.5\n\ncar\tBUS\t6\n")
    assert sh.read_word_pairs(path) == [("cat", "dog", 7.5), ("car", "bus", 6.0)]
    assert sh.read_word_pairs(str(path)) == sh.read_word_pairs(path)


def test_word_similarity_is_spearman_of_cosines_over_covered_pairs():
    pairs = [("cat", "dog", 8.0), ("car", "bus", 7.0), ("cat", "tree", 2.0), ("dog", "car", 3.0),
             ("cat", "unicorn", 5.0), ("zebra", "bus", 1.0)]
    score = sh.word_similarity(V, VOCAB, pairs)
    assert (score.n_covered, score.n_pairs) == (4, 6)
    assert_allclose(score.coverage, 4 / 6, rtol=1e-12)
    unit = V / np.linalg.norm(V, axis=1, keepdims=True)
    idx = {w: i for i, w in enumerate(VOCAB)}
    cos = [unit[idx[a]] @ unit[idx[b]] for a, b, _ in pairs[:4]]
    expected = scipy.stats.spearmanr(cos, [8.0, 7.0, 2.0, 3.0]).statistic
    assert_allclose(score.spearman, expected, rtol=1e-12)
    # scaling a vector does not change a cosine
    assert_allclose(sh.word_similarity(V * 3.0, VOCAB, pairs).spearman, expected, rtol=1e-12)


def test_word_similarity_with_too_little_coverage_is_nan():
    score = sh.word_similarity(V, VOCAB, [("cat", "dog", 1.0), ("x", "y", 2.0)])
    assert np.isnan(score.spearman) and score.n_covered == 1 and score.n_pairs == 2


def test_word_similarity_matches_gensim():
    gensim = pytest.importorskip("gensim")
    from gensim.models import KeyedVectors
    from gensim.test.utils import datapath

    rng = np.random.default_rng(1)
    pairs = sh.read_word_pairs(datapath("wordsim353.tsv"))
    vocab = sorted({w for a, b, _ in pairs[:150] for w in (a, b)})
    vectors = rng.normal(size=(len(vocab), 8)).astype(np.float32)
    kv = KeyedVectors(vector_size=8)
    kv.add_vectors(vocab, vectors)
    _, (rho, _), oov_percent = kv.evaluate_word_pairs(datapath("wordsim353.tsv"))
    score = sh.word_similarity(vectors, vocab, pairs)
    assert_allclose(score.spearman, rho, rtol=1e-5)
    assert_allclose(100 * (1 - score.coverage), oov_percent, rtol=1e-9)
    assert gensim.__version__


def test_nearest_neighbours_by_cosine():
    W = np.array([[1.0, 0.0], [2.0, 0.2], [0.0, 1.0], [-1.0, 0.0]])
    nn = sh.nearest_neighbours(W, ["a", "b", "c", "d"], ["a", "c"], topn=2)
    assert [w for w, _ in nn["a"]] == ["b", "c"]  # length does not matter, direction does
    assert [w for w, _ in nn["c"]] == ["b", "a"]
    assert_allclose(nn["a"][0][1], 2.0 / np.hypot(2.0, 0.2), rtol=1e-12)
    assert_allclose(nn["a"][1][1], 0.0, atol=1e-12)


def test_input_validation(tmp_path):
    pairs = [("cat", "dog", 1.0)]
    with pytest.raises(TypeError, match=r"`path` must be a file path; got 3"):
        sh.read_word_pairs(3)
    with pytest.raises(ValueError, match=r"`path` line 2 must be 'word1<TAB>word2<TAB>score'; got 'a b 3'"):
        sh.read_word_pairs(write(tmp_path, "x\ty\t1\na b 3\n"))
    with pytest.raises(ValueError, match=r"`path` line 1 must be .*got 'x\\ty\\tfoo'"):
        sh.read_word_pairs(write(tmp_path, "x\ty\tfoo\n"))
    with pytest.raises(ValueError, match=r"`vocab` must list one word per row of `vectors` \(5\); got 4"):
        sh.word_similarity(V, VOCAB[:4], pairs)
    with pytest.raises(ValueError, match=r"`vocab` must list one word per row of `vectors` \(5\); got 'cat'"):
        sh.word_similarity(V, "cat", pairs)
    with pytest.raises(ValueError, match=r"`vectors` must be a 2-D matrix; got an array of shape \(5,\)"):
        sh.word_similarity(V[:, 0], VOCAB, pairs)
    with pytest.raises(ValueError, match=r"`pairs` must hold at least one \(word1, word2, score\) triple; got none"):
        sh.word_similarity(V, VOCAB, [])
    with pytest.raises(TypeError, match=r"`words` must be a list of words; got the string 'cat' \(wrap it: \['cat'\]\)"):
        sh.nearest_neighbours(V, VOCAB, "cat")
    with pytest.raises(ValueError, match=r"`words` must be in `vocab`; \['lion'\] are not"):
        sh.nearest_neighbours(V, VOCAB, ["cat", "lion"])
    with pytest.raises(ValueError, match=r"`topn` must be < the number of words \(5\); got 5"):
        sh.nearest_neighbours(V, VOCAB, ["cat"], topn=5)
    with pytest.raises(ValueError, match=r"`topn` must be >= 1; got 0"):
        sh.nearest_neighbours(V, VOCAB, ["cat"], topn=0)


def test_sparse_vectors_give_the_dense_answers():
    import scipy.sparse as sp

    rng = np.random.default_rng(0)
    M = rng.random((12, 12)) * (rng.random((12, 12)) < 0.4)
    vocab = [f"w{i}" for i in range(12)]
    pairs = [(f"w{i}", f"w{j}", float(rng.random())) for i in range(12) for j in range(i)]
    dense, sparse = sh.word_similarity(M, vocab, pairs), sh.word_similarity(sp.csr_matrix(M), vocab, pairs)
    assert_allclose(sparse.spearman, dense.spearman, rtol=1e-12)
    nn_s = sh.nearest_neighbours(sp.csr_matrix(M), vocab, ["w3"], topn=3)["w3"]
    nn_d = sh.nearest_neighbours(M, vocab, ["w3"], topn=3)["w3"]
    assert [w for w, _ in nn_s] == [w for w, _ in nn_d]
    questions = [tuple(rng.choice(vocab, 4, replace=False)) for _ in range(30)]
    assert sh.word_analogies(sp.csr_matrix(M), vocab, questions).accuracy == sh.word_analogies(M, vocab, questions).accuracy
