"""Scoped reads of attendance: sessions, the live list, rates, leave and alerts.

A session is visible to the task's teachers, to holders of ``teaching.view_attendancerecord``
over the task, and (for signing in) to the students on its roster. A student sees their own
records and leave requests only.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from openvet.core import policy
from openvet.core.errors import NotFound, PermissionDenied
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.teaching.attendance.models import (
    AttendanceAlert,
    AttendanceRecord,
    AttendanceSession,
    AttendanceStatus,
    LeaveRequest,
)
from openvet.teaching.capabilities import VIEW_ATTENDANCE
from openvet.teaching.models import TeachingTask
from openvet.teaching.students import student_for, student_tasks, task_roster


def _student(actor: Actor) -> Any:
    try:
        return student_for(actor)
    except PermissionDenied:
        return None


def session_list_for(*, actor: Actor) -> QuerySet[AttendanceSession]:
    own = Q(task__teachers=actor) if getattr(actor, "is_authenticated", False) else None
    return (
        policy.scope(AttendanceSession.objects.all(), actor, VIEW_ATTENDANCE, own=own)
        .distinct()
        .select_related("task__course", "room")
        .order_by("-date", "-period_start", "-id")
    )


def session_get_for(*, actor: Actor, session_id: int) -> AttendanceSession:
    found = session_list_for(actor=actor).filter(pk=session_id).first()
    if found is None:
        student = _student(actor)
        candidate = (
            AttendanceSession.objects.filter(pk=session_id)
            .select_related("task__course", "room", "task__term")
            .first()
        )
        if (
            student is not None
            and candidate is not None
            and student_tasks(student, candidate.task.term_id).filter(pk=candidate.task_id).exists()
        ):
            return candidate
        raise NotFound()
    return found


def is_staff_view(actor: Actor, session: AttendanceSession) -> bool:
    return session_list_for(actor=actor).filter(pk=session.pk).exists()


@dataclass(frozen=True)
class RosterLine:
    student: Any
    status: str  # "" until signed in or marked
    signed_at: Any

    @property
    def status_label(self) -> str:
        return str(AttendanceStatus(self.status).label) if self.status else ""


def live_list(session: AttendanceSession) -> list[RosterLine]:
    records = {r.student_id: r for r in session.records.all()}
    lines = []
    for student in task_roster(session.task):
        record = records.get(student.pk)
        lines.append(
            RosterLine(
                student, record.status if record else "", record.signed_at if record else None
            )
        )
    return sorted(lines, key=lambda line: (line.status != "", line.student.student_number))


@dataclass(frozen=True)
class Rate:
    label: str
    sessions: int
    attended: int
    absent: int
    leave: int

    @property
    def rate(self) -> Decimal | None:
        """Lectures attended over lectures counted (leave left out); None before any counts."""
        counted = self.sessions - self.leave
        if counted <= 0:
            return None
        return (Decimal(100) * self.attended / counted).quantize(Decimal("0.1"))


def _counts_by(records: QuerySet[AttendanceRecord], key: str) -> dict[Any, dict[str, int]]:
    """Records per status for each value of ``key``, in one grouped query (not one per row)."""
    counts: dict[Any, dict[str, int]] = {}
    for value, status, n in records.values_list(key, "status").annotate(n=Count("id")).order_by():
        counts.setdefault(value, {})[status] = n
    return counts


def _rate_of_counts(label: str, counts: dict[str, int]) -> Rate:
    attended = counts.get(AttendanceStatus.PRESENT, 0) + counts.get(AttendanceStatus.LATE, 0)
    return Rate(
        label=label,
        sessions=sum(counts.values()),
        attended=attended,
        absent=counts.get(AttendanceStatus.ABSENT, 0),
        leave=counts.get(AttendanceStatus.LEAVE, 0),
    )


def student_rates(*, student: Any, term_id: int) -> list[Rate]:
    """Per course of the term: the student's attendance rate over closed sessions."""
    tasks = list(student_tasks(student, term_id))
    counts = _counts_by(
        AttendanceRecord.objects.filter(
            student=student, session__task__in=tasks, session__closed_at__isnull=False
        ),
        "session__task_id",
    )
    return [_rate_of_counts(str(task.course), counts.get(task.pk, {})) for task in tasks]


def task_rates(*, task: TeachingTask) -> list[Rate]:
    """Per student of a task (the class view of a teacher or counsellor)."""
    closed = AttendanceRecord.objects.filter(session__task=task, session__closed_at__isnull=False)
    counts = _counts_by(closed, "student_id")
    return [
        _rate_of_counts(f"{s.student_number} {s.name}", counts.get(s.pk, {}))
        for s in task_roster(task)
    ]


def my_records(*, actor: Actor) -> QuerySet[AttendanceRecord]:
    student = _student(actor)
    if student is None:
        return AttendanceRecord.objects.none()
    return (
        AttendanceRecord.objects.filter(student=student)
        .select_related("session__task__course")
        .order_by("-session__date", "-session__period_start")
    )


def leave_list_for(*, actor: Actor) -> QuerySet[LeaveRequest]:
    student = _student(actor)
    own = Q(student=student) if student is not None else None
    return (
        policy.scope(LeaveRequest.objects.all(), actor, VIEW_ATTENDANCE, own=own)
        .select_related("student")
        .order_by("-created_at", "-id")
    )


