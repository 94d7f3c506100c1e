"""Input validation and random-state handling shared by every public function.

Each checker raises ``ValueError`` or ``TypeError`` naming the argument in
backticks, the rule, and the value received, so that bad input fails at the
public entry point instead of as a NaN three cells later.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "as_rng",
    "check_counts",
    "check_noise",
    "check_positive_int",
    "check_choice",
    "check_finite_matrix",
    "check_probabilities",
    "check_counts_dense_or_sparse",
    "check_logits",
    "check_positive_float",
    "check_factors",
]


def _short(value) -> str:
    """A compact repr of ``value`` for error messages."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def as_rng(seed, name: str = "seed") -> np.random.Generator:
    """Return a ``np.random.Generator`` from an int seed or a Generator.

    A Generator is returned as is (it is shared, not copied), so a caller can
    thread one generator through several functions.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
        raise TypeError(
            f"`{name}` must be an int or a numpy.random.Generator; got {_short(seed)} "
            f"of type {type(seed).__name__}."
        )
    if seed < 0:
        raise ValueError(f"`{name}` must be a non-negative int; got {seed}.")
    return np.random.default_rng(int(seed))


def check_positive_int(value, name: str, minimum: int = 1) -> int:
    """Check that ``value`` is an integer >= ``minimum`` and return it as ``int``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"`{name}` must be an int; got {_short(value)} of type {type(value).__name__}."
        )
    if value < minimum:
        raise ValueError(f"`{name}` must be >= {minimum}; got {value}.")
    return int(value)


def check_choice(value, name: str, choices: tuple[str, ...]) -> str:
    """Check that ``value`` is one of the strings in ``choices``."""
    if not isinstance(value, str) or value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"`{name}` must be one of {options}; got {_short(value)}.")
    return value


def _as_float_array(x, name: str) -> np.ndarray:
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"`{name}` must be an array of numbers; got {_short(x)}.")
    try:
        arr = np.asarray(x)
    except Exception as exc:  # ragged lists and other non-arrays
        raise TypeError(f"`{name}` must be an array of numbers; got {_short(x)}.") from exc
    if arr.dtype == bool or not (
        np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
    ):
        raise TypeError(
            f"`{name}` must hold integers or floats; got an array of dtype {arr.dtype}."
        )
    return arr


def check_finite_matrix(M, name: str, *, square: bool = False, allow_neg_inf: bool = False) -> np.ndarray:
    """Check that ``M`` is a non-empty 2-D float array with no NaN (and no inf).

    ``allow_neg_inf=True`` lets ``-inf`` through (an empirical PMI has it on
    zero cells); NaN and ``+inf`` are always rejected.
    """
    arr = _as_float_array(M, name).astype(float, copy=False)
    if arr.ndim != 2:
        raise ValueError(f"`{name}` must be a 2-D matrix; got an array of shape {arr.shape}.")
    if arr.size == 0:
        raise ValueError(f"`{name}` must not be empty; got shape {arr.shape}.")
    if square and arr.shape[0] != arr.shape[1]:
        raise ValueError(f"`{name}` must be a square matrix; got shape {arr.shape}.")
    if np.isnan(arr).any():
        raise ValueError(f"`{name}` must not contain NaN; found {int(np.isnan(arr).sum())} NaN entries.")
    bad_inf = np.isposinf(arr) | (np.isneginf(arr) if not allow_neg_inf else False)
    if np.any(bad_inf):
        raise ValueError(
            f"`{name}` must be finite; found {int(np.sum(bad_inf))} infinite entries."
        )
    return arr


def check_counts(counts, name: str = "counts", whole: bool = True) -> np.ndarray:
    """Validate a co-occurrence count matrix and return it as an int64 array.

    Rules: 2-D, square (rows are center words, columns are the same words as
    contexts), non-empty, finite, non-negative, whole numbers, and every row
    with at least one count (a center word that never occurs has no objective).
    A column of zeros is allowed: that context is simply never observed.
    ``whole=False`` accepts real weights (weighted windows, scaled counts) and
    returns float64 instead.
    """
    arr = _as_float_array(counts, name)
    if arr.ndim != 2:
        raise ValueError(f"`{name}` must be a 2-D matrix; got an array of shape {arr.shape}.")
    if arr.size == 0:
        raise ValueError(f"`{name}` must not be empty; got shape {arr.shape}.")
    if arr.shape[0] != arr.shape[1]:
        raise ValueError(
            f"`{name}` must be a square matrix (rows = center words, columns = the same "
            f"words as contexts); got shape {arr.shape}."
        )
    if np.issubdtype(arr.dtype, np.floating):
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"`{name}` must be finite; found NaN or inf entries.")
        if whole and np.any(arr != np.round(arr)):
            i, j = np.argwhere(arr != np.round(arr))[0]
            raise ValueError(
                f"`{name}` must hold whole numbers (counts of pairs); "
                f"got {arr[i, j].item()!r} at [{i}, {j}]."
            )
    if np.any(arr < 0):
        i, j = np.argwhere(arr < 0)[0]
        raise ValueError(f"`{name}` must be non-negative; got {arr[i, j].item()!r} at [{i}, {j}].")
    arr = arr.astype(np.int64 if whole else float)
    row_zero = np.flatnonzero(arr.sum(axis=1) == 0)
    if row_zero.size:
        raise ValueError(
            f"`{name}` must have at least one count in every row; rows {row_zero[:5].tolist()} "
            f"are all zero (drop those words first)."
        )
    return arr


