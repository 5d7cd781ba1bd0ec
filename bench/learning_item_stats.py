"""Measure item statistics of a question bank (ADR 0752): difficulty and upper–lower 27%
discrimination over ``--papers`` graded papers of ``--paper-size`` questions each, drawn from
a bank of ``--bank`` questions (random papers, so each question is on some papers only).

Usage (from the repository root):
    .venv/bin/python bench/learning_item_stats.py [--papers 2000] [--bank 300] [--paper-size 30]

Pure computation (no database): the part of the statistics page that grows with the class.
Prints figures only; it asserts nothing about time. The last line sums it up.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from openvet.learning.item_stats import Paper, item_statistics  # noqa: E402


def build(papers: int, bank: int, size: int, rng: random.Random) -> list[Paper]:
    built = []
    for _ in range(papers):
        ability = rng.random()
        items = {}
        for qid in rng.sample(range(1, bank + 1), size):
            right = rng.random() < (ability + (qid % 10) / 20) / 1.5
            items[qid] = (Decimal(2 if right else 0), 2)
        earned = sum((e for e, _p in items.values()), Decimal(0))
        built.append(Paper(total_share=earned / (2 * size), items=items))
    return built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=2000)
    parser.add_argument("--bank", type=int, default=300)
    parser.add_argument("--paper-size", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(7)
    papers = build(args.papers, args.bank, args.paper_size, rng)
    ids = list(range(1, args.bank + 1))
    times = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        stats = item_statistics(papers, ids)
        times.append(time.perf_counter() - start)
    known = sum(1 for s in stats if s.discrimination is not None)
    print(f"papers={args.papers} bank={args.bank} paper_size={args.paper_size}")
    print(f"questions with a discrimination: {known} of {len(stats)}")
    print(f"median of {args.rounds} rounds: {statistics.median(times) * 1000:.1f} ms")
    print(
        f"item_stats_ms={statistics.median(times) * 1000:.1f} papers={args.papers} bank={args.bank}"
    )


if __name__ == "__main__":
    main()
