"""Benchmark the timetabling solver on the ITC-2007 Track 3 (CB-CTT) instances.

Usage (from the repository root):
    .venv/bin/python bench/cbctt.py                       # all 21, 300 s each
    .venv/bin/python bench/cbctt.py --quick               # comp01, comp05, comp12 at 60 s
    .venv/bin/python bench/cbctt.py --instances comp01,comp07 --time-limit 30 --seed 3
    .venv/bin/python bench/cbctt.py --jobs 2 --time-limit 60      # two instances at once
    .venv/bin/python bench/cbctt.py --max-iterations 20000000     # same moves on any machine

With ``--max-iterations`` (and no time limit) the run is deterministic: the same seed gives
the same timetables whatever the machine's load, which is how two versions of the engine
are compared on a shared machine; time-limited runs confirm the result.

Data come from the `shared` folder beside the repository (override with OPENVET_SHARED).
Prints figures only; it asserts nothing about time.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from openvet.teaching.timetabling import load_ctt, solve  # noqa: E402

SHARED = Path(os.environ.get("OPENVET_SHARED", ROOT / ".." / "shared"))
DATA = SHARED / "benchmarks" / "cbctt"
ALL = [f"comp{n:02d}" for n in range(1, 22)]
QUICK = ["comp01", "comp05", "comp12"]


class Run(NamedTuple):
    name: str
    hard: int
    soft: int
    iterations: int
    seconds: float


def best_known() -> dict[str, int]:
    with (DATA / "best_known.csv").open(encoding="utf-8") as handle:
        return {row["instance"]: int(row["best_known_ud2"]) for row in csv.DictReader(handle)}


def ratio(soft: int, best: int) -> str:
    return f"{soft / best:.2f}" if best else ("1.00" if soft == 0 else "inf")


def run_one(name: str, limit: float | None, max_iterations: int | None, seed: int) -> Run:
    problem = load_ctt(DATA / "itc2007" / f"{name}.ctt")
    result = solve(problem, time_limit=limit, max_iterations=max_iterations, seed=seed)
    report = result.report
    return Run(name, report.total_hard, report.total_soft, result.iterations, result.seconds)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=None, help="seconds per instance")
    parser.add_argument("--max-iterations", type=int, default=None,
                        help="moves per instance; alone, a deterministic run")  # fmt: skip
    parser.add_argument("--quick", action="store_true", help="comp01, comp05, comp12 at 60 s")
    parser.add_argument("--instances", default=None, help="comma-separated, e.g. comp01,comp07")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=1, help="instances solved at once")
    args = parser.parse_args(argv)
    names = args.instances.split(",") if args.instances else (QUICK if args.quick else ALL)
    limit = args.time_limit
    if limit is None and args.max_iterations is None:
        limit = 60.0 if args.quick else 300.0
    known = best_known()
    budget = f"time limit {limit:g} s" if limit else "no time limit"
    if args.max_iterations:
        budget += f", {args.max_iterations:,} moves"
    print(f"{budget} per instance, seed {args.seed}, {args.jobs} at once, "
          f"load average {load_average()}")  # fmt: skip
    print(f"{'instance':<9} {'hard':>5} {'soft':>6} {'best':>6} {'ratio':>6} {'seconds':>8} "
          f"{'moves':>12}")  # fmt: skip
    total_soft = total_best = feasible = 0
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(run_one, n, limit, args.max_iterations, args.seed) for n in names]
        for future in futures:
            run = future.result()
            best = known[run.name]
            total_soft += run.soft
            total_best += best
            feasible += run.hard == 0
            print(f"{run.name:<9} {run.hard:>5} {run.soft:>6} {best:>6} "
                  f"{ratio(run.soft, best):>6} {run.seconds:>8.1f} {run.iterations:>12,}",
                  flush=True)  # fmt: skip
    print(f"{'total':<9} {'':>5} {total_soft:>6} {total_best:>6} "
          f"{ratio(total_soft, total_best):>6}   hard=0 on {feasible}/{len(names)}, "
          f"load average {load_average()}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
