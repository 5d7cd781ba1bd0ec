"""A selected elective is part of the student's timetable page and calendar feed."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openvet.teaching import services as teaching_services
from openvet.teaching.selection import services
from openvet.teaching.selection.models import RoundKind
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.daily_factories import (
    campus_student,
    offering_of,
    round_of,
    student_in,
)

pytestmark = pytest.mark.django_db


def _summaries(text: str) -> list[str]:
    return sorted(line[8:] for line in text.split("\r\n") if line.startswith("SUMMARY:"))


def test_first_come_selection_is_in_the_feed_and_the_week(campus: Campus) -> None:
    campus_student(campus)
    offering = offering_of(campus, weekday=3, period=5, code="EL301")
    offering.task.course.name = "Tea art"
    offering.task.course.save()
    round_of(campus)
    before = teaching_services.calendar_feed(user=campus.student, terms=[campus.term])
    services.selection_create(actor=campus.student, offering=offering)
    after = teaching_services.calendar_feed(user=campus.student, terms=[campus.term])
    assert "Tea art" not in before
    # one lecture a week, every week of the task (no holiday in the fixture's calendar)
    assert _summaries(after).count("Tea art") == offering.task.week_end
    client = Client()
    client.force_login(campus.student)
    page = client.get(reverse("teaching:my-timetable"), {"week": 1}).content.decode()
    assert "Tea art" in page


def test_lottery_seat_is_in_the_feed_and_others_do_not_see_it(campus: Campus) -> None:
    winner = student_in(campus)
    bystander = student_in(campus)
    offering = offering_of(campus, capacity=1, weekday=4, period=3)
    offering.task.course.name = "Pottery"
    offering.task.course.save()
    opened = timezone.now() - timedelta(hours=3)
    selection_round = round_of(campus, kind=RoundKind.PREFERENCE, opens=opened, hours=1)
    services.preferences_set(
        actor=winner.user,
        selection_round=selection_round,
        offerings=[offering],
        now=opened + timedelta(minutes=5),
    )
    services.lottery_run(actor=campus.admin, selection_round=selection_round, seed=7)
    mine = teaching_services.calendar_feed(user=winner.user, terms=[campus.term])
    theirs = teaching_services.calendar_feed(user=bystander.user, terms=[campus.term])
    assert "Pottery" in _summaries(mine)
    assert "Pottery" not in theirs
    client = Client()
    client.force_login(bystander.user)
    page = client.get(reverse("teaching:my-timetable"), {"week": 1}).content.decode()
    assert "Pottery" not in page
