"""The audit log and the org tree cost the same SQL queries for 3N rows as for N (no N+1)."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openvet.core.audit import audit_record
from openvet.core.models import AuditAction, OrgUnit
from openvet.core.roles import Role
from openvet.core.tests.actors import make_user
from openvet.core.tests.factories import department, province, school

pytestmark = pytest.mark.django_db

N = 4


@pytest.fixture(autouse=True)
def _no_second_factor(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


def _queries_and_rows(fetch: Callable[[], Any], rows: Callable[[Any], int]) -> tuple[int, int]:
    fetch()  # the first request may fill per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = fetch()
    assert response.status_code == 200
    return len(captured), rows(response)


def _entries(school_org: OrgUnit, count: int) -> None:
    """Entries by different actors on different objects, as the log holds them."""
    for n in range(count):
        actor = make_user(Role.TEACHER, school_org)
        unit = department(school_org, f"Dept {n} {actor.pk}")
        audit_record(action=AuditAction.UPDATE, obj=unit, org=unit, actor=actor)


def test_audit_log_page_queries_do_not_grow_with_rows(client: Client) -> None:
    college = school(province(), name="School A")
    client.force_login(make_user(Role.AUDIT_ADMIN, college, home_org=None))

    def page() -> tuple[int, int]:
        return _queries_and_rows(
            lambda: client.get(reverse("core:audit-list")),
            lambda r: len(r.context["page"].object_list),
        )

    _entries(college, N)
    few = page()
    _entries(college, 2 * N)
    many = page()

    assert (few[1], many[1]) == (N, 3 * N)
    assert many[0] == few[0]


def test_org_children_queries_do_not_grow_with_rows(client: Client) -> None:
    college = school(province(), name="School A")
    client.force_login(make_user(Role.SCHOOL_ADMIN, college))
    url = reverse("core:org-children", args=[college.pk])

    def children() -> tuple[int, int]:
        return _queries_and_rows(lambda: client.get(url), lambda r: len(r.context["nodes"]))

    for n in range(N):
        department(college, f"Dept {n}")
    few = children()
    for n in range(2 * N):
        department(college, f"Dept {N + n}")
    many = children()

    assert (few[1], many[1]) == (N, 3 * N)
    assert many[0] == few[0]
