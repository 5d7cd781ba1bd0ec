from datetime import date, time

import pytest

from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.core.models import AuditEntry
from openvet.teaching import services
from openvet.teaching.models import BellPeriod, CalendarDay, Room, Term
from openvet.teaching.tests.conftest import Campus

pytestmark = pytest.mark.django_db


def test_term_create_records_and_audits(campus: Campus) -> None:
    term = services.term_create(
        actor=campus.admin,
        school=campus.school,
        academic_year=2026,
        number=1,
        start_date=date(2026, 8, 31),
        weeks=20,
    )
    assert (term.org, str(term), term.weeks) == (campus.school, "2026-2027-1", 20)
    assert AuditEntry.objects.filter(object_type="teaching.term", object_id=str(term.pk)).exists()


def test_term_must_start_on_a_monday(campus: Campus) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.term_create(
            actor=campus.admin,
            school=campus.school,
            academic_year=2026,
            number=1,
            start_date=date(2026, 9, 1),
            weeks=20,
        )
    assert list(exc.value.details) == ["start_date"]


def test_duplicate_term_is_a_conflict(campus: Campus) -> None:
    with pytest.raises(Conflict):
        services.term_create(
            actor=campus.admin,
            school=campus.school,
            academic_year=2025,
            number=1,
            start_date=date(2025, 9, 1),
        )
    assert Term.objects.filter(org=campus.school).count() == 1


def test_admin_of_another_school_cannot_create_a_term(campus: Campus, other: Campus) -> None:
    with pytest.raises(PermissionDenied):
        services.term_create(
            actor=other.admin,
            school=campus.school,
            academic_year=2026,
            number=2,
            start_date=date(2027, 3, 1),
        )
    assert Term.objects.filter(org=campus.school).count() == 1


def test_teacher_cannot_create_a_term(campus: Campus) -> None:
    with pytest.raises(PermissionDenied):
        services.term_create(
            actor=campus.teacher,
            school=campus.school,
            academic_year=2026,
            number=2,
            start_date=date(2027, 3, 1),
        )


def test_holiday_is_recorded(campus: Campus) -> None:
    day = services.calendar_day_set(
        actor=campus.admin,
        term=campus.term,
        day=date(2025, 10, 1),
        kind="holiday",
        name="National Day",
    )
    assert (day.kind, day.follows_date) == ("holiday", None)


def test_makeup_day_needs_the_date_it_follows(campus: Campus) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.calendar_day_set(
            actor=campus.admin, term=campus.term, day=date(2025, 10, 11), kind="workday"
        )
    assert list(exc.value.details) == ["follows_date"]
    assert not CalendarDay.objects.exists()


def test_calendar_day_outside_the_term_is_refused(campus: Campus) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.calendar_day_set(
            actor=campus.admin, term=campus.term, day=date(2026, 3, 1), kind="holiday"
        )
    assert list(exc.value.details) == ["date"]


def test_setting_a_date_again_replaces_it(campus: Campus) -> None:
    services.calendar_day_set(
        actor=campus.admin, term=campus.term, day=date(2025, 10, 11), kind="holiday"
    )
    services.calendar_day_set(
        actor=campus.admin,
        term=campus.term,
        day=date(2025, 10, 11),
        kind="workday",
        follows_date=date(2025, 10, 3),
    )
    assert list(CalendarDay.objects.values_list("kind", "follows_date")) == [
        ("workday", date(2025, 10, 3))
    ]


def test_bell_schedule_replaces_the_periods(campus: Campus) -> None:
    services.bell_schedule_set(
        actor=campus.admin,
        school=campus.school,
        periods=[(time(8, 0), time(8, 45)), (time(9, 0), time(9, 45))],
    )
    assert list(
        BellPeriod.objects.filter(org=campus.school).values_list("number", "starts_at")
    ) == [(1, time(8, 0)), (2, time(9, 0))]


def test_overlapping_bell_periods_are_refused(campus: Campus) -> None:
    with pytest.raises(ValidationFailed):
        services.bell_schedule_set(
            actor=campus.admin,
            school=campus.school,
            periods=[(time(8, 0), time(8, 45)), (time(8, 30), time(9))],
        )
    assert BellPeriod.objects.filter(org=campus.school).count() == 8


def test_room_create_and_duplicate(campus: Campus) -> None:
    services.room_create(
        actor=campus.admin,
        school=campus.school,
        building="B",
        number="201",
        capacity=60,
        room_type="computer_lab",
    )
    with pytest.raises(Conflict):
        services.room_create(
            actor=campus.admin, school=campus.school, building="B", number="201", capacity=30
        )
    assert Room.objects.filter(org=campus.school).count() == 1


def test_room_needs_a_seat(campus: Campus) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.room_create(
            actor=campus.admin, school=campus.school, building="B", number="202", capacity=0
        )
    assert list(exc.value.details) == ["capacity"]


def test_course_create_and_update(campus: Campus) -> None:
    course = services.course_create(
        actor=campus.admin,
        school=campus.school,
        code="MA101",
        name="Mathematics",
        theory_hours=48,
        practice_hours=0,
        credits=3,
        course_type="public_basic",
        assessment="exam",
    )
    services.course_update(actor=campus.admin, course=course, name="Applied mathematics")
    course.refresh_from_db()
    assert (course.name, course.total_hours) == ("Applied mathematics", 48)


def test_course_code_is_unique_per_school(campus: Campus, other: Campus) -> None:
    for actor, school in ((campus.admin, campus.school), (other.admin, other.school)):
        services.course_create(
            actor=actor, school=school, code="MA101", name="Mathematics", course_type="public_basic"
        )
    with pytest.raises(Conflict):
        services.course_create(
            actor=campus.admin,
            school=campus.school,
            code="MA101",
            name="Again",
            course_type="public_basic",
        )
