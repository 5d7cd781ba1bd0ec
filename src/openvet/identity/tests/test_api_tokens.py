"""Personal access tokens, API sign-in, rate limits and lockout."""

import hashlib
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from openvet.core.models import AuditAction, AuditEntry
from openvet.core.roles import Role
from openvet.core.tests.factories import school
from openvet.identity.api.testing import bearer
from openvet.identity.models import ApiToken, User
from openvet.identity.tests.factories import DEFAULT_PASSWORD, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

TOKENS = "/api/v1/identity/tokens"
EN = {"Accept-Language": "en"}


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def teacher() -> User:
    return user_with_role(Role.TEACHER, school(), username="teacher")


def _create(client: Client, **body: Any) -> Any:
    body.setdefault("name", "laptop")
    return client.post(TOKENS, body, content_type="application/json", headers=EN)


def test_password_creates_a_token_whose_secret_is_stored_only_as_a_digest(
    client: Client, teacher: User
) -> None:
    response = _create(
        client, username="teacher", password=DEFAULT_PASSWORD, scopes=["read", "write"]
    )

    assert response.status_code == 201
    secret = response.json()["token"]
    token = ApiToken.objects.get(user=teacher)
    assert secret.startswith("ovt_")
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:12] == response.json()["prefix"]
    assert token.scopes == ["read", "write"]
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.CREATE, object_type="identity.apitoken"
        ).count()
        == 1
    )


def test_a_token_defaults_to_read_only(client: Client, teacher: User) -> None:
    response = _create(client, username="teacher", password=DEFAULT_PASSWORD)

    assert response.json()["scopes"] == ["read"]


def test_the_list_never_shows_secrets(client: Client, teacher: User) -> None:
    headers = bearer(teacher)

    response = client.get(TOKENS, headers=headers)

    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert "token" not in response.json()["items"][0]
    assert headers["Authorization"].removeprefix("Bearer ") not in response.content.decode()


def test_using_a_token_records_when(client: Client, teacher: User) -> None:
    headers = bearer(teacher)

    client.get("/api/v1/identity/users/me", headers=headers)

    assert ApiToken.objects.get(user=teacher).last_used_at is not None


def test_a_read_only_token_cannot_write(client: Client, teacher: User) -> None:
    headers = {**bearer(teacher, scopes=("read",)), **EN}

    read = client.get("/api/v1/identity/users/me", headers=headers)
    write = client.patch(
        f"/api/v1/identity/users/{teacher.pk}",
        {"full_name": "X"},
        content_type="application/json",
        headers=headers,
    )

    assert read.status_code == 200
    assert write.status_code == 403
    assert write.json()["code"] == "insufficient_scope"
    teacher.refresh_from_db()
    assert teacher.full_name != "X"


def test_a_revoked_token_stops_working_and_revocation_is_audited(
    client: Client, teacher: User
) -> None:
    headers = bearer(teacher)
    token = ApiToken.objects.get(user=teacher)

    revoked = client.delete(f"{TOKENS}/{token.pk}", headers=headers)
    after = client.get("/api/v1/identity/users/me", headers=headers)

    assert revoked.status_code == 204
    assert after.status_code == 401
    assert (
        AuditEntry.objects.filter(action=AuditAction.SECURITY, object_id=str(token.pk)).count() == 1
    )


def test_nobody_revokes_someone_elses_token(client: Client, teacher: User) -> None:
    bearer(teacher)
    victim = ApiToken.objects.get(user=teacher)
    intruder = user_with_role(Role.SCHOOL_ADMIN, teacher.home_org)  # type: ignore[arg-type]

    response = client.delete(f"{TOKENS}/{victim.pk}", headers=bearer(intruder))

    assert response.status_code == 404
    victim.refresh_from_db()
    assert victim.revoked_at is None


def test_an_expired_token_is_refused(client: Client, teacher: User) -> None:
    headers = bearer(teacher)
    ApiToken.objects.filter(user=teacher).update(expires_at=timezone.now() - timedelta(days=1))

    assert client.get("/api/v1/identity/users/me", headers=headers).status_code == 401


def test_an_expiry_in_the_past_is_a_422(client: Client, teacher: User) -> None:
    past = (timezone.now() - timedelta(days=1)).isoformat()

    response = _create(client, username="teacher", password=DEFAULT_PASSWORD, expires_at=past)

    assert response.status_code == 422
    assert set(response.json()["details"]) == {"expires_at"}


