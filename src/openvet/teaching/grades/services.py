"""Writes of grades: components, entry (form and Excel), submission and locking through the
department's approval, make-up and retake attempts, approved changes after locking.

Every batch validates every row first and writes all or nothing.
"""

from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.core.policy import Actor
from openvet.core.uploads import MB, SheetLimits, UploadLimits, read_first_sheet
from openvet.teaching import scales
from openvet.teaching.capabilities import MANAGE_GRADES
from openvet.teaching.grades.models import (
    Attempt,
    ChangeStatus,
    ComponentKind,
    Grade,
    GradeChange,
    GradeComponent,
    GradeSheet,
    Scale,
    SheetStatus,
)
from openvet.teaching.learning_events import record_learning_event
from openvet.teaching.models import TeachingTask
from openvet.teaching.students import task_roster

SHEET_PROCESS = "teaching.grade_sheet"
CHANGE_PROCESS = "teaching.grade_change"
DEFAULT_WEIGHTS = {ComponentKind.USUAL: 30, ComponentKind.FINAL: 70}


def can_enter(actor: Actor, task: TeachingTask) -> bool:
    from openvet.core import policy

    if task.teachers.filter(pk=getattr(actor, "pk", None)).exists():
        return True
    return policy.has_capability(actor, MANAGE_GRADES, task.org)


def _require_enter(actor: Actor, task: TeachingTask) -> None:
    if not can_enter(actor, task):
        raise PermissionDenied()


def _refuse_locked(sheet: GradeSheet) -> None:
    if sheet.status == SheetStatus.LOCKED:
        raise Conflict(
            _("The grades of this course are locked; request a change instead."), code="locked"
        )
    if sheet.status == SheetStatus.SUBMITTED:
        raise Conflict(
            _("The grades of this course await approval and cannot be edited."), code="submitted"
        )


@transaction.atomic
def sheet_open(*, actor: Actor, task: TeachingTask, scale: str = Scale.HUNDRED) -> GradeSheet:
    """The grade sheet of a task, created with default weights on first use."""
    _require_enter(actor, task)
    sheet, created = GradeSheet.objects.get_or_create(
        task=task, defaults={"org": task.org, "scale": scale}
    )
    if created:
        GradeComponent.objects.bulk_create(
            GradeComponent(sheet=sheet, kind=k, weight=w) for k, w in DEFAULT_WEIGHTS.items()
        )
        audit_record(
            action=AuditAction.CREATE,
            obj=sheet,
            org=task.org,
            actor=actor,
            changes={"scale": [None, scale]},
        )
    return sheet


