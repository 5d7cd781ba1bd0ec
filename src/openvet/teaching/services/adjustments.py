"""Timetable adjustments: requested by a teacher or a manager, decided
through the workflow process ``teaching.adjustment``, effective on approval, announced to the
students and teachers concerned."""

from datetime import date
from typing import Any

from django.apps import apps
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.core.events import publish
from openvet.core.policy import Actor
from openvet.core.roles import Role
from openvet.identity.selectors import users_holding_role_over
from openvet.teaching import selectors
from openvet.teaching.calendar import Occurrence, periods_overlap
from openvet.teaching.events import AdjustmentApproved
from openvet.teaching.models import (
    Adjustment,
    AdjustmentKind,
    AdjustmentStatus,
    Notice,
    Room,
    TeachingTask,
)
from openvet.teaching.permissions import MANAGE_TIMETABLE, can_request_adjustment
from openvet.teaching.services.common import AuditAction, check, record, require

PROCESS = "teaching.adjustment"
PROCESS_LABEL = gettext_lazy("Timetable adjustment")


def workflow_installed() -> bool:
    return apps.is_installed("openvet.workflow")


def _occurrences_on(task: TeachingTask, day: date) -> tuple[list[Occurrence], dict[int, Any]]:
    term = task.term
    entries = selectors.entries_for(term=term)
    tasks = {e.task_id: e.task for e in entries}
    tasks.setdefault(task.pk, task)
    found = selectors.occurrences(term, entries, tasks.keys(), between=(day, day))
    return found, tasks


def _find_original(adjustment: Adjustment) -> Occurrence:
    found, _tasks = _occurrences_on(adjustment.task, adjustment.original_date or date.min)
    match = next(
        (
            o
            for o in found
            if o.task_id == adjustment.task_id
            and o.period_start == adjustment.original_period_start
        ),
        None,
    )
    if match is None:
        message = _("There is no lecture of this task at that date and period.")
        raise ValidationFailed(message, details={"original_date": message})
    return match


def _refuse_clash(adjustment: Adjustment, length: int, room_id: int | None) -> None:
    day = adjustment.new_date or date.min
    found, tasks = _occurrences_on(adjustment.task, day)
    mine = tasks[adjustment.task_id]
    my_teachers = {t.pk for t in mine.teachers.all()}
    my_classes = {c.pk for c in mine.classes.all()}
    for o in found:
        if (
            o.task_id == adjustment.task_id
            and o.date == adjustment.original_date
            and o.period_start == adjustment.original_period_start
        ):
            continue  # the lecture being moved frees its own slot
        if not periods_overlap(o.period_start, o.length, adjustment.new_period_start or 0, length):
            continue
        other = tasks[o.task_id]
        if (
            my_teachers & {t.pk for t in other.teachers.all()}
            or my_classes & {c.pk for c in other.classes.all()}
            or (room_id is not None and o.room_id == room_id)
        ):
            message = _("The new time clashes with %(course)s on %(date)s.") % {
                "course": other.course.name,
                "date": day.isoformat(),
            }
            raise Conflict(message, code="timetable_clash", details={"new_date": message})


def _new_slot_errors(adjustment: Adjustment, periods: int) -> dict[str, str]:
    term = adjustment.term
    calendar = selectors.term_calendar(term)
    errors: dict[str, str] = {}
    if adjustment.new_date is None or calendar.week_of(adjustment.new_date) is None:
        errors["new_date"] = _("Choose a date within the term.")
    start = adjustment.new_period_start or 0
    if start < 1 or start + (adjustment.new_length or 1) - 1 > periods:
        errors["new_period_start"] = _("The lecture must lie within periods 1 to %(n)s.") % {
            "n": periods
        }
    if adjustment.new_room is not None and adjustment.new_room.org_id != term.org_id:
        errors["new_room"] = _("Choose a room of this school.")
    return errors


def _prepare(adjustment: Adjustment) -> None:
    """Validate an adjustment against the current timetable; fill in what it inherits."""
    if adjustment.kind not in AdjustmentKind.values:
        check({"kind": _("Choose reschedule, cancel or make-up.")})
    if not adjustment.reason.strip():
        check({"reason": _("Give a reason.")})
    if adjustment.kind != AdjustmentKind.MAKEUP:
        original = _find_original(adjustment)
        adjustment.entry_id = original.entry_id
        adjustment.new_length = adjustment.new_length or original.length
    if adjustment.kind == AdjustmentKind.CANCEL:
        return
    periods = len(selectors.bell_periods(adjustment.term.org))
    adjustment.new_length = adjustment.new_length or 1
    check(_new_slot_errors(adjustment, periods))
    _refuse_clash(adjustment, adjustment.new_length, adjustment.new_room_id)


