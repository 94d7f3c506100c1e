"""B2: the sampled loop itself. Steps per second of the helper's loop against a naive
DataLoader port, and the batch-size trade-off with a constant normaliser.

The naive port is what a reader would write first: a TensorDataset of cells, a
shuffling DataLoader, ``SkipGramNS``, negatives drawn per batch, autograd and
``torch.optim.Adam``. Both run the gist's settings (batch 64, k = 20, Adam 1e-3,
per-batch normaliser). Then ``normalize="constant"`` runs with larger batches and
a learning rate decayed linearly to zero: the time each first reaches
L* + 1e-2 (its per-epoch clock, from the start of the call).
"""

import time

import numpy as np
import torch

from _common import environment, figure, finish, print_environment, target

import sgns_helpers as sh
from sgns_helpers.model import SkipGramNS

# batch size, learning rate, epochs (each a few seconds at most here)
CURVE = [(64, 1e-2, 200), (256, 3e-2, 300), (1024, 1e-1, 600), (4096, 3e-1, 400)]


def naive_loop(C, q, k, epochs, batch_size=64, lr=1e-3, seed=0):
    """The obvious port: DataLoader + autograd + torch.optim.Adam. Returns (seconds, steps)."""
    g = torch.Generator().manual_seed(seed)
    center, context = (torch.as_tensor(a) for a in np.nonzero(C))
    weight = torch.as_tensor(C[np.nonzero(C)], dtype=torch.float32)
    data = torch.utils.data.TensorDataset(center, context, weight)
    loader = torch.utils.data.DataLoader(data, batch_size=batch_size, shuffle=True, generator=g)
    model = SkipGramNS(C.shape[0], 2, generator=g)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    qt = torch.as_tensor(q, dtype=torch.float32)
    steps, t0 = 0, time.perf_counter()
    for _ in range(epochs):
        for cen, ctx, w in loader:
            negs = torch.multinomial(qt, cen.numel() * k, replacement=True, generator=g).view(-1, k)
            loss = (w * model(cen, ctx, negs)).sum() / w.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            steps += 1
    return time.perf_counter() - t0, steps


def main() -> dict:
    print_environment("B2 - the sampled loop: steps per second and the batch-size trade-off")
    torch.set_num_threads(1)  # what train_sgns does for the sampled loop: same footing
    sim = sh.simulate_cooccurrence(seed=0)
    C, k = sim.counts, 20
    q = sh.unigram_noise(C, power=0.75)
    L_star = sh.train_sgns(C, q, k=k, method="exact", n_restarts=3, init="svd", seed=5).objective
    naive_seconds, naive_steps = naive_loop(C, q, k, epochs=5)
    ours = sh.train_sgns(C, q, k=k, epochs=20, seed=0)
    our_steps = 20 * int(np.ceil(np.count_nonzero(C) / 64))
    naive_rate, our_rate = naive_steps / naive_seconds, our_steps / ours.seconds
    figure("naive DataLoader port: steps per second", naive_rate)
    figure("helper's loop: steps per second", our_rate)
    figure("speed-up of the helper's loop", our_rate / naive_rate, "x")
    curve = []
    for batch, lr, epochs in CURVE:
        r = sh.train_sgns(C, q, k=k, batch_size=batch, lr=lr, epochs=epochs, normalize="constant",
                          lr_schedule="linear", seed=0)
        hit = np.flatnonzero(r.objective_history <= L_star + 1e-2)
        t = float(r.time_history[hit[0]]) if hit.size else None
        curve.append({"batch_size": batch, "lr": lr, "epochs": epochs, "seconds_to_target": t,
                      "seconds": r.seconds, "final_objective": r.objective,
                      "objective_history": r.objective_history.tolist(), "time_history": r.time_history.tolist()})
        figure(f"batch {batch:>5d}, lr {lr:g}, {epochs} epochs: time to L*+1e-2",
               "not reached" if t is None else round(t, 3), "" if t is None else "s")
        figure(f"batch {batch:>5d}: final objective (L* = {L_star:.4f})", r.objective)
    # batch 64's time to target, or (not reached in the gist's 200 epochs) its whole run: a lower bound
    small = curve[0]["seconds_to_target"] or curve[0]["seconds"]
    best_large = min((c["seconds_to_target"] for c in curve[1:] if c["seconds_to_target"] is not None), default=None)
    figs = {"L_star": L_star, "naive_steps_per_second": naive_rate, "our_steps_per_second": our_rate,
            "speedup": our_rate / naive_rate, "curve": curve}
    ok_curve = best_large is not None and best_large <= small / 2
    targets = [
        target(f"helper's loop not slower than the naive port ({our_rate / naive_rate:.1f}x)", our_rate >= naive_rate),
        target("a larger batch reaches L*+1e-2 in <= half batch 64's time", ok_curve),
    ]
    return {"env": environment(), "figures": figs, "targets": targets}


if __name__ == "__main__":
    finish(main())
