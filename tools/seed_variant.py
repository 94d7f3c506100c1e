"""Write copies of the simulation chapters with another SEED in their `parameters` cell.

    python tools/seed_variant.py --seed 37 [--out _seed_check] [NOTEBOOK ...]

Each chapter that has a code cell tagged ``parameters`` holding ``SEED = 0`` is
copied to ``OUT/`` (a folder beside ``book/``, so the chapters' relative paths
still resolve) with that line set to the new seed; ``make nbval-seed`` then runs
the copies under nbval. A chapter whose parameters cell lacks ``SEED = 0`` is an
error, so the check cannot silently run the default seed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_LINE = re.compile(r"^SEED = 0\b", re.MULTILINE)


def parameters_cell(nb: dict) -> dict | None:
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            return cell
    return None


def with_seed(nb: dict, seed: int, name: str) -> dict:
    cell = parameters_cell(nb)
    source = "".join(cell["source"]) if cell else ""
    if not SEED_LINE.search(source):
        raise SystemExit(f"{name}: no `SEED = 0` line in a cell tagged `parameters`.")
    cell["source"] = SEED_LINE.sub(f"SEED = {seed}", source, count=1)
    return nb


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--out", default="_seed_check")
    parser.add_argument("notebooks", nargs="*", help="default: every chapter in book/ with a parameters cell")
    args = parser.parse_args(argv)
    paths = [Path(p) for p in args.notebooks] or sorted(
        p for p in (ROOT / "book").glob("*.ipynb") if parameters_cell(json.loads(p.read_text()))
    )
    out = ROOT / args.out
    out.mkdir(exist_ok=True)
    for old in out.glob("*.ipynb"):
        old.unlink()
    for path in paths:
        nb = with_seed(json.loads(path.read_text()), args.seed, path.name)
        (out / path.name).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
        print(f"{out.name}/{path.name}: SEED = {args.seed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
