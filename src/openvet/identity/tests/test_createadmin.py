"""`openvet createadmin`: the first platform administrator, under the password policy."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import translation

from openvet.core import policy
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.roles import ADMIN_ROLES, Role
from openvet.core.tests.factories import nation

pytestmark = pytest.mark.django_db
GOOD_PASSWORD = "Strong#Pass2025"


def _run(*args: str) -> str:
    out = StringIO()
    call_command("createadmin", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def password_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENVET_ADMIN_PASSWORD", GOOD_PASSWORD)


def test_non_interactive_creates_a_platform_admin_on_a_new_nation(password_env: None) -> None:
    _run("--no-input", "--username", "root", "--full-name", "Root Admin")

    user = get_user_model().objects.get(username="root")
    root = OrgUnit.objects.get(kind=OrgKind.NATION)
    assert (root.code, root.path) == ("100000", f"/{root.pk:08d}/")
    assert [(g.role, g.org_id) for g in user.get_grants()] == [(Role.PLATFORM_ADMIN, root.pk)]
    assert user.check_password(GOOD_PASSWORD) is True
    assert user.must_change_password is False


def test_an_existing_nation_is_reused(password_env: None) -> None:
    existing = nation()

    _run("--no-input", "--username", "root", "--full-name", "Root Admin")

    assert list(OrgUnit.objects.filter(kind=OrgKind.NATION)) == [existing]


def test_new_admin_must_enrol_totp(password_env: None) -> None:
    _run("--no-input", "--username", "root", "--full-name", "Root Admin")

    user = get_user_model().objects.get(username="root")
    # The sign-in middleware asks for TOTP from every holder of an administrator role.
    assert policy.roles_of(user) & ADMIN_ROLES == {Role.PLATFORM_ADMIN}


def test_existing_username_is_refused(password_env: None) -> None:
    _run("--no-input", "--username", "root", "--full-name", "Root Admin")

    with pytest.raises(CommandError, match="already exists"):
        _run("--no-input", "--username", "root", "--full-name", "Another")

    assert get_user_model().objects.filter(username="root").count() == 1


def test_weak_password_is_refused_and_nothing_is_created(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENVET_ADMIN_PASSWORD", "password")

    with translation.override("en"), pytest.raises(CommandError, match="three of"):
        _run("--no-input", "--username", "root", "--full-name", "Root Admin")

    assert get_user_model().objects.exists() is False
    assert OrgUnit.objects.exists() is False


def test_missing_password_variable_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENVET_ADMIN_PASSWORD", raising=False)

    with pytest.raises(CommandError, match="OPENVET_ADMIN_PASSWORD"):
        _run("--no-input", "--username", "root", "--full-name", "Root Admin")


def test_interactive_asks_until_the_passwords_match(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter(["root", "Root Admin"])
    passwords = iter(["Strong#Pass2025", "different", "weak", "weak", GOOD_PASSWORD, GOOD_PASSWORD])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(passwords))

    _run()

    user = get_user_model().objects.get(username="root")
    assert (user.full_name, user.check_password(GOOD_PASSWORD)) == ("Root Admin", True)
    assert next(passwords, None) is None
