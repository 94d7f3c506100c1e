"""Co-occurrence counts of a corpus on disk, streamed or on a Dask cluster (chapter 7).

The counts are a sufficient statistic and a sum: the counts of two parts of a
corpus add up to the counts of the whole, once the parts share one vocabulary.
So the counting is a map-reduce. A first pass counts the words of each file (the
word counts add up too) and fixes the vocabulary; a second pass maps each file,
block by block, to a sparse matrix of pair counts against that vocabulary, and
the partial matrices are summed. Without a cluster both passes stream through
the files in blocks of lines; with a ``dask.distributed.Client`` the workers
read the files and the client sums what they return. The counting itself is
``corpus.py``'s, so the result is exactly ``cooccurrence_counts``'s.
"""

from __future__ import annotations

import itertools
import os
from collections import Counter

import numpy as np
import scipy.sparse as sp

from ._checks import _short, check_positive_int
from .corpus import _pair_counts, _vocabulary_order

__all__ = ["cooccurrence_counts_from_files"]

_BLOCK_BYTES = 1 << 20  # read about 1 MiB of whole lines at a time: memory per block, not per corpus


def _check_paths(paths) -> list[str]:
    """Return ``paths`` as a list of str, each an existing file."""
    if isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]  # one file
    try:
        paths = [os.fsdecode(p) for p in paths]
    except TypeError:
        raise TypeError(f"`paths` must be a list of file paths (str or pathlib.Path); got {_short(paths)}.") from None
    if not paths:
        raise ValueError("`paths` must name at least one file; got an empty list.")
    for path in paths:
        if not os.path.exists(path):
            raise FileNotFoundError(f"`paths` names a file that does not exist: {path!r}.")
        if os.path.isdir(path):
            raise ValueError(
                f"`paths` must name files, one sentence per line; {path!r} is a directory "
                f"(list its files, e.g. sorted(pathlib.Path(dir).glob('*.txt')))."
            )
    return paths


def _text_blocks(path):
    """Yield the text of the file at ``path`` in blocks of whole lines, about ``_BLOCK_BYTES`` each."""
    line = 1  # number of the first line of the block
    with open(path, "rb") as f:
        while lines := f.readlines(_BLOCK_BYTES):  # split at b"\n" only, never inside a character
            raw = b"".join(lines)
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as err:
                bad = line + raw.count(b"\n", 0, err.start)
                raise ValueError(
                    f"`paths`: {path!r} is not UTF-8 text: line {bad} has the byte "
                    f"{raw[err.start:err.start + 1]!r} ({err.reason}). Re-encode the file as UTF-8."
                ) from None
            line += len(lines)


def _file_word_counts(path) -> Counter:
    """Occurrences of each word in one file, the words in order of first appearance (the map of pass 1)."""
    counts = Counter()
    for text in _text_blocks(path):
        counts.update(text.split())  # C-level count; a Counter keeps insertion order
    return counts


def _file_pair_counts(path, index, window) -> sp.csr_matrix:
    """Pair counts of one file against the vocabulary ``index`` (word -> id), block by block (pass 2)."""
    n = len(index)
    total = sp.csr_matrix((n, n), dtype=np.int64)
    for text in _text_blocks(path):
        sentences = [line.split() for line in text.split("\n")]  # one step per line, not per token
        lengths = np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences))  # (S,)
        flat = list(itertools.chain.from_iterable(sentences))
        token_id = np.fromiter(map(index.get, flat, itertools.repeat(-1)), dtype=np.int64,
                               count=len(flat))  # (T,) -1 for a word not in the vocabulary
        total = total + _pair_counts(token_id, lengths, window, n)
    return total


def _file_pair_counts_on_worker(path, vocab_text, window) -> sp.csr_matrix:
    """``_file_pair_counts`` from the vocabulary as one string, a word a line (what a Dask worker gets)."""
    return _file_pair_counts(path, dict(zip(vocab_text.split("\n"), itertools.count())), window)


def _sum_word_counts(per_file) -> Counter:
    """Add word counts file by file, in file order, so that first appearances keep the corpus order."""
    total = Counter()
    for counts in per_file:
        total.update(counts)  # new words are appended in the order this file first shows them
    return total


