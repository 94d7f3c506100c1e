"""Tests for sgns_helpers.corpus_files: counts of a corpus on disk, streamed or on Dask."""

import tracemalloc

import numpy as np
import pytest
import scipy.sparse as sp

import sgns_helpers as sh
from sgns_helpers import corpus_files


def random_corpus(seed, n_sentences=60, n_types=25, max_len=14):
    rng = np.random.default_rng(seed)
    words = [f"w{t}" for t in range(n_types)] + ["é", "日本"]  # non-ASCII tokens too
    p = 1.0 / np.arange(1, len(words) + 1)  # Zipf-like: frequent and rare words, many ties
    p /= p.sum()
    return [list(rng.choice(words, size=rng.integers(0, max_len + 1), p=p)) for _ in range(n_sentences)]


def write_files(folder, parts):
    """Write each part (a list of lines) to its own file; return the paths in order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for f, lines in enumerate(parts):
        path = folder / f"part{f:02d}.txt"
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        paths.append(path)
    return paths


def assert_same_counts(got, expected):
    (vocab, C), (ref_vocab, ref_C) = got, expected
    assert vocab == ref_vocab
    assert isinstance(C, sp.csr_matrix) and C.dtype == np.int64 == ref_C.dtype
    assert C.shape == ref_C.shape and C.has_canonical_format
    np.testing.assert_array_equal(C.indptr, ref_C.indptr)
    np.testing.assert_array_equal(C.indices, ref_C.indices)
    np.testing.assert_array_equal(C.data, ref_C.data)


def splits(sentences):
    """Several ways to cut one corpus into files: whole, halves, uneven, with an empty file and blank lines."""
    lines = [" ".join(s) for s in sentences]
    m = len(lines) // 2
    return {
        "one file": [lines],
        "mid-way": [lines[:m], lines[m:]],
        "uneven, an empty file": [lines[:3], [], lines[3:40], lines[40:]],
        "one line per file": [[line] for line in lines[:10]] + [lines[10:]],
        "blank lines": [["", *lines[:20], "", ""], ["   ", *lines[20:]]],
    }


@pytest.mark.parametrize("split", ["one file", "mid-way", "uneven, an empty file", "one line per file", "blank lines"])
@pytest.mark.parametrize("window, min_count", [(1, 1), (3, 2), (50, 5)])
def test_streaming_equals_counts_in_memory(tmp_path, split, window, min_count):
    sentences = random_corpus(0)
    paths = write_files(tmp_path, splits(sentences)[split])
    expected = sh.cooccurrence_counts(sentences, window, min_count=min_count)
    assert_same_counts(sh.cooccurrence_counts_from_files(paths, window, min_count=min_count), expected)


def test_small_blocks_give_the_same_counts(tmp_path, monkeypatch):
    # blocks of a few lines each: block edges fall between sentences, never inside one
    monkeypatch.setattr(corpus_files, "_BLOCK_BYTES", 64)
    sentences = random_corpus(1, n_sentences=200)
    paths = write_files(tmp_path, splits(sentences)["mid-way"])
    assert_same_counts(sh.cooccurrence_counts_from_files(paths, 4, min_count=3),
                       sh.cooccurrence_counts(sentences, 4, min_count=3))


def test_windows_never_cross_a_file_or_line_edge(tmp_path):
    paths = write_files(tmp_path, [["a b"], ["c d", "e"]])
    vocab, C = sh.cooccurrence_counts_from_files(paths, window=10)
    assert vocab == ["a", "b", "c", "d", "e"]
    assert C.sum() == 4  # a-b and c-d, both ways
    paths = [tmp_path / "crlf.txt"]
    paths[0].write_bytes(b"x y\r\nz\r\n")  # Windows line ends: \r is whitespace
    vocab, C = sh.cooccurrence_counts_from_files(paths, window=10)
    assert vocab == ["x", "y", "z"] and C.sum() == 2


def test_memory_is_flat_in_the_corpus_length(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus_files, "_BLOCK_BYTES", 1 << 14)
    lines = [" ".join(s) for s in random_corpus(2, n_sentences=2000)]  # about 70 kB
    once = write_files(tmp_path / "1x", [lines])
    ten = write_files(tmp_path / "10x", [lines * 10])

    def peak(paths):
        tracemalloc.start()
        result = sh.cooccurrence_counts_from_files(paths, 5)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top, result

    peak_once, (vocab, C) = peak(once)
    peak_ten, (vocab10, C10) = peak(ten)
    assert vocab10 == vocab and (C10 != 10 * C).nnz == 0  # ten copies: ten times the counts
    assert peak_ten < 1.5 * peak_once, (peak_once, peak_ten)
    tracemalloc.start()
    sh.cooccurrence_counts([line.split() for line in lines * 10], 5)
    in_memory = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak_ten < in_memory / 2, (peak_ten, in_memory)  # the point of streaming


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as c:
        yield c


@pytest.mark.parametrize("split", ["mid-way", "uneven, an empty file", "blank lines"])
def test_dask_equals_counts_in_memory(tmp_path, client, split):
    sentences = random_corpus(3)
    paths = write_files(tmp_path, splits(sentences)[split])
    expected = sh.cooccurrence_counts(sentences, 3, min_count=2)
    assert_same_counts(sh.cooccurrence_counts_from_files(paths, 3, min_count=2, client=client), expected)


def test_dask_reports_bad_bytes_from_the_worker(tmp_path, client):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"a b\n\xff c\n")
    with pytest.raises(ValueError, match=r"bad\.txt' is not UTF-8 text: line 2 has the byte b'\\xff'"):
        sh.cooccurrence_counts_from_files([path], 2, client=client)


def test_input_validation(tmp_path):
    good = write_files(tmp_path, [["a b c"]])
    with pytest.raises(ValueError, match="`paths` must name at least one file; got an empty list"):
        sh.cooccurrence_counts_from_files([], 2)
    with pytest.raises(TypeError, match="`paths` must be a list of file paths .*; got 3"):
        sh.cooccurrence_counts_from_files(3, 2)
    missing = tmp_path / "nowhere.txt"
    with pytest.raises(FileNotFoundError, match=r"`paths` names a file that does not exist: '.*nowhere\.txt'"):
        sh.cooccurrence_counts_from_files([*good, missing], 2)
    with pytest.raises(ValueError, match=r"`paths` must name files, one sentence per line; '.*' is a directory"):
        sh.cooccurrence_counts_from_files([tmp_path], 2)
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("ok\n\nnaïve\n".encode("latin-1"))
    with pytest.raises(ValueError, match=r"latin1\.txt' is not UTF-8 text: line 3 has the byte b'\\xef'"):
        sh.cooccurrence_counts_from_files([*good, bad], 2)
    with pytest.raises(ValueError, match="`window` must be >= 1; got 0"):
        sh.cooccurrence_counts_from_files(good, 0)
    with pytest.raises(TypeError, match="`window` must be an int; got 2.5"):
        sh.cooccurrence_counts_from_files(good, 2.5)
    with pytest.raises(ValueError, match="`min_count` must be >= 1; got 0"):
        sh.cooccurrence_counts_from_files(good, 2, min_count=0)
    with pytest.raises(ValueError, match="`min_count` removes every word: the most frequent word occurs 1 times"):
        sh.cooccurrence_counts_from_files(good, 2, min_count=2)
    with pytest.raises(TypeError, match="`client` must be a dask.distributed.Client or None; got 'localhost:8786'"):
        sh.cooccurrence_counts_from_files(good, 2, client="localhost:8786")
    empty = write_files(tmp_path / "e", [[], ["", " "]])
    with pytest.raises(ValueError, match=r"`paths` must contain at least one token; the 2 file\(s\) hold none"):
        sh.cooccurrence_counts_from_files(empty, 2)


def test_a_single_path_is_one_file(tmp_path):
    (path,) = write_files(tmp_path, [["a b", "b"]])
    assert_same_counts(sh.cooccurrence_counts_from_files(path, 1),
                       sh.cooccurrence_counts([["a", "b"], ["b"]], 1))
    assert_same_counts(sh.cooccurrence_counts_from_files(str(path), 1),
                       sh.cooccurrence_counts([["a", "b"], ["b"]], 1))
