"""Scoped reads of course selection.

Staff see the offerings, rounds and results of the subtrees where they hold
``teaching.view_term``; a student sees the offerings of their own school and their own
selections and preferences only.
"""

from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet

from openvet.core import policy
from openvet.core.errors import NotFound, PermissionDenied
from openvet.core.policy import Actor
from openvet.teaching.models import Term
from openvet.teaching.permissions import VIEW
from openvet.teaching.selection.models import Offering, Preference, Selection, SelectionRound
from openvet.teaching.students import student_for


def _student_or_none(actor: Actor) -> Any:
    try:
        return student_for(actor)
    except PermissionDenied:
        return None


def offering_list_for(*, actor: Actor, term: Term | None = None) -> QuerySet[Offering]:
    queryset = policy.scope(Offering.objects.all(), actor, VIEW)
    student = _student_or_none(actor)
    if student is not None and not queryset.query.is_empty():
        queryset = Offering.objects.filter(
            Q(pk__in=queryset.values("pk")) | Q(school_id=student.school_id)
        )
    elif student is not None:
        queryset = Offering.objects.filter(school_id=student.school_id)
    if term is not None:
        queryset = queryset.filter(term=term)
    return (
        queryset.select_related("task__course", "term")
        .prefetch_related("task__teachers", "eligible_majors")
        .order_by("task__course__code", "id")
    )


def offering_filter(
    queryset: QuerySet[Offering],
    *,
    text: str = "",
    weekday: int | None = None,
    credits: Decimal | None = None,
    with_seats: bool = False,
) -> QuerySet[Offering]:
    """Offerings whose course code or name or a teacher's name contains ``text``, meeting on
    ``weekday``, of ``credits``, with a seat left."""
    if text:
        queryset = queryset.filter(
            Q(task__course__name__icontains=text)
            | Q(task__course__code__icontains=text)
            | Q(task__teachers__full_name__icontains=text)
        )
    if weekday is not None:
        queryset = queryset.filter(task__entries__weekday=weekday)
    if credits is not None:
        queryset = queryset.filter(task__course__credits=credits)
    if with_seats:
        queryset = queryset.filter(taken__lt=F("capacity"))
    return queryset.distinct()


def offering_get_for(*, actor: Actor, offering_id: int) -> Offering:
    """One offering the actor may see; the student path costs a single query."""
    student = _student_or_none(actor)
    if student is not None:
        found = (
            Offering.objects.filter(pk=offering_id, school_id=student.school_id)
            .select_related("org")
            .first()
        )
        if found is not None:
            return found
    found = (
        policy.scope(Offering.objects.all(), actor, VIEW)
        .filter(pk=offering_id)
        .select_related("task__course", "term")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def selection_list_for(*, actor: Actor, term: Term | None = None) -> QuerySet[Selection]:
    student = _student_or_none(actor)
    if student is None:
        return Selection.objects.none()
    queryset = Selection.objects.filter(student=student)
    if term is not None:
        queryset = queryset.filter(term=term)
    return queryset.select_related("offering__task__course").order_by(
        "offering__task__course__code"
    )


def selection_get_for(*, actor: Actor, selection_id: int) -> Selection:
    student = _student_or_none(actor)
    found = None
    if student is not None:
        found = (
            Selection.objects.filter(pk=selection_id, student=student)
            .select_related("offering")
            .first()
        )
    if found is None:
        raise NotFound()
    return found


def round_list_for(*, actor: Actor, term: Term) -> QuerySet[SelectionRound]:
    """Rounds of a term the actor can see (the term selector scopes students and staff)."""
    return SelectionRound.objects.filter(term=term).order_by("opens_at", "id")


def round_get_for(*, actor: Actor, round_id: int) -> SelectionRound:
    from openvet.teaching.selectors import term_list_for

    found = (
        SelectionRound.objects.filter(pk=round_id, term__in=term_list_for(actor=actor))
        .select_related("term", "org")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def preferences_of(*, actor: Actor, selection_round: SelectionRound) -> list[Preference]:
    student = _student_or_none(actor)
    if student is None:
        return []
    return list(
        Preference.objects.filter(round=selection_round, student=student)
        .select_related("offering__task__course")
        .order_by("rank")
    )


def students_ranking(*, selection_round: SelectionRound) -> int:
    """How many students have ranked courses in the round."""
    return Preference.objects.filter(round=selection_round).values("student_id").distinct().count()


def round_results(*, selection_round: SelectionRound) -> list[dict[str, Any]]:
    """Per offering: capacity, seats taken, first choices and lottery winners."""
    rows: dict[int, dict[str, Any]] = {}
    prefs = Preference.objects.filter(round=selection_round).select_related(
        "offering__task__course"
    )
    for pref in prefs:
        row = rows.setdefault(
            pref.offering_id,
            {
                "offering": pref.offering,
                "first_choices": 0,
                "won": 0,
                "lost": 0,
            },
        )
        row["first_choices"] += int(pref.rank == 1)
        row["won"] += int(pref.outcome == "won")
        row["lost"] += int(pref.outcome == "lost")
    return sorted(rows.values(), key=lambda r: r["offering"].task.course.code)


def selections_of_offering(*, offering: Offering) -> QuerySet[Selection]:
    return offering.selections.select_related("student").order_by("student__student_number")