@transaction.atomic
def adjustment_request(
    *,
    actor: Actor,
    task: TeachingTask,
    kind: str,
    reason: str,
    original_date: date | None = None,
    original_period_start: int | None = None,
    new_date: date | None = None,
    new_period_start: int | None = None,
    new_length: int | None = None,
    new_room: Room | None = None,
) -> Adjustment:
    if not can_request_adjustment(actor, task, set(task.teachers.values_list("pk", flat=True))):
        raise PermissionDenied()
    adjustment = Adjustment(
        term=task.term,
        task=task,
        org=task.org,
        kind=kind,
        reason=reason[:300],
        original_date=original_date,
        original_period_start=original_period_start,
        new_date=new_date,
        new_period_start=new_period_start,
        new_length=new_length,
        new_room=new_room,
        requested_by_id=actor.pk,
    )
    _prepare(adjustment)
    adjustment.save()
    record(
        actor=actor,
        obj=adjustment,
        org=task.org,
        after={"kind": kind, "original_date": original_date, "new_date": new_date},
    )
    if workflow_installed():
        _start_process(actor, adjustment)
    return adjustment


def _start_process(actor: Actor, adjustment: Adjustment) -> None:
    from openvet.workflow.services import instance_start

    instance = instance_start(
        actor=actor,
        code=PROCESS,
        subject_type="teaching.adjustment",
        subject_id=adjustment.pk,
        title=f"{adjustment.get_kind_display()}: {adjustment.task.course.name}",
        org=adjustment.org,
        payload={"kind": adjustment.kind},
    )
    Adjustment.objects.filter(pk=adjustment.pk).update(process_id=instance.pk)
    adjustment.process_id = instance.pk
    adjustment.refresh_from_db(fields=["status", "decided_at"])


def on_process_outcome(info: Any, outcome: str, actor: Actor) -> None:
    """Told by the workflow engine inside the deciding transaction."""
    adjustment = Adjustment.objects.select_for_update().filter(pk=int(info.subject_id)).first()
    if adjustment is None or adjustment.status != AdjustmentStatus.PENDING:
        return
    if outcome == "approved":
        _approve(adjustment, actor)
    else:
        _close(
            adjustment,
            AdjustmentStatus.REJECTED if outcome == "rejected" else AdjustmentStatus.WITHDRAWN,
            actor,
        )


def _approve(adjustment: Adjustment, actor: Actor) -> None:
    _prepare(adjustment)  # the timetable may have changed since the request
    adjustment.status = AdjustmentStatus.APPROVED
    adjustment.decided_at = timezone.now()
    adjustment.save()
    record(
        actor=actor,
        obj=adjustment,
        org=adjustment.org,
        action=AuditAction.UPDATE,
        after={"status": AdjustmentStatus.APPROVED},
    )
    _notify(adjustment)
    publish(AdjustmentApproved(adjustment_id=adjustment.pk, term_id=adjustment.term_id))


def _close(adjustment: Adjustment, status: str, actor: Actor) -> None:
    adjustment.status = status
    adjustment.decided_at = timezone.now()
    adjustment.save(update_fields=["status", "decided_at"])
    record(
        actor=actor,
        obj=adjustment,
        org=adjustment.org,
        action=AuditAction.UPDATE,
        after={"status": status},
    )


def affected_user_ids(task: TeachingTask) -> set[int]:
    ids = set(task.teachers.values_list("pk", flat=True))
    for klass in task.classes.all():
        ids |= set(
            users_holding_role_over(role=Role.STUDENT, org_path=klass.path)
            .filter(home_org=klass)
            .values_list("pk", flat=True)
        )
    return ids


def _notify(adjustment: Adjustment) -> None:
    Notice.objects.bulk_create(
        [
            Notice(user_id=user_id, adjustment=adjustment)
            for user_id in sorted(affected_user_ids(adjustment.task))
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def adjustment_decide(*, actor: Actor, adjustment: Adjustment, approve: bool) -> Adjustment:
    """Decide directly, for deployments without the workflow app (managers only)."""
    if workflow_installed():
        raise Conflict(_("Adjustments are decided in the approvals list."))
    require(actor, MANAGE_TIMETABLE, adjustment.term.org)
    if adjustment.status != AdjustmentStatus.PENDING:
        raise Conflict(_("This adjustment has already been decided."))
    if approve:
        _approve(adjustment, actor)
    else:
        _close(adjustment, AdjustmentStatus.REJECTED, actor)
    return adjustment


def notice_mark_read(*, actor: Actor, notice_ids: list[int] | None = None) -> int:
    queryset = Notice.objects.filter(user=actor.pk, read_at__isnull=True)
    if notice_ids is not None:
        queryset = queryset.filter(pk__in=notice_ids)
    return queryset.update(read_at=timezone.now())


def detail_url(info: Any) -> str | None:
    """The adjustments page of the request's term, linked from the approvals list."""
    term_id = (
        Adjustment.objects.filter(pk=int(info.subject_id)).values_list("term_id", flat=True)
    ).first()
    return reverse("teaching:adjustment-list", args=[term_id]) if term_id else None