def check_probabilities(p, name: str, size: int | None = None, atol: float = 1e-8) -> np.ndarray:
    """Validate a probability vector: 1-D, finite, non-negative, summing to 1."""
    arr = _as_float_array(p, name).astype(float)
    if arr.ndim != 1:
        raise ValueError(f"`{name}` must be a 1-D vector; got an array of shape {arr.shape}.")
    if size is not None and arr.shape[0] != size:
        raise ValueError(
            f"`{name}` must have one entry per word ({size}); got length {arr.shape[0]}."
        )
    if arr.size == 0:
        raise ValueError(f"`{name}` must not be empty.")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"`{name}` must be finite; found NaN or inf entries.")
    if np.any(arr < 0):
        j = int(np.argmax(arr < 0))
        raise ValueError(f"`{name}` must be non-negative; got {arr[j].item()!r} at [{j}].")
    total = float(arr.sum())
    if abs(total - 1.0) > atol:
        raise ValueError(f"`{name}` must sum to 1; got sum {total!r}.")
    return arr


def check_noise(noise, n_contexts: int, name: str = "noise") -> np.ndarray:
    """Validate a noise (negative-sampling) distribution over ``n_contexts`` contexts."""
    return check_probabilities(noise, name, size=n_contexts, atol=1e-6)


def check_counts_dense_or_sparse(counts, name: str = "counts", whole: bool = True):
    """Like :func:`check_counts`, but a ``scipy.sparse`` matrix stays sparse.

    Returns an int64 ``ndarray`` for dense input and an int64
    ``scipy.sparse.csr_array`` with sorted indices and no explicit zeros for
    sparse input; the same rules apply to both (float64 with ``whole=False``).
    """
    import scipy.sparse as sp

    if not sp.issparse(counts):
        return check_counts(counts, name, whole)
    if counts.ndim != 2:
        raise ValueError(f"`{name}` must be a 2-D matrix; got shape {counts.shape}.")
    if counts.shape[0] == 0 or counts.shape[1] == 0:
        raise ValueError(f"`{name}` must not be empty; got shape {counts.shape}.")
    if counts.shape[0] != counts.shape[1]:
        raise ValueError(
            f"`{name}` must be a square matrix (rows = center words, columns = the same "
            f"words as contexts); got shape {counts.shape}."
        )
    csr = sp.csr_array(counts)
    data = csr.data
    if data.dtype == bool or not (
        np.issubdtype(data.dtype, np.integer) or np.issubdtype(data.dtype, np.floating)
    ):
        raise TypeError(f"`{name}` must hold integers or floats; got a sparse matrix of dtype {data.dtype}.")
    if np.issubdtype(data.dtype, np.floating):
        if not np.all(np.isfinite(data)):
            raise ValueError(f"`{name}` must be finite; found NaN or inf entries.")
        if whole and np.any(data != np.round(data)):
            bad = data[data != np.round(data)][0]
            raise ValueError(f"`{name}` must hold whole numbers (counts of pairs); got {bad.item()!r}.")
    if np.any(data < 0):
        raise ValueError(f"`{name}` must be non-negative; got {data.min().item()!r}.")
    csr = csr.astype(np.int64 if whole else float)
    csr.eliminate_zeros()
    csr.sum_duplicates()
    csr.sort_indices()
    row_zero = np.flatnonzero(np.diff(csr.indptr) == 0)
    if row_zero.size:
        raise ValueError(
            f"`{name}` must have at least one count in every row; rows {row_zero[:5].tolist()} "
            f"are all zero (drop those words first)."
        )
    return csr


def check_logits(X, shape, name: str = "X") -> np.ndarray:
    """A float matrix of logits with the shape of ``counts``: ``±inf`` allowed, NaN not."""
    try:
        X = np.asarray(X, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"`{name}` must be an array of floats; got {type(X).__name__}.") from exc
    if X.shape != shape:
        raise ValueError(f"`{name}` must have the shape of `counts` {shape}; got {X.shape}.")
    if np.isnan(X).any():
        raise ValueError(f"`{name}` must not contain NaN; found {int(np.isnan(X).sum())} NaN entries.")
    return X


def check_positive_float(value, name: str) -> float:
    """Check that ``value`` is a finite real number > 0 and return it as ``float``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be a positive float; got {_short(value)}.")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"`{name}` must be a positive finite float; got {_short(value)}.")
    return float(value)


def check_factors(X, n: int, name: str = "X"):
    """Validate factors ``(V, U)`` or ``(V, U, b, c)`` of an n × n logit matrix; return ``(V, U, b, c)``."""
    if len(X) not in (2, 4):
        raise ValueError(f"`{name}` given as factors must be (V, U) or (V, U, b, c); got a tuple of {len(X)}.")
    V, U, b, c = (tuple(X) + (None, None))[:4]
    if (b is None) != (c is None):
        raise ValueError(f"`{name}` given as factors needs both biases b and c, or neither.")
    V, U = np.asarray(V, dtype=float), np.asarray(U, dtype=float)
    if V.ndim != 2 or V.shape != U.shape or V.shape[0] != n:
        raise ValueError(f"`{name}` factors V and U must both have shape ({n}, d); got {V.shape} and {U.shape}.")
    if b is not None:
        b, c = np.asarray(b, dtype=float), np.asarray(c, dtype=float)
        if b.shape != (n,) or c.shape != (n,):
            raise ValueError(f"`{name}` biases b and c must have shape ({n},); got {b.shape} and {c.shape}.")
    for arr in (V, U, b, c):
        if arr is not None and not np.all(np.isfinite(arr)):
            raise ValueError(f"`{name}` factors must be finite; found NaN or inf entries.")
    return V, U, b, c

