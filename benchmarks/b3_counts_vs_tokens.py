"""B3: counts vs tokens, on the real-corpus chapter's corpus (gensim's Lee corpus).

gensim's Word2Vec trains on the token stream (skip-gram, k = 5, window 5 without
shrinking, d = 50, min_count 20, no subsampling, 20 epochs, one worker: chapter
6's settings). Ours counts the pairs once (``sh.cooccurrence_counts``) and fits
the exact expected loss on the sparse counts, from the SVD start. Fidelity: Pearson r between the
learned logits and each method's closed-form optimum on the pairs seen >= 20
times (gensim's optimum x^g of chapter 6; ours x*). Ours is run with an
increasing iteration budget; its time is that of the first budget whose
fidelity is at least gensim's, counting included. Target: <= 0.5x gensim's time.
(Measured here: ours peaks below gensim's fidelity and then declines as the
objective keeps falling; the best rank-50 fit of the objective is not the fit
that correlates best with x* on frequent pairs. The script reports FAIL then.)
"""

import time

import numpy as np
import torch

from _common import environment, figure, finish, print_environment, target

import sgns_helpers as sh

K, WINDOW, DIM, ALPHA, MIN_COUNT, EPOCHS = 5, 5, 50, 0.75, 20, 20
BUDGETS = (25, 50, 100, 200)


def fidelity(X, optimum, C, at_least=20):
    cells = C >= at_least
    return float(np.corrcoef(X[cells], optimum[cells])[0, 1])


def main() -> dict:
    from gensim.models import Word2Vec
    from gensim.test.utils import datapath
    from gensim.utils import simple_preprocess

    print_environment("B3 - counts vs tokens: our trainer on counts vs gensim on the token stream")
    torch.set_num_threads(1)  # gensim runs one worker: same footing
    with open(datapath("lee_background.cor"), encoding="utf8") as f:
        sentences = [simple_preprocess(line) for line in f]
    t0 = time.perf_counter()
    vocab, counts = sh.cooccurrence_counts(sentences, WINDOW, min_count=MIN_COUNT)
    seconds_counts = time.perf_counter() - t0
    C = counts.toarray()  # for the fidelity check only (n is a few hundred)

    t0 = time.perf_counter()
    w2v = Word2Vec(sentences, sg=1, hs=0, negative=K, ns_exponent=ALPHA, window=WINDOW, vector_size=DIM,
                   min_count=MIN_COUNT, sample=0, shrink_windows=False, epochs=EPOCHS, workers=1, seed=0)
    seconds_gensim = time.perf_counter() - t0
    rows = [w2v.wv.key_to_index[w] for w in vocab]
    X_gensim = w2v.wv.vectors[rows].astype(float) @ w2v.syn1neg[rows].astype(float).T
    c = np.array([w2v.wv.get_vecattr(w, "count") for w in vocab], dtype=float)
    q = c**ALPHA / (c**ALPHA).sum()  # gensim's noise: word counts ** 0.75
    n_i = C.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore"):
        x_g = np.log(C) - np.log(K * q[None, :] * (n_i - C))  # gensim's optimum (chapter 6)
    r_gensim = fidelity(X_gensim, x_g, C)
    x_star = sh.sgns_optimum(C, q, K)

    runs = []
    for budget in BUDGETS:
        fit = sh.train_sgns(counts, q, k=K, dim=DIM, method="exact", init="svd", n_restarts=1,
                           max_iter=budget, seed=0)
        r = fidelity(fit.logits(), x_star, C)
        runs.append({"max_iter": budget, "seconds": fit.seconds, "fidelity": r, "objective": fit.objective})
        figure(f"ours, {budget:>3d} L-BFGS iterations: r on pairs >= 20", r)
        if r >= r_gensim:
            break
    hit = next((run for run in runs if run["fidelity"] >= r_gensim), None)
    best = max(runs, key=lambda run: run["fidelity"])
    figure("ours: best fidelity, and its time (counting included)", f"{best['fidelity']:.4f} in "
           f"{seconds_counts + best['seconds']:.2f} s")
    ours_seconds = None if hit is None else seconds_counts + hit["seconds"]
    figs = {"n_words": len(vocab), "nnz": int(counts.nnz), "n_pairs": int(counts.sum()),
            "n_tokens": int(sum(map(len, sentences))), "seconds_counts": seconds_counts,
            "seconds_gensim": seconds_gensim, "fidelity_gensim": r_gensim, "runs": runs,
            "ours_seconds": ours_seconds, "ours_fidelity": None if hit is None else hit["fidelity"],
            "ratio": None if hit is None else ours_seconds / seconds_gensim,
            "best_fidelity": best["fidelity"], "best_seconds": seconds_counts + best["seconds"],
            "best_ratio": (seconds_counts + best["seconds"]) / seconds_gensim}
    figure("vocabulary (min_count 20), non-zero cells", f"{len(vocab)} words, {counts.nnz:,} cells")
    figure("counting the pairs", seconds_counts, "s")
    figure("gensim Word2Vec, 20 epochs: wall time", seconds_gensim, "s")
    figure("gensim: r on pairs >= 20 (vs x^g)", r_gensim)
    if hit is not None:
        figure("ours: counting + training to gensim's fidelity", ours_seconds, "s")
        figure("ours / gensim wall time", figs["ratio"], "x")
    ok = hit is not None and figs["ratio"] <= 0.5
    targets = [target("ours <= 0.5x gensim's time at equal or better fidelity", ok)]
    return {"env": environment(), "figures": figs, "targets": targets}


if __name__ == "__main__":
    finish(main())
