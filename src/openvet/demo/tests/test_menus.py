"""Menus fit the role: each demo account's menu lists only pages that answer it with 200,
and roles that do not teach or learn see no course selection, attendance, grades or
evaluation."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from openvet.core.shell import nav_items_for
from openvet.demo.seed import FEATURED_ACCOUNTS, demo_seed
from openvet.identity.models import User

SMALL = 0.05
DAILY_TEACHING = {
    "teaching-timetable",
    "teaching-selection",
    "teaching-attendance",
    "teaching-grades",
    "teaching-evaluation",
}


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The demo, seeded once for the module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_seed(scale=SMALL)
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _no_totp(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


def _menu(username: str) -> list[str]:
    return [item.key for item in nav_items_for(User.objects.get(username=username))]


@pytest.mark.parametrize("username", FEATURED_ACCOUNTS)
def test_every_menu_entry_answers_200_for_the_role(seeded: None, db: None, username: str) -> None:
    user = User.objects.get(username=username)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    # An entry may redirect (my record → the record's page); where it lands must answer 200.
    statuses = {
        item.key: client.get(reverse(item.url_name), follow=True).status_code
        for item in nav_items_for(user)
    }
    assert statuses
    assert {key: status for key, status in statuses.items() if status != 200} == {}


@pytest.mark.parametrize("username", ["security1", "audit1", "mentor1", "evaluator1"])
def test_roles_outside_teaching_see_no_daily_teaching(
    seeded: None, db: None, username: str
) -> None:
    assert set(_menu(username)) & DAILY_TEACHING == set()


@pytest.mark.parametrize("username", ["teacher1", "counsellor1", "student1", "admin1"])
def test_roles_in_teaching_see_it(seeded: None, db: None, username: str) -> None:
    assert set(_menu(username)) >= DAILY_TEACHING


def test_the_security_administrator_menu_is_exactly_theirs(seeded: None, db: None) -> None:
    assert _menu("security1") == ["orgs", "security"]


def test_a_student_has_my_requests_and_no_approvals_to_decide(seeded: None, db: None) -> None:
    menu = _menu("student1")
    assert "workflow-requests" in menu
    assert "workflow-tasks" not in menu
