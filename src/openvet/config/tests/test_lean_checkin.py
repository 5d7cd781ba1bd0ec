"""``POST /api/v1/industry/checkins`` over real HTTP through the ASGI application (ADR 0619).

On PostgreSQL the lean route answers; on SQLite the application is Django alone. Each answer
is compared with the full stack's answer to the same request, so the two paths agree; on
PostgreSQL the tests also check that Django was not involved, except where the lean route
hands over by design (a body the API's validation must judge, a caller who is no student).
"""

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import time_machine

from openvet.config.tests.lean_support import (
    ON_POSTGRES,
    Sent,
    answered_lean,
    bearer,
    send_posts,
)
from openvet.identity.tests.factories import UserFactory
from openvet.industry.models import CheckIn
from openvet.industry.tests.conftest import World
from openvet.lrs.models import Statement

pytestmark = pytest.mark.django_db(transaction=ON_POSTGRES)
MORNING = datetime(2026, 4, 15, 7, 50, tzinfo=ZoneInfo("Asia/Shanghai"))
URL = "/api/v1/industry/checkins"
NEAR = {"latitude": 30.2743, "longitude": 120.15507, "device": "phone-1"}


def post(*requests: tuple[dict[str, str], Any], lean: bool = True, together: bool = False) -> Sent:
    """POST each ``(headers, json body)`` to the check-in URL through the ASGI application."""
    return send_posts([(URL, h, b) for h, b in requests], together=together, lean=lean)


lean_only = answered_lean


def same(lean: httpx.Response, full: httpx.Response, *rows: str) -> None:
    """The two answers agree: status, and body apart from the new row's id and time (and the
    ``rows`` keys naming rows of two different interns)."""
    assert lean.status_code == full.status_code, (lean.text, full.text)
    mine, theirs = lean.json(), full.json()
    for body in (mine, theirs):
        for key in ("id", "at", *rows):
            body.pop(key, None)
    assert mine == theirs


@pytest.fixture
def worlds(db: Any, settings: Any, tmp_path: Path) -> tuple[World, World]:
    """Two placed interns: one checks in through the lean route, one through the full stack."""
    settings.MEDIA_ROOT = str(tmp_path)
    settings.REQUIRE_ADMIN_TOTP = False
    first, second = World(), World("School B", body="MA0000022")
    first.place()
    second.place()
    return first, second


@pytest.fixture
def morning() -> Any:
    with time_machine.travel(MORNING, tick=True):
        yield


def test_check_in_answers_as_the_full_stack_and_writes_the_statement(
    worlds: tuple[World, World], morning: None
) -> None:
    lean_world, full_world = worlds
    sent = post((bearer(lean_world.student_user), NEAR))
    full = post((bearer(full_world.student_user), NEAR), lean=False).responses[0]
    answer = sent.responses[0]
    assert answer.status_code == 201, answer.text
    assert answer.json()["placement_id"] == CheckIn.objects.get(pk=answer.json()["id"]).placement_id
    same(answer, full, "placement_id")
    assert lean_only(sent)
    checkin = CheckIn.objects.get(pk=answer.json()["id"])
    assert checkin.device == "phone-1"
    assert checkin.day == MORNING.date()
    assert answer.json()["at"].endswith("+08:00")
    statements = Statement.objects.filter(verb_id__endswith="attended")
    assert statements.count() == 2
    results = [s.body.get("result") for s in statements]
    assert results[0] == results[1]
    assert "distance_m" in json.dumps(results[0])


def test_a_second_check_in_is_409_and_writes_nothing_more(
    worlds: tuple[World, World], morning: None
) -> None:
    lean_world, _ = worlds
    headers = bearer(lean_world.student_user)
    first = post((headers, NEAR))
    assert first.responses[0].status_code == 201
    again = post((headers, NEAR))
    full = post((headers, NEAR), lean=False).responses[0]
    assert again.responses[0].status_code == 409
    same(again.responses[0], full)
    assert lean_only(again)
    assert CheckIn.objects.count() == 1
    assert Statement.objects.filter(verb_id__endswith="attended").count() == 1


def test_check_ins_at_the_same_instant_take_one_row(
    worlds: tuple[World, World], morning: None
) -> None:
    lean_world, _ = worlds
    headers = bearer(lean_world.student_user)
    sent = post(*[(headers, NEAR)] * 4, together=True)
    assert sorted(r.status_code for r in sent.responses) == [201, 409, 409, 409]
    assert CheckIn.objects.count() == 1


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_far_from_the_workplace_is_the_same_refusal(
    worlds: tuple[World, World], morning: None, language: str
) -> None:
    lean_world, _ = worlds
    far = {"latitude": 30.40, "longitude": 120.155}
    headers = bearer(lean_world.student_user, language=language)
    sent = post((headers, far))
    full = post((headers, far), lean=False).responses[0]
    assert sent.responses[0].status_code == 422
    assert sent.responses[0].json()["code"] == "far_checkin"
    same(sent.responses[0], full)
    assert sent.responses[0].headers["content-language"] == full.headers["content-language"]
    assert lean_only(sent)
    assert not CheckIn.objects.exists()


def test_no_internship_today_is_the_same_refusal(worlds: tuple[World, World]) -> None:
    lean_world, _ = worlds
    headers = bearer(lean_world.student_user)
    with time_machine.travel(datetime(2026, 11, 2, 8, tzinfo=ZoneInfo("Asia/Shanghai"))):
        sent = post((headers, NEAR))
        full = post((headers, NEAR), lean=False).responses[0]
    assert sent.responses[0].json()["code"] == "no_placement"
    same(sent.responses[0], full)
    assert lean_only(sent)


def test_a_bad_token_is_401_as_the_full_stack(worlds: tuple[World, World], morning: None) -> None:
    headers = {"Authorization": "Bearer ovt_not-a-token", "Accept-Language": "en"}
    sent = post((headers, NEAR))
    same(sent.responses[0], post((headers, NEAR), lean=False).responses[0])
    assert sent.responses[0].status_code == 401
    assert lean_only(sent)


@pytest.mark.parametrize(
    "body",
    [
        {"latitude": 200, "longitude": 120.1},
        {"latitude": "30.27", "longitude": 120.1},
        {"latitude": 30.27, "longitude": 120.1, "device": "x" * 65},
        {"latitude": 30.27, "longitude": 120.1, "device": "bad\u0000id"},
        [1, 2],
    ],
)
def test_bodies_the_api_must_judge_go_to_the_full_stack(
    worlds: tuple[World, World], morning: None, body: Any
) -> None:
    lean_world, _ = worlds
    headers = bearer(lean_world.student_user)
    sent = post((headers, body))
    full = post((headers, body), lean=False).responses[0]
    same(sent.responses[0], full)
    assert not ON_POSTGRES or sent.django_calls == 1


def test_a_caller_who_is_no_student_gets_the_full_stacks_403(
    worlds: tuple[World, World], morning: None
) -> None:
    stranger = UserFactory()
    sent = post((bearer(stranger), NEAR))
    assert sent.responses[0].status_code == 403
    assert not ON_POSTGRES or sent.django_calls == 1
    assert not CheckIn.objects.exists()


def test_a_read_only_token_is_refused_as_by_the_full_stack(
    worlds: tuple[World, World], morning: None
) -> None:
    lean_world, _ = worlds
    headers = bearer(lean_world.student_user, scopes=("read",))
    sent = post((headers, NEAR))
    same(sent.responses[0], post((headers, NEAR), lean=False).responses[0])
    assert sent.responses[0].status_code == 403
    assert not CheckIn.objects.exists()
