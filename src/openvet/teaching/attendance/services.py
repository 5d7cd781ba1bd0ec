"""Writes of attendance: open a lecture's sign-in, sign in by code (and location), mark,
close (absent / on leave), leave requests through the counsellor, alerts to counsellors."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.core.policy import Actor
from openvet.core.roles import Role
from openvet.identity.selectors import users_holding_role_over
from openvet.teaching import selectors as teaching_selectors
from openvet.teaching.attendance import codes
from openvet.teaching.attendance.models import (
    AttendanceAlert,
    AttendanceRecord,
    AttendanceSession,
    AttendanceStatus,
    LeaveRequest,
    LeaveStatus,
    RoomLocation,
)
from openvet.teaching.learning_events import record_learning_event
from openvet.teaching.models import TeachingTask
from openvet.teaching.permissions import MANAGE_TIMETABLE
from openvet.teaching.students import student_for, task_roster

LEAVE_PROCESS = "teaching.leave"
# Share of a course's lectures a student may miss before their counsellor is alerted.
DEFAULT_ALERT_SHARE = Decimal("0.3")
ALERT_MIN_SESSIONS = 3


def _refuse(message: str, code: str, field: str = "code") -> ValidationFailed:
    return ValidationFailed(message, code=code, details={field: message})


def is_teacher_of(actor: Actor, task: TeachingTask) -> bool:
    return task.teachers.filter(pk=getattr(actor, "pk", None)).exists() or (
        policy.has_capability(actor, MANAGE_TIMETABLE, task.org)
    )


def _lecture_times(task: TeachingTask, day: date, period_start: int) -> tuple[Any, int]:
    """The room and length of the task's lecture at ``day``/``period_start``, or refuse."""
    term = task.term
    entries = [e for e in teaching_selectors.entries_for(term=term) if e.task_id == task.pk]
    found = [
        o
        for o in teaching_selectors.occurrences(term, entries, [task.pk], between=(day, day))
        if o.task_id == task.pk and o.period_start == period_start
    ]
    if not found:
        raise _refuse(
            _("There is no lecture of this course at that date and period."), "no_lecture", "date"
        )
    return found[0].room_id, found[0].length


@transaction.atomic
def session_open(
    *,
    actor: Actor,
    task: TeachingTask,
    day: date,
    period_start: int,
    require_location: bool = False,
    late_after_minutes: int = 10,
) -> AttendanceSession:
    """Open (or return) the sign-in of one lecture; only its teachers (or managers)."""
    if not is_teacher_of(actor, task):
        raise PermissionDenied()
    existing = AttendanceSession.objects.filter(
        task=task, date=day, period_start=period_start
    ).first()
    if existing is not None:
        return existing
    room_id, length = _lecture_times(task, day, period_start)
    bells = {b.number: b for b in teaching_selectors.bell_periods(task.term.org)}
    first, last = bells.get(period_start), bells.get(period_start + length - 1)
    if first is None or last is None:
        raise _refuse(_("The bell schedule has no such period."), "no_lecture", "period_start")
    zone = timezone.get_current_timezone()
    session = AttendanceSession.objects.create(
        task=task,
        org=task.org,
        date=day,
        period_start=period_start,
        room_id=room_id,
        starts_at=datetime.combine(day, first.starts_at, zone),
        ends_at=datetime.combine(day, last.ends_at, zone),
        late_after_minutes=late_after_minutes,
        require_location=require_location,
        opened_by_id=actor.pk,
    )
    audit_record(
        action=AuditAction.CREATE,
        obj=session,
        org=task.org,
        actor=actor,
        changes={"date": [None, str(day)], "period_start": [None, period_start]},
    )
    return session


def _check_location(
    session: AttendanceSession, latitude: float | None, longitude: float | None
) -> int | None:
    if not session.require_location:
        return None
    place = (
        RoomLocation.objects.filter(room_id=session.room_id).first()
        if session.room_id is not None
        else None
    )
    if place is None:
        return None  # the room has no coordinates: the code alone decides
    if latitude is None or longitude is None:
        raise _refuse(
            _("Allow the page to use your location to sign in."), "location_needed", "location"
        )
    distance = round(codes.distance_m(latitude, longitude, place.latitude, place.longitude))
    if distance > place.radius_m:
        raise _refuse(
            _("You are %(distance)s m from the room; sign in from the room.")
            % {"distance": distance},
            "too_far",
            "location",
        )
    return distance


