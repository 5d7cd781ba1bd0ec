"""The ASGI route answers /xapi exactly as the Django view does: same status, same body,
same xAPI headers, for good and bad statements, credentials, read-only clients and bodies
over the limit."""

import json
import uuid
from typing import Any

import pytest
from django.test import Client as HttpClient

from openvet.core.models import OrgUnit
from openvet.lrs.models import Statement
from openvet.lrs.services import client_create
from openvet.lrs.tests.conftest import basic, statement
from openvet.lrs.tests.test_asgi import exchange
from openvet.lrs.xapi.protocol import MAX_BODY

# The ASGI route runs the protocol in worker threads with their own connections.
pytestmark = pytest.mark.django_db(transaction=True)

Request = tuple[str, str, dict[str, str], bytes]
_COMPARED_HEADERS = ("content-type", "x-experience-api-version", "www-authenticate")


def through_django(method: str, url: str, headers: dict[str, str], body: bytes) -> Any:
    meta = {
        (
            "CONTENT_TYPE"
            if name.lower() == "content-type"
            else "HTTP_" + name.upper().replace("-", "_")
        ): value
        for name, value in headers.items()
    }
    content_type = meta.pop("CONTENT_TYPE", "application/octet-stream")
    return HttpClient().generic(method, url, body, content_type=content_type, **meta)


def answers(request: Request) -> tuple[tuple[int, bytes, dict[str, str]], ...]:
    """The answer of the Django view, then of the ASGI route, to the same request: each
    sent to an empty store, so that a statement stored by one does not change the other."""
    method, url, headers, body = request
    django = through_django(method, url, headers, body)
    by_django = (
        django.status_code,
        django.content,
        {name: django.get(name, "") for name in _COMPARED_HEADERS},
    )
    Statement.objects.all().delete()
    (asgi,), _calls = exchange(request)
    by_asgi = (
        asgi.status_code,
        asgi.content,
        {name: asgi.headers.get(name, "") for name in _COMPARED_HEADERS},
    )
    return by_django, by_asgi


@pytest.fixture
def writer(school_a: OrgUnit) -> dict[str, str]:
    made = client_create(actor=None, name="app", school=school_a, can_read=True, can_write=True)
    return {
        "Authorization": basic(made.key, made.secret),
        "X-Experience-API-Version": "2.0.0",
        "Content-Type": "application/json",
    }


def good(**overrides: Any) -> dict[str, Any]:
    return statement(**{"id": str(uuid.uuid4()), **overrides})


def cases(headers: dict[str, str], reader: dict[str, str]) -> dict[str, Request]:
    def post(body: Any, **changed: str) -> Request:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        sent = {key: value for key, value in {**headers, **changed}.items() if value}
        return ("POST", "/xapi/statements", sent, raw)

    fixed = str(uuid.uuid4())
    return {
        "one statement": post(good()),
        "a batch": post([good(), good(), good()]),
        "put": (
            "PUT",
            f"/xapi/statements?statementId={fixed}",
            headers,
            json.dumps(good(id=fixed)).encode(),
        ),
        "put with another id": (
            "PUT",
            f"/xapi/statements?statementId={uuid.uuid4()}",
            headers,
            json.dumps(good()).encode(),
        ),
        "no verb": post({**good(), "verb": None}),
        "a bad mbox in a batch": post([good(), good(actor={"mbox": "learner@example.com"})]),
        "the same id twice": post([good(id=fixed), good(id=fixed)]),
        "not JSON": post(b"{not json"),
        "an empty batch": post([]),
        "plain text": post(good(), **{"Content-Type": "text/plain"}),
        "no credentials": post(good(), Authorization=""),
        "a wrong secret": post(good(), Authorization=basic("nobody", "wrong")),
        "no version": post(good(), **{"X-Experience-API-Version": ""}),
        "an unknown version": post(good(), **{"X-Experience-API-Version": "0.95"}),
        "a read-only client": post(good(), Authorization=reader["Authorization"]),
        "a parameter of no use": (
            "POST",
            "/xapi/statements?verb=x",
            headers,
            json.dumps(good()).encode(),
        ),
        "DELETE": ("DELETE", "/xapi/statements", headers, b""),
    }


@pytest.mark.parametrize(
    "name",
    [
        "one statement",
        "a batch",
        "put",
        "put with another id",
        "no verb",
        "a bad mbox in a batch",
        "the same id twice",
        "not JSON",
        "an empty batch",
        "plain text",
        "no credentials",
        "a wrong secret",
        "no version",
        "an unknown version",
        "a read-only client",
        "a parameter of no use",
        "DELETE",
    ],
)
def test_the_asgi_route_answers_as_the_django_view(
    school_a: OrgUnit, writer: dict[str, str], name: str
) -> None:
    made = client_create(actor=None, name="reader", school=school_a, can_read=True, can_write=False)
    reader = {**writer, "Authorization": basic(made.key, made.secret)}
    by_django, by_asgi = answers(cases(writer, reader)[name])
    assert by_asgi == by_django
    status = by_asgi[0]
    assert status in (200, 204, 400, 401, 403, 405)
    if name in ("one statement", "a batch", "put"):
        assert status in (200, 204)
        assert Statement.objects.count() == (3 if name == "a batch" else 1)
    else:
        assert status >= 400
        assert Statement.objects.count() == 0


def test_a_body_over_the_limit_is_refused_413_on_both_routes(writer: dict[str, str]) -> None:
    request: Request = ("POST", "/xapi/statements", writer, b" " * (MAX_BODY + 1))
    by_django, by_asgi = answers(request)
    assert by_django == by_asgi
    assert by_asgi[0] == 413
    assert json.loads(by_asgi[1]) == {"error": "the body is larger than the LRS accepts"}
    assert by_asgi[2]["x-experience-api-version"] == "2.0.0"
    assert Statement.objects.count() == 0


def test_a_body_over_djangos_own_upload_limit_is_stored_by_both(
    writer: dict[str, str], settings: Any
) -> None:
    """Statements with attachments may be larger than the forms' limit."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    big = good(result={"response": "x" * 4096})
    by_django, by_asgi = answers(("POST", "/xapi/statements", writer, json.dumps(big).encode()))
    assert by_django == by_asgi
    assert by_asgi[0] == 200


def test_a_statement_stored_by_one_route_is_read_alike_by_both(writer: dict[str, str]) -> None:
    sent = good()
    (posted,), _calls = exchange(("POST", "/xapi/statements", writer, json.dumps(sent).encode()))
    assert posted.status_code == 200
    url = f"/xapi/statements?statementId={sent['id']}"
    django = through_django("GET", url, writer, b"")
    (asgi,), _calls = exchange(("GET", url, writer, b""))
    assert django.status_code == asgi.status_code == 200
    assert django.json() == asgi.json()
    assert asgi.json()["id"] == sent["id"]
