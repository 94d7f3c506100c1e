"""Sweep for chapters 1 and 2: the figures they state, over many simulation seeds.

    python benchmarks/sweeps_ch12.py [--seeds 200] [--out benchmarks/sweeps_ch12.json]

For each seed 0, 1, ..., seeds - 1 it draws the gist's simulation (n = 100, d = 2,
N = 200,000) and records ``sh.simulation_summary`` (the same function the
chapters call for their own SEED). The JSON holds the config, the versions, every
seed's figures and each figure's median and range; the chapters read it, check
the config against their own sizes and quote medians and ranges from it.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from _common import ROOT, environment

import sgns_helpers as sh

CONFIG = {"n_words": 100, "dim": 2, "n_pairs": 200_000, "high_dim": 10}


def sweep(n_seeds: int) -> dict:
    rows = [sh.simulation_summary(seed, CONFIG["n_words"], CONFIG["dim"], CONFIG["n_pairs"],
                                  high_dim=CONFIG["high_dim"]).as_dict() for seed in range(n_seeds)]
    per_seed = {key: [row[key] for row in rows] for key in rows[0]}
    summary = {}
    for key, values in per_seed.items():
        if key == "seed":
            continue
        arr = np.asarray(values, dtype=float)
        summary[key] = {"median": np.nanmedian(arr, axis=0).tolist(), "min": np.nanmin(arr, axis=0).tolist(),
                        "max": np.nanmax(arr, axis=0).tolist(), "n_nan": int(np.isnan(arr).any(axis=-1).sum()
                                                                          if arr.ndim > 1 else np.isnan(arr).sum())}
    return {"config": {**CONFIG, "seeds": n_seeds}, "per_seed": per_seed, "summary": summary}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200, help="number of seeds, 0 .. seeds-1 (default 200)")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "sweeps_ch12.json"))
    args = parser.parse_args(argv)
    if args.seeds < 20:
        parser.error(f"--seeds must be >= 20 (a sweep backs a general claim); got {args.seeds}")
    t0 = time.perf_counter()
    result = sweep(args.seeds)
    result["seconds"] = time.perf_counter() - t0
    result["environment"] = environment()
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    print(f"== sweeps_ch12: {args.seeds} seeds in {result['seconds']:.1f} s -> {args.out}")
    for key, s in result["summary"].items():
        med, lo, hi = (np.round(s[x], 4) for x in ("median", "min", "max"))
        print(f"   {key:<28s} median {med}  range [{lo}, {hi}]" + (f"  ({s['n_nan']} nan)" if s["n_nan"] else ""))
    per = result["per_seed"]
    print(f"   seeds with a center with no zero cell: {np.mean(np.array(per['centers_no_zero']) > 0):.1%}; "
          f"with a context with no zero cell: {np.mean(np.array(per['contexts_no_zero']) > 0):.1%}")
    print(f"   seeds with rho(zero-cell, unigram) > 0 at d = 2: {np.mean(np.array(per['rho_zero_unigram']) > 0):.1%}; "
          f"< 0 at d = {CONFIG['high_dim']}: {np.mean(np.array(per['rho_zero_unigram_high_dim']) < 0):.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
