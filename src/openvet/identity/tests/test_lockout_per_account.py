"""The sign-in lock belongs to the account, whichever identifier was typed (web and API)."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from openvet.core.pii import digest
from openvet.identity.models import User
from openvet.identity.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
WRONG = "wrong-Pass-1"
STAFF_NUMBER = "T20260001"
MOBILE = "13912345678"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def wang() -> User:
    return UserFactory(
        username="wang", person_number=STAFF_NUMBER, mobile=MOBILE, mobile_digest=digest(MOBILE)
    )


def _web(identifier: str, password: str, address: str = "10.0.0.1") -> Any:
    return Client(REMOTE_ADDR=address).post(LOGIN, {"username": identifier, "password": password})


def _api_token(identifier: str, password: str, address: str = "10.0.0.1") -> Any:
    return Client(REMOTE_ADDR=address).post(
        "/api/v1/identity/tokens",
        {"name": "laptop", "username": identifier, "password": password},
        content_type="application/json",
    )


def _api_login(identifier: str, password: str, address: str = "10.0.0.1") -> Any:
    return Client(REMOTE_ADDR=address).post(
        "/api/v1/identity/sessions",
        {"username": identifier, "password": password},
        content_type="application/json",
    )


def _account_failures() -> int:
    return sum(a.failures_since_start for a in AccessAttempt.objects.filter(username="wang"))


def test_failures_under_the_username_lock_the_number_and_mobile_on_web_and_api(
    wang: User,
) -> None:
    for _ in range(5):
        _web("wang", WRONG)

    # From other addresses, so that only the account lock can refuse them.
    refused = [
        _web(STAFF_NUMBER, DEFAULT_PASSWORD, "10.0.0.2").status_code,
        _web(MOBILE, DEFAULT_PASSWORD, "10.0.0.3").status_code,
        _api_token(STAFF_NUMBER, DEFAULT_PASSWORD, "10.0.0.4").status_code,
        _api_login(MOBILE, DEFAULT_PASSWORD, "10.0.0.5").status_code,
        _api_token(MOBILE, DEFAULT_PASSWORD, "10.0.0.6").status_code,
    ]

    assert refused == [429, 429, 429, 429, 429]
    # Nothing signed in, and the lock earned under the username still holds there.
    assert _web("wang", DEFAULT_PASSWORD, "10.0.0.7").status_code == 429
    assert _account_failures() >= 5
    assert not User.objects.get(pk=wang.pk).last_login


def test_api_refusal_names_the_lock_in_the_requests_language(wang: User) -> None:
    for _ in range(5):
        _api_token(MOBILE, WRONG)

    response = Client(REMOTE_ADDR="10.0.0.2").post(
        "/api/v1/identity/tokens",
        {"name": "laptop", "username": STAFF_NUMBER, "password": DEFAULT_PASSWORD},
        content_type="application/json",
        headers={"accept-language": "zh-hans"},
    )

    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert response.json()["message"].startswith("登录失败次数过多")


def test_mixed_identifiers_count_together(wang: User) -> None:
    statuses = [
        _web("wang", WRONG, "10.0.0.1").status_code,
        _web(STAFF_NUMBER, WRONG, "10.0.0.2").status_code,
        _api_token(MOBILE, WRONG, "10.0.0.3").status_code,
        _api_login(STAFF_NUMBER, WRONG, "10.0.0.4").status_code,
        _web(MOBILE, WRONG, "10.0.0.5").status_code,
    ]

    assert statuses == [200, 200, 401, 401, 429]
    assert _account_failures() == 5
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"wang"}
    assert _web("wang", DEFAULT_PASSWORD, "10.0.0.6").status_code == 429


def test_the_account_unlocks_after_fifteen_minutes_under_every_identifier(wang: User) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            _web(MOBILE, WRONG)
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        still_locked = _web(STAFF_NUMBER, DEFAULT_PASSWORD, "10.0.0.2").status_code
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        web = _web(STAFF_NUMBER, DEFAULT_PASSWORD, "10.0.0.2")
        api = _api_token("wang", DEFAULT_PASSWORD, "10.0.0.3")

    assert still_locked == 429
    assert web.status_code == 302
    assert api.status_code == 201


def test_a_success_clears_only_the_signed_in_accounts_failures(wang: User) -> None:
    UserFactory(username="li")
    for _ in range(4):
        _web(MOBILE, WRONG, "10.0.0.9")

    # The same client signs in to its own account between guesses at wang's.
    signed_in = _web("li", DEFAULT_PASSWORD, "10.0.0.9")
    fifth = _web(STAFF_NUMBER, WRONG, "10.0.0.8")

    assert signed_in.status_code == 302
    assert fifth.status_code == 429
    assert _web("wang", DEFAULT_PASSWORD, "10.0.0.7").status_code == 429


def test_a_success_before_the_lock_clears_the_accounts_count_under_every_identifier(
    wang: User,
) -> None:
    for _ in range(4):
        _web("wang", WRONG)

    signed_in = _api_token(MOBILE, DEFAULT_PASSWORD)

    assert signed_in.status_code == 201
    assert _account_failures() == 0
