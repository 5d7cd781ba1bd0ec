"""Today's lessons on the home page of teachers and students, from the published timetable."""

from datetime import date, time
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from openvet.core.roles import Role
from openvet.identity.tests.factories import user_with_role
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.daily_factories import task_of
from openvet.teaching.today import lessons_today_for

pytestmark = pytest.mark.django_db
MONDAY = date(2025, 9, 8)  # week 2 of the factory term
TUESDAY = date(2025, 9, 9)
AFTER_THE_TERM = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _no_totp(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


@pytest.fixture
def week(campus: Campus) -> dict[str, Any]:
    return {
        "maths": task_of(campus, classes=[campus.class_a], weekday=1, period=3),
        "english": task_of(campus, classes=[campus.class_a], weekday=1, period=1),
        "other_class": task_of(campus, classes=[campus.class_b], weekday=1, period=5),
        "tuesday": task_of(campus, classes=[campus.class_a], weekday=2, period=1),
    }


def test_a_student_sees_their_class_lessons_of_the_day_in_period_order(
    campus: Campus, week: dict[str, Any]
) -> None:
    lessons = lessons_today_for(actor=campus.student, day=MONDAY)
    assert [(lesson.course, lesson.period_start, lesson.period_end) for lesson in lessons] == [
        (week["english"].course.name, 1, 2),
        (week["maths"].course.name, 3, 4),
    ]
    assert (lessons[0].starts_at, lessons[0].classes) == (time(8, 0), campus.class_a.name)


def test_a_teacher_sees_every_lesson_they_teach_that_day(
    campus: Campus, week: dict[str, Any]
) -> None:
    lessons = lessons_today_for(actor=campus.teacher, day=MONDAY)
    assert [lesson.period_start for lesson in lessons] == [1, 3, 5]
    assert lessons_today_for(actor=campus.teacher2, day=MONDAY) == []


def test_no_lessons_outside_the_term(campus: Campus, week: dict[str, Any]) -> None:
    assert lessons_today_for(actor=campus.student, day=AFTER_THE_TERM) == []


def test_another_school_sees_none_of_them(
    campus: Campus, other: Campus, week: dict[str, Any]
) -> None:
    assert lessons_today_for(actor=other.teacher, day=MONDAY) == []
    assert lessons_today_for(actor=other.student, day=MONDAY) == []


def test_the_student_home_lists_today_in_chinese(campus: Campus, week: dict[str, Any]) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(campus.student)
    with time_machine.travel(date(2025, 9, 9), tick=False):
        page = client.get(reverse("core:home")).content.decode()
    assert "今日课程" in page
    assert week["tuesday"].course.name in page
    assert week["maths"].course.name not in page
    assert "第 1–2 节" in page


def test_staff_who_do_not_teach_get_no_lessons_panel(campus: Campus) -> None:
    security = user_with_role(Role.SECURITY_ADMIN, campus.school)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(security)
    keys = [panel.key for panel, _context in client.get(reverse("core:home")).context["panels"]]
    assert "teaching.today" not in keys