def cooccurrence_counts_from_files(paths, window, *, min_count=1, client=None) -> tuple[list[str], sp.csr_matrix]:
    """Count co-occurrences in text files without holding the corpus in memory, optionally on Dask.

    Returns exactly what :func:`cooccurrence_counts` returns for all the
    files' sentences, concatenated in the order of ``paths``: the same
    vocabulary in the same order and the same sparse matrix.

    Parameters
    ----------
    paths : str, path-like, or sequence of them
        Text files in UTF-8, one sentence (or document) per line (lines end
        at ``\\n``), tokens separated by whitespace (``str.split()``). A blank
        line is an empty sentence; empty files are allowed. Windows never
        cross a line.
        With a ``client``, the workers open the paths themselves: they must
        be visible to every worker (a shared or network file system, or
        the same machine for a ``LocalCluster``), and the workers need
        ``sgns_helpers`` installed.
    window : int
        Largest distance ``w >= 1`` between a center and a context word, as in
        :func:`cooccurrence_counts`.
    min_count : int, default 1
        Words seen fewer times than this in all the files together are removed
        before windowing.
    client : dask.distributed.Client or None, default None
        None: stream through the files in this process, about 1 MiB of text at
        a time; memory grows with the vocabulary and the number of distinct
        pairs, not with the corpus length. A Client: one task per file for
        each pass (split a large corpus into at least as many files as there
        are workers); the workers count, the client adds their results.

    Returns
    -------
    vocab : list of str
        The ``n_words`` kept words, by decreasing frequency; ties in the order
        of first appearance.
    counts : scipy.sparse.csr_matrix of shape (n_words, n_words), int64
        ``counts[i, j]`` is how often ``vocab[j]`` occurs within ``window``
        positions of ``vocab[i]``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> folder = pathlib.Path(tmp.name)
    >>> _ = (folder / "a.txt").write_text("a b a\\n")
    >>> _ = (folder / "b.txt").write_text("c\\n\\na c\\n")
    >>> vocab, C = cooccurrence_counts_from_files([folder / "a.txt", folder / "b.txt"], window=1)
    >>> from sgns_helpers import cooccurrence_counts
    >>> vocab2, C2 = cooccurrence_counts([["a", "b", "a"], ["c"], [], ["a", "c"]], window=1)
    >>> vocab == vocab2 and (C != C2).nnz == 0
    True
    >>> tmp.cleanup()

    See chapter 7, "Counting at any scale".
    """
    paths = _check_paths(paths)
    window = check_positive_int(window, "window")
    min_count = check_positive_int(min_count, "min_count")
    if client is not None:
        try:
            from distributed import Client, as_completed  # only here: importing Dask takes a second
        except ImportError:
            Client = None
        if Client is None or not isinstance(client, Client):
            raise TypeError(
                f"`client` must be a dask.distributed.Client or None; got {_short(client)} of type "
                f"{type(client).__name__}."
            )

    # pass 1: the vocabulary (word counts add up over files)
    if client is None:
        word_counts = _sum_word_counts(map(_file_word_counts, paths))
    else:
        word_futures = client.map(_file_word_counts, paths, pure=False)
        word_counts = _sum_word_counts(client.gather(word_futures))  # in file order
        del word_futures
    if not word_counts:
        raise ValueError(f"`paths` must contain at least one token; the {len(paths)} file(s) hold none.")
    types = list(word_counts)  # in order of first appearance in the corpus
    freq = np.fromiter(word_counts.values(), dtype=np.int64, count=len(types))  # (n_types,)
    vocab = [types[t] for t in _vocabulary_order(freq, min_count)]
    index = {w: i for i, w in enumerate(vocab)}

    # pass 2: pair counts of each file against the fixed vocabulary, summed
    counts = sp.csr_matrix((len(vocab), len(vocab)), dtype=np.int64)
    if client is None:
        for path in paths:
            counts = counts + _file_pair_counts(path, index, window)
    else:
        # one string, sent once to each worker: Dask would walk a dict or list element by element
        [shared] = client.scatter(["\n".join(vocab)], broadcast=True, hash=False)  # words hold no whitespace
        pair_futures = client.map(_file_pair_counts_on_worker, paths, vocab_text=shared, window=window, pure=False)
        for _, part in as_completed(pair_futures, with_results=True):  # one partial matrix held at a time
            counts = counts + part
        del pair_futures, shared
    counts.sum_duplicates()
    counts.sort_indices()
    return vocab, counts
