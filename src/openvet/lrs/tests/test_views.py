"""The xAPI clients page: who sees it, creating a client, the secret shown once."""

from typing import Any

import pytest
from django.test import Client as HttpClient

from openvet.core.models import OrgUnit
from openvet.core.roles import Role
from openvet.identity.tests.factories import user_with_role
from openvet.lrs.models import Client
from openvet.lrs.services import client_create
from openvet.lrs.xapi.auth import digest

pytestmark = pytest.mark.django_db
URL = "/lrs/clients/"


@pytest.fixture(autouse=True)
def _no_second_factor(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


def signed_in(role: str, org: OrgUnit) -> HttpClient:
    http = HttpClient(HTTP_ACCEPT_LANGUAGE="en")
    http.force_login(user_with_role(role, org))
    return http


def test_a_school_admin_creates_a_client_and_sees_its_secret_once(school_a: OrgUnit) -> None:
    http = signed_in(Role.SCHOOL_ADMIN, school_a)
    answer = http.post(URL, {"name": "Welding simulator", "school": school_a.pk, "can_write": "on"})
    assert answer.status_code == 200
    client = Client.objects.get(name="Welding simulator")
    assert (client.school_id, client.can_read, client.can_write) == (school_a.pk, False, True)
    secret = answer.context["made"].secret
    assert client.secret_digest == digest(secret)
    assert secret in answer.content.decode()
    again = http.get(URL).content.decode()
    assert client.key in again
    assert secret not in again


def test_a_client_with_no_right_is_refused_keeping_what_was_typed(school_a: OrgUnit) -> None:
    http = signed_in(Role.SCHOOL_ADMIN, school_a)
    answer = http.post(URL, {"name": "Reader", "school": school_a.pk})
    assert answer.status_code == 422
    assert "Allow the client to read, to send, or both." in answer.content.decode()
    assert 'value="Reader"' in answer.content.decode()
    assert not Client.objects.exists()


def test_another_schools_admin_neither_sees_nor_creates_here(
    school_a: OrgUnit, school_b: OrgUnit
) -> None:
    client_create(actor=None, name="Ours", school=school_a, can_read=True, can_write=False)
    http = signed_in(Role.SCHOOL_ADMIN, school_b)
    assert "Ours" not in http.get(URL).content.decode()
    answer = http.post(URL, {"name": "Theirs", "school": school_a.pk, "can_read": "on"})
    assert answer.status_code == 422
    assert not Client.objects.filter(name="Theirs").exists()


def test_students_and_anonymous_users_are_kept_out(school_a: OrgUnit) -> None:
    assert signed_in(Role.STUDENT, school_a).get(URL).status_code == 403
    assert HttpClient().get(URL).status_code == 302
