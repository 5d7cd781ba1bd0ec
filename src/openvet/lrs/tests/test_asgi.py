"""The xAPI resources over real HTTP through the ASGI layer that answers before Django."""

import json
from typing import Any

import httpx
import pytest
from asgiref.sync import async_to_sync

from openvet.core.models import OrgUnit
from openvet.lrs.models import Statement
from openvet.lrs.services import client_create
from openvet.lrs.tests.conftest import basic, statement
from openvet.lrs.xapi.asgi import XapiRoutes

# The layer runs the protocol in worker threads with their own connections: committed rows.
pytestmark = pytest.mark.django_db(transaction=True)


class NotDjango:
    """Stands for the rest of the application: counts what reaches it."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.calls += 1
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def exchange(*requests: tuple[str, str, dict[str, str], bytes]) -> tuple[list[httpx.Response], int]:
    async def run() -> tuple[list[httpx.Response], int]:
        rest = NotDjango()
        transport = httpx.ASGITransport(app=XapiRoutes(rest))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            answers = [
                await client.request(method, url, headers=headers, content=body)
                for method, url, headers, body in requests
            ]
        return answers, rest.calls

    return async_to_sync(run)()


def test_statements_are_stored_and_read_without_reaching_django(school_a: OrgUnit) -> None:
    made = client_create(actor=None, name="app", school=school_a, can_read=True, can_write=True)
    headers = {
        "Authorization": basic(made.key, made.secret),
        "X-Experience-API-Version": "2.0.0",
        "Content-Type": "application/json",
    }
    body = json.dumps([statement(), statement()]).encode()
    (posted, listed, elsewhere), django_calls = exchange(
        ("POST", "/xapi/statements", headers, body),
        ("GET", "/xapi/statements", headers, b""),
        ("GET", "/healthz", {}, b""),
    )
    assert posted.status_code == 200, posted.text
    assert len(posted.json()) == 2
    assert {s["id"] for s in listed.json()["statements"]} == set(posted.json())
    assert listed.headers["x-experience-api-version"] == "2.0.0"
    assert "x-experience-api-consistent-through" in listed.headers
    assert (elsewhere.status_code, django_calls) == (204, 1)
    assert Statement.objects.count() == 2


def test_a_body_over_the_limit_is_refused_and_nothing_stored(school_a: OrgUnit) -> None:
    made = client_create(actor=None, name="app", school=school_a, can_read=True, can_write=True)
    headers = {
        "Authorization": basic(made.key, made.secret),
        "X-Experience-API-Version": "2.0.0",
        "Content-Type": "application/json",
    }
    (answer,), _calls = exchange(("POST", "/xapi/statements", headers, b" " * (21 * 2**20)))
    assert answer.status_code == 413
    assert Statement.objects.count() == 0
