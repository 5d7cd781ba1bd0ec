"""Check-ins over the API: an intern posts a check-in with a bearer token; bad input, a second
check-in the same day, a far-away place and a caller who is no intern get a 4xx with the error
shape, and nothing is written."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from openvet.identity.api.testing import bearer
from openvet.industry.models import CheckIn
from openvet.industry.tests.conftest import World

pytestmark = pytest.mark.django_db
URL = "/api/v1/industry/checkins"
MORNING = datetime(2026, 4, 1, 7, 40, tzinfo=ZoneInfo("Asia/Shanghai"))


def post(headers: dict[str, str], body: Any, language: str = "en") -> Any:
    return Client().post(
        URL,
        body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
        **{f"HTTP_{k.upper()}": v for k, v in headers.items()},
    )


@pytest.fixture
def placed(world: World) -> World:
    world.place()
    return world


def test_an_intern_checks_in_and_lists_it(placed: World) -> None:
    headers = bearer(placed.student_user)
    with time_machine.travel(MORNING, tick=False):
        answer = post(headers, {"latitude": 30.2744, "longitude": 120.15507, "device": "phone-1"})
        assert answer.status_code == 201, answer.content
        body = answer.json()
        assert 30 <= body["distance_m"] <= 40
        assert body["at"].endswith("+08:00")
        again = post(headers, {"latitude": 30.2744, "longitude": 120.15507})
        assert again.status_code == 409
        assert again.json()["code"] == "conflict"
        listing = Client().get(URL, HTTP_AUTHORIZATION=headers["Authorization"])
    assert listing.status_code == 200
    assert listing.json()["count"] == 1
    assert CheckIn.objects.get().device == "phone-1"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"latitude": 91, "longitude": 120}, "latitude"),
        ({"latitude": 30, "longitude": "east"}, "longitude"),
        ({"longitude": 120}, "latitude"),
        ({"latitude": 30, "longitude": 120, "device": "x" * 65}, "device"),
        ({"latitude": 30, "longitude": 120, "device": "a\x00b"}, "device"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(placed: World, body: Any, field: str) -> None:
    with time_machine.travel(MORNING, tick=False):
        answer = post(bearer(placed.student_user), body, language="zh-hans")
    assert answer.status_code == 422
    assert field in answer.json()["details"]
    assert not CheckIn.objects.exists()


def test_far_from_the_workplace_is_refused(placed: World) -> None:
    with time_machine.travel(MORNING, tick=False):
        answer = post(bearer(placed.student_user), {"latitude": 31.23, "longitude": 121.47})
    assert answer.status_code == 422
    assert answer.json()["code"] == "far_checkin"
    assert "m from your workplace" in answer.json()["message"]
    assert not CheckIn.objects.exists()


def test_no_internship_today_and_no_intern(placed: World) -> None:
    with time_machine.travel(datetime(2026, 11, 2, 8, tzinfo=ZoneInfo("Asia/Shanghai"))):
        answer = post(bearer(placed.student_user), {"latitude": 30.2744, "longitude": 120.155})
    assert answer.status_code == 422
    assert answer.json()["code"] == "no_placement"
    with time_machine.travel(MORNING, tick=False):
        staff = post(bearer(placed.admin), {"latitude": 30.2744, "longitude": 120.155})
        anonymous = Client().post(URL, {}, content_type="application/json")
    assert staff.status_code == 403
    assert anonymous.status_code == 401
