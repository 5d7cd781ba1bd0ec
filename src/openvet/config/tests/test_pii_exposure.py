"""Every GET route of the API, walked as the role that may see the most: no citizen ID
number, mobile, guardian phone or address leaves in clear unless the request asks for it, and a read
token without the pii scope never gets one, even when it asks (core.pii, ADR 0012)."""

import io
import zipfile
from datetime import date
from typing import Any

import pytest
from django.test import Client

from openvet.config.api import api
from openvet.core.models import AuditAction, AuditEntry
from openvet.core.pii import digest
from openvet.core.roles import Role
from openvet.identity.api.testing import bearer
from openvet.identity.tests.factories import UserFactory, grant, user_with_role
from openvet.records.tests.factories import Campus, id_number_for, staff, student

pytestmark = pytest.mark.django_db

STUDENT_ID = id_number_for(date(2005, 3, 4))
STAFF_ID = id_number_for(date(1980, 7, 8), male=False)
USER_ID = id_number_for(date(1990, 1, 2))
GUARDIAN_PHONE = "13912345678"
MOBILE = "13787654321"
ADDRESS = "Zhejiang Hangzhou Xihu Wensan Road 90"
# The routes that carry personal data: the walk must reach each with a 200.
PII_ROUTES = {
    "/api/v1/records/students",
    "/api/v1/records/students/{student_id}",
    "/api/v1/records/staff",
    "/api/v1/records/staff/{staff_id}",
    "/api/v1/identity/users",
    "/api/v1/identity/users/{user_id}",
    "/api/v1/identity/users/me",
    "/api/v1/records/exports/{kind}",
}


class World:
    def __init__(self) -> None:
        self.campus = Campus("School A")
        self.admin = user_with_role(
            Role.SCHOOL_ADMIN, self.campus.school, mobile="13700000001", full_name="Admin"
        )
        self.person = UserFactory(home_org=self.campus.klass, mobile=MOBILE, id_number=USER_ID)
        grant(self.person, Role.STUDENT, self.campus.klass)
        self.student = student(
            self.campus,
            id_number=STUDENT_ID,
            guardian_phone=GUARDIAN_PHONE,
            household_registration=ADDRESS,
            user=self.person,
        )
        self.staff = staff(self.campus, id_number=STAFF_ID, id_number_digest=digest(STAFF_ID))
        self.clear_values = (STUDENT_ID, STAFF_ID, USER_ID, GUARDIAN_PHONE, MOBILE, ADDRESS)

    def parameters(self) -> dict[str, list[str]]:
        return {
            "student_id": [str(self.student.pk)],
            "staff_id": [str(self.staff.pk)],
            "user_id": [str(self.person.pk)],
            "org_id": [str(self.campus.klass.pk)],
            "kind": ["students", "staff"],
        }


@pytest.fixture
def world(settings: Any) -> World:
    settings.REQUIRE_ADMIN_TOTP = False
    return World()


def _get_routes() -> list[str]:
    schema = api.get_openapi_schema()
    return sorted(path for path, operations in schema["paths"].items() if "get" in operations)


def _urls(path: str, parameters: dict[str, list[str]]) -> list[str]:
    urls = [path]
    for name in [part[1:-1] for part in path.split("/") if part.startswith("{")]:
        urls = [u.replace("{" + name + "}", v) for u in urls for v in parameters.get(name, ["0"])]
    return urls


def _text(content: bytes) -> str:
    """The text of a response; an xlsx file is unzipped so that its cells can be read."""
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return content.decode("utf-8", "replace")


def _walk(client: Client, world: World, query: dict[str, str], **headers: str) -> set[str]:
    """GET every route; fail on a clear value; return the routes that answered 200."""
    answered: set[str] = set()
    for path in _get_routes():
        for url in _urls(path, world.parameters()):
            response = client.get(url, query, headers=headers)
            assert response.status_code < 500, url
            text = _text(response.content)
            leaked = [value for value in world.clear_values if value in text]
            assert leaked == [], f"{url} leaks {leaked}"
            if response.status_code == 200:
                answered.add(path)
    return answered


def test_no_route_shows_personal_data_in_clear_by_default(world: World) -> None:
    client = Client()
    client.force_login(world.admin)
    assert _walk(client, world, {}) >= PII_ROUTES
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()


def test_a_token_without_the_pii_scope_never_gets_clear_values(world: World) -> None:
    headers = bearer(world.admin, scopes=("read",))
    assert _walk(Client(), world, {"reveal": "pii"}, **headers) >= PII_ROUTES
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()


def test_the_own_account_is_masked_too(world: World) -> None:
    client = Client()
    client.force_login(world.person)
    assert {"/api/v1/identity/users/me", "/api/v1/records/students/{student_id}"} <= _walk(
        client, world, {}
    )


def test_output_schemas_document_every_personal_field_as_masked() -> None:
    names = {"id_number", "mobile", "guardian_phone", "phone", "address"}
    schemas = api.get_openapi_schema()["components"]["schemas"]
    undocumented = [
        f"{schema_name}.{field}"
        for schema_name, schema in schemas.items()
        if schema_name.endswith("Out")
        for field, spec in schema.get("properties", {}).items()
        if field in names and "Masked" not in spec.get("description", "")
    ]
    assert undocumented == []
