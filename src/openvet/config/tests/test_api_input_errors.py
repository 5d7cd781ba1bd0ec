"""Bad input anywhere in the API is a 4xx in the error shape, never a 500 (ADR 0014).

Walked over the live schema, so a new route is covered the day it is added: numbers beyond
what the database holds in every list's ``offset`` and in every path id; and, on the routes
where lax parsing used to let them through, bodies of the wrong shape and ids of the wrong type.
"""

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from openvet.config.api import api
from openvet.core.models import OrgUnit
from openvet.identity.api.testing import Campus, bearer, campus

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/"
BEYOND_INT64 = "9223372036854775808"
EN = {"accept-language": "en"}
SCHEMA = json.loads(json.dumps(api.get_openapi_schema(path_prefix=PREFIX), default=str))
SHAPE = "The request body is not valid JSON of the expected shape."


def _operations(predicate: Any) -> list[tuple[str, str]]:
    return sorted(
        (method, path)
        for path, methods in SCHEMA["paths"].items()
        for method, operation in methods.items()
        if predicate(path, operation)
    )


def _has_query(name: str) -> Any:
    return lambda path, op: any(p["name"] == name for p in op.get("parameters", []))


def _id_parameters(operation: dict[str, Any]) -> list[str]:
    return [
        p["name"]
        for p in operation.get("parameters", [])
        if p["in"] == "path" and p["schema"].get("type") == "integer"
    ]


PAGED = _operations(_has_query("offset"))
WITH_IDS = _operations(lambda path, op: bool(_id_parameters(op)))


def _url(path: str, value: str = "1") -> str:
    parts = [value if part.startswith("{") else part for part in path.split("/")]
    return "/".join(parts)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def world() -> Campus:
    return campus()


@pytest.fixture
def admin(world: Campus) -> dict[str, str]:
    return {**bearer(world.school_admin), **EN}


def test_the_walk_finds_the_routes() -> None:
    assert len(PAGED) >= 15
    assert len(WITH_IDS) >= 25


@pytest.mark.parametrize(("method", "path"), PAGED)
def test_an_offset_beyond_int64_is_a_422_on_every_list(
    client: Client, admin: dict[str, str], method: str, path: str
) -> None:
    response = client.get(_url(path), {"offset": BEYOND_INT64, "term_id": 1}, headers=admin)

    assert response.status_code == 422
    assert response.json() == {
        "code": "validation_failed",
        "message": "Some values are not valid.",
        "details": {"offset": "The number is out of range."},
    }


@pytest.mark.parametrize(("method", "path"), WITH_IDS)
def test_an_id_beyond_int64_is_a_422_on_every_route(
    client: Client, admin: dict[str, str], method: str, path: str
) -> None:
    response = client.generic(
        method.upper(), _url(path, BEYOND_INT64), "{}", "application/json", headers=admin
    )

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed"
    ids = _id_parameters(SCHEMA["paths"][path][method])
    assert {field: body["details"][field] for field in ids} == dict.fromkeys(
        ids, "The number is out of range."
    )


def _patch(client: Client, url: str, body: Any, headers: dict[str, str]) -> Any:
    return client.patch(url, json.dumps(body), content_type="application/json", headers=headers)


def test_a_json_array_is_not_an_org_change(
    client: Client, world: Campus, admin: dict[str, str]
) -> None:
    url = f"/api/v1/core/orgs/{world.department_a.pk}"

    response = _patch(client, url, [], admin)

    assert response.status_code == 422
    assert response.json()["details"] == {"__all__": SHAPE}
    assert OrgUnit.objects.get(pk=world.department_a.pk).name == "Mechatronics"


def test_a_json_array_is_not_an_account_change(
    client: Client, world: Campus, admin: dict[str, str]
) -> None:
    response = _patch(client, f"/api/v1/identity/users/{world.teacher.pk}", [1, 2], admin)

    assert (response.status_code, response.json()["details"]) == (422, {"__all__": SHAPE})


def test_a_number_is_not_a_solver_run(client: Client, admin: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/teaching/terms/1/solver-runs", "5", content_type="application/json", headers=admin
    )

    assert (response.status_code, response.json()["details"]) == (422, {"__all__": SHAPE})


@pytest.mark.parametrize(
    ("value", "message"),
    [(False, "Enter a number."), ("7", "Enter a number."), (1.5, "Enter a number.")],
)
def test_an_id_in_a_body_must_be_an_integer(
    client: Client, admin: dict[str, str], value: Any, message: str
) -> None:
    body = {"task_id": 1, "weekday": 1, "period_start": 1, "room_id": value}

    response = client.post(
        "/api/v1/teaching/terms/1/entries", body, content_type="application/json", headers=admin
    )

    assert response.status_code == 422
    assert response.json()["details"] == {"room_id": message}


def test_a_boolean_in_a_body_must_be_a_boolean(
    client: Client, world: Campus, admin: dict[str, str]
) -> None:
    url = f"/api/v1/core/orgs/{world.department_a.pk}"

    response = _patch(client, url, {"is_active": 0}, admin)

    assert response.status_code == 422
    assert response.json()["details"] == {"is_active": "Enter true or false."}
    assert OrgUnit.objects.get(pk=world.department_a.pk).is_active is True


def test_the_message_follows_the_language(client: Client, world: Campus) -> None:
    headers = {**bearer(world.school_admin), "accept-language": "zh-hans"}

    response = _patch(client, f"/api/v1/core/orgs/{world.department_a.pk}", [], headers)

    assert response.json()["message"] == "部分填写内容无效。"
    assert response.json()["details"] == {"__all__": "请求内容不是符合预期结构的 JSON。"}