def sign_in(
    *,
    actor: Actor,
    session: AttendanceSession,
    code: str,
    latitude: float | None = None,
    longitude: float | None = None,
    now: datetime | None = None,
) -> AttendanceRecord:
    student = student_for(actor)
    now = now or timezone.now()
    if student.pk not in {s.pk for s in task_roster(session.task)}:
        raise PermissionDenied(_("You are not on the roster of this course."))
    if now < session.starts_at:
        raise _refuse(_("The lecture has not started yet."), "not_started")
    if session.is_closed or now > session.ends_at:
        raise _refuse(_("Sign-in for this lecture has closed."), "closed")
    if not codes.code_is_valid(session.pk, code, now):
        raise _refuse(_("The code is wrong or has expired; enter the code shown now."), "bad_code")
    distance = _check_location(session, latitude, longitude)
    late = now > session.starts_at + timedelta(minutes=session.late_after_minutes)
    status = AttendanceStatus.LATE if late else AttendanceStatus.PRESENT
    try:
        with transaction.atomic():
            record = AttendanceRecord.objects.create(
                session=session,
                student=student,
                status=status,
                signed_at=now,
                distance_m=distance,
            )
            audit_record(
                action=AuditAction.CREATE,
                obj=record,
                org=session.org,
                actor=actor,
                changes={"status": [None, status]},
            )
    except IntegrityError as exc:
        raise Conflict(_("You have already signed in."), code="already_signed_in") from exc
    record_learning_event(
        user_id=actor.pk,
        verb="attended",
        object_type="teaching.attendancesession",
        object_id=session.pk,
        result={"status": status},
    )
    return record


@transaction.atomic
def mark(
    *, actor: Actor, session: AttendanceSession, student_id: int, status: str
) -> AttendanceRecord:
    """The teacher sets a student's status (late, absent, present, on leave)."""
    if not is_teacher_of(actor, session.task):
        raise PermissionDenied()
    if status not in AttendanceStatus.values:
        raise ValidationFailed(details={"status": _("Choose a status.")})
    if student_id not in {s.pk for s in task_roster(session.task)}:
        raise ValidationFailed(details={"student": _("This student is not on the roster.")})
    record, _created = AttendanceRecord.objects.update_or_create(
        session=session, student_id=student_id, defaults={"status": status, "marked_by": actor}
    )
    audit_record(
        action=AuditAction.UPDATE,
        obj=record,
        org=session.org,
        actor=actor,
        changes={"status": [None, status]},
    )
    return record


def _on_leave(student_ids: list[int], day: date) -> set[int]:
    return set(
        LeaveRequest.objects.filter(
            student_id__in=student_ids,
            status=LeaveStatus.APPROVED,
            date_from__lte=day,
            date_to__gte=day,
        ).values_list("student_id", flat=True)
    )


@transaction.atomic
def session_close(
    *, actor: Actor, session: AttendanceSession, now: datetime | None = None
) -> AttendanceSession:
    """Close sign-in: students without a record are absent, or on leave when approved."""
    if not is_teacher_of(actor, session.task):
        raise PermissionDenied()
    session = AttendanceSession.objects.select_for_update().get(pk=session.pk)
    if session.is_closed:
        return session
    roster = task_roster(session.task)
    signed = set(session.records.values_list("student_id", flat=True))
    missing = [s.pk for s in roster if s.pk not in signed]
    leave = _on_leave(missing, session.date)
    AttendanceRecord.objects.bulk_create(
        AttendanceRecord(
            session=session,
            student_id=sid,
            marked_by_id=actor.pk,
            status=AttendanceStatus.LEAVE if sid in leave else AttendanceStatus.ABSENT,
        )
        for sid in missing
    )
    session.closed_at = now or timezone.now()
    session.save(update_fields=["closed_at"])
    audit_record(
        action=AuditAction.UPDATE,
        obj=session,
        org=session.org,
        actor=actor,
        changes={"closed": [False, True], "absent": [None, len(missing) - len(leave)]},
    )
    alerts_check(
        task=session.task,
        student_ids=[s for s in missing if s not in leave],
        students={s.pk: s for s in roster},
    )
    return session


def alert_share() -> Decimal:
    return Decimal(str(getattr(settings, "TEACHING_ABSENCE_ALERT_SHARE", DEFAULT_ALERT_SHARE)))


