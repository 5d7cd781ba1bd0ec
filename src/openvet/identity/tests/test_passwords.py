import importlib

import pytest
from django.test import Client
from django.urls import reverse

from openvet.core.errors import ValidationFailed
from openvet.core.models import AuditAction, AuditEntry
from openvet.core.roles import Role
from openvet.core.tests.factories import school
from openvet.identity import services
from openvet.identity.models import PasswordHistory
from openvet.identity.tests.factories import DEFAULT_PASSWORD, UserFactory, user_with_role
from openvet.identity.tests.support import sign_in

pytestmark = pytest.mark.django_db


def _password_errors(user, password: str) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        services.user_set_password(actor=user, user=user, password=password)
    return list(caught.value.details["password"])


def test_base_settings_hash_with_argon2() -> None:
    base = importlib.import_module("openvet.config.settings.base")

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Ab1#xyz", "The password must have at least 8 characters."),
        (
            "abcdefgh123",
            "Use at least three of: lower-case letters, upper-case letters, digits, symbols.",
        ),
        ("Xwang2026#", "The password must not contain the username."),
    ],
)
def test_password_policy_refuses_weak_passwords(settings, password: str, reason: str) -> None:
    settings.LANGUAGE_CODE = "en"
    user = UserFactory(username="wang")

    assert reason in _password_errors(user, password)


def test_password_with_three_character_classes_is_accepted() -> None:
    user = UserFactory(username="wang", must_change_password=True)

    services.user_set_password(actor=user, user=user, password="river-Stone-42")

    user.refresh_from_db()
    assert user.check_password("river-Stone-42")
    assert user.must_change_password is False


def test_none_of_the_last_five_passwords_may_be_reused(settings) -> None:
    settings.LANGUAGE_CODE = "en"
    user = UserFactory(username="wang")
    for n in range(1, 6):
        services.user_set_password(actor=user, user=user, password=f"Harbour#{n}x")

    errors = _password_errors(user, "Harbour#2x")

    assert errors == ["Choose a password you have not used for your last 5 passwords."]


def test_a_password_older_than_the_last_five_may_be_used_again() -> None:
    user = UserFactory(username="wang")
    for n in range(1, 7):
        services.user_set_password(actor=user, user=user, password=f"Harbour#{n}x")

    services.user_set_password(actor=user, user=user, password="Harbour#1x")

    assert user.check_password("Harbour#1x")
    assert PasswordHistory.objects.filter(user=user).count() == 5


def test_password_change_is_audited_without_the_password() -> None:
    user = UserFactory(username="wang")

    services.user_set_password(actor=user, user=user, password="river-Stone-42")

    entry = AuditEntry.objects.get(action=AuditAction.SECURITY, object_id=str(user.pk))
    assert entry.actor == user
    assert entry.changes == {"password": "changed", "must_change_password": False}


def test_user_with_initial_password_is_sent_to_change_it_first(client: Client) -> None:
    user = UserFactory(must_change_password=True)
    sign_in(client, user, verified=False)

    response = client.get(reverse("identity:profile"))

    assert response.status_code == 302
    assert response["Location"] == reverse("identity:password-change")


def test_after_changing_the_initial_password_the_user_proceeds(client: Client) -> None:
    user = UserFactory(must_change_password=True)
    sign_in(client, user, verified=False)

    response = client.post(
        reverse("identity:password-change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "river-Stone-42",
            "new_password2": "river-Stone-42",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.get(reverse("identity:profile")).status_code == 200


def test_password_page_shows_the_policy_error(client: Client) -> None:
    user = UserFactory(must_change_password=True)
    sign_in(client, user, verified=False)

    response = client.post(
        reverse("identity:password-change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "abcdefgh123",
            "new_password2": "abcdefgh123",
        },
        headers={"accept-language": "en"},
    )

    assert response.status_code == 200
    assert "Use at least three of" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_admin_reset_forces_a_change_at_next_sign_in() -> None:
    college = school()
    security = user_with_role(Role.SECURITY_ADMIN, college)
    user = UserFactory(home_org=college)

    services.user_set_password(actor=security, user=user, password="river-Stone-42")

    user.refresh_from_db()
    assert user.must_change_password is True
    assert user.check_password("river-Stone-42")
