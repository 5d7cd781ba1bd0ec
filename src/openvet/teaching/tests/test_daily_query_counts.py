"""Daily teaching pages cost the same SQL queries for 3N courses as for N: the student's
attendance rates and the teacher's grades page (ADR 0020)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openvet.identity.tests.support import sign_in
from openvet.teaching.attendance import codes, selectors, services
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.daily_factories import campus_student, task_of
from openvet.teaching.tests.test_attendance_services import MONDAY, _at

pytestmark = pytest.mark.django_db

N = 2


def _attended_courses(campus: Campus, count: int, first_week: int) -> None:
    """Courses of class A, each with one closed Monday lecture (a week of its own) the campus
    student signed in to."""
    for n in range(count):
        day = MONDAY + timedelta(weeks=first_week + n)
        task = task_of(campus, classes=[campus.class_a], weekday=1, period=1)
        session = services.session_open(actor=campus.teacher, task=task, day=day, period_start=1)
        now = _at(8, 1, day)
        services.sign_in(
            actor=campus.student,
            session=session,
            code=codes.current_code(session.pk, now)[0],
            now=now,
        )
        services.session_close(actor=campus.teacher, session=session)


def _rates_and_queries(campus: Campus, student: object) -> tuple[list[object], int]:
    with CaptureQueriesContext(connection) as captured:
        rates = selectors.student_rates(student=student, term_id=campus.term.pk)
    return rates, len(captured)


def test_student_rates_queries_do_not_grow_with_courses(campus: Campus) -> None:
    student = campus_student(campus)
    _attended_courses(campus, N, first_week=0)
    few, few_queries = _rates_and_queries(campus, student)
    _attended_courses(campus, 2 * N, first_week=N)
    many, many_queries = _rates_and_queries(campus, student)

    assert (len(few), len(many)) == (N, 3 * N)
    assert all((r.sessions, r.attended) == (1, 1) for r in many)  # type: ignore[attr-defined]
    assert many_queries == few_queries


def test_grades_page_queries_do_not_grow_with_tasks(campus: Campus) -> None:
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="zh-hans"), campus.teacher)

    def shown() -> tuple[int, int]:
        client.get(reverse("teaching:grades-home"))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("teaching:grades-home"))
        return len(captured), len(response.context["tasks"])

    for period in range(N):
        task_of(campus, classes=[campus.class_a], weekday=2, period=1 + period)
    few_queries, few = shown()
    for period in range(N, 3 * N):
        task_of(campus, classes=[campus.class_a], weekday=3, period=1 + period)
    many_queries, many = shown()

    assert (few, many) == (N, 3 * N)
    assert many_queries == few_queries
