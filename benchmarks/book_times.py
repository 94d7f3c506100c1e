"""How long each chapter takes to execute in the book build (``make bench-book``).

Builds the book into a temporary folder, so that every notebook executes
(the real ``_build`` is left alone), and reads the build log's
``Executing notebook`` / ``Executed notebook in X seconds`` lines. Prints the
time of each chapter, the total, and PASS/FAIL for the targets: every chapter
within 15 s, all of them within 60 s. A benchmark, not a test: the figures
depend on the machine and on its load.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import ROOT, figure, finish, print_environment, target

EACH_S, TOTAL_S = 15.0, 60.0
STARTED = re.compile(r"(book/[\w.-]+\.ipynb): Executing notebook")
DONE = re.compile(r"Executed notebook in ([0-9.]+) seconds")


def chapter_times(log: str) -> dict[str, float]:
    """Seconds per notebook, from a Jupyter Book build log (lines in build order)."""
    times, current = {}, None
    for line in log.splitlines():
        if m := STARTED.search(line):
            current = m.group(1)
        elif (m := DONE.search(line)) and current is not None:
            times[current] = float(m.group(1))
            current = None
    return times


def main() -> int:
    print_environment("Book execution time (jupyter-book build, every notebook executed)")
    jb = Path(sys.executable).with_name("jupyter-book")
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run([str(jb), "build", str(ROOT), "--path-output", tmp], cwd=ROOT,
                              capture_output=True, text=True)
    log = proc.stdout + proc.stderr
    load_after = os.getloadavg()[0]  # the build itself adds about 1; more means other jobs shared the cores
    times = chapter_times(log)
    if proc.returncode != 0 or not times:
        print(log[-3000:])
        print(f"   the build failed (exit code {proc.returncode}) or executed no notebook")
        return 1
    for name, seconds in times.items():
        figure(name, seconds, "s")
    total = sum(times.values())
    figure("all chapters", total, "s")
    figure("load average (1 min) after the build", round(load_after, 2))
    slowest = max(times, key=times.get)
    targets = [target(f"every chapter within {EACH_S:.0f} s (slowest: {Path(slowest).stem})", times[slowest] <= EACH_S),
               target(f"all chapters within {TOTAL_S:.0f} s", total <= TOTAL_S)]
    finish({"chapters": times, "total_seconds": total, "load_1min_after": load_after, "targets": targets})
    return 0


if __name__ == "__main__":
    sys.exit(main())
