"""Credits a student holds in a selection round, and the round's credit limit (ADR 0308)."""

from decimal import Decimal
from typing import Any

from django.db.models import Sum

from openvet.teaching.models import TeachingTask
from openvet.teaching.selection import rules
from openvet.teaching.selection.models import Offering, Selection, SelectionRound


def credits_used(*, student: Any, selection_round: SelectionRound) -> Decimal:
    """The credits of the courses the student holds a seat in through the round."""
    total = Selection.objects.filter(student=student, round=selection_round).aggregate(
        total=Sum("offering__task__course__credits")
    )["total"]
    return Decimal(total or 0)


def credits_of(offering: Offering) -> Decimal:
    found = TeachingTask.objects.filter(pk=offering.task_id).values_list(
        "course__credits", flat=True
    )
    return Decimal(found[0])


def check_credit_cap(*, student: Any, offering: Offering, selection_round: SelectionRound) -> None:
    """``rules.check_credit_cap`` with facts read through the ORM (no query without a limit)."""
    if selection_round.max_credits_per_student is None:
        return
    rules.check_credit_cap(
        selection_round,
        credits=credits_of(offering),
        used=credits_used(student=student, selection_round=selection_round),
    )
