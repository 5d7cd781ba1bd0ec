"""The xAPI clients page: who sees it, creating a client, the secret shown once."""

from typing import Any

import pytest
from django.test import Client as HttpClient

from openvet.core.models import OrgUnit
from openvet.core.roles import Role
from openvet.identity.tests.factories import user_with_role
from openvet.lrs.models import Client, Upstream
from openvet.lrs.services import client_create
from openvet.lrs.tests.conftest import Lrs, basic, lrs_for, statement
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
    answer = http.post(
        URL,
        {
            "name": "Welding simulator",
            "school": school_a.pk,
            "can_write": "on",
            "xapi_version": "1.0.3",
        },
    )
    assert answer.status_code == 200
    client = Client.objects.get(name="Welding simulator")
    assert (client.school_id, client.can_read, client.can_write) == (school_a.pk, False, True)
    assert client.xapi_version == "1.0.3"
    secret = answer.context["made"].secret
    assert client.secret_digest == digest(secret)
    assert secret in answer.content.decode()
    again = http.get(URL).content.decode()
    assert client.key in again
    assert secret not in again


def test_a_client_with_no_right_is_refused_keeping_what_was_typed(school_a: OrgUnit) -> None:
    http = signed_in(Role.SCHOOL_ADMIN, school_a)
    answer = http.post(URL, {"name": "Reader", "school": school_a.pk, "xapi_version": "2.0.0"})
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
    answer = http.post(
        URL,
        {"name": "Theirs", "school": school_a.pk, "can_read": "on", "xapi_version": "2.0.0"},
    )
    assert answer.status_code == 422  # another school's is not among the choices
    assert not Client.objects.filter(name="Theirs").exists()


def test_students_and_anonymous_users_are_kept_out(school_a: OrgUnit) -> None:
    assert signed_in(Role.STUDENT, school_a).get(URL).status_code == 403
    assert HttpClient().get(URL).status_code == 302


def test_an_admin_stops_a_client_and_its_credentials_stop_working(school_a: OrgUnit) -> None:
    made = client_create(actor=None, name="Old app", school=school_a, can_read=True, can_write=True)
    lrs = Lrs(HttpClient(), basic(made.key, made.secret))
    assert lrs.request("GET", "/statements").status_code == 200
    http = signed_in(Role.SCHOOL_ADMIN, school_a)
    page = http.get(URL).content.decode()
    assert f"/lrs/clients/{made.client.pk}/deactivate/" in page
    answer = http.post(f"/lrs/clients/{made.client.pk}/deactivate/", follow=True)
    assert answer.status_code == 200
    assert "The client is stopped" in answer.content.decode()
    assert Client.objects.get(pk=made.client.pk).is_active is False
    assert lrs.request("GET", "/statements").status_code == 401
    assert f"/lrs/clients/{made.client.pk}/deactivate/" not in http.get(URL).content.decode()


def test_another_schools_admin_cannot_stop_a_client(school_a: OrgUnit, school_b: OrgUnit) -> None:
    made = client_create(actor=None, name="Ours", school=school_a, can_read=True, can_write=False)
    http = signed_in(Role.SCHOOL_ADMIN, school_b)
    assert http.post(f"/lrs/clients/{made.client.pk}/deactivate/").status_code == 404
    assert signed_in(Role.STUDENT, school_a).post(
        f"/lrs/clients/{made.client.pk}/deactivate/"
    ).status_code in (403, 404)
    assert Client.objects.get(pk=made.client.pk).is_active is True
    assert http.get(f"/lrs/clients/{made.client.pk}/deactivate/").status_code == 405


def forwarding_url(school: OrgUnit) -> str:
    return f"/lrs/schools/{school.pk}/forwarding/"


def test_an_admin_sets_forwarding_and_sees_its_queue_and_last_error(school_a: OrgUnit) -> None:
    http = signed_in(Role.SCHOOL_ADMIN, school_a)
    assert forwarding_url(school_a) in http.get(URL).content.decode()
    form = {
        "endpoint": "https://lrs.province.example/xapi/",
        "key": "k1",
        "secret": "province-secret-1",
        "version": "2.0.0",
        "is_active": "on",
    }
    answer = http.post(forwarding_url(school_a), form, follow=True)
    assert answer.status_code == 200
    upstream = Upstream.objects.get(school=school_a)
    assert (upstream.endpoint, upstream.key, upstream.secret) == (
        form["endpoint"],
        "k1",
        "province-secret-1",
    )
    # Saving again with an empty secret keeps the secret.
    http.post(forwarding_url(school_a), {**form, "secret": "", "key": "k2"})
    upstream.refresh_from_db()
    assert (upstream.key, upstream.secret) == ("k2", "province-secret-1")
    assert "province-secret-1" not in http.get(forwarding_url(school_a)).content.decode()

    lrs = lrs_for(school_a)
    lrs.request("POST", "/statements", [statement(), statement()])
    Upstream.objects.filter(pk=upstream.pk).update(last_error="HTTP 503 busy", failures=1)
    row = http.get(URL).content.decode().split(f'data-testid="forwarding-{school_a.pk}"')[1]
    row = row.split("</tr>")[0]
    assert ">2</td>" in row
    assert "HTTP 503 busy" in row
    assert "Failed 1 time" in row


def test_a_new_forwarding_needs_a_secret_and_keeps_what_was_typed(school_a: OrgUnit) -> None:
    http = signed_in(Role.SCHOOL_ADMIN, school_a)
    answer = http.post(
        forwarding_url(school_a),
        {"endpoint": "not an address", "key": "k1", "version": "2.0.0"},
    )
    assert answer.status_code == 422
    assert "Enter a valid URL." in answer.content.decode()
    assert 'value="k1"' in answer.content.decode()
    answer = http.post(
        forwarding_url(school_a),
        {"endpoint": "https://lrs.example/xapi/", "key": "k1", "version": "2.0.0"},
    )
    assert answer.status_code == 422
    assert "Enter the secret of the upstream LRS." in answer.content.decode()
    assert not Upstream.objects.exists()


def test_forwarding_of_another_school_is_out_of_reach(school_a: OrgUnit, school_b: OrgUnit) -> None:
    http = signed_in(Role.SCHOOL_ADMIN, school_b)
    assert forwarding_url(school_a) not in http.get(URL).content.decode()
    assert http.get(forwarding_url(school_a)).status_code == 404
    form = {"endpoint": "https://evil.example/", "key": "k", "secret": "s", "version": "2.0.0"}
    assert http.post(forwarding_url(school_a), form).status_code == 404
    assert signed_in(Role.STUDENT, school_a).get(forwarding_url(school_a)).status_code == 404
    assert not Upstream.objects.exists()