def alerts_for(*, actor: Actor) -> QuerySet[AttendanceAlert]:
    return (
        AttendanceAlert.objects.filter(counsellor=actor.pk)
        .select_related("student", "task__course")
        .order_by("-created_at", "-id")
    )


def class_rates(*, actor: Actor, class_unit: Any, term_id: int) -> list[Rate]:
    """Per student of a class, over every closed lecture of the term (the counsellor's view).

    Needs ``teaching.view_attendancerecord`` over the class; otherwise nothing.
    """
    if not policy.has_capability(actor, VIEW_ATTENDANCE, class_unit):
        return []
    from openvet.records.selectors import students_of_classes

    students = list(students_of_classes(class_ids=[class_unit.pk]))
    closed = AttendanceRecord.objects.filter(
        student__in=students, session__task__term_id=term_id, session__closed_at__isnull=False
    )
    counts = _counts_by(closed, "student_id")
    return [_rate_of_counts(f"{s.student_number} {s.name}", counts.get(s.pk, {})) for s in students]


FAR_FROM_LECTURE = timedelta(minutes=30)


def is_far_from_lecture(session: AttendanceSession, now: datetime) -> bool:
    """Whether ``now`` is more than half an hour before the lecture starts or after it ends:
    the teacher has likely opened the wrong lecture (a wrong date or period)."""
    return now < session.starts_at - FAR_FROM_LECTURE or now > session.ends_at + FAR_FROM_LECTURE


def my_records_of(
    *, actor: Actor, sessions: list[AttendanceSession]
) -> dict[int, AttendanceRecord]:
    """The student's own records of ``sessions`` by session id (none for a non-student)."""
    student = _student(actor)
    if student is None or not sessions:
        return {}
    records = AttendanceRecord.objects.filter(student=student, session__in=sessions)
    return {r.session_id: r for r in records}


def open_sessions_for(*, actor: Actor, now: datetime) -> list[AttendanceSession]:
    """Lectures the student may sign in to now: started, not ended, not closed, on the
    roster of one of the student's courses."""
    student = _student(actor)
    if student is None:
        return []
    candidates = (
        AttendanceSession.objects.filter(
            starts_at__lte=now, ends_at__gte=now, closed_at__isnull=True
        )
        .select_related("task__course", "task__term")
        .order_by("starts_at", "id")
    )
    return [
        s
        for s in candidates
        if student_tasks(student, s.task.term_id).filter(pk=s.task_id).exists()
    ]


@dataclass(frozen=True)
class ClassRates:
    """A class's attendance over the closed lectures of a term, in total and per student."""

    class_unit: OrgUnit
    total: Rate
    students: list[Rate]


def _student_counts(students: QuerySet[Any], term_id: int) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        AttendanceRecord.objects.filter(
            student_id__in=students.values("pk"),
            session__task__term_id=term_id,
            session__closed_at__isnull=False,
        )
        .order_by()
        .values_list("student_id", "status")
        .annotate(n=Count("id"))
    )
    for student_id, status, n in rows:
        counts[student_id][status] = n
    return counts


def _summed(counts: list[dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = defaultdict(int)
    for one in counts:
        for status, n in one.items():
            total[status] += n
    return total


def attendance_by_class(*, actor: Actor, term_id: int) -> list[ClassRates]:
    """The counsellor's view: every class where the actor holds
    ``teaching.view_attendancerecord`` (a counsellor's department, a school for its
    administrator), with the rate of the class and of each of its students. Three queries."""
    from openvet.records.selectors import students_of_classes

    classes = list(
        policy.scope(
            OrgUnit.objects.filter(kind=OrgKind.CLASS, is_active=True),
            actor,
            VIEW_ATTENDANCE,
            path_field="path",
        ).order_by("path")
    )
    students = students_of_classes(class_ids=[c.pk for c in classes])
    counts = _student_counts(students, term_id)
    by_class: dict[int | None, list[Any]] = defaultdict(list)
    for student in students:
        by_class[student.class_unit_id].append(student)
    result = []
    for class_unit in classes:
        members = by_class.get(class_unit.pk, [])
        result.append(
            ClassRates(
                class_unit=class_unit,
                total=_rate_of_counts(
                    class_unit.name, _summed([counts.get(s.pk, {}) for s in members])
                ),
                students=[
                    _rate_of_counts(f"{s.student_number} {s.name}", counts.get(s.pk, {}))
                    for s in members
                ],
            )
        )
    return result


def absences_by_account(school_id: int, since: datetime) -> dict[int, int]:
    """How many classes each student account of a school missed since ``since`` (a fact the
    learning record store's early-warning rules ask for)."""
    school = OrgUnit.objects.filter(pk=school_id).first()
    if school is None:
        return {}
    rows = (
        AttendanceRecord.objects.filter(
            status=AttendanceStatus.ABSENT,
            session__org__path__startswith=school.path,
            session__date__gte=since.date(),
            student__user__isnull=False,
        )
        .values("student__user_id")
        .annotate(n=Count("id"))
        .values_list("student__user_id", "n")
    )
    found: dict[int, int] = dict(rows)
    return found
