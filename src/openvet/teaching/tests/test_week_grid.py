"""The week timetable: lectures of several periods span their rows, weekends appear only when
they hold a lecture, today is marked, and the page draws each lecture once."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openvet.identity.tests.support import sign_in
from openvet.teaching import presenters
from openvet.teaching.models import TimetableEntry
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.factories import CourseFactory, EntryFactory, TeachingTaskFactory

pytestmark = pytest.mark.django_db
WEDNESDAY = date(2025, 9, 3)  # week 1 of the campus term, which starts on Monday 1 September


def _lecture(
    campus: Campus, name: str, *, weekday: int, period: int, length: int
) -> TimetableEntry:
    task = TeachingTaskFactory(
        term=campus.term,
        org=campus.class_a,
        classes=[campus.class_a],
        teachers=[campus.teacher],
        course=CourseFactory(org=campus.school, name=name),
    )
    return EntryFactory(task=task, weekday=weekday, period_start=period, length=length)


def _layout(week: presenters.Week) -> list[list[tuple[int, int, list[str]]]]:
    """Per day: (first row, rows spanned, course names) of each block it draws."""
    return [
        [(b["row"], b["span"], [i.course for i in b["items"]]) for b in day["blocks"]]
        for day in week.days
    ]


def test_a_two_period_lecture_is_one_block_over_both_rows(campus: Campus) -> None:
    entries = [_lecture(campus, "Hydraulics", weekday=2, period=1, length=2)]

    week = presenters.week_view(campus.term, entries, 1)

    assert _layout(week) == [[], [(1, 2, ["Hydraulics"])], [], [], []]
    assert [b.number for b in week.bells][:3] == [1, 2, 3]


def test_a_lecture_starting_inside_a_span_joins_it(campus: Campus) -> None:
    entries = [
        _lecture(campus, "Hydraulics", weekday=1, period=1, length=2),
        _lecture(campus, "Welding", weekday=1, period=2, length=2),
        _lecture(campus, "Drawing", weekday=1, period=5, length=1),
    ]

    week = presenters.week_view(campus.term, entries, 1)

    assert _layout(week)[0] == [(1, 3, ["Hydraulics", "Welding"]), (5, 1, ["Drawing"])]


def test_a_lecture_after_the_last_bell_is_kept_in_the_last_row(campus: Campus) -> None:
    last = max(b.number for b in presenters.week_view(campus.term, [], 1).bells)
    entries = [_lecture(campus, "Hydraulics", weekday=1, period=last + 1, length=1)]

    week = presenters.week_view(campus.term, entries, 1)

    assert _layout(week)[0] == [(last, 1, ["Hydraulics"])]


def test_weekend_columns_appear_only_with_a_weekend_lecture(campus: Campus) -> None:
    weekday_only = [_lecture(campus, "Hydraulics", weekday=1, period=1, length=1)]
    with_saturday = [*weekday_only, _lecture(campus, "Welding", weekday=6, period=3, length=1)]

    plain = presenters.week_view(campus.term, weekday_only, 1)
    weekend = presenters.week_view(campus.term, with_saturday, 1)

    assert [d.isoweekday() for d in plain.dates] == [1, 2, 3, 4, 5]
    assert [d.isoweekday() for d in weekend.dates] == [1, 2, 3, 4, 5, 6]
    assert _layout(weekend)[5] == [(3, 1, ["Welding"])]


def test_today_is_marked(campus: Campus) -> None:
    entries = [_lecture(campus, "Hydraulics", weekday=3, period=1, length=2)]

    week = presenters.week_view(campus.term, entries, 1, today=WEDNESDAY)

    assert [d["is_today"] for d in week.days] == [False, False, True, False, False]


def test_the_page_draws_each_lecture_once_in_its_column_and_rows(
    campus: Campus, client: Client
) -> None:
    _lecture(campus, "Hydraulics", weekday=2, period=1, length=2)
    sign_in(client, campus.student)

    body = client.get(
        reverse("teaching:my-timetable") + "?week=1", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert body.count("<strong>Hydraulics</strong>") == 1  # one drawing for phones and desktops
    assert body.count('class="timetable-block tt-c2 tt-r1 tt-s2"') == 1  # Tuesday, periods 1-2
    assert body.count('class="timetable-column tt-c') == 5  # Monday to Friday
    assert "Periods 1–2" in body
    assert "teaching/timetable.css" in body


def _queries_for_my_week(client: Client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        body = client.get(
            reverse("teaching:my-timetable") + "?week=1", HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    return len(queries), body


def test_the_timetable_reads_as_many_queries_for_three_lectures_as_for_one(
    campus: Campus, client: Client
) -> None:
    _lecture(campus, "Hydraulics", weekday=1, period=1, length=2)
    sign_in(client, campus.student)
    client.get(reverse("teaching:my-timetable"))  # the first visit issues the calendar link
    one, shown = _queries_for_my_week(client)
    _lecture(campus, "Welding", weekday=2, period=3, length=1)
    _lecture(campus, "Drawing", weekday=4, period=5, length=2)

    three, body = _queries_for_my_week(client)

    assert "<strong>Hydraulics</strong>" in shown
    assert all(f"<strong>{name}</strong>" in body for name in ("Hydraulics", "Welding", "Drawing"))
    assert three == one
