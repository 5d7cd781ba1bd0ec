"""The approvals inbox (page and API) costs the same SQL queries for 3N rows as for N."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openvet.identity.api.testing import bearer
from openvet.identity.tests.factories import UserFactory
from openvet.workflow import services
from openvet.workflow.tests.conftest import CODE, Outcomes, Tree

pytestmark = pytest.mark.django_db

N = 4


@pytest.fixture(autouse=True)
def _no_totp(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


def _queries_and_rows(fetch: Callable[[], Any], rows: Callable[[Any], int]) -> tuple[int, int]:
    fetch()  # the first request touches the token's last use
    with CaptureQueriesContext(connection) as captured:
        response = fetch()
    assert response.status_code == 200
    return len(captured), rows(response)


def _requests(tree: Tree, count: int) -> None:
    """Requests from different applicants, each waiting on the counsellor."""
    for _n in range(count):
        applicant = UserFactory(home_org=tree.klass)
        services.instance_start(
            actor=applicant,
            code=CODE,
            subject_type="tests.thing",
            subject_id=applicant.pk,
            title=f"Leave of {applicant.pk}",
            org=tree.klass,
            payload={"days": 3},
        )


def test_approvals_inbox_queries_do_not_grow_with_rows(tree: Tree, outcomes: Outcomes) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(tree.counsellor)
    headers = bearer(tree.counsellor)

    def both() -> tuple[tuple[int, int], tuple[int, int]]:
        page = _queries_and_rows(
            lambda: client.get(reverse("workflow:task-list")),
            lambda r: len(r.context["rows"]),
        )
        api = _queries_and_rows(
            lambda: client.get("/api/v1/workflow/approval-tasks", headers=headers),
            lambda r: len(r.json()["items"]),
        )
        return page, api

    _requests(tree, N)
    few_page, few_api = both()
    _requests(tree, 2 * N)
    many_page, many_api = both()

    assert (few_page[1], many_page[1], few_api[1], many_api[1]) == (N, 3 * N, N, 3 * N)
    assert (many_page[0], many_api[0]) == (few_page[0], few_api[0])
