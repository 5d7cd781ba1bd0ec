"""Experience points (经验值) and the usual-performance grade (平时成绩) (ADR 0730, 0732).

Every activity of a course earns points with the weights its teacher sets (``PointWeights``):
a completed unit (text, document, image, link, package), the share of a video the server
credited, the best score's share of a quiz, a checkpoint question answered right, an answer
in a live class. Points are computed on read from the stored evidence, never kept.

The usual-performance score maps points to 0-100 by one stated rule: the points earned over
the points the course offers so far (every activity at its full weight), times 100, rounded
half up to one decimal (the grade sheet keeps one decimal). A teacher previews the scores
and applies them to the 平时成绩 component of the task's grade sheet while it is being
entered; once the sheet is submitted or locked the points are refused (the grades module's
own rule), and each apply is audited.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.core.policy import Actor
from openvet.learning import permissions as perms
from openvet.learning.evidence_models import Checkpoint, CheckpointAnswer, PointWeights
from openvet.learning.live.models import LiveAnswer, LiveQuestion
from openvet.learning.models import (
    Attempt,
    OnlineCourse,
    Progress,
    Unit,
    UnitKind,
)
from openvet.learning.selectors import course_learners
from openvet.teaching.grades import selectors as grade_selectors
from openvet.teaching.grades import services as grade_services
from openvet.teaching.grades.models import ComponentKind, SheetStatus

KINDS = ("unit", "video", "quiz", "checkpoint", "live")
WEIGHT_MAX = 100
TENTH = Decimal("0.1")


class SheetClosed(Conflict):
    code = "sheet_closed"
    default_message = gettext_lazy(
        "The grade sheet has been submitted: points can no longer be applied to it. "
        "Request a grade change on the grade sheet instead."
    )


class NoUsualComponent(Conflict):
    code = "no_usual_component"
    default_message = gettext_lazy(
        "The grade sheet has no coursework (平时成绩) component: add it to the sheet's weights "
        "first."
    )


def _tenth(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def usual_score(earned: Decimal, possible: Decimal) -> Decimal:
    """The stated rule: earned / possible x 100, at most 100, one decimal (0 when the course
    offers no points yet)."""
    if possible <= 0:
        return Decimal("0.0")
    return _tenth(min(Decimal(100), earned * 100 / possible))


def weights_of(course: OnlineCourse) -> PointWeights:
    """The course's weights, or the defaults (unsaved) when its teacher never set them."""
    found = PointWeights.objects.filter(course=course).first()
    return found if found is not None else PointWeights(course=course)


