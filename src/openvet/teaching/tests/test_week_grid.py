"""The desktop week grid: lectures of several periods span their rows, weekends appear only
when they hold a lecture, today is marked."""

from datetime import date

import pytest
from django.test import Client
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


def _layout(week: presenters.Week) -> list[list[tuple[int, list[str]]]]:
    """Per row of the grid: (rowspan, course names) of each cell it draws."""
    return [
        [(cell["rowspan"], [i.course for i in cell["items"]]) for cell in row["cells"]]
        for row in week.rows[:4]
    ]


def test_a_two_period_lecture_is_one_cell_over_both_rows(campus: Campus) -> None:
    entries = [_lecture(campus, "Hydraulics", weekday=2, period=1, length=2)]

    week = presenters.week_view(campus.term, entries, 1)

    empty = (1, [])
    assert _layout(week) == [
        [empty, (2, ["Hydraulics"]), empty, empty, empty],
        [empty, empty, empty, empty],  # Tuesday's second period is covered by the span
        [empty] * 5,
        [empty] * 5,
    ]


def test_a_lecture_starting_inside_a_span_joins_it(campus: Campus) -> None:
    entries = [
        _lecture(campus, "Hydraulics", weekday=1, period=1, length=2),
        _lecture(campus, "Welding", weekday=1, period=2, length=2),
    ]

    week = presenters.week_view(campus.term, entries, 1)

    monday = week.rows[0]["cells"][0]
    assert (monday["rowspan"], [i.course for i in monday["items"]]) == (
        3,
        ["Hydraulics", "Welding"],
    )
    assert [len(row["cells"]) for row in week.rows[:4]] == [5, 4, 4, 5]


def test_weekend_columns_appear_only_with_a_weekend_lecture(campus: Campus) -> None:
    weekday_only = [_lecture(campus, "Hydraulics", weekday=1, period=1, length=1)]
    with_saturday = [*weekday_only, _lecture(campus, "Welding", weekday=6, period=3, length=1)]

    plain = presenters.week_view(campus.term, weekday_only, 1)
    weekend = presenters.week_view(campus.term, with_saturday, 1)

    assert [d.isoweekday() for d in plain.dates] == [1, 2, 3, 4, 5]
    assert [d.isoweekday() for d in weekend.dates] == [1, 2, 3, 4, 5, 6]
    assert [i.course for i in weekend.rows[2]["cells"][5]["items"]] == ["Welding"]


def test_today_is_marked_in_the_header_the_cells_and_the_phone_list(campus: Campus) -> None:
    entries = [_lecture(campus, "Hydraulics", weekday=3, period=1, length=2)]

    week = presenters.week_view(campus.term, entries, 1, today=WEDNESDAY)

    assert [h["is_today"] for h in week.headers] == [False, False, True, False, False]
    assert [c["is_today"] for c in week.rows[0]["cells"]] == [False, False, True, False, False]
    assert [d["is_today"] for d in week.days] == [False, False, True, False, False]


def test_the_page_draws_the_span_and_equal_day_columns(campus: Campus, client: Client) -> None:
    _lecture(campus, "Hydraulics", weekday=2, period=1, length=2)
    sign_in(client, campus.student)

    body = client.get(
        reverse("teaching:my-timetable") + "?week=1", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert body.count('rowspan="2"') == 1
    assert body.count('<col class="timetable-day">') == 5
    assert "teaching/timetable.css" in body
