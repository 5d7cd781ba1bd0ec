from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from openvet.core.errors import PermissionDenied
from openvet.teaching.models import (
    CalendarDay,
    Programme,
    Room,
    TeachingTask,
    Term,
    TimetableEntry,
)
from openvet.teaching.selectors import term_clashes
from openvet.teaching.services.demo import demo_data, demo_school_admin, seed_demo_term
from openvet.teaching.services.demo_calendar import (
    holidays_in,
    make_up_days_in,
    term_dates_around,
)
from openvet.teaching.services.demo_timetable import _lengths, _sessions, demo_timetable_seed
from openvet.teaching.tests.conftest import Campus

pytestmark = pytest.mark.django_db

AUTUMN_DAY = date(2025, 10, 15)  # the campus fixture's term 2025-2026-1 holds it
SPRING_DAY = date(2026, 4, 15)


def test_seed_demo_term_builds_a_term_ready_for_the_solver(campus: Campus) -> None:
    actor, school = demo_school_admin(campus.admin.username)
    result = seed_demo_term(actor=actor, school=school, today=AUTUMN_DAY)
    assert (str(result.term), result.rooms, result.programmes) == ("2025-2026-1", 54, 3)
    assert list(
        Programme.objects.filter(org=campus.major).values_list("intake_year", "version")
    ) == [(2025, 3), (2024, 2), (2023, 1)]
    # 2025-2026: weekend days worked for the days off of National Day and New Year
    assert list(
        CalendarDay.objects.filter(term=result.term, kind="workday").values_list(
            "date", "follows_date"
        )
    ) == [
        (date(2025, 9, 28), date(2025, 10, 7)),
        (date(2025, 10, 11), date(2025, 10, 8)),
        (date(2026, 1, 4), date(2026, 1, 2)),
    ]
    assert CalendarDay.objects.filter(term=result.term, date=date(2025, 10, 6)).get().name
    tasks = TeachingTask.objects.filter(term=result.term)
    # class_a (2025) is in semester 1: 9 courses; class_b (2024) in semester 3: 10 courses
    assert tasks.count() == result.tasks == 19
    assert not tasks.filter(teachers__isnull=True).exists()


def test_a_spring_day_seeds_the_spring_term_with_its_own_courses(campus: Campus) -> None:
    actor, school = demo_school_admin(campus.admin.username)

    result = seed_demo_term(actor=actor, school=school, today=SPRING_DAY)

    term = result.term
    assert (term.academic_year, term.number, term.start_date) == (2025, 2, date(2026, 2, 23))
    assert term.start_date <= SPRING_DAY <= term.start_date.replace(month=7, day=5)
    semesters = set(
        TeachingTask.objects.filter(term=term).values_list("source__semester", flat=True)
    )
    assert semesters == {2, 4}  # class_a (2025) in semester 2, class_b (2024) in 4
    # Labour Day 2026: 1, 4 and 5 May off, 9 May worked for 5 May.
    days = dict(CalendarDay.objects.filter(term=term).values_list("date", "kind"))
    assert {d: days[d] for d in (date(2026, 5, 1), date(2026, 5, 5), date(2026, 5, 9))} == {
        date(2026, 5, 1): "holiday",
        date(2026, 5, 5): "holiday",
        date(2026, 5, 9): "workday",
    }


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 28), (2026, 1, date(2026, 9, 7))),  # in the autumn term
        (date(2027, 1, 15), (2026, 1, date(2026, 9, 7))),  # its last week
        (date(2027, 1, 25), (2026, 2, date(2027, 2, 22))),  # winter holiday: the next term
        (date(2026, 3, 2), (2025, 2, date(2026, 2, 23))),  # in the spring term
        (date(2026, 7, 20), (2026, 1, date(2026, 9, 7))),  # summer holiday: the next term
    ],
)
def test_the_demo_term_is_the_one_around_the_day(
    day: date, expected: tuple[int, int, date]
) -> None:
    dates = term_dates_around(day, demo_data()["term"])
    assert (dates.academic_year, dates.number, dates.start_date) == expected
    assert dates.start_date.weekday() == 0
    assert dates.end_date >= day


def test_public_holidays_fall_on_teaching_days_of_the_term() -> None:
    term = term_dates_around(date(2026, 11, 28), demo_data()["term"])
    holidays = holidays_in(term, teaching_days=5)
    assert all(h.day.isoweekday() <= 5 and term.start_date <= h.day for h in holidays)
    assert date(2026, 10, 1) in {h.day for h in holidays}
    assert date(2026, 10, 3) not in {h.day for h in holidays}  # a Saturday
    assert [(d.day, d.follows) for d in make_up_days_in(term, "x")] == [
        (date(2026, 9, 20), date(2026, 10, 6)),
        (date(2026, 10, 10), date(2026, 10, 7)),
    ]


def test_seed_demo_term_twice_adds_nothing(campus: Campus) -> None:
    actor, school = demo_school_admin(campus.admin.username)
    seed_demo_term(actor=actor, school=school, today=AUTUMN_DAY)
    again = seed_demo_term(actor=actor, school=school, today=AUTUMN_DAY)
    assert (again.rooms, again.programmes, again.tasks) == (0, 0, 0)
    assert (Term.objects.count(), Room.objects.count()) == (1, 54)


def test_command_without_the_demo_fails_clearly(db: None) -> None:
    with pytest.raises(CommandError, match="openvet demo"):
        call_command("teaching_demo", "seed-demo-term", "--admin", "nobody")


def test_the_demo_timetable_places_every_lecture_once_without_clashes(campus: Campus) -> None:
    actor, school = demo_school_admin(campus.admin.username)
    term = seed_demo_term(actor=actor, school=school, today=AUTUMN_DAY).term

    placed = demo_timetable_seed(actor=actor, term=term)

    tasks = TeachingTask.objects.filter(term=term, weekly_hours__gt=0)
    entries = TimetableEntry.objects.filter(term=term)
    assert placed == entries.count() == sum(len(_lengths(t)) for t in tasks) > 0
    assert term_clashes(term) == []
    sessions = _sessions(term)
    assert len(sessions) == 2  # morning and afternoon of the campus bells
    for entry in entries:
        periods = range(entry.period_start, entry.period_start + entry.length)
        assert any(periods.start in s and periods.stop - 1 in s for s in sessions)
        assert entry.weekday <= term.teaching_days
    assert demo_timetable_seed(actor=actor, term=term) == 0  # a timetable is kept


def test_only_a_timetable_manager_of_the_school_seeds_it(campus: Campus, other: Campus) -> None:
    actor, school = demo_school_admin(campus.admin.username)
    term = seed_demo_term(actor=actor, school=school, today=AUTUMN_DAY).term

    with pytest.raises(PermissionDenied):
        demo_timetable_seed(actor=other.admin, term=term)

    assert not TimetableEntry.objects.filter(term=term).exists()