@dataclass
class PointsRow:
    student: Any  # records.Student
    user_id: int
    earned: dict[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return _tenth(sum(self.earned.values(), Decimal(0)))

    def by_kind(self) -> list[Decimal]:
        return [_tenth(self.earned.get(k, Decimal(0))) for k in KINDS]


@dataclass
class PointsTable:
    weights: PointWeights
    counts: dict[str, int]  # activities the course offers, by kind
    rows: list[PointsRow]

    @property
    def possible_by_kind(self) -> dict[str, Decimal]:
        return {k: Decimal(self.counts[k] * getattr(self.weights, k)) for k in KINDS}

    @property
    def possible(self) -> Decimal:
        return sum(self.possible_by_kind.values(), Decimal(0))

    def usual_of(self, row: PointsRow) -> Decimal:
        return usual_score(row.total, self.possible)

    def lines(self) -> list[dict[str, Any]]:
        """Rows for a page: the student, points by kind, total and usual score."""
        return [
            {
                "row": row,
                "student": row.student,
                "by_kind": row.by_kind(),
                "total": row.total,
                "usual": self.usual_of(row),
            }
            for row in self.rows
        ]


def _ratio(part: float | Decimal, whole: float | Decimal) -> Decimal:
    if whole <= 0:
        return Decimal(1)
    return min(Decimal(1), Decimal(str(part)) / Decimal(str(whole)))


def course_points(
    course: OnlineCourse, *, only_user_id: int | None = None, roster_only: bool = False
) -> PointsTable:
    """Points of the course's learners (the task's roster, then the learners who enrolled
    themselves unless ``roster_only``: the grade sheet is the roster's), or of one learner."""
    weights = weights_of(course)
    students = [s for s in course_learners(course, roster_only=roster_only) if s.user_id]
    if only_user_id is not None:
        students = [s for s in students if s.user_id == only_user_id]
    user_ids = [s.user_id for s in students]
    units = list(Unit.objects.filter(course=course).only("id", "kind", "duration_seconds"))
    by_id = {u.pk: u for u in units}
    plain = {u.pk for u in units if u.kind not in (UnitKind.VIDEO, UnitKind.QUIZ)}
    checkpoints = Checkpoint.objects.filter(unit__course=course).count()
    live_questions = LiveQuestion.objects.filter(session__course=course).count()
    counts = {
        "unit": len(plain),
        "video": sum(1 for u in units if u.kind == UnitKind.VIDEO),
        "quiz": sum(1 for u in units if u.kind == UnitKind.QUIZ),
        "checkpoint": checkpoints,
        "live": live_questions,
    }
    earned: dict[int, dict[str, Decimal]] = {
        uid: dict.fromkeys(KINDS, Decimal(0)) for uid in user_ids
    }
    progress = Progress.objects.filter(unit__course=course, user_id__in=user_ids).values_list(
        "user_id", "unit_id", "completed_at", "watched_seconds"
    )
    for user_id, unit_id, completed_at, watched_seconds in progress:
        unit = by_id.get(unit_id)
        if unit is None:
            continue
        if unit_id in plain and completed_at is not None:
            earned[user_id]["unit"] += weights.unit
        elif unit.kind == UnitKind.VIDEO:
            share = _ratio(watched_seconds, unit.duration_seconds)
            earned[user_id]["video"] += share * weights.video
    best = (
        Attempt.objects.filter(
            unit__course=course,
            user_id__in=user_ids,
            submitted_at__isnull=False,
            needs_grading=False,
        )
        .values("user_id", "unit_id", "max_score")
        .annotate(best=Max("score"))
    )
    for row in best:
        score = row["best"] or Decimal(0)
        earned[row["user_id"]]["quiz"] += _ratio(score, row["max_score"]) * weights.quiz
    right = (
        CheckpointAnswer.objects.filter(
            checkpoint__unit__course=course, user_id__in=user_ids, correct=True
        )
        .values("user_id")
        .annotate(n=Count("id"))
    )
    for row in right:
        earned[row["user_id"]]["checkpoint"] += row["n"] * weights.checkpoint
    live = (
        LiveAnswer.objects.filter(question__session__course=course, user_id__in=user_ids)
        .values("user_id")
        .annotate(n=Count("id"))
    )
    for row in live:
        earned[row["user_id"]]["live"] += row["n"] * weights.live
    rows = [PointsRow(student=s, user_id=s.user_id, earned=earned[s.user_id]) for s in students]
    return PointsTable(weights=weights, counts=counts, rows=rows)


# The grade sheet -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetView:
    """What the points page shows of the task's grade sheet."""

    sheet: Any  # teaching GradeSheet or None when not opened yet
    open: bool  # points may be applied
    has_usual: bool
    current: dict[int, str]  # student id -> the usual score on the sheet now


def sheet_view(*, actor: Actor, course: OnlineCourse) -> SheetView:
    sheet = grade_selectors.sheet_list_for(actor=actor).filter(task=course.task).first()
    if sheet is None:
        return SheetView(sheet=None, open=True, has_usual=True, current={})
    kinds = set(sheet.components.values_list("kind", flat=True))
    current = {
        g.student_id: str(g.scores.get(ComponentKind.USUAL, ""))
        for g in grade_selectors.sheet_grades(sheet)
        if g.attempt == "regular"
    }
    return SheetView(
        sheet=sheet,
        open=sheet.status == SheetStatus.DRAFT,
        has_usual=ComponentKind.USUAL in kinds,
        current=current,
    )


def _teacher_ids(course: OnlineCourse) -> set[int]:
    return set(course.task.teachers.values_list("pk", flat=True))


def weights_set(*, actor: Actor, course: OnlineCourse, values: dict[str, int]) -> PointWeights:
    """A teacher of the course sets the points of each kind of activity (0-100 each)."""
    if not perms.can_build_course(actor, _teacher_ids(course)):
        raise PermissionDenied()
    errors: dict[str, str] = {}
    clean: dict[str, int] = {}
    for kind in KINDS:
        try:
            value = int(values.get(kind, 0))
        except (TypeError, ValueError):
            value = -1
        if not 0 <= value <= WEIGHT_MAX:
            errors[kind] = _("Enter whole points from 0 to %(max)s.") % {"max": WEIGHT_MAX}
        clean[kind] = value
    if errors:
        raise ValidationFailed(details=errors)
    with transaction.atomic():
        weights, _created = PointWeights.objects.select_for_update().get_or_create(course=course)
        before = {k: getattr(weights, k) for k in KINDS}
        for kind, value in clean.items():
            setattr(weights, kind, value)
        weights.save()
        audit_record(
            action=AuditAction.UPDATE,
            obj=weights,
            org=course.org,
            actor=actor,
            changes={"weights": [before, clean]},
            object_label=course.title,
        )
    return weights


def points_apply(*, actor: Actor, course: OnlineCourse) -> int:
    """Write every learner's usual-performance score into the 平时成绩 component of the task's
    grade sheet (opening the sheet if needed), through the grades module's own service;
    refused once the sheet is submitted or locked. Returns the number of students written."""
    if not perms.can_grade(actor, _teacher_ids(course)):
        raise PermissionDenied()
    with transaction.atomic():
        sheet = grade_services.sheet_open(actor=actor, task=course.task)
        if sheet.status != SheetStatus.DRAFT:
            raise SheetClosed()
        if not sheet.components.filter(kind=ComponentKind.USUAL).exists():
            raise NoUsualComponent()
        table = course_points(course, roster_only=True)
        scores = {row.student.pk: table.usual_of(row) for row in table.rows}
        if not scores:
            raise ValidationFailed(_("The course has no students to give points to."))
        written = grade_services.grades_enter(
            actor=actor,
            sheet=sheet,
            rows={pk: {ComponentKind.USUAL: str(score)} for pk, score in scores.items()},
        )
        audit_record(
            action=AuditAction.UPDATE,
            obj=course,
            org=course.org,
            actor=actor,
            changes={
                "usual_from_points": [
                    None,
                    {
                        "sheet": sheet.pk,
                        "possible": str(table.possible),
                        "scores": {str(k): str(v) for k, v in scores.items()},
                    },
                ]
            },
            object_label=course.title,
        )
    return written