def test_a_wrong_password_is_a_401_and_audited_as_a_failure(client: Client, teacher: User) -> None:
    response = _create(client, username="teacher", password="wrong")

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
    assert not ApiToken.objects.exists()
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 1


def test_no_credentials_and_no_session_is_a_401(client: Client) -> None:
    assert _create(client).status_code == 401


def test_a_token_cannot_mint_tokens(client: Client, teacher: User) -> None:
    response = client.post(
        TOKENS, {"name": "child"}, content_type="application/json", headers=bearer(teacher)
    )

    assert response.status_code == 401
    assert ApiToken.objects.filter(user=teacher).count() == 1


def test_an_administrator_needs_a_one_time_code(client: Client) -> None:
    user_with_role(Role.SCHOOL_ADMIN, school(), username="boss")

    response = _create(client, username="boss", password=DEFAULT_PASSWORD)

    assert response.status_code == 403
    assert response.json()["code"] == "totp_required"
    assert not ApiToken.objects.exists()


def test_an_initial_password_must_be_changed_first(client: Client) -> None:
    UserFactory(username="fresh", must_change_password=True)

    response = _create(client, username="fresh", password=DEFAULT_PASSWORD)

    assert response.status_code == 403
    assert response.json()["code"] == "action_required"


def test_session_token_creation_needs_the_csrf_token(teacher: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)

    refused = _create(client)
    csrf = client.get("/api/v1/identity/csrf-tokens").json()["csrf_token"]
    accepted = client.post(
        TOKENS, {"name": "spa"}, content_type="application/json", headers={"X-CSRFToken": csrf}
    )

    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    assert accepted.status_code == 201


def test_token_creation_is_rate_limited(client: Client, teacher: User, settings: Any) -> None:
    settings.API_RATE_LIMIT_LOGIN = "2/m"

    statuses = [_create(client, username="teacher", password="wrong").status_code for _ in range(3)]
    limited = _create(client, username="teacher", password=DEFAULT_PASSWORD)

    assert statuses == [401, 401, 429]
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    assert limited.json()["message"] == "Too many requests. Wait a moment and try again."
    assert not ApiToken.objects.exists()


def _login(client: Client, username: str, password: str) -> Any:
    return client.post(
        "/api/v1/identity/sessions",
        {"username": username, "password": password},
        content_type="application/json",
        headers=EN,
    )


def test_login_starts_a_session_and_logout_ends_it(client: Client, teacher: User) -> None:
    login = _login(client, "teacher", DEFAULT_PASSWORD)
    me = client.get("/api/v1/identity/users/me")
    logout = client.delete("/api/v1/identity/sessions/current")
    after = client.get("/api/v1/identity/users/me")

    assert login.status_code == 200
    assert login.json()["user"]["username"] == "teacher"
    assert me.status_code == 200
    assert logout.status_code == 204
    assert after.status_code == 401
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN).count() == 1


def test_login_needs_the_csrf_token(teacher: User) -> None:
    client = Client(enforce_csrf_checks=True)

    refused = _login(client, "teacher", DEFAULT_PASSWORD)
    csrf = client.get("/api/v1/identity/csrf-tokens").json()["csrf_token"]
    accepted = client.post(
        "/api/v1/identity/sessions",
        {"username": "teacher", "password": DEFAULT_PASSWORD},
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )

    assert refused.status_code == 403
    assert accepted.status_code == 200


def test_a_locked_account_gets_429_with_the_lockout_message(
    client: Client, teacher: User, settings: Any
) -> None:
    settings.AXES_FAILURE_LIMIT = 2

    first = _login(client, "teacher", "wrong")
    second = _login(client, "teacher", "wrong")
    right = _login(client, "teacher", DEFAULT_PASSWORD)

    assert first.status_code == 401
    assert second.status_code == 429
    assert right.status_code == 429
    assert right.json()["code"] == "locked_out"
    assert right.json()["message"].startswith("Too many failed sign-in attempts.")


def test_login_is_rate_limited(client: Client, teacher: User, settings: Any) -> None:
    settings.API_RATE_LIMIT_LOGIN = "1/m"

    _login(client, "teacher", DEFAULT_PASSWORD)
    response = _login(client, "teacher", DEFAULT_PASSWORD)

    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
