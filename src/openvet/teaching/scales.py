"""Score arithmetic, free of the database: weighted totals, five levels, grade points.

Five levels (优秀/良好/中等/及格/不及格) count as 95/85/75/65/40 points in a weighted total.
Grade points use the common 4-point bands: 90-100 -> 4, 80-89 -> 3, 70-79 -> 2, 60-69 -> 1,
below 60 -> 0. A passed make-up exam (补考) counts as 60, as is usual in Chinese colleges.
"""

from decimal import ROUND_HALF_UP, Decimal

LEVEL_POINTS = {"excellent": 95, "good": 85, "medium": 75, "pass": 65, "fail": 40}
PASS_MARK = Decimal(60)


def level_of(total: Decimal) -> str:
    if total >= 90:
        return "excellent"
    if total >= 80:
        return "good"
    if total >= 70:
        return "medium"
    if total >= 60:
        return "pass"
    return "fail"


def weighted_total(scores: dict[str, Decimal], weights: dict[str, int]) -> Decimal:
    raw = sum((scores[kind] * weight for kind, weight in weights.items()), Decimal(0)) / 100
    return raw.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def grade_point(score: Decimal) -> Decimal:
    if score < PASS_MARK:
        return Decimal(0)
    return Decimal(min(4, int(score // 10) - 5))


def effective_score(attempt: str, total: Decimal) -> Decimal:
    if attempt == "makeup" and total >= PASS_MARK:
        return PASS_MARK
    return total
