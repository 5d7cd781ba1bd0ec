import base64
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client as HttpClient

from openvet.core.models import OrgUnit
from openvet.core.tests.factories import school
from openvet.lrs.services import client_create
from openvet.lrs.xapi import auth


@dataclass
class Lrs:
    """An HTTP client speaking xAPI with one LRS client's credentials."""

    http: HttpClient
    authorization: str
    version: str = "2.0.0"

    def headers(self, **extra: str) -> dict[str, str]:
        found = {"HTTP_AUTHORIZATION": self.authorization}
        if self.version:
            found["HTTP_X_EXPERIENCE_API_VERSION"] = self.version
        for name, value in extra.items():
            key = name.upper().replace("-", "_")
            found[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
        return found

    def request(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        data = body
        if body is not None and not isinstance(body, bytes | str):
            import json

            data = json.dumps(body)
            headers.setdefault("content-type", "application/json")
        content_type = headers.pop("content-type", "application/octet-stream")
        return self.http.generic(
            method,
            f"/xapi{path}",
            data or b"",
            content_type=content_type,
            **self.headers(**headers),
        )


def basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


def lrs_for(node: OrgUnit, *, read: bool = True, write: bool = True) -> Lrs:
    made = client_create(actor=None, name="content", school=node, can_read=read, can_write=write)
    return Lrs(HttpClient(), basic(made.key, made.secret))


@pytest.fixture(autouse=True)
def _forget_credentials() -> Iterator[None]:
    auth.forget()
    yield
    auth.forget()


@pytest.fixture
def school_a(db: None) -> OrgUnit:
    return school(name="A")


@pytest.fixture
def school_b(school_a: OrgUnit) -> OrgUnit:
    return school(parent=school_a.parent, name="B")


@pytest.fixture
def lrs(school_a: OrgUnit) -> Lrs:
    return lrs_for(school_a)


def statement(**overrides: Any) -> dict[str, Any]:
    found: dict[str, Any] = {
        "actor": {"objectType": "Agent", "mbox": "mailto:learner@example.com"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-US": "attended"}},
        "object": {"objectType": "Activity", "id": "http://example.com/activities/1"},
    }
    found.update(overrides)
    return found
