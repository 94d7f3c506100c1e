"""B4: scale. A simulated vocabulary of 10,000 words with about 1% non-zero cells (sparse counts).

Run twice by ``run_all.py``, in fresh processes, so that each peak is its own:
``--part sampled`` (the gist's loop on the sparse counts, batch 64 and 1024) and
``--part exact`` (L-BFGS on the expected loss, negative term in row blocks).
Figures: seconds per epoch (sampled: one pass over the non-zero cells; exact:
one L-BFGS iteration, a pass over all 10⁸ cells), seconds for one exact
objective, and the peak resident memory of the whole process (getrusage).
Targets: peak < 2 GiB, an epoch in seconds (< 60 s), not minutes.
"""

import argparse
import time

import numpy as np
import torch

from _common import environment, figure, finish, peak_rss_mb, print_environment, target

import sgns_helpers as sh
from sgns_helpers.expected import ExpectedLoss

N_WORDS, N_PAIRS, K = 10_000, 3_500_000, 5


def main(part: str) -> dict:
    print_environment(f"B4 - scale: n = {N_WORDS:,}, sparse counts, part '{part}'")
    t0 = time.perf_counter()
    sim = sh.simulate_sparse_cooccurrence(n_words=N_WORDS, n_pairs=N_PAIRS, seed=0)
    C = sim.counts
    q = sh.unigram_noise(C)
    figs = {"n_words": N_WORDS, "n_pairs": N_PAIRS, "nnz": int(C.nnz), "nnz_share": C.nnz / N_WORDS**2,
            "simulate_seconds": time.perf_counter() - t0, "k": K}
    figure("non-zero cells", f"{C.nnz:,} ({figs['nnz_share']:.2%} of n²)")
    figure("simulating the sparse counts", figs["simulate_seconds"], "s")
    epoch_times = []
    if part == "sampled":
        for batch in (64, 1024):
            r = sh.train_sgns(C, q, k=K, epochs=2, batch_size=batch, lr=1e-2, normalize="constant",
                              objective_every=2, seed=0)
            epoch = float(r.time_history[0])  # set-up + the first epoch, no objective evaluated
            figs[f"sampled_epoch_seconds_b{batch}"] = epoch
            figs[f"sampled_objective_b{batch}"] = r.objective
            epoch_times.append(epoch)
            figure(f"sampled, batch {batch}: first epoch (incl. set-up)", epoch, "s")
            figure(f"sampled, batch {batch}: objective after 2 epochs", r.objective)
    else:
        r = sh.train_sgns(C, q, k=K, method="exact", max_iter=6, n_restarts=1, seed=0)
        per_iter = float(np.median(np.diff(r.time_history)))
        figs.update(exact_iteration_seconds=per_iter, exact_first_iteration_seconds=float(r.time_history[0]),
                    exact_objective=r.objective, exact_iterations=int(r.time_history.size))
        epoch_times.append(per_iter)
        figure("exact: seconds per L-BFGS iteration (median)", per_iter, "s")
        figure("exact: objective after 6 iterations", r.objective)
        loss = ExpectedLoss(C, q, K, torch.device("cpu"))
        V, U = (torch.tensor(a) for a in (r.V, r.U))  # a copy: the result arrays are read-only
        t = time.perf_counter()
        loss(V, U)
        figs["objective_seconds_torch"] = time.perf_counter() - t
        t = time.perf_counter()
        sh.sgns_objective(r.factors(), C, q, K)
        figs["objective_seconds_numpy"] = time.perf_counter() - t
        figure("one exact objective, torch row blocks", figs["objective_seconds_torch"], "s")
        figure("one exact objective, sh.sgns_objective (numpy)", figs["objective_seconds_numpy"], "s")
    peak = peak_rss_mb()
    figs["peak_rss_mb"] = peak
    figs["dense_matrix_mb"] = N_WORDS**2 * 8 / 2**20
    figure("peak resident memory of the process", peak, "MiB")
    figure("for scale: one dense n x n float64 matrix", figs["dense_matrix_mb"], "MiB")
    targets = [
        target(f"{part}: peak memory < 2 GiB ({peak:.0f} MiB)", peak < 2048),
        target(f"{part}: an epoch in seconds, < 60 s (slowest {max(epoch_times):.1f} s)", max(epoch_times) < 60),
    ]
    return {"env": environment(), "figures": figs, "targets": targets}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", choices=("sampled", "exact"), default="sampled")
    args, _ = parser.parse_known_args()
    finish(main(args.part))
