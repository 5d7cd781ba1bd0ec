"""Teaching's requests in words, for the approval cards (``ProcessKind.describe``): a leave
request (who, from when to when, why), a grade sheet (the course, its classes, how many
grades, linked to the scores), a grade change (old → new, why) and a timetable adjustment.

Each function describes a whole page of cards of one kind with a fixed number of queries.
"""

from collections.abc import Sequence
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from openvet.teaching.attendance.models import LeaveRequest
from openvet.teaching.grades.models import ComponentKind, GradeChange, GradeSheet
from openvet.teaching.models import Adjustment, AdjustmentKind
from openvet.workflow.contracts import InstanceInfo, SubjectDescription, SubjectFact


def _subjects(infos: Sequence[InstanceInfo]) -> dict[int, int]:
    """Subject id → instance id."""
    return {int(info.subject_id): info.id for info in infos if info.subject_id.isdigit()}


def _student(student: Any) -> SubjectFact:
    return SubjectFact(label=_("Student"), value=f"{student.name} ({student.student_number})")


def describe_leaves(infos: Sequence[InstanceInfo]) -> dict[int, SubjectDescription]:
    by_pk = _subjects(infos)
    result: dict[int, SubjectDescription] = {}
    for leave in LeaveRequest.objects.filter(pk__in=by_pk).select_related("student"):
        days = (leave.date_to - leave.date_from).days + 1
        period = ngettext(
            "%(start)s to %(end)s (%(days)s day)",
            "%(start)s to %(end)s (%(days)s days)",
            days,
        ) % {"start": leave.date_from.isoformat(), "end": leave.date_to.isoformat(), "days": days}
        result[by_pk[leave.pk]] = SubjectDescription(
            what=gettext_lazy("Leave request"),
            reason=leave.reason,
            facts=(_student(leave.student), SubjectFact(label=_("Dates"), value=period)),
        )
    return result


def describe_grade_sheets(infos: Sequence[InstanceInfo]) -> dict[int, SubjectDescription]:
    by_pk = _subjects(infos)
    sheets = (
        GradeSheet.objects.filter(pk__in=by_pk)
        .select_related("task__course")
        .prefetch_related("task__classes")
        .annotate(graded=Count("grades__student", distinct=True))
    )
    return {
        by_pk[sheet.pk]: SubjectDescription(
            what=gettext_lazy("Grade sheet approval"),
            facts=(
                SubjectFact(label=_("Course"), value=sheet.task.course.name),
                SubjectFact(
                    label=_("Classes"),
                    value=", ".join(c.name for c in sheet.task.classes.all()),
                ),
                SubjectFact(label=_("Students graded"), value=str(sheet.graded)),
            ),
            url=reverse("teaching:sheet-detail", args=[sheet.pk]),
        )
        for sheet in sheets
    }


def _scores(scores: dict[str, Any]) -> str:
    """Scores by component name in its order (coursework, midterm, final...); "total" for a
    make-up attempt's single total."""
    labels = {**dict(ComponentKind.choices), "total": _("Total")}
    order = [*ComponentKind.values, "total"]
    keys = sorted(scores, key=lambda key: order.index(key) if key in order else len(order))
    return ", ".join(f"{labels.get(key, key)} {scores[key]}" for key in keys) or "—"


def describe_grade_changes(infos: Sequence[InstanceInfo]) -> dict[int, SubjectDescription]:
    by_pk = _subjects(infos)
    # Only what the card says: the student's other columns (encrypted ones among them) stay
    # unread.
    changes = (
        GradeChange.objects.filter(pk__in=by_pk)
        .select_related("grade__student", "grade__sheet__task__course")
        .only(
            "reason",
            "old_scores",
            "new_scores",
            "grade__student__name",
            "grade__student__student_number",
            "grade__sheet__task__course__name",
        )
    )
    return {
        by_pk[change.pk]: SubjectDescription(
            what=gettext_lazy("Grade change"),
            reason=change.reason,
            facts=(
                SubjectFact(label=_("Course"), value=change.grade.sheet.task.course.name),
                _student(change.grade.student),
                SubjectFact(
                    label=_("Scores"),
                    value=f"{_scores(change.old_scores)} → {_scores(change.new_scores)}",
                ),
            ),
            url=reverse("teaching:sheet-detail", args=[change.grade.sheet_id]),
        )
        for change in changes
    }


def _lecture(day: Any, period: int | None) -> str:
    if day is None:
        return "—"
    if period is None:
        return str(day.isoformat())
    return _("%(date)s, period %(period)s") % {"date": day.isoformat(), "period": period}


def describe_adjustments(infos: Sequence[InstanceInfo]) -> dict[int, SubjectDescription]:
    by_pk = _subjects(infos)
    adjustments = Adjustment.objects.filter(pk__in=by_pk).select_related("task__course", "new_room")
    result: dict[int, SubjectDescription] = {}
    for adjustment in adjustments:
        before = _lecture(adjustment.original_date, adjustment.original_period_start)
        after = _lecture(adjustment.new_date, adjustment.new_period_start)
        # A cancelled lecture has no new time, a make-up lecture no old one.
        lecture = {
            str(AdjustmentKind.CANCEL): before,
            str(AdjustmentKind.MAKEUP): after,
        }.get(adjustment.kind, f"{before} → {after}")
        facts = [
            SubjectFact(label=_("Course"), value=adjustment.task.course.name),
            SubjectFact(label=_("Lecture"), value=lecture),
        ]
        if adjustment.new_room is not None:
            facts.append(SubjectFact(label=_("Room"), value=str(adjustment.new_room)))
        result[by_pk[adjustment.pk]] = SubjectDescription(
            what=adjustment.get_kind_display(),
            reason=adjustment.reason,
            facts=tuple(facts),
            url=reverse("teaching:adjustment-list", args=[adjustment.term_id]),
        )
    return result
