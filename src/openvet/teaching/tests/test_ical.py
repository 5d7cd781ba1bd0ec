from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from openvet.teaching import services
from openvet.teaching.models import FeedToken
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.factories import (
    CourseFactory,
    EntryFactory,
    RoomFactory,
    TeachingTaskFactory,
)

pytestmark = pytest.mark.django_db


def three_weeks(campus: Campus) -> None:
    task = TeachingTaskFactory(
        term=campus.term,
        org=campus.class_a,
        classes=[campus.class_a],
        teachers=[campus.teacher],
        course=CourseFactory(org=campus.school, name="Welding, basics"),
    )
    EntryFactory(
        task=task,
        weekday=1,
        period_start=1,
        length=2,
        week_end=3,
        room=RoomFactory(org=campus.school, building="B", number="101"),
    )
    services.calendar_day_set(
        actor=campus.admin, term=campus.term, day=date(2025, 9, 8), kind="holiday"
    )
    services.calendar_day_set(
        actor=campus.admin,
        term=campus.term,
        day=date(2025, 9, 13),
        kind="workday",
        follows_date=date(2025, 9, 8),
    )


def starts(text: str) -> list[str]:
    return [line.split(":", 1)[1] for line in text.split("\r\n") if line.startswith("DTSTART")]


def test_feed_expands_weeks_with_bell_times_and_holidays(campus: Campus) -> None:
    three_weeks(campus)
    text = services.calendar_feed(user=campus.student, terms=[campus.term])
    # 08:00-09:40 Asia/Shanghai is 00:00-01:40 UTC; week 2 moved to Saturday 13 September.
    assert starts(text) == ["20250901T000000Z", "20250913T000000Z", "20250915T000000Z"]
    assert "DTEND:20250901T014000Z" in text
    assert "SUMMARY:Welding\\, basics" in text
    assert "LOCATION:B 101" in text
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")


def test_teacher_feed_has_the_lectures_taught(campus: Campus) -> None:
    three_weeks(campus)
    text = services.calendar_feed(user=campus.teacher, terms=[campus.term])
    assert len(starts(text)) == 3


def test_other_people_have_an_empty_feed(campus: Campus) -> None:
    three_weeks(campus)
    assert starts(services.calendar_feed(user=campus.teacher2, terms=[campus.term])) == []


def test_feed_url_serves_text_calendar_without_a_session(campus: Campus, client: Client) -> None:
    three_weeks(campus)
    token = services.feed_token_for(user=campus.student)
    response = client.get(reverse("teaching:feed", args=[token.token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert len(starts(response.content.decode())) == 3


def test_unknown_token_is_not_found(campus: Campus, client: Client) -> None:
    assert client.get(reverse("teaching:feed", args=["nope"])).status_code == 404


def test_reset_revokes_the_old_url(campus: Campus, client: Client) -> None:
    old = services.feed_token_for(user=campus.student).token
    services.feed_token_reset(actor=campus.student)
    assert FeedToken.objects.get(user=campus.student).token != old
    assert client.get(reverse("teaching:feed", args=[old])).status_code == 404
