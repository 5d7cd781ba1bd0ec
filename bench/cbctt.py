"""Benchmark the timetabling solver on the ITC-2007 Track 3 (CB-CTT) instances.

Usage (from the repository root):
    .venv/bin/python bench/cbctt.py                       # all 21, 300 s each
    .venv/bin/python bench/cbctt.py --quick               # comp01, comp05, comp12 at 60 s
    .venv/bin/python bench/cbctt.py --instances comp01,comp07 --time-limit 30 --seed 3

Data come from the `shared` folder beside the repository (override with OPENVET_SHARED).
Prints figures only; it asserts nothing about time.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from openvet.teaching.timetabling import load_ctt, solve  # noqa: E402

SHARED = Path(os.environ.get("OPENVET_SHARED", ROOT / ".." / "shared"))
DATA = SHARED / "benchmarks" / "cbctt"
ALL = [f"comp{n:02d}" for n in range(1, 22)]
QUICK = ["comp01", "comp05", "comp12"]


def best_known() -> dict[str, int]:
    with (DATA / "best_known.csv").open(encoding="utf-8") as handle:
        return {row["instance"]: int(row["best_known_ud2"]) for row in csv.DictReader(handle)}


def ratio(soft: int, best: int) -> str:
    return f"{soft / best:.2f}" if best else ("1.00" if soft == 0 else "inf")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=None, help="seconds per instance")
    parser.add_argument("--quick", action="store_true", help="comp01, comp05, comp12 at 60 s")
    parser.add_argument("--instances", default=None, help="comma-separated, e.g. comp01,comp07")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    names = args.instances.split(",") if args.instances else (QUICK if args.quick else ALL)
    limit = args.time_limit or (60.0 if args.quick else 300.0)
    known = best_known()
    print(f"time limit {limit:g} s per instance, seed {args.seed}")
    print(f"{'instance':<9} {'hard':>5} {'soft':>6} {'best':>6} {'ratio':>6} {'seconds':>8}")
    total_soft = total_best = feasible = 0
    for name in names:
        problem = load_ctt(DATA / "itc2007" / f"{name}.ctt")
        result = solve(problem, time_limit=limit, seed=args.seed)
        hard, soft = result.report.total_hard, result.report.total_soft
        best = known[name]
        total_soft += soft
        total_best += best
        feasible += hard == 0
        print(f"{name:<9} {hard:>5} {soft:>6} {best:>6} {ratio(soft, best):>6} "
              f"{result.seconds:>8.1f}", flush=True)  # fmt: skip
    print(f"{'total':<9} {'':>5} {total_soft:>6} {total_best:>6} "
          f"{ratio(total_soft, total_best):>6}   hard=0 on {feasible}/{len(names)}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
