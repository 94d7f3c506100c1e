"""Run benchmarks B1-B4 (``make bench``) and collect their figures in ``benchmarks/results.json``.

Each benchmark runs in a fresh process (B4 twice, one per part), so that its
peak memory is its own and no thread pool or cache carries over. The results
file is what chapter 7 reads; the book never reruns the benchmarks.
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
    print("\n== Summary")
    for name, entry in results["benchmarks"].items():
        for t in entry["targets"]:
            print(f"   {name:<11s} {t['text']:<66s} {'PASS' if t['pass'] else 'FAIL'}")
    for name in failed:
        print(f"   {name:<11s} did not run to the end{'':<47s} FAIL")
    print(f"   all benchmarks: {results['total_seconds']:.0f} s; figures in {HERE / 'results.json'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
