from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openvet.core.models import AuditAction, AuditEntry
from openvet.core.roles import Role
from openvet.core.tests.factories import nation, school
from openvet.identity import selectors, services
from openvet.identity.tests.factories import DEFAULT_PASSWORD, UserFactory, user_with_role
from openvet.identity.tests.support import sign_in, two_schools

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _fail(client: Client, username: str, times: int = 5) -> None:
    for _ in range(times):
        client.post(LOGIN, {"username": username, "password": "wrong-Pass-1"})


def test_sixth_attempt_is_locked_even_with_the_right_password(client: Client) -> None:
    UserFactory(username="wang")
    _fail(client, "wang")

    response = client.post(LOGIN, {"username": "wang", "password": DEFAULT_PASSWORD})

    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_locked_page_speaks_english_when_asked(client: Client) -> None:
    UserFactory(username="wang")
    _fail(client, "wang")

    response = client.post(
        LOGIN, {"username": "wang", "password": DEFAULT_PASSWORD}, headers={"accept-language": "en"}
    )

    assert response.status_code == 429
    assert "Sign-in is locked for 15 minutes" in response.content.decode()


def test_account_lock_holds_from_another_address() -> None:
    UserFactory(username="wang")
    _fail(Client(REMOTE_ADDR="10.0.0.1"), "wang")

    response = Client(REMOTE_ADDR="10.0.0.2").post(
        LOGIN, {"username": "wang", "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 429


def test_address_lock_holds_for_another_account() -> None:
    UserFactory(username="li")
    attacker = Client(REMOTE_ADDR="10.0.0.9")
    for name in ("a1", "a2", "a3", "a4", "a5"):
        _fail(attacker, name, times=1)

    response = attacker.post(LOGIN, {"username": "li", "password": DEFAULT_PASSWORD})

    assert response.status_code == 429


def test_locked_account_unlocks_after_fifteen_minutes(client: Client) -> None:
    UserFactory(username="wang")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail(client, "wang")
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        response = client.post(LOGIN, {"username": "wang", "password": DEFAULT_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_account_is_still_locked_after_ten_minutes(client: Client) -> None:
    UserFactory(username="wang")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail(client, "wang")
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        response = client.post(LOGIN, {"username": "wang", "password": DEFAULT_PASSWORD})

    assert response.status_code == 429


def test_security_admin_sees_current_lockouts(client: Client) -> None:
    college = school()
    UserFactory(username="wang", home_org=college)
    _fail(Client(REMOTE_ADDR="10.0.0.1"), "wang")
    sign_in(client, user_with_role(Role.SECURITY_ADMIN, college))

    response = client.get(reverse("identity:security"))

    assert response.status_code == 200
    rows = response.context["lockouts"]
    assert [(r.username, r.ip_address, r.failures, r.username_locked) for r in rows] == [
        ("wang", "10.0.0.1", 5, True)
    ]


def test_security_admin_of_another_school_sees_no_lockout() -> None:
    school_a, school_b = two_schools()
    UserFactory(username="wang", home_org=school_a)
    _fail(Client(REMOTE_ADDR="10.0.0.1"), "wang")
    other = user_with_role(Role.SECURITY_ADMIN, school_b)

    assert selectors.lockout_list_for(actor=other) == []


def test_platform_security_admin_sees_attempts_on_unknown_names() -> None:
    _fail(Client(REMOTE_ADDR="10.0.0.1"), "nobody", times=2)
    platform = user_with_role(Role.SECURITY_ADMIN, nation())

    rows = selectors.lockout_list_for(actor=platform)

    assert [(r.username, r.failures, r.username_locked) for r in rows] == [("nobody", 2, False)]


def test_security_admin_unlocks_an_account_and_it_is_audited(client: Client) -> None:
    college = school()
    wang = UserFactory(username="wang", home_org=college)
    _fail(Client(REMOTE_ADDR="10.0.0.1"), "wang")
    admin = user_with_role(Role.SECURITY_ADMIN, college)
    sign_in(client, admin)

    response = client.post(
        reverse("identity:lockout-unlock"), {"username": "wang"}, REMOTE_ADDR="10.0.0.7"
    )

    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="wang").exists()
    entry = AuditEntry.objects.get(action=AuditAction.SECURITY, actor=admin)
    assert (entry.object_id, entry.ip_address) == (str(wang.pk), "10.0.0.7")
    assert entry.changes["unlock"] == "username"
    login = Client(REMOTE_ADDR="10.0.0.2").post(
        LOGIN, {"username": "wang", "password": DEFAULT_PASSWORD}
    )
    assert login.status_code == 302


def test_security_admin_unlocks_an_address() -> None:
    college = school()
    UserFactory(username="wang", home_org=college)
    _fail(Client(REMOTE_ADDR="10.0.0.1"), "wang")
    admin = user_with_role(Role.SECURITY_ADMIN, college)

    cleared = services.lockout_reset(actor=admin, ip_address="10.0.0.1")

    assert cleared == 1
    assert not AccessAttempt.objects.exists()


def test_security_admin_cannot_unlock_another_schools_account(client: Client) -> None:
    school_a, school_b = two_schools()
    UserFactory(username="wang", home_org=school_a)
    _fail(Client(REMOTE_ADDR="10.0.0.1"), "wang")
    sign_in(client, user_with_role(Role.SECURITY_ADMIN, school_b))

    response = client.post(reverse("identity:lockout-unlock"), {"username": "wang"})

    assert response.status_code == 404
    assert AccessAttempt.objects.get(username="wang").failures_since_start == 5
    assert not AuditEntry.objects.filter(action=AuditAction.SECURITY).exists()


def test_teacher_cannot_open_the_security_page(client: Client) -> None:
    sign_in(client, user_with_role(Role.TEACHER, school()))

    assert client.get(reverse("identity:security")).status_code == 403
