"""Chapter 6's heavy ablation step: weighted least squares with SGNS's curvature weights, on the news corpus.

    python benchmarks/ablation_ch6.py [--n-iter 100] [--out benchmarks/ablation_ch6.json]

Chapter 6 gives the SVD what SPPMI takes away, one change at a time (no clip,
finite unseen cells, offsets outside the rank); the step from there to SGNS
changes its loss, its weights and its unseen cells at once. This script makes
the one change of the weights: ``sh.weighted_offset_fit`` of the smoothed
matrix with the curvatures ``h = m ν / (m + ν)``, ``m = n + 1/2`` (chapter 5's
ablation row "+ weights h"), started from the row before (the offset SVD), at
the chapter's rank. It takes minutes, so the book reads its figures from the
results file: the correlation with gensim's optimum ``x^g`` on the cells seen
at least b times, and the deviation of the SGNS objective from its full-rank
bound. The counts, the noise and the buckets are the chapter's; the file
records them, and the chapter checks them against its own.
"""

import argparse
import json
import time
from collections import Counter
from pathlib import Path

import numpy as np
import threadpoolctl

from _common import ROOT, environment, print_environment

import sgns_helpers as sh

CONFIG = {"window": 5, "min_count": 20, "k": 5, "dim": 50, "alpha": 0.75, "buckets": [1, 5, 20, 100]}


def chapter_counts():
    """The counts and the noise of chapter 6: the Lee corpus, gensim's tokeniser, q from word counts."""
    from gensim.test.utils import datapath
    from gensim.utils import simple_preprocess

    with open(datapath("lee_background.cor"), encoding="utf8") as f:
        sentences = [simple_preprocess(line) for line in f]
    vocab, counts = sh.cooccurrence_counts(sentences, CONFIG["window"], min_count=CONFIG["min_count"])
    freq = Counter(w for s in sentences for w in s)
    f = np.array([freq[w] for w in vocab], dtype=float)
    q = f ** CONFIG["alpha"] / (f ** CONFIG["alpha"]).sum()
    return vocab, counts.toarray().astype(float), q


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-iter", type=int, default=100, help="alternations of the weighted fit (default 100)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "ablation_ch6.json")
    args = parser.parse_args(argv)
    if args.n_iter < 1:
        parser.error("--n-iter must be >= 1")
    print_environment("Chapter 6 ablation: weighted least squares with the curvature weights h")
    threadpoolctl.threadpool_limits(limits=2)
    t0 = time.perf_counter()
    vocab, C, q = chapter_counts()
    k, dim = CONFIG["k"], CONFIG["dim"]
    n_i = C.sum(axis=1, keepdims=True)
    seen = C > 0
    with np.errstate(divide="ignore"):
        x_g = np.log(C) - np.log(k * q[None, :] * (n_i - C))   # gensim's optimum (chapter 6)
    smoothed = sh.smoothed_shifted_pmi(C, q, k)
    m, nu = C + 0.5, sh.sgns_weights(C, q, k)[1]   # nu = k n_i q_j, as in sh.svd_ablation
    start = sh.offset_svd_logits(smoothed, dim)   # the row before: weighted_offset_fit's own start
    X = sh.weighted_offset_fit(smoothed, m * nu / (m + nu), dim, n_iter=args.n_iter)
    seconds = time.perf_counter() - t0

    def figures(Z):
        # r against x^g by bucket; the SGNS objective above its bound, in all and from the seen and unseen cells
        return {"r": {str(b): float(np.corrcoef(Z[C >= b], x_g[C >= b])[0, 1]) for b in CONFIG["buckets"]},
                "deviation_percent": float(sh.objective_deviation(Z, C, q, k)),
                "deviation_seen_percent": float(sh.objective_deviation(Z, C, q, k, cells=seen)),
                "deviation_unseen_percent": float(sh.objective_deviation(Z, C, q, k, cells=~seen))}

    fit, before = figures(X), figures(start)
    print(f"   n = {len(vocab)}, N = {C.sum():,.0f}, nnz = {int(seen.sum()):,}; {args.n_iter} alternations in {seconds:.0f} s")
    print("   r against x^g on cells seen >= b times: " + ", ".join(f"b = {b}: {v:.3f}" for b, v in fit["r"].items()))
    print(f"   SGNS objective {fit['deviation_percent']:.2f}% above its full-rank bound "
          f"({fit['deviation_seen_percent']:.2f} points from the seen cells, {fit['deviation_unseen_percent']:.2f} from the unseen)")
    out = {"config": {**CONFIG, "n_iter": args.n_iter}, "env": environment(),
           "figures": {"n": len(vocab), "N": float(C.sum()), "nnz": int(seen.sum()), **fit, "start": before,
                       "seconds": seconds}}
    args.out.write_text(json.dumps(out, indent=1) + "\n")
    return out


if __name__ == "__main__":
    main()
