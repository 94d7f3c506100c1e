"""Run benchmarks B1-B6, the seed sweeps and chapter 6's heavy ablation step (``make bench``).

Each benchmark runs in a fresh process (B4 twice, one per part), so that its
peak memory is its own and no thread pool or cache carries over; their figures
are collected in ``benchmarks/results.json``, which chapter 7 reads. Then every
``sweeps_*.py`` script runs (one process each) and writes its own
``sweeps_*.json``: the many-seed evidence behind the simulation chapters'
general claims; and ``ablation_ch6.py``, chapter 6's one fit too slow for the
page, writes ``ablation_ch6.json``. The book never reruns any of them; it reads the files and checks
that their configuration matches its own.
"""

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import environment

HERE = Path(__file__).resolve().parent
RUNS = [
    ("B1", ["b1_gist_vs_exact.py"]),
    ("B2", ["b2_sampled_loop.py"]),
    ("B3", ["b3_counts_vs_tokens.py"]),
    ("B4_sampled", ["b4_scale.py", "--part", "sampled"]),
    ("B4_exact", ["b4_scale.py", "--part", "exact"]),
    ("B5", ["b5_real_text.py"]),
    ("B6", ["b6_counts_scale.py"]),
]


def main() -> int:
    start = time.perf_counter()
    results = {"env": environment(), "benchmarks": {}}
    failed = []
    for name, args in RUNS:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out.json"
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, str(HERE / args[0]), *args[1:], "--json", str(out)], cwd=HERE)
            if proc.returncode != 0 or not out.exists():
                failed.append(name)
                print(f"   {name} did not finish (exit code {proc.returncode})")
                continue
            entry = json.loads(out.read_text())
            entry["wall_seconds"] = time.perf_counter() - t0
            results["benchmarks"][name] = entry
    results["total_seconds"] = time.perf_counter() - start
    (HERE / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    sweep_seconds = {}
    for script in sorted(HERE.glob("sweeps_*.py")) + [HERE / "ablation_ch6.py"]:
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, str(script)], cwd=HERE)
        sweep_seconds[script.stem] = time.perf_counter() - t0
        if proc.returncode != 0:
            failed.append(script.stem)
            print(f"   {script.stem} did not finish (exit code {proc.returncode})")
    print("\n== Summary")
    for name, entry in results["benchmarks"].items():
        for t in entry["targets"]:
            print(f"   {name:<11s} {t['text']:<66s} {'PASS' if t['pass'] else 'FAIL'}")
    for name, seconds in sweep_seconds.items():
        if name not in failed:
            print(f"   {name:<24s} {seconds:5.0f} s; figures in {HERE / (name + '.json')}")
    for name in failed:
        print(f"   {name:<11s} did not run to the end{'':<47s} FAIL")
    print(f"   all benchmarks: {results['total_seconds']:.0f} s; figures in {HERE / 'results.json'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
