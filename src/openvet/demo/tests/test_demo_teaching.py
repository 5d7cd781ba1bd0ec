"""`openvet demo` seeds daily teaching for the first college: the term around the day of
seeding with a timetable, offerings and rounds (one open now, one closed and drawn)."""

import re
from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from openvet.demo.seed import demo_seed
from openvet.demo.seed_teaching import seed_teaching
from openvet.records.models import Student
from openvet.teaching import selectors
from openvet.teaching.attendance.models import AttendanceRecord
from openvet.teaching.grades.models import Grade
from openvet.teaching.models import TeachingTask, Term, TimetableEntry
from openvet.teaching.selection.models import (
    Offering,
    Preference,
    PreferenceOutcome,
    RoundKind,
    Selection,
    SelectionRound,
)
from openvet.teaching.services.demo import demo_data

SMALL = 0.05
AUTUMN_DAY = date(2026, 11, 25)  # a Wednesday of week 12 of 2026-2027-1
SPRING_DAY = date(2027, 4, 14)  # a Wednesday of week 8 of 2026-2027-2


@pytest.fixture
def seeded(db: None) -> None:
    demo_seed(scale=SMALL)


def _at(day: date, clock: str) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.fromisoformat(clock)))


def _in_school(day: date) -> Student:
    """student1 (intake 2024), or in spring, when the third year is on internship, the first
    student of the second year."""
    if day == SPRING_DAY:
        assert _lectures_in_week_of(Student.objects.get(user__username="student1"), day) == 0
        return Student.objects.filter(grade_year=2025).order_by("student_number")[0]
    return Student.objects.get(user__username="student1")


def _lectures_in_week_of(student: Student, day: date) -> int:
    term = Term.objects.get(start_date__lte=day, start_date__gt=day - timedelta(weeks=19))
    entries = selectors.entries_for(term=term, class_id=student.class_unit_id)
    monday = day - timedelta(days=day.weekday())
    occurrences = selectors.occurrences(term, entries)
    return sum(1 for o in occurrences if monday <= o.date < monday + timedelta(days=7))


@pytest.mark.parametrize(
    ("day", "term_name"), [(AUTUMN_DAY, "2026-2027-1"), (SPRING_DAY, "2026-2027-2")]
)
def test_the_demo_is_current_on_the_day_it_is_seeded(
    seeded: None, day: date, term_name: str
) -> None:
    counts = seed_teaching(day)

    assert counts is not None
    assert (counts.term, counts.rounds) == (term_name, 2)
    term = Term.objects.get(start_date__lte=day, start_date__gt=day - timedelta(weeks=19))
    assert str(term) == term_name
    assert term.start_date <= day < term.start_date + timedelta(weeks=term.weeks)
    assert counts.tasks == TeachingTask.objects.filter(term=term).count() > 0
    assert counts.lectures == TimetableEntry.objects.filter(term=term).count() > 0
    assert selectors.term_clashes(term) == []
    student = _in_school(day)
    assert _lectures_in_week_of(student, day) > 0
    first_come = SelectionRound.objects.get(kind=RoundKind.FIRST_COME)
    assert first_come.opens_at < _at(day, "00:00") < _at(day, "23:59") < first_come.closes_at
    preference = SelectionRound.objects.get(kind=RoundKind.PREFERENCE)
    assert preference.closes_at < _at(day, "00:00")
    assert preference.lottery_seed == demo_data()["selection"]["lottery_seed"]
    assert preference.lottery_run_at is not None
    assert counts.offerings == Offering.objects.count() > 0
    assert any(student.grade_year in o.eligible_grades for o in Offering.objects.all())
    _assert_the_lottery_assigned_every_preference()


def _assert_the_lottery_assigned_every_preference() -> None:
    assert not Preference.objects.filter(outcome=PreferenceOutcome.PENDING).exists()
    won = Preference.objects.filter(outcome=PreferenceOutcome.WON).count()
    assert won == Selection.objects.count() > 0
    for offering in Offering.objects.all():
        assert offering.taken == Selection.objects.filter(offering=offering).count()
        assert offering.taken <= offering.capacity


def _signature() -> tuple[list[tuple[str, str, int, int, int]], list[tuple[str, str]]]:
    """The timetable and the seats, named by codes and numbers rather than database ids."""
    lectures = sorted(
        (
            e.task.course.code,
            ",".join(sorted(c.name for c in e.task.classes.all())),
            e.weekday,
            e.period_start,
            e.length,
        )
        for e in TimetableEntry.objects.prefetch_related("task__classes").select_related(
            "task__course"
        )
    )
    seats = sorted(
        Selection.objects.values_list("student__student_number", "offering__task__course__code")
    )
    return lectures, seats


def test_seeding_again_on_the_same_day_adds_nothing_and_the_day_fixes_the_data(
    seeded: None,
) -> None:
    seed_teaching(AUTUMN_DAY)
    before = _signature()

    counts = seed_teaching(AUTUMN_DAY)

    assert counts is not None
    assert (counts.tasks, counts.lectures, counts.offerings, counts.rounds) == (0, 0, 0, 0)
    assert _signature() == before
    Term.objects.all().delete()  # and from scratch, the same day gives the same demo
    seed_teaching(AUTUMN_DAY)
    assert _signature() == before


def test_without_the_demo_there_is_nothing_to_seed(db: None) -> None:
    assert seed_teaching() is None
    assert not TeachingTask.objects.exists()


def test_demo_command_reports_the_teaching_demo(db: None) -> None:
    out = StringIO()

    call_command("demo", "--scale", str(SMALL), stdout=out)

    assert Offering.objects.exists()
    term = Term.objects.order_by("-start_date").first()
    assert term is not None
    teaching_line, history_line = out.getvalue().splitlines()[1:3]
    numbers = re.findall(r"\d+", teaching_line)
    assert str(TeachingTask.objects.filter(term=term).count()) in numbers
    assert str(TimetableEntry.objects.filter(term=term).count()) in numbers
    assert str(Offering.objects.count()) in numbers
    assert str(term) in teaching_line
    assert re.findall(r"\d+", history_line) == [
        "2",
        str(AttendanceRecord.objects.count()),
        str(Grade.objects.count()),
    ]
