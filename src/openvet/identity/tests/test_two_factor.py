import base64

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from openvet.core.models import AuditAction, AuditEntry
from openvet.core.roles import Role
from openvet.core.tests.factories import school
from openvet.identity.tests.factories import DEFAULT_PASSWORD, user_with_role

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _sign_in(client: Client, username: str) -> None:
    response = client.post(LOGIN, {"username": username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302


def test_admin_is_sent_to_two_factor_before_anything_else(client: Client) -> None:
    user_with_role(Role.SCHOOL_ADMIN, school(), username="admin")
    _sign_in(client, "admin")

    response = client.get(reverse("core:home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("identity:two-factor")


def test_enrolment_shows_a_qr_code_and_the_secret(client: Client) -> None:
    user_with_role(Role.SCHOOL_ADMIN, school(), username="admin")
    _sign_in(client, "admin")

    response = client.get(reverse("identity:two-factor"))

    device = TOTPDevice.objects.get(user__username="admin")
    assert device.confirmed is False
    assert response.context["qr"].startswith("data:image/svg+xml")
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert response.context["secret"].replace(" ", "") == secret


def test_enrolment_is_confirmed_with_a_valid_code(client: Client) -> None:
    admin = user_with_role(Role.SCHOOL_ADMIN, school(), username="admin")
    _sign_in(client, "admin")
    client.get(reverse("identity:two-factor"))
    device = TOTPDevice.objects.get(user=admin)

    response = client.post(reverse("identity:two-factor"), {"token": _code(device)})

    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get(reverse("core:home")).status_code == 200
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.SECURITY, actor=admin, changes={"totp": "enrolled"}
        ).count()
        == 1
    )


def test_wrong_code_is_refused_with_a_clear_message(client: Client) -> None:
    user_with_role(Role.SCHOOL_ADMIN, school(), username="admin")
    _sign_in(client, "admin")
    client.get(reverse("identity:two-factor"))

    response = client.post(
        reverse("identity:two-factor"), {"token": "000000"}, headers={"accept-language": "en"}
    )

    assert response.status_code == 200
    assert "This code is wrong or has expired." in response.content.decode()
    assert client.get(reverse("core:home")).status_code == 302


def test_later_sign_in_asks_for_the_code_without_enrolment(client: Client) -> None:
    admin = user_with_role(Role.SECURITY_ADMIN, school(), username="sec")
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    _sign_in(client, "sec")

    page = client.get(reverse("identity:two-factor"))
    response = client.post(reverse("identity:two-factor"), {"token": _code(device)})

    assert page.context["enrolling"] is False
    assert "qr" not in page.context
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


def test_teacher_needs_no_second_factor(client: Client) -> None:
    user_with_role(Role.TEACHER, school(), username="teacher")
    _sign_in(client, "teacher")

    assert client.get(reverse("core:home")).status_code == 200


def test_demo_mode_warns_on_login_and_lets_admins_straight_in(client: Client, settings) -> None:
    settings.REQUIRE_ADMIN_TOTP = False
    user_with_role(Role.SCHOOL_ADMIN, school(), username="admin")

    page = client.get(LOGIN, headers={"accept-language": "en"})
    _sign_in(client, "admin")

    assert "two-factor sign-in for administrators is switched off" in page.content.decode()
    assert client.get(reverse("core:home")).status_code == 200


def test_login_page_has_no_demo_warning_when_two_factor_is_required(client: Client) -> None:
    page = client.get(LOGIN, headers={"accept-language": "en"})

    assert "is switched off" not in page.content.decode()
