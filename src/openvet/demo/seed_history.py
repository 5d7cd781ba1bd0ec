"""Earlier terms of the demo's first college, so that its pages show a school with a past.

The two terms before the term of seeding (for the cohorts that studied in them) are seeded like
the current one, through the teaching services: term, calendar, programmes, generated tasks with
their teachers and a first timetable (``teaching.services.demo``). Then what those terms left
behind is bulk-inserted with the fields the services compute, since the services' one-lecture,
one-grade-at-a-time path would take minutes:

* attendance of every lecture in weeks ``ATTENDANCE_WEEKS`` (mostly present, some late, absent
  or on leave; a day on leave is an approved leave request, as ``session_close`` expects);
* a locked grade sheet for every task (weights by assessment, a total for every student) and a
  make-up result (补考) for most of those who failed, recorded as ``attempt_record`` does;
* a teaching evaluation window in the term's last two weeks, answered by most students
  (``seed_evaluations``).

Each term gets one summary audit entry. The numbers come from a generator seeded by the term,
so the same demo gives the same history; a term that has grade sheets is left alone.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from openvet.core.audit import AuditAction, audit_record
from openvet.core.models import OrgUnit
from openvet.demo.seed_evaluations import evaluations_seed
from openvet.records.codes import StudentStatus
from openvet.records.models import Student
from openvet.teaching import scales, selectors
from openvet.teaching.attendance.models import (
    AttendanceRecord,
    AttendanceSession,
    AttendanceStatus,
    LeaveRequest,
    LeaveStatus,
)
from openvet.teaching.grades.models import (
    Attempt,
    ComponentKind,
    Grade,
    GradeComponent,
    GradeSheet,
    Scale,
    SheetStatus,
)
from openvet.teaching.models import Assessment, CourseType, TeachingTask, Term
from openvet.teaching.services.demo import demo_data, seed_demo_term
from openvet.teaching.services.demo_calendar import term_dates_around
from openvet.teaching.services.demo_timetable import demo_timetable_seed

HISTORY_TERMS = 2
ATTENDANCE_WEEKS = range(10, 14)  # mid-term, clear of the training weeks at the term's end
_TERM_BEFORE = timedelta(days=100)  # from a term's first day: a day of the term before it
_BATCH = 1000
_LEAVE_REASON = "病假"
_WEIGHTS: dict[str, dict[str, int]] = {
    Assessment.EXAM: {ComponentKind.USUAL: 30, ComponentKind.MIDTERM: 20, ComponentKind.FINAL: 50},
    "practice": {ComponentKind.USUAL: 40, ComponentKind.PRACTICAL: 60},
    Assessment.TEST: {ComponentKind.USUAL: 50, ComponentKind.FINAL: 50},
}


@dataclass(frozen=True)
class HistoryCounts:
    terms: int
    sessions: int
    records: int
    sheets: int
    grades: int


def earlier_term_days(today: date, count: int = HISTORY_TERMS) -> list[date]:
    """A day in each of the ``count`` terms before the term around ``today``, oldest first."""
    spec = demo_data()["term"]
    start = term_dates_around(today, spec).start_date
    days = []
    for _ in range(count):
        dates = term_dates_around(start - _TERM_BEFORE, spec)
        days.append(dates.start_date + timedelta(weeks=1))
        start = dates.start_date
    return days[::-1]


def seed_history(*, actor: Any, school: OrgUnit, today: date) -> HistoryCounts:
    """The earlier terms with timetables, attendance and locked grades; idempotent."""
    totals = [0, 0, 0, 0, 0]
    for day in earlier_term_days(today):
        with transaction.atomic():
            term = seed_demo_term(actor=actor, school=school, today=day).term
            demo_timetable_seed(actor=actor, term=term)
            if not TeachingTask.objects.filter(term=term).exists():
                continue
            if GradeSheet.objects.filter(task__term=term).exists():
                continue
            counts = _term_history(actor, school, term)
        totals = [a + b for a, b in zip(totals, (1, *counts), strict=True)]
    return HistoryCounts(*totals)


def _term_history(actor: Any, school: OrgUnit, term: Term) -> tuple[int, int, int, int]:
    rng = random.Random(f"demo history {term}")  # noqa: S311 reproducible demo data
    tasks = list(
        TeachingTask.objects.filter(term=term)
        .select_related("course", "org")
        .prefetch_related("classes", "teachers")
        .order_by("course__code", "org__path")
    )
    students = _students_by_class(tasks)
    sessions, records = _attendance(term, tasks, students, rng)
    sheets, grades = _grades(term, tasks, students, rng)
    roster = [(task, _task_students(task, students)) for task in tasks]
    answered = evaluations_seed(actor=actor, school=school, term=term, roster=roster, rng=rng)
    audit_record(
        action=AuditAction.CREATE,
        org=school,
        actor=actor,
        object_label="demo history",
        changes={
            "term": str(term),
            "attendance_sessions": sessions,
            "attendance_records": records,
            "grade_sheets": sheets,
            "grades": grades,
            "evaluation_responses": answered,
        },
    )
    return sessions, records, sheets, grades


def _students_by_class(tasks: list[TeachingTask]) -> dict[int, list[Student]]:
    class_ids = {c.pk for task in tasks for c in task.classes.all()}
    result: dict[int, list[Student]] = {pk: [] for pk in class_ids}
    for student in Student.objects.filter(
        class_unit_id__in=class_ids, status=StudentStatus.ENROLLED
    ).order_by("student_number"):
        result[student.class_unit_id or 0].append(student)
    return result


def _task_students(task: TeachingTask, students: dict[int, list[Student]]) -> list[Student]:
    return [s for c in task.classes.all() for s in students.get(c.pk, [])]


def _moment(day: date, clock: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock))


def _attendance(
    term: Term,
    tasks: list[TeachingTask],
    students: dict[int, list[Student]],
    rng: random.Random,
) -> tuple[int, int]:
    """Sessions and records of every lecture in ``ATTENDANCE_WEEKS``, closed after the bell."""
    by_pk = {t.pk: t for t in tasks}
    bells = {b.number: b for b in selectors.bell_periods(term.org)}
    lectures = sorted(
        (
            o
            for o in selectors.occurrences(term, selectors.entries_for(term=term))
            if o.week in ATTENDANCE_WEEKS
        ),
        key=lambda o: (o.date, o.period_start, by_pk[o.task_id].course.code, o.task_id),
    )
    # Leave is taken by the day: a few students each day, with an approved request.
    on_leave = _leave_days(term, sorted({o.date for o in lectures}), students, rng)
    sessions, records = [], []
    for lecture in lectures:
        task = by_pk[lecture.task_id]
        teacher = min(task.teachers.all(), key=lambda t: t.pk, default=None)
        if teacher is None:
            continue
        starts = _moment(lecture.date, bells[lecture.period_start].starts_at)
        ends = _moment(lecture.date, bells[lecture.period_start + lecture.length - 1].ends_at)
        session = AttendanceSession(
            task=task,
            org=task.org,
            date=lecture.date,
            period_start=lecture.period_start,
            room_id=lecture.room_id,
            starts_at=starts,
            ends_at=ends,
            opened_by=teacher,
            closed_at=ends,
        )
        sessions.append(session)
        records += [
            _record(session, student, teacher, (student.pk, lecture.date) in on_leave, rng)
            for student in _task_students(task, students)
        ]
    AttendanceSession.objects.bulk_create(sessions, batch_size=_BATCH)
    for record in records:
        record.session_id = record.session.pk
    AttendanceRecord.objects.bulk_create(records, batch_size=_BATCH)
    return len(sessions), len(records)


def _leave_days(
    term: Term, days: list[date], students: dict[int, list[Student]], rng: random.Random
) -> set[tuple[int, date]]:
    everyone = [s for pk in sorted(students) for s in students[pk]]
    taken: set[tuple[int, date]] = set()
    requests = []
    for day in days:
        for student in rng.sample(everyone, k=min(len(everyone), max(1, len(everyone) // 60))):
            taken.add((student.pk, day))
            requests.append(
                LeaveRequest(
                    student=student,
                    org_id=student.org_id,
                    date_from=day,
                    date_to=day,
                    reason=_LEAVE_REASON,
                    status=LeaveStatus.APPROVED,
                    decided_at=_moment(day - timedelta(days=1), time(17, 0)),
                )
            )
    LeaveRequest.objects.bulk_create(requests, batch_size=_BATCH)
    return taken


def _record(
    session: AttendanceSession, student: Student, teacher: Any, leave: bool, rng: random.Random
) -> AttendanceRecord:
    if leave:
        return AttendanceRecord(session=session, student=student, status=AttendanceStatus.LEAVE)
    roll = rng.random()
    if roll < 0.02:
        return AttendanceRecord(session=session, student=student, status=AttendanceStatus.ABSENT)
    if roll < 0.05:
        signed = session.starts_at + timedelta(minutes=rng.randint(11, 25))
        status = AttendanceStatus.LATE
    else:
        signed = session.starts_at - timedelta(minutes=rng.randint(0, 9))
        status = AttendanceStatus.PRESENT
    marked_by = teacher if roll > 0.99 else None  # a forgotten phone, marked by the teacher
    return AttendanceRecord(
        session=session, student=student, status=status, signed_at=signed, marked_by=marked_by
    )


def _weights(task: TeachingTask) -> dict[str, int]:
    if task.course.assessment == Assessment.EXAM:
        return _WEIGHTS[Assessment.EXAM]
    if task.course.course_type == CourseType.PRACTICE:
        return _WEIGHTS["practice"]
    return _WEIGHTS[Assessment.TEST]


def _grades(
    term: Term,
    tasks: list[TeachingTask],
    students: dict[int, list[Student]],
    rng: random.Random,
) -> tuple[int, int]:
    """A locked sheet per task; a total for each student; 补考 for most who failed."""
    submitted = _moment(term.start_date + timedelta(weeks=term.weeks, days=-3), time(16, 0))
    locked = submitted + timedelta(days=2)
    ability = {s.pk: rng.gauss(77, 7) for pk in sorted(students) for s in students[pk]}
    sheets = [
        GradeSheet(
            task=task,
            org=task.org,
            scale=Scale.HUNDRED,
            status=SheetStatus.LOCKED,
            submitted_at=submitted,
            locked_at=locked,
        )
        for task in tasks
    ]
    GradeSheet.objects.bulk_create(sheets, batch_size=_BATCH)
    components, grades = [], []
    for task, sheet in zip(tasks, sheets, strict=True):
        weights = _weights(task)
        components += [GradeComponent(sheet=sheet, kind=k, weight=w) for k, w in weights.items()]
        for student in _task_students(task, students):
            grades += _student_grades(sheet, student, weights, ability[student.pk], rng)
    GradeComponent.objects.bulk_create(components, batch_size=_BATCH)
    Grade.objects.bulk_create(grades, batch_size=_BATCH)
    return len(sheets), len(grades)


def _student_grades(
    sheet: GradeSheet,
    student: Student,
    weights: dict[str, int],
    ability: float,
    rng: random.Random,
) -> list[Grade]:
    scores = {k: Decimal(max(20, min(100, round(rng.gauss(ability, 8))))) for k in weights}
    total = scales.weighted_total(scores, weights)
    regular = Grade(
        sheet=sheet,
        student=student,
        attempt=Attempt.REGULAR,
        scores={k: str(v) for k, v in scores.items()},
        total=total,
    )
    if total >= scales.PASS_MARK or rng.random() < 0.2:  # a few do not sit the make-up
        return [regular]
    makeup = Decimal(max(40, min(85, round(rng.gauss(66, 8)))))
    return [regular, Grade(sheet=sheet, student=student, attempt=Attempt.MAKEUP, total=makeup)]