@transaction.atomic
def components_set(
    *, actor: Actor, sheet: GradeSheet, weights: dict[str, int], scale: str | None = None
) -> GradeSheet:
    _require_enter(actor, sheet.task)
    _refuse_locked(sheet)
    errors: dict[str, str] = {}
    chosen = {k: int(w) for k, w in weights.items() if int(w) > 0}
    if set(chosen) - set(ComponentKind.values):
        errors["weights"] = _("Unknown grade component.")
    elif sum(chosen.values()) != 100:
        errors["weights"] = _("The weights must add up to 100.")
    if scale is not None and scale not in Scale.values:
        errors["scale"] = _("Choose a scale.")
    if errors:
        raise ValidationFailed(details=errors)
    if sheet.grades.exists() and set(chosen) != set(_weights(sheet)):
        raise Conflict(_("Grades have been entered; keep the same components."))
    before = _weights(sheet)
    sheet.components.all().delete()
    GradeComponent.objects.bulk_create(
        GradeComponent(sheet=sheet, kind=k, weight=w) for k, w in chosen.items()
    )
    if scale is not None:
        sheet.scale = scale
        sheet.save(update_fields=["scale"])
    for grade in sheet.grades.filter(attempt=Attempt.REGULAR):
        _compute(sheet, grade, chosen)
        grade.save(update_fields=["total", "level", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE,
        obj=sheet,
        org=sheet.org,
        actor=actor,
        changes={"weights": [before, chosen]},
    )
    return sheet


def _weights(sheet: GradeSheet) -> dict[str, int]:
    return {c.kind: c.weight for c in sheet.components.all()}


def _compute(sheet: GradeSheet, grade: Grade, weights: dict[str, int]) -> None:
    scores = {k: Decimal(str(v)) for k, v in grade.scores.items()}
    if all(k in scores for k in weights):
        grade.total = scales.weighted_total(scores, weights)
        grade.level = scales.level_of(grade.total) if sheet.scale == Scale.FIVE_LEVEL else ""
    else:
        grade.total, grade.level = None, ""


def parse_score(value: Any, scale: str) -> Decimal:
    """A score 0-100 (or a level on the five-level scale); ValueError with a message."""
    if isinstance(value, str) and value.strip().lower() in scales.LEVEL_POINTS:
        if scale != Scale.FIVE_LEVEL:
            raise ValueError(_("Enter a score from 0 to 100."))
        return Decimal(scales.LEVEL_POINTS[value.strip().lower()])
    try:
        score = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(_("Enter a score from 0 to 100.")) from exc
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        raise ValueError(_("Enter a score from 0 to 100."))
    return score.quantize(Decimal("0.1"))


def _validate_rows(
    sheet: GradeSheet,
    rows: dict[int, dict[str, Any]],
    roster_ids: set[int],
    weights: dict[str, int],
) -> dict[int, dict[str, str]]:
    errors: dict[str, str] = {}
    parsed: dict[int, dict[str, str]] = {}
    for student_id, values in rows.items():
        if student_id not in roster_ids:
            errors[f"student_{student_id}"] = _("This student is not on the roster of the course.")
            continue
        parsed[student_id] = {}
        for kind, value in values.items():
            if value in (None, ""):
                continue
            if kind not in weights:
                errors[f"{student_id}_{kind}"] = _("Unknown grade component.")
                continue
            try:
                parsed[student_id][kind] = str(parse_score(value, sheet.scale))
            except ValueError as exc:
                errors[f"{student_id}_{kind}"] = str(exc)
    if errors:
        raise ValidationFailed(_("Some grades are not valid; nothing was saved."), details=errors)
    return parsed


@transaction.atomic
def grades_enter(*, actor: Actor, sheet: GradeSheet, rows: dict[int, dict[str, Any]]) -> int:
    """Enter component scores ``{student_id: {kind: score}}``; all valid or nothing saved."""
    _require_enter(actor, sheet.task)
    sheet = GradeSheet.objects.select_for_update().get(pk=sheet.pk)
    _refuse_locked(sheet)
    weights = _weights(sheet)
    accounts = {s.pk: s.user_id for s in task_roster(sheet.task)}
    roster_ids = set(accounts)
    parsed = _validate_rows(sheet, rows, roster_ids, weights)
    for student_id, scores in parsed.items():
        grade, _created = Grade.objects.get_or_create(
            sheet=sheet, student_id=student_id, attempt=Attempt.REGULAR
        )
        grade.scores = {**grade.scores, **scores}
        _compute(sheet, grade, weights)
        grade.save()
        record_learning_event(
            user_id=accounts.get(student_id),
            verb="scored",
            object_type="teaching.grade",
            object_id=grade.pk,
            result={"total": str(grade.total)},
        )
    audit_record(
        action=AuditAction.UPDATE,
        obj=sheet,
        org=sheet.org,
        actor=actor,
        changes={"grades": [None, {str(k): v for k, v in parsed.items()}]},
    )
    return len(parsed)


# A grade sheet holds one class: a few hundred rows of a dozen columns.
GRADE_UPLOAD = UploadLimits(max_bytes=5 * MB, max_member_bytes=50 * MB, max_total_bytes=60 * MB)
GRADE_SHEET = SheetLimits(max_rows=10_000, max_columns=64, max_cells=200_000)


def header_labels() -> dict[str, str]:
    """Column header -> component kind, in English and in the active language."""
    labels = {kind: kind for kind in ComponentKind.values}
    labels.update({str(label).strip().lower(): kind for kind, label in ComponentKind.choices})
    return labels


@transaction.atomic
def grades_import(*, actor: Actor, sheet: GradeSheet, upload: IO[bytes]) -> int:
    """Import an .xlsx sheet: first column the student number, then one column per component.

    Unknown student numbers are refused with their row numbers; nothing partial is written.
    """
    _require_enter(actor, sheet.task)
    _refuse_locked(sheet)
    rows = read_first_sheet(upload, limits=GRADE_UPLOAD, sheet_limits=GRADE_SHEET)
    if not rows:
        raise ValidationFailed(details={"file": _("The sheet is empty.")})
    labels = header_labels()
    columns = {i: labels.get(str(h or "").strip().lower()) for i, h in enumerate(rows[0])}
    by_number = {s.student_number: s.pk for s in task_roster(sheet.task)}
    unknown: list[str] = []
    entered: dict[int, dict[str, Any]] = {}
    for row_number, row in enumerate(rows[1:], start=2):
        number = str(row[0] or "").strip() if row else ""
        if not number:
            continue
        if number not in by_number:
            unknown.append(str(row_number))
            continue
        entered[by_number[number]] = {
            kind: row[i] for i, kind in columns.items() if kind and i < len(row)
        }
    if unknown:
        message = _("Unknown student numbers in rows %(rows)s; nothing was imported.") % {
            "rows": ", ".join(unknown)
        }
        raise ValidationFailed(message, details={"file": message})
    return grades_enter(actor=actor, sheet=sheet, rows=entered)


@transaction.atomic
def sheet_submit(*, actor: Actor, sheet: GradeSheet) -> GradeSheet:
    _require_enter(actor, sheet.task)
    sheet = GradeSheet.objects.select_for_update().get(pk=sheet.pk)
    _refuse_locked(sheet)
    accounts = {s.pk: s.user_id for s in task_roster(sheet.task)}
    roster_ids = set(accounts)
    done = set(
        sheet.grades.filter(attempt=Attempt.REGULAR, total__isnull=False).values_list(
            "student_id", flat=True
        )
    )
    if roster_ids - done:
        raise ValidationFailed(
            _("Enter every component for all %(n)s students before submitting.")
            % {"n": len(roster_ids)},
            details={"grades": _("Some grades are missing.")},
        )
    sheet.status = SheetStatus.SUBMITTED
    sheet.submitted_at = timezone.now()
    sheet.save(update_fields=["status", "submitted_at"])
    audit_record(
        action=AuditAction.UPDATE,
        obj=sheet,
        org=sheet.org,
        actor=actor,
        changes={"status": [SheetStatus.DRAFT, SheetStatus.SUBMITTED]},
    )
    if apps.is_installed("openvet.workflow"):
        from openvet.workflow.services import instance_start

        instance = instance_start(
            actor=actor,
            code=SHEET_PROCESS,
            subject_type="teaching.gradesheet",
            subject_id=sheet.pk,
            title=str(sheet.task.course),
            org=sheet.org,
        )
        GradeSheet.objects.filter(pk=sheet.pk).update(process_id=instance.pk)
        sheet.refresh_from_db()
    return sheet


def on_sheet_outcome(info: Any, outcome: str, actor: Actor) -> None:
    if outcome == "returned":  # back with the teacher in the approvals list; stays submitted
        return
    sheet = GradeSheet.objects.select_for_update().filter(pk=int(info.subject_id)).first()
    if sheet is None or sheet.status != SheetStatus.SUBMITTED:
        return
    status = SheetStatus.LOCKED if outcome == "approved" else SheetStatus.DRAFT
    sheet.status = status
    sheet.locked_at = timezone.now() if status == SheetStatus.LOCKED else None
    sheet.save(update_fields=["status", "locked_at"])
    audit_record(
        action=AuditAction.UPDATE,
        obj=sheet,
        org=sheet.org,
        actor=actor,
        changes={"status": [SheetStatus.SUBMITTED, status]},
    )


@transaction.atomic
def attempt_record(
    *, actor: Actor, sheet: GradeSheet, student_id: int, attempt: str, score: Any
) -> Grade:
    """Record a make-up (补考) or retake (重修) result of a student who failed a locked sheet."""
    _require_enter(actor, sheet.task)
    if attempt not in (Attempt.MAKEUP, Attempt.RETAKE):
        raise ValidationFailed(details={"attempt": _("Choose make-up exam or retake.")})
    if not sheet.is_locked:
        raise Conflict(_("Make-up and retake results follow the locked regular grades."))
    regular = sheet.grades.filter(student_id=student_id, attempt=Attempt.REGULAR).first()
    if regular is None or regular.total is None or regular.total >= scales.PASS_MARK:
        raise ValidationFailed(details={"student": _("Only a failed student has a make-up.")})
    try:
        total = parse_score(score, sheet.scale)
    except ValueError as exc:
        raise ValidationFailed(details={"score": str(exc)}) from exc
    grade, created = Grade.objects.get_or_create(
        sheet=sheet, student_id=student_id, attempt=attempt, defaults={"total": total}
    )
    if not created:
        raise Conflict(_("This result has already been recorded; request a change instead."))
    audit_record(
        action=AuditAction.CREATE,
        obj=grade,
        org=sheet.org,
        actor=actor,
        changes={"attempt": [None, attempt], "total": [None, str(total)]},
    )
    return grade


@transaction.atomic
def change_request(
    *, actor: Actor, grade: Grade, scores: dict[str, Any], reason: str
) -> GradeChange:
    """Ask to change a locked grade; applied when the department approves."""
    sheet = grade.sheet
    _require_enter(actor, sheet.task)
    if not sheet.is_locked:
        raise Conflict(_("Edit the grades directly until they are locked."))
    if not reason.strip():
        raise ValidationFailed(details={"reason": _("Give a reason for the change.")})
    weights = _weights(sheet) if grade.attempt == Attempt.REGULAR else {"total": 100}
    parsed = _validate_rows(sheet, {grade.student_id: scores}, {grade.student_id}, weights)
    change = GradeChange.objects.create(
        grade=grade,
        org=sheet.org,
        old_scores=_snapshot(grade),
        new_scores=parsed[grade.student_id],
        reason=reason.strip()[:300],
        requested_by_id=actor.pk,
    )
    audit_record(
        action=AuditAction.CREATE,
        obj=change,
        org=sheet.org,
        actor=actor,
        changes={"scores": [change.old_scores, change.new_scores]},
    )
    if apps.is_installed("openvet.workflow"):
        from openvet.workflow.services import instance_start

        instance = instance_start(
            actor=actor,
            code=CHANGE_PROCESS,
            subject_type="teaching.gradechange",
            subject_id=change.pk,
            title=str(sheet.task.course),
            org=sheet.org,
        )
        GradeChange.objects.filter(pk=change.pk).update(process_id=instance.pk)
    return change


def _snapshot(grade: Grade) -> dict[str, Any]:
    if grade.attempt == Attempt.REGULAR:
        return dict(grade.scores)
    return {"total": str(grade.total)}


def on_change_outcome(info: Any, outcome: str, actor: Actor) -> None:
    if outcome == "returned":
        return
    change = (
        GradeChange.objects.select_for_update()
        .select_related("grade__sheet")
        .filter(pk=int(info.subject_id))
        .first()
    )
    if change is None or change.status != ChangeStatus.PENDING:
        return
    change.status = ChangeStatus.APPROVED if outcome == "approved" else ChangeStatus.REJECTED
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_at"])
    grade = change.grade
    if change.status == ChangeStatus.APPROVED:
        before = _snapshot(grade)
        if grade.attempt == Attempt.REGULAR:
            grade.scores = {**grade.scores, **change.new_scores}
            _compute(grade.sheet, grade, _weights(grade.sheet))
        else:
            grade.total = Decimal(change.new_scores["total"])
        grade.save()
        audit_record(
            action=AuditAction.UPDATE,
            obj=grade,
            org=change.org,
            actor=actor,
            changes={"scores": [before, _snapshot(grade)], "change": [None, change.pk]},
        )
