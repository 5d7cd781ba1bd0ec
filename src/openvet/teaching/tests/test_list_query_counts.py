"""Term and task lists (pages and API) cost the same SQL queries for 3N rows as for N."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openvet.core.roles import Role
from openvet.identity.api.testing import bearer
from openvet.identity.tests.factories import user_with_role
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.factories import (
    EntryFactory,
    RoomFactory,
    TeachingTaskFactory,
    TermFactory,
)

pytestmark = pytest.mark.django_db

N = 3


@pytest.fixture(autouse=True)
def _no_totp(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


def _queries_and_rows(fetch: Callable[[], Any], rows: Callable[[Any], int]) -> tuple[int, int]:
    fetch()  # the first request touches the token's last use
    with CaptureQueriesContext(connection) as captured:
        response = fetch()
    assert response.status_code == 200
    return len(captured), rows(response)


def _tasks(campus: Campus, count: int) -> None:
    """Tasks with their own teacher, class and room, each placed in the timetable."""
    for n in range(count):
        klass = campus.class_a if n % 2 else campus.class_b
        teacher = user_with_role(Role.TEACHER, campus.department)
        task = TeachingTaskFactory(term=campus.term, org=klass, classes=[klass], teachers=[teacher])
        EntryFactory(task=task, room=RoomFactory(org=campus.school), week_end=2)


def test_task_list_page_and_api_queries_do_not_grow_with_rows(campus: Campus) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(campus.admin)
    headers = bearer(campus.admin)
    term = campus.term.pk

    def both() -> tuple[tuple[int, int], tuple[int, int]]:
        page = _queries_and_rows(
            lambda: client.get(reverse("teaching:task-list", args=[term])),
            lambda r: len(r.context["tasks"]),
        )
        api = _queries_and_rows(
            lambda: client.get(f"/api/v1/teaching/terms/{term}/tasks", headers=headers),
            lambda r: len(r.json()["items"]),
        )
        return page, api

    _tasks(campus, N)
    few_page, few_api = both()
    _tasks(campus, 2 * N)
    many_page, many_api = both()

    assert (few_page[1], many_page[1], few_api[1], many_api[1]) == (N, 3 * N, N, 3 * N)
    assert (many_page[0], many_api[0]) == (few_page[0], few_api[0])


def test_term_list_page_and_api_queries_do_not_grow_with_rows(campus: Campus) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(campus.admin)
    headers = bearer(campus.admin)

    def both() -> tuple[tuple[int, int], tuple[int, int]]:
        page = _queries_and_rows(
            lambda: client.get(reverse("teaching:term-list")), lambda r: len(r.context["terms"])
        )
        api = _queries_and_rows(
            lambda: client.get("/api/v1/teaching/terms", headers=headers),
            lambda r: len(r.json()["items"]),
        )
        return page, api

    def terms(years: range) -> None:
        for year in years:
            TermFactory(org=campus.school, academic_year=year)

    terms(range(2010, 2010 + N - 1))  # with the campus's own term: N
    few_page, few_api = both()
    terms(range(2030, 2030 + 2 * N))
    many_page, many_api = both()

    assert (few_page[1], many_page[1], few_api[1], many_api[1]) == (N, 3 * N, N, 3 * N)
    assert (many_page[0], many_api[0]) == (few_page[0], few_api[0])


def test_task_list_page_shows_a_page_at_a_time(campus: Campus, monkeypatch: Any) -> None:
    monkeypatch.setattr("openvet.teaching.views.tasks.TASK_PAGE_SIZE", 2)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(campus.admin)
    _tasks(campus, 3)
    url = reverse("teaching:task-list", args=[campus.term.pk])

    first, second = client.get(url), client.get(url, {"page": 2})

    assert (len(first.context["tasks"]), len(second.context["tasks"])) == (2, 1)
    assert "第 1 页，共 2 页" in first.content.decode()
    shown = {t.pk for t in [*first.context["tasks"], *second.context["tasks"]]}
    assert len(shown) == 3
