"""The users page costs the same SQL queries for 3N rows as for N (no N+1)."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openvet.core.roles import Role
from openvet.identity.api.testing import campus
from openvet.identity.tests.factories import user_with_role

pytestmark = pytest.mark.django_db

N = 4


@pytest.fixture(autouse=True)
def _no_totp(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


def test_user_list_page_queries_do_not_grow_with_rows() -> None:
    world = campus()
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(world.school_admin)
    shown_before = client.get(reverse("identity:user-list")).context["page"].paginator.count

    def page() -> tuple[int, int]:
        client.get(reverse("identity:user-list"))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("identity:user-list"))
        assert response.status_code == 200
        return len(captured), len(response.context["page"].object_list)

    def teachers(count: int) -> None:
        for _n in range(count):
            user_with_role(Role.TEACHER, world.department_a)

    teachers(N)
    few = page()
    teachers(2 * N)
    many = page()

    assert (few[1], many[1]) == (shown_before + N, shown_before + 3 * N)
    assert many[0] == few[0]
