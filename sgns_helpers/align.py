"""Aligning learned embeddings to the truth (chapter 4).

``V Uᵀ = (V A)(U A⁻ᵀ)ᵀ`` for any invertible ``d × d`` matrix ``A``, so learned
vectors can only match the true ones up to such a map. The least-squares ``A``
makes the comparison fair.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import check_finite_matrix

__all__ = ["Alignment", "align_embeddings"]


@dataclass(frozen=True)
class Alignment:
    """Least-squares linear alignment of learned vectors to reference vectors."""

    A: np.ndarray  # (dim, dim) map applied to the (centred) learned vectors
    aligned: np.ndarray  # (n_words, dim) learned vectors after centring and mapping, ≈ reference
    r2: float  # share of the reference's (centred) variance the aligned vectors explain


def align_embeddings(learned, reference, *, center=True) -> Alignment:
    """Find the linear map ``A`` minimising ``‖learned A - reference‖_F``.

    Parameters
    ----------
    learned : array_like of shape (n_words, dim)
        Learned vectors, e.g. ``TrainResult.V``.
    reference : array_like of shape (n_words, dim_ref)
        True vectors, e.g. ``Cooccurrence.V``.
    center : bool, default True
        Subtract column means from both first. With bias terms (or after
        double-centring) only the centred vectors are identified.

    Returns
    -------
    Alignment
        ``A`` of shape (dim, dim_ref), the aligned vectors and R².

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> V = rng.standard_normal((20, 2))
    >>> out = align_embeddings(V @ [[2.0, 1.0], [0.0, 3.0]], V)
    >>> round(out.r2, 6)
    1.0
    """
    if not isinstance(center, (bool, np.bool_)):
        raise TypeError(f"`center` must be True or False; got {center!r}.")
    L = check_finite_matrix(learned, "learned")
    R = check_finite_matrix(reference, "reference")
    if L.shape[0] != R.shape[0]:
        raise ValueError(
            f"`learned` and `reference` must have one row per word each; got "
            f"{L.shape[0]} and {R.shape[0]} rows."
        )
    if center:
        L = L - L.mean(axis=0)
        R = R - R.mean(axis=0)
    if not np.any(R):
        raise ValueError("`reference` has no variation (all zero after centring); there is nothing to align to.")
    A, *_ = np.linalg.lstsq(L, R, rcond=None)
    aligned = L @ A
    r2 = 1.0 - float(((aligned - R) ** 2).sum() / (R**2).sum())
    return Alignment(A=A, aligned=aligned, r2=r2)
