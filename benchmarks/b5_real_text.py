"""B5: SGNS on real text: gensim's Word2Vec against our SGD on the expected counts (chapter 8).

The corpus is the Wikipedia sample in gensim's test data, tokenised by gensim's
``WikiCorpus`` and cut into pieces of at most 10,000 tokens (gensim truncates
longer sentences). Both methods start from the same token lists (tokenising
is not timed) and run in a fresh child process each, on the same 2 cores:

- gensim: ``Word2Vec(sentences, sg=1, negative=5, window=5, vector_size=100,
  min_count=5, epochs=20, workers=2)``, gensim's defaults otherwise
  (``sample=1e-3``, ``shrink_windows=True``, ``ns_exponent=0.75``);
- ours: ``sh.word2vec_counts`` (the expected weights of one epoch) then
  ``sh.counts_sgd.train_counts_sgd`` with its defaults (``CONFIG["ours"]``: 4 epochs
  from lr 0.1, negatives shared by groups of 64 pairs) and one torch thread (its
  batches are small operations: on 2 cores shared with other jobs, 2 torch threads
  waiting on each other ran up to 20x slower); the counting is timed with the training.

Each child reports its wall time and its peak resident memory (VmHWM, the
whole process); the parent scores both on WordSim-353, SimLex-999 and the
Google analogies (3CosAdd, 3CosMul), each with a bootstrap interval, for the
word vectors and for word + context vectors, and measures the implicit-MF
check: the correlation of each fit's dot products with
``x* = log(n_ij / (k n_i q_j))`` on the cells seen at least 20 times, and the
error by count bucket. The count methods (SVDs of PPMI and SPPMI, explicit PPMI)
are built from the same weighted counts and scored the same way.
Two untimed parts follow: gensim again with k = 1 and k = 15 negatives
(Levy, Goldberg & Dagan's "many negatives"), and the exact SGNS objective lowered
further from our fit (rounds of L-BFGS, ``exact.fit_exact`` started from our
vectors) with the implicit-MF check after each round: does a better rank-d fit of
the objective come closer to x*? ``--only svd|negatives|optimum`` adds one of
these parts to an existing results file. Everything goes to ``b5_results.json``, which chapter 8
reads. The machine's other load counts: on 2 shared cores, other jobs slow
both methods, not necessarily equally.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from _common import environment, figure, finish, print_environment, target

import sgns_helpers as sh

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "b5_results.json"
SAMPLE = "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
CONFIG = {"window": 5, "min_count": 5, "dim": 100, "k": 5, "epochs": 20, "sample": 1e-3, "ns_exponent": 0.75,
          "max_sentence": 10_000, "threads": 2, "n_boot": 1000, "seen_at_least": 20,
          "ours": {"epochs": 4, "lr": 0.1, "batch_size": 2048, "shared_negatives": 16, "group_size": 64, "threads": 1}}
BUCKETS = [1, 2, 5, 10, 20, 50, 100, 1000, 1e9]  # count buckets for the implicit-MF check
NEGATIVES = (1, 15)  # gensim's SGNS again with these k (LGD 2015 compare 1, 5 and 15)
REFINE_ROUNDS, REFINE_ROUND = 6, 10  # L-BFGS from our SGD fit: rounds x iterations


def peak_mb() -> float:
    """Peak resident memory of this process (VmHWM, which starts afresh at exec), in MiB."""
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:")) / 1024


def sentences():
    """Tokenised articles (gensim's WikiCorpus), cut into pieces of at most max_sentence tokens."""
    from gensim.corpora import WikiCorpus
    from gensim.test.utils import datapath

    cut = CONFIG["max_sentence"]
    articles = WikiCorpus(datapath(SAMPLE), dictionary={}, processes=1).get_texts()
    return [a[s:s + cut] for a in articles for s in range(0, len(a), cut)]


def noise(wc) -> np.ndarray:
    """gensim's negative-sampling distribution on our vocabulary: q proportional to f ** ns_exponent."""
    q = wc.word_counts ** CONFIG["ns_exponent"]
    return q / q.sum()


def gensim_sgns(sents, k):
    """gensim's skip-gram with the configuration's settings and ``k`` negatives."""
    from gensim.models import Word2Vec

    c = CONFIG
    return Word2Vec(sents, sg=1, hs=0, negative=k, window=c["window"], vector_size=c["dim"],
                    min_count=c["min_count"], epochs=c["epochs"], sample=c["sample"],
                    ns_exponent=c["ns_exponent"], workers=c["threads"], seed=0)


def our_sgns(wc):
    """Our SGD on the weighted counts with the settings of ``CONFIG["ours"]`` (its defaults)."""
    o = CONFIG["ours"]
    return sh.train_counts_sgd(wc.counts, noise(wc), k=CONFIG["k"], dim=CONFIG["dim"], epochs=o["epochs"],
                               lr=o["lr"], batch_size=o["batch_size"], shared_negatives=o["shared_negatives"],
                               group_size=o["group_size"], seed=0, threads=o["threads"])


def child(method: str, out: Path) -> None:
    """Train one method on the token lists; write vectors, seconds and peak memory."""
    c = CONFIG
    sents = sentences()
    t0 = time.perf_counter()
    if method == "gensim":
        model = gensim_sgns(sents, c["k"])
        seconds = time.perf_counter() - t0
        vocab, V, U = list(model.wv.index_to_key), model.wv.vectors, model.syn1neg
    else:
        wc = sh.word2vec_counts(sents, c["window"], min_count=c["min_count"], sample=c["sample"])
        fit = our_sgns(wc)
        seconds = time.perf_counter() - t0
        vocab, V, U = wc.vocab, fit.V, fit.U
    np.savez(out, V=V, U=U, vocab=np.array(vocab), seconds=seconds, peak_mb=peak_mb())


def scores(V, vocab, benches, n_boot) -> dict:
    """Every benchmark score of one set of vectors, with its bootstrap interval and coverage."""
    out = {}
    for name, pairs in benches["pairs"].items():
        s = sh.word_similarity(V, vocab, pairs, n_boot=n_boot, seed=0)
        out[name] = {"score": s.spearman, "low": s.low, "high": s.high, "covered": s.n_covered, "total": s.n_pairs}
    for method, s in sh.analogy_scores(V, vocab, benches["analogies"], n_boot=n_boot, seed=0).items():
        out[f"analogy_{method}"] = {"score": s.accuracy, "low": s.low, "high": s.high,
                                    "covered": s.n_covered, "total": s.n_questions}
    return out


def mf_check(V, U, vocab, wc, k) -> dict:
    """Dot products against x* on the seen cells: correlation (count >= seen_at_least) and error by bucket."""
    index = {w: i for i, w in enumerate(vocab)}
    perm = np.array([index[w] for w in wc.vocab])  # our vocabulary order -> the fit's rows
    V, U = V[perm].astype(float), U[perm].astype(float)
    i, j = wc.counts.nonzero()  # row-major with sorted columns: the order of counts.data and x*.data
    n_ij = wc.counts.data
    x_star = sh.sgns_optimum(wc.counts, noise(wc), k).data  # log(n_ij / (k n_i q_j)) on the seen cells
    x = np.einsum("pd,pd->p", V[i], U[j])
    seen = n_ij >= CONFIG["seen_at_least"]
    buckets = []
    for lo, hi in zip(BUCKETS[:-1], BUCKETS[1:]):
        b = (n_ij >= lo) & (n_ij < hi)
        e = x[b] - x_star[b]
        empty = not e.size  # NaN for an empty bucket, without numpy's warning
        buckets.append({"low": lo, "high": hi, "cells": int(b.sum()),
                        "rmse": np.nan if empty else float(np.sqrt(np.mean(e**2))),
                        "mean_error": np.nan if empty else float(e.mean())})
    return {"corr_seen": float(np.corrcoef(x[seen], x_star[seen])[0, 1]), "cells_seen": int(seen.sum()),
            "buckets": buckets}


def negatives_part(sents, benches) -> dict:
    """gensim's SGNS again with k = 1 and k = 15 negatives, everything else as in the timed run; scores only.

    One change at a time, on the reference trainer: our trainer's settings were
    chosen for k = 5 (at k = 15 its step of 0.1 diverges).
    """
    c = CONFIG
    out = {}
    for k in NEGATIVES:
        t0 = time.perf_counter()
        model = gensim_sgns(sents, k)
        vocab = list(model.wv.index_to_key)
        out[str(k)] = {"seconds": time.perf_counter() - t0,
                       "w": scores(model.wv.vectors, vocab, benches, c["n_boot"]),
                       "w+c": scores(model.wv.vectors + model.syn1neg, vocab, benches, c["n_boot"])}
        print(f"   gensim with k = {k}: WS353 {out[str(k)]['w']['ws353']['score']:.3f}", flush=True)
    return out


def optimum_part(wc, fit, benches) -> dict:
    """Lower the exact objective from our SGD fit (L-BFGS, all parameters) and follow corr(x, x*) as it falls.

    The implicit-MF check asks how close the dot products come to x*; this asks
    whether a better rank-d fit of the SGNS objective comes closer. Rounds of
    ``REFINE_ROUND`` L-BFGS iterations (``exact.fit_exact``, float64, the exact
    expected loss over all n^2 cells in row blocks), each starting from the last.
    """
    from sgns_helpers._run import Progress
    from sgns_helpers.exact import fit_exact
    from sgns_helpers.expected import ExpectedLoss

    c = CONFIG
    q = noise(wc)
    loss = ExpectedLoss(wc.counts, q, c["k"])
    V, U = fit["V"].astype(float), fit["U"].astype(float)
    steps = [{"iterations": 0, "objective": loss(V, U), **mf_check(V, U, wc.vocab, wc, c["k"])}]
    t0 = time.perf_counter()
    for r in range(REFINE_ROUNDS):
        (V, U, _, _), (h, _, _) = fit_exact(loss, wc.counts, q, k=c["k"], dim=c["dim"], bias=False, rng=None,
                                            init=(V, U, None, None), max_iter=REFINE_ROUND, tol=1e-12,
                                            clock=time.perf_counter(), progress=Progress(REFINE_ROUND, False, ""))
        steps.append({"iterations": steps[-1]["iterations"] + len(h), "objective": float(h[-1]),
                      **mf_check(V, U, wc.vocab, wc, c["k"])})
        print(f"   exact objective after {steps[-1]['iterations']} L-BFGS iterations: {h[-1]:.5f}, "
              f"corr(x, x*) {steps[-1]['corr_seen']:.4f} ({time.perf_counter() - t0:.0f} s)", flush=True)
    return {"steps": steps, "seconds": time.perf_counter() - t0, "w": scores(V, wc.vocab, benches, c["n_boot"])}


def svd_part(wc, benches) -> dict:
    """The count methods: SVD of PPMI / SPPMI (k in 1, K; alpha in 1, 0.75; p in 0, 0.5, 1; w + c), explicit PPMI."""
    c = CONFIG
    out, seconds = {}, {}
    for k in (1, c["k"]):
        for alpha in (1.0, c["ns_exponent"]):
            name = f"{'PPMI' if k == 1 else 'SPPMI'} a={alpha:g}"
            t0 = time.perf_counter()
            M = sh.sppmi(wc.counts, k, noise_power=alpha)
            W1, C1 = sh.svd_embeddings(M, c["dim"], eig_power=1.0)  # Phi Sigma, Psi Sigma
            seconds[name] = time.perf_counter() - t0
            sigma = np.linalg.norm(W1, axis=0)  # (d,) singular values
            for p in (0.0, 0.5, 1.0):
                out[f"SVD {name} p={p:g}"] = scores(W1 * sigma ** (p - 1), wc.vocab, benches, c["n_boot"])
            out[f"SVD {name} w+c"] = scores((W1 + C1) * sigma**-0.5, wc.vocab, benches, c["n_boot"])
            if k == 1:
                out[f"explicit {name}"] = scores(M, wc.vocab, benches, c["n_boot"])
            print(f"   {name}: SVD and scores done ({seconds[name]:.1f} s for the matrix and its SVD)", flush=True)
    return {"scores": out, "seconds": seconds}


def inputs():
    """Token lists, the weighted counts and the benchmarks, as both parts use them."""
    from gensim.test.utils import datapath

    c = CONFIG
    sents = sentences()
    wc = sh.word2vec_counts(sents, c["window"], min_count=c["min_count"], sample=c["sample"])
    benches = {"pairs": {"ws353": sh.read_word_pairs(datapath("wordsim353.tsv")),
                         "simlex": sh.read_word_pairs(datapath("simlex999.txt"))},
               "analogies": sh.read_analogies(datapath("questions-words.txt"))}
    return sents, wc, benches


def main() -> dict:
    print_environment("B5 - SGNS on real text: gensim's Word2Vec against our SGD on the expected counts")
    c = CONFIG
    runs = {}
    with tempfile.TemporaryDirectory() as tmp:
        for method in ("gensim", "ours"):  # each in a fresh process: its own time and peak memory
            out = Path(tmp) / f"{method}.npz"
            subprocess.run([sys.executable, __file__, "--child", method, "--out", str(out)], check=True, cwd=HERE)
            with np.load(out) as f:
                runs[method] = {key: f[key] for key in f.files}
    sents, wc, benches = inputs()
    figs = {"n_tokens": int(sum(map(len, sents))), "n_sentences": len(sents), "n_words": len(wc.vocab),
            "nnz": int(wc.counts.nnz), "methods": {}}
    for method, r in runs.items():
        vocab = [str(w) for w in r["vocab"]]
        assert sorted(vocab) == sorted(wc.vocab), "both methods must keep the same words"
        entry = {"seconds": float(r["seconds"]), "peak_mb": float(r["peak_mb"]),
                 "w": scores(r["V"], vocab, benches, c["n_boot"]),
                 "w+c": scores(r["V"] + r["U"], vocab, benches, c["n_boot"]),
                 "mf": mf_check(r["V"], r["U"], vocab, wc, c["k"])}
        figs["methods"][method] = entry
        figure(f"{method}: wall time (counting included for ours)", entry["seconds"], "s")
        figure(f"{method}: peak memory (whole process)", entry["peak_mb"], "MiB")
        for bench, s in entry["w"].items():
            figure(f"{method}: {bench}", f"{s['score']:.3f} [{s['low']:.3f}, {s['high']:.3f}] on {s['covered']}")
        figure(f"{method}: corr(x, x*) on cells seen >= {c['seen_at_least']}", entry["mf"]["corr_seen"])
    g, o = figs["methods"]["gensim"], figs["methods"]["ours"]
    figs["time_ratio"] = o["seconds"] / g["seconds"]
    figure("ours / gensim: wall time", figs["time_ratio"], "x")
    targets = [
        target("ours reaches gensim's WS353 (within its bootstrap interval)",
               o["w"]["ws353"]["score"] >= g["w"]["ws353"]["low"]),
        target("ours in <= 0.5x gensim's wall time, counting included", figs["time_ratio"] <= 0.5),
        target(f"ours: corr(x, x*) >= 0.97 on cells seen >= {c['seen_at_least']}", o["mf"]["corr_seen"] >= 0.97),
        target("ours: peak memory <= 2 GB (whole process)", o["peak_mb"] <= 2048),
    ]
    figs["svd"] = svd_part(wc, benches)
    figs["negatives"] = negatives_part(sents, benches)
    assert [str(w) for w in runs["ours"]["vocab"]] == list(wc.vocab)  # the child counted the same way
    figs["optimum"] = optimum_part(wc, runs["ours"], benches)
    result = {"env": environment(), "config": c, "figures": figs, "targets": targets}
    RESULTS.write_text(json.dumps(result, indent=1, default=float) + "\n")
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--child")
    parser.add_argument("--out")
    parser.add_argument("--only", choices=("svd", "negatives", "optimum"))
    args, _ = parser.parse_known_args()
    if args.only:  # add one untimed part to an existing results file (the same code as a full run's)
        result = json.loads(RESULTS.read_text())
        assert result["config"] == CONFIG and result["env"]["gensim"] == environment()["gensim"]
        sents, wc, benches = inputs()
        if args.only == "optimum":  # our fit again, with the settings of the timed run
            fit = our_sgns(wc)
            result["figures"]["optimum"] = optimum_part(wc, {"V": fit.V, "U": fit.U}, benches)
        else:
            result["figures"][args.only] = svd_part(wc, benches) if args.only == "svd" else negatives_part(sents, benches)
        RESULTS.write_text(json.dumps(result, indent=1, default=float) + "\n")
    elif args.child:
        if hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) > CONFIG["threads"]:
            os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[: CONFIG["threads"]])  # the same 2 cores
        child(args.child, Path(args.out))
    else:
        finish(main())
