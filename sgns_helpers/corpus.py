"""From tokenised text to a co-occurrence count matrix (chapter 6).

Skip-gram with a fixed window ``w`` (word2vec with ``shrink_windows=False``)
sees the pair (center i, context j) once for every position of i and every
position of j at most ``w`` tokens away in the same sentence. Words rarer than
``min_count`` are removed *before* windowing, as gensim does, so the words on
either side of a removed word become neighbours. The pair counts ``n_ij`` are
all SGNS needs from the text (chapter 2): a trainer on counts replaces a pass
over the corpus.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp

from ._checks import _short, check_positive_int

__all__ = ["cooccurrence_counts"]


def _tokens_and_lengths(sentences) -> tuple[list, np.ndarray]:
    """Flatten ``sentences`` into one token list and the length of each sentence."""
    if isinstance(sentences, (str, bytes)) or not isinstance(sentences, Iterable):
        raise TypeError(
            f"`sentences` must be an iterable of token lists, e.g. [['a', 'b'], ['c']]; "
            f"got {_short(sentences)}."
        )
    sentences = list(sentences)  # a generator is consumed once
    for s, sentence in enumerate(sentences):  # one step per sentence, not per token
        if isinstance(sentence, (str, bytes)) or not isinstance(sentence, Iterable):
            raise TypeError(
                f"`sentences` must hold lists of tokens; sentence {s} is {_short(sentence)} "
                f"(split a string into words first, e.g. with gensim.utils.simple_preprocess)."
            )
    sentences = [list(sentence) for sentence in sentences]
    lengths = np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences))
    flat = list(itertools.chain.from_iterable(sentences))  # C-level, no Python loop per token
    bad = [t for t in set(map(type, flat)) if not issubclass(t, str)]
    if bad:
        token = next(t for t in flat if not isinstance(t, str))
        raise TypeError(
            f"`sentences` must hold string tokens; got {_short(token)} of type {type(token).__name__}."
        )
    return flat, lengths


def cooccurrence_counts(sentences, window, *, min_count=1) -> tuple[list[str], sp.csr_matrix]:
    """Count how often each word occurs within ``window`` positions of each other word.

    Parameters
    ----------
    sentences : iterable of list of str
        Tokenised sentences (or documents). Windows never cross a sentence
        boundary. Empty and one-word sentences are allowed and add no pairs.
    window : int
        Largest distance ``w >= 1`` between a center and a context word,
        counted in tokens after rare words are removed; every distance
        ``1..w`` counts once (word2vec with ``shrink_windows=False``).
    min_count : int, default 1
        Words seen fewer times than this in the whole corpus are removed
        before windowing, as gensim's ``min_count`` does.

    Returns
    -------
    vocab : list of str
        The ``n_words`` kept words, by decreasing frequency; ties in the order
        of first appearance. (gensim orders ties the other way round; map
        words by name, not by index.)
    counts : scipy.sparse.csr_matrix of shape (n_words, n_words), int64
        ``counts[i, j]`` is how often ``vocab[j]`` occurs within ``window``
        positions of ``vocab[i]``. The relation is symmetric, so is the
        matrix; its diagonal counts a word next to itself. A word that only
        occurs alone in its sentence has an all-zero row.

    Examples
    --------
    >>> vocab, C = cooccurrence_counts([["a", "b", "a", "c"]], window=1)
    >>> vocab
    ['a', 'b', 'c']
    >>> C.toarray()  # a-b twice (positions 0-1 and 1-2), a-c once
    array([[0, 2, 1],
           [2, 0, 0],
           [1, 0, 0]])

    See chapter 6, "From text to counts".
    """
    window = check_positive_int(window, "window")
    min_count = check_positive_int(min_count, "min_count")
    flat, lengths = _tokens_and_lengths(sentences)
    if not flat:
        raise ValueError("`sentences` must contain at least one token; got none.")

    vocab, token_id, _ = _vocabulary(flat, min_count)
    return vocab, _pair_counts(token_id, lengths, window, len(vocab))


def _vocabulary(flat, min_count) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The kept words, the id of each token (-1 for a removed word) and each kept word's count.

    Word types in order of first appearance (dict.fromkeys keeps it), then one id per
    token via a C-level map; no Python bytecode runs per token. Shapes: (T,), (n_words,).
    """
    types = list(dict.fromkeys(flat))
    index = {w: i for i, w in enumerate(types)}  # one step per word type
    first_id = np.fromiter(map(index.__getitem__, flat), dtype=np.int64, count=len(flat))  # (T,)
    freq = np.bincount(first_id)  # (n_types,)
    order = _vocabulary_order(freq, min_count)
    new_id = np.full(freq.shape[0], -1, dtype=np.int64)
    new_id[order] = np.arange(order.shape[0])
    vocab = [str(types[t]) for t in order]
    return vocab, new_id[first_id], freq[order]


def _vocabulary_order(freq, min_count) -> np.ndarray:
    """Ids of the kept word types, most frequent first, ties by type id (= order of first appearance).

    ``freq`` has shape (n_types,) and lists the types in order of first appearance.
    """
    keep = np.flatnonzero(freq >= min_count)
    if keep.size == 0:
        raise ValueError(
            f"`min_count` removes every word: the most frequent word occurs {int(freq.max())} "
            f"times; got min_count={min_count}."
        )
    return keep[np.lexsort((keep, -freq[keep]))]  # by count down, then first seen (= type id)


def _pair_counts(token_id, lengths, window, n) -> sp.csr_matrix:
    """Pair counts of a block of sentences whose tokens are already ids in a fixed vocabulary.

    ``token_id`` (T,) holds the block's tokens in order, -1 for a removed word; ``lengths``
    (S,) the number of tokens of each sentence (removed words included). Returns the
    (n, n) int64 counts of the block; counts of blocks add up to the counts of their union.
    """
    # drop rare tokens, keeping each surviving token's sentence id
    sentence_id = np.repeat(np.arange(lengths.shape[0]), lengths)  # (T,)
    kept = token_id >= 0
    token_id, sentence_id = token_id[kept], sentence_id[kept]  # (T',) in corpus order

    # after filtering, positions p and p + o of the flat array are o apart in
    # the same sentence exactly when their sentence ids agree
    rows, cols = [], []
    for offset in range(1, window + 1):  # w steps, each over all tokens at once
        same = sentence_id[:-offset] == sentence_id[offset:]
        left, right = token_id[:-offset][same], token_id[offset:][same]
        rows += [left, right]  # each pair counts in both directions
        cols += [right, left]
    row = np.concatenate(rows) if rows else np.empty(0, dtype=np.int64)
    col = np.concatenate(cols) if cols else np.empty(0, dtype=np.int64)
    counts = sp.coo_matrix((np.ones(row.shape[0], dtype=np.int64), (row, col)), shape=(n, n)).tocsr()
    counts.sum_duplicates()
    counts.sort_indices()
    return counts
