"""A list costs the same SQL queries whatever the number of rows it shows (no N+1).

Each test shows a list with N rows, then with 3N, and asserts the same number of queries.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from openvet.identity.api.testing import bearer
from openvet.records.tests.conftest import People
from openvet.records.tests.factories import staff, student

N = 4


@pytest.fixture(autouse=True)
def _no_totp(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


def _queries_and_rows(fetch: Callable[[], Any], rows: Callable[[Any], int]) -> tuple[int, int]:
    """Queries and rows of the second of two identical requests (the first touches the token)."""
    fetch()
    with CaptureQueriesContext(connection) as captured:
        response = fetch()
    assert response.status_code == 200
    return len(captured), rows(response)


def _students(people: People, count: int) -> None:
    """Students spread over both classes and majors, half of them with an account."""
    campus = people.campus
    for n in range(count):
        if n % 2:
            student(campus, major=campus.other_major, class_unit=campus.other_klass)
        else:
            student(campus)


def test_student_list_page_queries_do_not_grow_with_rows(client: Client, people: People) -> None:
    client.force_login(people.admin)

    def page() -> tuple[int, int]:
        return _queries_and_rows(
            lambda: client.get("/records/students/"),
            lambda r: len(r.context["page"].object_list),
        )

    _students(people, N)
    few = page()
    _students(people, 2 * N)
    many = page()

    assert (few[1], many[1]) == (N + 1, 3 * N + 1)
    assert many[0] == few[0]


def test_student_list_api_queries_do_not_grow_with_rows(client: Client, people: People) -> None:
    headers = bearer(people.admin)

    def read() -> tuple[int, int]:
        return _queries_and_rows(
            lambda: client.get("/api/v1/records/students", headers=headers),
            lambda r: len(r.json()["items"]),
        )

    _students(people, N)
    few = read()
    _students(people, 2 * N)
    many = read()

    assert (few[1], many[1]) == (N + 1, 3 * N + 1)
    assert many[0] == few[0]


def test_staff_list_page_and_api_queries_do_not_grow_with_rows(
    client: Client, people: People
) -> None:
    client.force_login(people.admin)
    headers = bearer(people.admin)

    def both() -> tuple[tuple[int, int], tuple[int, int]]:
        page = _queries_and_rows(
            lambda: client.get("/records/staff/"),
            lambda r: len(r.context["page"].object_list),
        )
        api = _queries_and_rows(
            lambda: client.get("/api/v1/records/staff", headers=headers),
            lambda r: len(r.json()["items"]),
        )
        return page, api

    for n in range(N):
        staff(people.campus, name=f"Teacher {n}")
    few_page, few_api = both()
    for n in range(2 * N):
        staff(people.campus, name=f"Teacher {N + n}")
    many_page, many_api = both()

    assert (few_page[1], many_page[1], few_api[1], many_api[1]) == (N, 3 * N, N, 3 * N)
    assert (many_page[0], many_api[0]) == (few_page[0], few_api[0])
