"""Every sign-in and password message comes back in the request's language (zh-hans, en).

Messages must be built when the request is answered, in its language: not at import time,
and not from a third-party msgid that our catalogues (or Django's) do not translate.
"""

import re
from typing import Any

import pytest
from django.contrib.auth import password_validation
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from openvet.core.errors import ValidationFailed
from openvet.core.roles import Role
from openvet.core.tests.factories import school
from openvet.identity import services
from openvet.identity.api.testing import bearer
from openvet.identity.models import User
from openvet.identity.tests.factories import DEFAULT_PASSWORD, UserFactory, user_with_role
from openvet.identity.tests.support import sign_in

pytestmark = pytest.mark.django_db

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
HAN = re.compile(r"[\u4e00-\u9fff]")

# One password per validator of AUTH_PASSWORD_VALIDATORS that only it refuses, with the English
# message; the first refused entry is the new password, the history check refuses a reuse.
BREAKS = {
    "MinimumLengthValidator": ("Ab1#xyz", "The password must have at least 8 characters."),
    "CharacterClassValidator": (
        "abcdefgh123",
        "Use at least three of: lower-case letters, upper-case letters, digits, symbols.",
    ),
    "NotUsernameValidator": ("Xwang2026#", "The password must not contain the username."),
    "CommonPasswordValidator": ("Password1", "This password is too common."),
    "PasswordHistoryValidator": (
        DEFAULT_PASSWORD,
        "Choose a password you have not used for your last 5 passwords.",
    ),
}


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def _is_chinese(message: str) -> bool:
    # Digits and the field name X-CSRFToken / a URL may appear; English words may not.
    text = re.sub(r"/api/\S+|X-CSRFToken|CSRF", "", message)
    return bool(HAN.search(message)) and not LATIN_WORD.search(text)


def _messages(language: str, user: User, password: str) -> list[str]:
    with translation.override(language):
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            return list(exc.messages)
    return []


def test_every_configured_password_validator_speaks_both_languages() -> None:
    user = UserFactory(username="wang")
    validators = password_validation.get_default_password_validators()
    assert sorted(type(v).__name__ for v in validators) == sorted(BREAKS)

    for validator in validators:
        password, english = BREAKS[type(validator).__name__]
        assert _messages("en", user, password) == [english]
        chinese = _messages("zh-hans", user, password)
        assert len(chinese) == 1, chinese
        assert _is_chinese(chinese[0]), chinese
        with translation.override("zh-hans"):
            assert _is_chinese(validator.get_help_text()), type(validator).__name__


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "密码至少需要 8 个字符。"),
        ("en", "The password must have at least 8 characters."),
    ],
)
def test_api_password_policy_message_follows_the_request(language: str, expected: str) -> None:
    college = school()
    admin = user_with_role(Role.SCHOOL_ADMIN, college)

    response = Client().post(
        "/api/v1/identity/users",
        {"username": "wang", "full_name": "Wang", "home_org_id": college.pk, "password": "Ab1#x"},
        content_type="application/json",
        headers={**bearer(admin), "accept-language": language},
    )

    assert response.status_code == 422
    assert response.json()["details"]["password"][0] == expected
    assert not User.objects.filter(username="wang").exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "密码至少需要 8 个字符。"),
        ("en", "The password must have at least 8 characters."),
    ],
)
def test_password_change_page_message_follows_the_request(language: str, expected: str) -> None:
    user = UserFactory(username="wang")
    client = sign_in(Client(), user, verified=False)

    response = client.post(
        reverse("identity:password-change"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": "Ab1#x", "new_password2": "Ab1#x"},
        headers={"accept-language": language},
    )

    assert response.status_code == 200
    assert expected in response.context["form"].errors["new_password2"]
    assert User.objects.get(pk=user.pk).check_password(DEFAULT_PASSWORD)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "CSRF 校验失败。"),
        ("en", "The CSRF check failed."),
    ],
)
def test_api_csrf_failure_follows_the_request(language: str, expected: str) -> None:
    teacher = user_with_role(Role.TEACHER, school())
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)

    responses: list[Any] = [
        client.delete("/api/v1/identity/sessions/current", headers={"accept-language": language}),
        client.patch(
            f"/api/v1/identity/users/{teacher.pk}",
            {"full_name": "Changed"},
            content_type="application/json",
            headers={"accept-language": language},
        ),
        client.post(
            "/api/v1/identity/tokens",
            {"name": "laptop"},
            content_type="application/json",
            headers={"accept-language": language},
        ),
    ]

    for response in responses:
        assert response.status_code == 403
        assert response.json()["code"] == "csrf_failed"
        assert response.json()["message"].startswith(expected)
    assert "_auth_user_id" in client.session
    assert User.objects.get(pk=teacher.pk).full_name == teacher.full_name


def test_service_password_errors_follow_the_active_language() -> None:
    user = UserFactory(username="wang")

    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as caught:
        services.user_set_password(actor=user, user=user, password="Ab1#x")

    assert caught.value.details == {"password": ["密码至少需要 8 个字符。"]}