def alerts_check(*, task: TeachingTask, student_ids: list[int], students: dict[int, Any]) -> int:
    """Alert the counsellors of students who missed more than the allowed share."""
    closed = AttendanceSession.objects.filter(task=task, closed_at__isnull=False).count()
    if closed < ALERT_MIN_SESSIONS:
        return 0
    created = 0
    for student_id in student_ids:
        absences = AttendanceRecord.objects.filter(
            session__task=task,
            session__closed_at__isnull=False,
            student_id=student_id,
            status=AttendanceStatus.ABSENT,
        ).count()
        student = students[student_id]
        if Decimal(absences) / Decimal(closed) <= alert_share() or not student.class_unit_id:
            continue
        for counsellor in users_holding_role_over(
            role=Role.COUNSELLOR, org_path=student.class_unit.path
        ):
            _alert, made = AttendanceAlert.objects.update_or_create(
                counsellor=counsellor,
                student_id=student_id,
                task=task,
                defaults={"absences": absences, "sessions": closed, "read_at": None},
            )
            created += int(made)
    return created


# Leave ---------------------------------------------------------------------------------------


@transaction.atomic
def leave_request(*, actor: Actor, date_from: date, date_to: date, reason: str) -> LeaveRequest:
    student = student_for(actor)
    errors: dict[str, str] = {}
    if date_to < date_from:
        errors["date_to"] = _("The leave must end on or after its first day.")
    if not reason.strip():
        errors["reason"] = _("Give a reason.")
    if errors:
        raise ValidationFailed(details=errors)
    leave = LeaveRequest.objects.create(
        student=student,
        org=student.org,
        date_from=date_from,
        date_to=date_to,
        reason=reason.strip()[:300],
    )
    audit_record(
        action=AuditAction.CREATE,
        obj=leave,
        org=student.org,
        actor=actor,
        changes={"from": [None, str(date_from)], "to": [None, str(date_to)]},
    )
    if apps.is_installed("openvet.workflow"):
        from openvet.workflow.services import instance_start

        instance = instance_start(
            actor=actor,
            code=LEAVE_PROCESS,
            subject_type="teaching.leaverequest",
            subject_id=leave.pk,
            title=f"{student.name} {date_from} – {date_to}",
            org=student.org,
        )
        LeaveRequest.objects.filter(pk=leave.pk).update(process_id=instance.pk)
        leave.refresh_from_db()
    return leave


def on_leave_outcome(info: Any, outcome: str, actor: Actor) -> None:
    if outcome == "returned":  # the student may resubmit from the approvals list
        return
    leave = LeaveRequest.objects.select_for_update().filter(pk=int(info.subject_id)).first()
    if leave is None or leave.status != LeaveStatus.PENDING:
        return
    status = {"approved": LeaveStatus.APPROVED, "rejected": LeaveStatus.REJECTED}.get(
        outcome, LeaveStatus.WITHDRAWN
    )
    leave.status = status
    leave.decided_at = timezone.now()
    leave.save(update_fields=["status", "decided_at"])
    if status == LeaveStatus.APPROVED:  # absences already recorded in the range become leave
        AttendanceRecord.objects.filter(
            student=leave.student,
            status=AttendanceStatus.ABSENT,
            session__date__gte=leave.date_from,
            session__date__lte=leave.date_to,
        ).update(status=AttendanceStatus.LEAVE)
    audit_record(
        action=AuditAction.UPDATE,
        obj=leave,
        org=leave.org,
        actor=actor,
        changes={"status": [LeaveStatus.PENDING, status]},
    )


@transaction.atomic
def room_location_set(
    *, actor: Actor, room: Any, latitude: float, longitude: float, radius_m: int = 100
) -> RoomLocation:
    policy.require(actor, "teaching.change_term", room.org)
    errors: dict[str, str] = {}
    if not -90 <= latitude <= 90:
        errors["latitude"] = _("Enter a latitude from -90 to 90.")
    if not -180 <= longitude <= 180:
        errors["longitude"] = _("Enter a longitude from -180 to 180.")
    if not 10 <= radius_m <= 5000:
        errors["radius_m"] = _("Enter a distance from 10 to 5000 metres.")
    if errors:
        raise ValidationFailed(details=errors)
    place, _created = RoomLocation.objects.update_or_create(
        room=room, defaults={"latitude": latitude, "longitude": longitude, "radius_m": radius_m}
    )
    audit_record(
        action=AuditAction.UPDATE,
        obj=place,
        org=room.org,
        actor=actor,
        changes={"location": [None, f"{latitude},{longitude}/{radius_m}"]},
    )
    return place
