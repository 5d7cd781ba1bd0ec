"""Automatic grading of the questions that have one right answer (ADR 0703).

Multiple choice earns partial credit: each right option chosen earns its share of the
points, each wrong option chosen takes one share away, never below zero (the rule most
Chinese exam systems call 少选得分、错选扣分). Matching earns one share per pair matched
right (ADR 0750). Short answers are graded by the teacher.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

AUTO_KINDS = frozenset({"single", "multiple", "true_false", "fill", "matching"})


def _as_set(value: Any) -> set[int]:
    if not isinstance(value, list):
        return set()
    return {v for v in value if isinstance(v, int) and not isinstance(v, bool)}


def normalise_text(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def auto_score(*, kind: str, answer: list[Any], response: list[Any], points: int) -> Decimal | None:
    """The score of ``response`` to a question of ``kind`` with the right ``answer``; None for
    kinds a teacher grades."""
    full = Decimal(points)
    if kind in ("single", "true_false"):
        return full if response and response == answer[:1] else Decimal(0)
    if kind == "multiple":
        right = _as_set(answer)
        chosen = _as_set(response)
        if not right:
            return Decimal(0)
        shares = len(chosen & right) - len(chosen - right)
        earned = full * Decimal(max(0, shares)) / Decimal(len(right))
        return earned.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if kind == "fill":
        given = normalise_text(response[0]) if response else ""
        accepted = {normalise_text(a) for a in answer}
        return full if given and given in accepted else Decimal(0)
    if kind == "matching":
        return matching_score(answer=answer, response=response, points=points)
    return None


def matching_score(*, answer: list[Any], response: list[Any], points: int) -> Decimal:
    """One share of ``points`` per left item given its right item; ``response[i]`` is the
    right item chosen for the i-th left item (compared ignoring case and spacing)."""
    if not answer:
        return Decimal(0)
    right = 0
    for index, expected in enumerate(answer):
        given = response[index] if index < len(response) else ""
        if isinstance(given, str) and given and normalise_text(given) == normalise_text(expected):
            right += 1
    earned = Decimal(points) * Decimal(right) / Decimal(len(answer))
    return earned.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
