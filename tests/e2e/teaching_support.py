"""Helpers of the teaching journeys: students and classmates, the demo term, and a lecture that
has started now (dates and bell times built from the clock, so the journey runs at any hour).
The fixtures with the demo's teaching term and a second browser are in ``conftest.py``."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from openvet.core.models import OrgKind, OrgUnit
from openvet.identity.models import User
from openvet.records.models import Student
from openvet.records.tests.factories import student as records_student
from openvet.teaching.models import CalendarDay, Course, TeachingTask, Term, TimetableEntry
from openvet.teaching.services import setup, tasks, timetable
from openvet.teaching.services.demo import demo_data
from openvet.teaching.services.demo_calendar import term_dates_around

# Bell periods of the journey's school: 40 minutes each with 5-minute breaks.
PERIOD = timedelta(minutes=40)
BREAK = timedelta(minutes=5)
PERIODS = 8


def student_record(user: User) -> Student:
    return Student.objects.select_related("class_unit").get(user=user)


def classmates_of(student: Student, count: int) -> list[Student]:
    """``count`` more students in ``student``'s class (records only, no accounts), so that a
    page shows a class of a realistic size."""
    holder = SimpleNamespace(
        school=student.school,
        department=student.department,
        major=student.major,
        klass=student.class_unit,
    )
    return [
        records_student(holder, name=f"同学{n:02d}", grade_year=student.grade_year)
        for n in range(1, count + 1)
    ]


def demo_term(school: OrgUnit) -> Term:
    """The term the demo seeded today: the one around today's date."""
    dates = term_dates_around(timezone.localdate(), demo_data()["term"])
    return Term.objects.get(org=school, academic_year=dates.academic_year, number=dates.number)


@dataclass(frozen=True)
class Lecture:
    term: Term
    task: TeachingTask
    day: date
    period: int


def _bells_around(now: datetime) -> tuple[list[tuple[time, time]], int]:
    """A day of bell periods, within the calendar day, with ``now`` in one of them a few
    minutes after its start; and that period's number."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    span = PERIODS * PERIOD + (PERIODS - 1) * BREAK
    start = now - timedelta(minutes=5) - 3 * (PERIOD + BREAK)
    start = min(max(start, midnight), midnight + timedelta(days=1, minutes=-1) - span)
    periods, current = [], 1
    for n in range(PERIODS):
        begins = start + n * (PERIOD + BREAK)
        periods.append((begins.time(), (begins + PERIOD).time()))
        if begins <= now < begins + PERIOD:
            current = n + 1
    return periods, current


def _clear_the_slot(admin: User, term: Term, keys: dict[str, Any], day: date, period: int) -> None:
    """No holiday today and no other lecture of the class or teacher in the period."""
    for holiday in CalendarDay.objects.filter(term=term, date=day):
        setup.calendar_day_delete(actor=admin, entry=holiday)
    for entry in TimetableEntry.objects.filter(
        term=term, weekday=day.isoweekday(), period_start__lte=period
    ).filter(**keys):
        if entry.period_start + entry.length > period:
            timetable.entry_delete(actor=admin, entry=entry)


def lecture_now(*, admin: User, teacher: User, class_unit: OrgUnit) -> Lecture:
    """The demo term running this week (every day a teaching day), the school's bells moved
    so that a period is under way, and a lecture of ``teacher`` for ``class_unit`` in it today,
    of a course the teacher has no other task of (its name is unique in their lists)."""
    school = OrgUnit.objects.get(pk__in=class_unit.ancestor_ids, kind=OrgKind.SCHOOL)
    now = timezone.localtime()
    today = now.date()
    monday = today - timedelta(days=today.weekday())
    term = setup.term_update(
        actor=admin, term=demo_term(school), start_date=monday, teaching_days=7
    )
    periods, current = _bells_around(now)
    setup.bell_schedule_set(actor=admin, school=school, periods=periods)
    for keys in ({"task__classes": class_unit}, {"task__teachers": teacher}):
        _clear_the_slot(admin, term, keys, today, current)
    taught = TeachingTask.objects.filter(term=term, teachers=teacher).values("course")
    course = Course.objects.filter(org=school).exclude(pk__in=taught).order_by("code").first()
    assert course is not None
    task = tasks.task_create(
        actor=admin,
        term=term,
        course=course,
        classes=[class_unit],
        teachers=[teacher],
        weekly_hours=1,
        block=1,
    )
    timetable.entry_create(
        actor=admin,
        task=task,
        weekday=today.isoweekday(),
        period_start=current,
        length=1,
        week_start=1,
        week_end=term.weeks,
    )
    return Lecture(term=term, task=task, day=today, period=current)
