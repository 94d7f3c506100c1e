"""Tests for sgns_helpers.analogy: 3CosAdd and 3CosMul against gensim's KeyedVectors."""

import numpy as np
import pytest

import sgns_helpers as sh


def offset_vectors(seed, n=40, dim=10, noise=0.6):
    """Words x_i and y_i = x_i + r + noise: questions (x_i, y_i, x_j, y_j) are half solvable."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, dim))
    Y = X + rng.normal(size=dim) * 1.5 + noise * rng.normal(size=(n, dim))
    vocab = [f"x{i}" for i in range(n)] + [f"y{i}" for i in range(n)]
    questions = [(f"x{i}", f"y{i}", f"x{j}", f"y{j}") for i in range(n) for j in range(n) if i != j][::7]
    return np.vstack([X, Y]).astype(np.float32), vocab, questions


def keyed_vectors(vectors, vocab):
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vectors.shape[1])
    kv.add_vectors(vocab, vectors)
    return kv


@pytest.mark.parametrize("seed", range(3))
def test_3cosadd_matches_gensims_evaluate_word_analogies(seed, tmp_path):
    V, vocab, questions = offset_vectors(seed)
    questions = questions + [("x0", "y0", "x1", "unknown")]  # skipped, as gensim does
    path = tmp_path / "q.txt"
    path.write_text(": section\n" + "".join(" ".join(q) + "\n" for q in questions))
    assert sh.read_analogies(path) == questions
    ours = sh.word_analogies(V, vocab, questions, method="add")
    theirs, _ = keyed_vectors(V, vocab).evaluate_word_analogies(str(path))
    assert 0.1 < ours.accuracy < 0.9  # neither trivial nor hopeless
    assert ours.accuracy == pytest.approx(theirs, abs=1e-12)
    assert (ours.n_covered, ours.n_questions) == (len(questions) - 1, len(questions))


@pytest.mark.parametrize("seed", range(2))
def test_3cosmul_matches_gensims_most_similar_cosmul(seed):
    V, vocab, questions = offset_vectors(seed)
    kv = keyed_vectors(V, vocab)
    theirs = np.mean([kv.most_similar_cosmul(positive=[b, c], negative=[a], topn=1)[0][0] == d
                      for a, b, c, d in questions])
    ours = sh.word_analogies(V, vocab, questions, method="mul")
    assert ours.accuracy == pytest.approx(theirs, abs=1e-12)
    assert 0.1 < ours.accuracy < 0.9


def test_bootstrap_interval_brackets_the_accuracy_and_shrinks():
    V, vocab, questions = offset_vectors(0)
    s = sh.word_analogies(V, vocab, questions, n_boot=500, seed=1)
    assert s.low < s.accuracy < s.high
    half = sh.word_analogies(V, vocab, questions[: len(questions) // 4], n_boot=500, seed=1)
    assert half.high - half.low > s.high - s.low
    # binomial standard error: the 95% interval is about +- 2 sqrt(p (1 - p) / m)
    se = np.sqrt(s.accuracy * (1 - s.accuracy) / s.n_covered)
    assert s.high - s.low == pytest.approx(2 * 1.96 * se, rel=0.25)


def test_input_validation(tmp_path):
    V, vocab, questions = offset_vectors(0)
    with pytest.raises(ValueError, match="no overlap"):
        sh.word_analogies(V, vocab, [("a", "b", "c", "d")])
    with pytest.raises(ValueError, match="at least one"):
        sh.word_analogies(V, vocab, [])
    with pytest.raises(ValueError, match="`method` must be one of"):
        sh.word_analogies(V, vocab, questions, method="cos")
    with pytest.raises(ValueError, match="`n_boot` must be >= 0"):
        sh.word_analogies(V, vocab, questions, n_boot=-1)
    bad = tmp_path / "bad.txt"
    bad.write_text(": s\na b c\n")
    with pytest.raises(ValueError, match="line 2 must hold four words"):
        sh.read_analogies(bad)
    with pytest.raises(TypeError, match="`path` must be a file path"):
        sh.read_analogies(3)


def test_read_analogies_returns_each_questions_section(tmp_path):
    path = tmp_path / "q.txt"
    path.write_text("a b c d\n: capital-common\nathens greece baghdad iraq\n\n: gram1-adverb\nCalm Calmly Quick quickly\n")
    questions, names = sh.read_analogies(path, sections=True)
    assert questions == sh.read_analogies(path) == [("a", "b", "c", "d"), ("athens", "greece", "baghdad", "iraq"),
                                                     ("calm", "calmly", "quick", "quickly")]
    assert names == [None, "capital-common", "gram1-adverb"]
