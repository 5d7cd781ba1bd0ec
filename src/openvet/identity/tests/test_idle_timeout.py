from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openvet.identity.tests.factories import UserFactory
from openvet.identity.tests.support import sign_in

pytestmark = pytest.mark.django_db


def test_idle_session_is_ended_with_a_message(client: Client) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, UserFactory(), verified=False)
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        response = client.get(reverse("identity:profile"))
        page = client.get(response["Location"], headers={"accept-language": "en"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Faccounts%2Fprofile%2F"
    assert "_auth_user_id" not in client.session
    assert "Your session ended after 30 minutes without activity." in page.content.decode()


def test_activity_keeps_the_session_alive(client: Client) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, UserFactory(), verified=False)
    for minutes in (20, 40, 60):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            response = client.get(reverse("identity:profile"))
            assert response.status_code == 200


def test_idle_api_call_gets_a_json_401(client: Client) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, UserFactory(), verified=False)
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        response = client.get("/api/v1/anything", headers={"accept-language": "en"})

    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "session_expired"
    assert body["message"].startswith("Your session ended after 30 minutes")


def test_idle_htmx_request_redirects_the_whole_page(client: Client) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, UserFactory(), verified=False)
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        response = client.get(reverse("identity:profile"), headers={"hx-request": "true"})

    assert response["HX-Redirect"] == response["Location"]


def test_activity_is_written_back_at_most_once_a_minute(client: Client) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, UserFactory(), verified=False)
        client.get(reverse("identity:profile"))
    written = client.session["last_activity"]
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        client.get(reverse("identity:profile"))
    assert client.session["last_activity"] == written

    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        client.get(reverse("identity:profile"))
    assert client.session["last_activity"] == pytest.approx(written + 61)
