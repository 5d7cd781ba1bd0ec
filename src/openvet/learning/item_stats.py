"""Item statistics of a question bank (ADR 0752), pure.

- Difficulty (难度, P): the mean share of the points earned on the question; for a question
  scored right or wrong this is the share of learners who got it right. High is easy.
- Discrimination (区分度, D), upper–lower 27% groups (Kelley's method): rank the papers by
  their share of the total points, take the top 27% and the bottom 27% (at least one paper
  each), and subtract the lower group's difficulty on the question from the upper group's.
  D ranges from -1 to 1; 0.4 and above is usually read as very good, below 0.2 as poor.

A question is counted only on papers that held it (random papers differ), so groups that
did not meet the question leave its discrimination unknown.
"""

from dataclasses import dataclass
from decimal import Decimal

GROUP_SHARE = Decimal("0.27")


@dataclass(frozen=True)
class Paper:
    """One graded paper: its share of the total points and, per question, (earned, points)."""

    total_share: Decimal
    items: dict[int, tuple[Decimal, int]]


@dataclass(frozen=True)
class ItemStat:
    question_id: int
    answered: int
    difficulty: Decimal | None
    discrimination: Decimal | None


def _share_sums(papers: list[Paper]) -> dict[int, tuple[Decimal, int]]:
    """Per question: the sum of the shares of the points earned, and on how many papers."""
    sums: dict[int, tuple[Decimal, int]] = {}
    for paper in papers:
        for qid, (earned, points) in paper.items.items():
            if points > 0:
                total, count = sums.get(qid, (Decimal(0), 0))
                sums[qid] = (total + earned / Decimal(points), count + 1)
    return sums


def _mean(sums: dict[int, tuple[Decimal, int]], question_id: int) -> Decimal | None:
    total, count = sums.get(question_id, (Decimal(0), 0))
    return total / Decimal(count) if count else None


def group_size(count: int) -> int:
    """27% of ``count`` papers, rounded half up, at least one."""
    size = int((Decimal(count) * GROUP_SHARE).to_integral_value(rounding="ROUND_HALF_UP"))
    return max(1, size)


def item_statistics(papers: list[Paper], question_ids: list[int]) -> list[ItemStat]:
    ranked = sorted(papers, key=lambda p: p.total_share, reverse=True)
    size = group_size(len(ranked))
    every, upper, lower = (
        _share_sums(ranked),
        _share_sums(ranked[:size]),
        _share_sums(ranked[-size:]),
    )
    stats = []
    two = Decimal("0.01")
    for qid in question_ids:
        difficulty = _mean(every, qid)
        discrimination = None
        if len(ranked) >= 2:
            high, low = _mean(upper, qid), _mean(lower, qid)
            if high is not None and low is not None:
                discrimination = (high - low).quantize(two)
        stats.append(
            ItemStat(
                question_id=qid,
                answered=every.get(qid, (Decimal(0), 0))[1],
                difficulty=difficulty.quantize(two) if difficulty is not None else None,
                discrimination=discrimination,
            )
        )
    return stats
