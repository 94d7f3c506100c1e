"""Shared by the benchmark scripts: environment, PASS/FAIL lines, the results file.

Each script ``bN_*.py`` measures one thing in one run, prints its figures and
targets, and (with ``--json PATH``) writes them as JSON for ``run_all.py``,
which collects everything into ``benchmarks/results.json``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing


def environment() -> dict:
    """Versions, machine and date of this run."""
    import numpy
    import scipy
    import torch

    try:
        import gensim
        gensim_version = gensim.__version__
    except ImportError:  # B3 only
        gensim_version = None
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "torch": torch.__version__,
        "gensim": gensim_version,
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "cuda": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        "load_1min": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,  # other jobs slow timings
    }


def print_environment(title: str) -> None:
    env = environment()
    print(f"== {title}")
    print(f"   {env['date']}  python {env['python']}  numpy {env['numpy']}  scipy {env['scipy']}  "
          f"torch {env['torch']}  gensim {env['gensim']}")
    print(f"   {env['cpu']}, {env['cores']} cores, CUDA: {env['cuda'] or 'none'}")


def figure(name: str, value, unit: str = "") -> None:
    text = f"{value:.4g}" if isinstance(value, float) else str(value)
    print(f"   {name:<48s} {text} {unit}".rstrip())


def target(text: str, ok: bool) -> dict:
    print(f"   TARGET {text:<60s} {'PASS' if ok else 'FAIL'}")
    return {"text": text, "pass": bool(ok)}


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def finish(result: dict) -> None:
    """Write ``result`` to ``--json PATH`` if given."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--json")
    args, _ = parser.parse_known_args()
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1, default=float))
