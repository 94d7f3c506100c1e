"""Chapter 5's sweep: every per-seed measurement over many simulation seeds, and a local-minimum search.

    python benchmarks/sweeps_ch5.py [--seeds 20] [--lm-seeds 120] [--out benchmarks/sweeps_ch5.json]

For seeds 0 .. SEEDS-1 it runs ``sh.implicit_mf_measurements`` (rank sweep with
and without biases, the SVD ablation at k = 1 and 20, the knobs k, α, N and the
embedding scale for the rank-2 model with biases, the bias-free rank-2 and
rank-4 models and the best-form SVD). For seeds 0 .. LM_SEEDS-1 it runs
``sh.has_local_minimum`` (four starts of the rank-2 bias fit), so that chapter 5
can take the first seed >= its SEED that has two valleys. Writes the config,
the versions, every value per seed, and prints median and range of each.
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np
import threadpoolctl

from _common import ROOT, environment, print_environment

import sgns_helpers as sh
from sgns_helpers.mf_sweep import MF_CONFIG, has_local_minimum, implicit_mf_measurements


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20, help="simulation seeds 0 .. SEEDS-1 (default 20)")
    parser.add_argument("--lm-seeds", type=int, default=120, help="seeds searched for local minima (default 120)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "sweeps_ch5.json")
    args = parser.parse_args(argv)
    if args.seeds < 1 or args.lm_seeds < 1:
        parser.error("--seeds and --lm-seeds must be >= 1")
    print_environment(f"Chapter 5 sweep: {args.seeds} seeds, local-minimum search over {args.lm_seeds}")
    threadpoolctl.threadpool_limits(limits=1)
    t0 = time.perf_counter()
    per_seed = {}
    for seed in range(args.seeds):
        per_seed[seed] = dict(implicit_mf_measurements(seed).values)
        print(f"   seed {seed:3d} done ({time.perf_counter() - t0:.0f} s)", flush=True)
    lm = [seed for seed in range(args.lm_seeds) if has_local_minimum(seed)]
    print(f"   seeds with two valleys (4 starts): {lm} ({time.perf_counter() - t0:.0f} s)")
    keys = list(per_seed[0])
    values = {key: [per_seed[s][key] for s in range(args.seeds)] for key in keys}
    for key in keys:
        x = np.array(values[key], dtype=float)
        print(f"   {key:32s} median {np.nanmedian(x):9.4f}  range [{np.nanmin(x):.4f}, {np.nanmax(x):.4f}]")
    config = json.loads(json.dumps(dict(MF_CONFIG)))
    config.update(seeds=list(range(args.seeds)), lm_seeds=args.lm_seeds, lm_starts=4, lm_tol=0.01)
    result = {"config": config, "environment": environment(), "seconds": time.perf_counter() - t0,
              "values": values, "local_minimum_seeds": lm}
    args.out.write_text(json.dumps(result, indent=1, allow_nan=True) + "\n")
    print(f"   wrote {args.out}")
    return result


if __name__ == "__main__":
    main()
