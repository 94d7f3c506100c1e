"""Sweep for chapters 3 and 4: their comparisons over many simulation seeds.

    python benchmarks/sweeps_ch34.py [--seeds 100] [--train-seeds 100] [--out benchmarks/sweeps_ch34.json]

Chapter 4 (recovery: three exact fits per seed) runs over ``--seeds`` seeds and
chapter 3 (the gist's sampled loop for its full 200 epochs, the constant
normaliser, four exact fits) over ``--train-seeds`` seeds: by default every seed
of 0-99 that the chapters' ``SEED`` may take (measured: about seven minutes on
two cores in all). Each seed is measured by one
function of ``sgns_helpers.replicate``, the same one the chapters use for their
SEED. The json holds the configs, the versions, every seed's values and their
median, min and max; the chapters read it and check that its configs are theirs.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from _common import ROOT, environment

from sgns_helpers.replicate import RECOVERY_CONFIG, TRAINING_CONFIG, recovery_replicate, training_replicate


def summarise(rows: list[dict]) -> dict:
    """Median, min and max of every numeric field over the seeds."""
    keys = [key for key in rows[0] if key != "seed"]
    return {key: {"median": float(np.median([r[key] for r in rows])), "min": float(min(r[key] for r in rows)),
                  "max": float(max(r[key] for r in rows))} for key in keys}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=100, help="seeds 0..N-1 for chapter 4's recovery (>= 20)")
    parser.add_argument("--train-seeds", type=int, default=100, help="seeds 0..N-1 for chapter 3's training runs")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "sweeps_ch34.json"))
    args = parser.parse_args(argv)
    start = time.perf_counter()
    recovery = []
    for seed in range(args.seeds):
        scores, objectives = recovery_replicate(seed)
        recovery.append({"seed": seed, **scores.as_dict(), **{f"objective_{k}": v for k, v in objectives.items()}})
    training = [training_replicate(seed).as_dict() for seed in range(args.train_seeds)]
    result = {
        "env": environment(), "seconds": time.perf_counter() - start,
        "recovery": {"config": RECOVERY_CONFIG, "seeds": args.seeds, "summary": summarise(recovery), "per_seed": recovery},
        "training": {"config": TRAINING_CONFIG, "seeds": args.train_seeds, "summary": summarise(training),
                     "per_seed": training},
    }
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    for part in ("recovery", "training"):
        print(f"== {part} over {result[part]['seeds']} seeds: median [min, max]")
        for key, s in result[part]["summary"].items():
            print(f"   {key:<24s} {s['median']:10.4f}  [{s['min']:.4f}, {s['max']:.4f}]")
    print(f"   {result['seconds']:.0f} s; written to {args.out}")
    return result


if __name__ == "__main__":
    main()
