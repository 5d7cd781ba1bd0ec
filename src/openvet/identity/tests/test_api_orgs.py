"""The org tree API: CRUD, scoping by role, pagination, error shapes."""

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from openvet.core.api.pagination import MAX_LIMIT
from openvet.core.models import AuditAction, AuditEntry, OrgKind, OrgUnit, SchoolType
from openvet.core.tests.factories import OrgUnitFactory
from openvet.identity.api.testing import Campus, bearer, campus
from openvet.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ORGS = "/api/v1/core/orgs"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def world() -> Campus:
    return campus()


def _ids(response: Any) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


def test_anonymous_gets_401_in_the_error_shape(client: Client) -> None:
    response = client.get(ORGS, headers={"Accept-Language": "en"})

    assert response.status_code == 401
    assert response.json() == {
        "code": "not_authenticated",
        "message": "Sign in or send a token.",
        "details": None,
    }


def test_school_admin_lists_only_their_school_subtree(client: Client, world: Campus) -> None:
    response = client.get(ORGS, headers=bearer(world.school_admin))

    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert _ids(response) == [world.school_a.pk, world.department_a.pk]


def test_regional_admin_lists_the_whole_province(client: Client, world: Campus) -> None:
    response = client.get(ORGS, headers=bearer(world.regional_admin))

    assert _ids(response) == [
        world.region.pk,
        world.school_a.pk,
        world.department_a.pk,
        world.school_b.pk,
    ]


def test_student_sees_an_empty_list(client: Client, world: Campus) -> None:
    response = client.get(ORGS, headers=bearer(world.student))

    assert response.status_code == 200
    assert response.json() == {"count": 0, "items": []}


def test_list_filters_by_kind_parent_and_search(client: Client, world: Campus) -> None:
    headers = bearer(world.regional_admin)

    by_kind = client.get(ORGS, {"kind": "school"}, headers=headers)
    by_parent = client.get(ORGS, {"parent_id": world.school_a.pk}, headers=headers)
    by_search = client.get(ORGS, {"search": "mechatr"}, headers=headers)

    assert _ids(by_kind) == [world.school_a.pk, world.school_b.pk]
    assert _ids(by_parent) == [world.department_a.pk]
    assert _ids(by_search) == [world.department_a.pk]


def test_list_rejects_an_unknown_kind_with_field_details(client: Client, world: Campus) -> None:
    response = client.get(
        ORGS, {"kind": "galaxy"}, headers={**bearer(world.regional_admin), "Accept-Language": "en"}
    )

    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert response.json()["details"] == {"kind": "Choose one of the allowed values."}


def test_a_limit_above_the_cap_is_refused(client: Client, world: Campus) -> None:
    headers = {**bearer(world.regional_admin), "accept-language": "en"}

    at_cap = client.get(ORGS, {"limit": MAX_LIMIT}, headers=headers)
    above = client.get(ORGS, {"limit": MAX_LIMIT + 1}, headers=headers)

    assert at_cap.json()["count"] == len(_ids(at_cap)) == 4
    assert above.status_code == 422
    assert above.json() == {
        "code": "validation_failed",
        "message": "Some values are not valid.",
        "details": {"limit": "The number is out of range."},
    }


def test_offset_pages_through_the_list(client: Client, world: Campus) -> None:
    response = client.get(ORGS, {"limit": 2, "offset": 2}, headers=bearer(world.regional_admin))

    assert _ids(response) == [world.department_a.pk, world.school_b.pk]


def test_list_costs_the_same_queries_for_many_rows(
    client: Client, world: Campus, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    headers = bearer(world.regional_admin)
    for number in range(10):
        OrgUnitFactory(kind=OrgKind.DEPARTMENT, name=f"Dept {number}", parent=world.school_b)

    # token + last-used touch, grants, page, count
    with django_assert_num_queries(5):
        response = client.get(ORGS, headers=headers)

    assert response.json()["count"] == 14


def test_org_out_has_explicit_fields_and_offset_datetimes(client: Client, world: Campus) -> None:
    response = client.get(f"{ORGS}/{world.school_a.pk}", headers=bearer(world.school_admin))

    body = response.json()
    assert response.status_code == 200
    assert set(body) == {
        "id",
        "kind",
        "name",
        "name_en",
        "code",
        "parent_id",
        "depth",
        "school_type",
        "grade_year",
        "is_active",
        "created_at",
        "updated_at",
    }
    assert body["kind"] == "school"
    assert body["school_type"] == "higher_vocational"
    assert body["parent_id"] == world.region.pk
    assert body["created_at"].endswith("+08:00")


@pytest.mark.parametrize("role", ["student", "other_admin"])
def test_other_schools_and_students_get_404_for_a_node(
    client: Client, world: Campus, role: str
) -> None:
    response = client.get(f"{ORGS}/{world.department_a.pk}", headers=bearer(world.roles[role]))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_missing_and_invisible_nodes_look_the_same(client: Client, world: Campus) -> None:
    headers = bearer(world.other_admin)

    invisible = client.get(f"{ORGS}/{world.school_a.pk}", headers=headers)
    missing = client.get(f"{ORGS}/999999", headers=headers)

    assert invisible.status_code == missing.status_code == 404
    assert invisible.json() == missing.json()


def _department_body(parent: OrgUnit, name: str = "Nursing") -> dict[str, Any]:
    return {"parent_id": parent.pk, "kind": "department", "name": name}


def test_school_admin_creates_a_department_and_it_is_audited(client: Client, world: Campus) -> None:
    response = client.post(
        ORGS,
        _department_body(world.school_a),
        content_type="application/json",
        headers=bearer(world.school_admin),
    )

    assert response.status_code == 201
    created = OrgUnit.objects.get(pk=response.json()["id"])
    assert (created.name, created.parent_id, created.kind) == (
        "Nursing",
        world.school_a.pk,
        "department",
    )
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_id=str(created.pk))
    assert entry.actor == world.school_admin


@pytest.mark.parametrize(
    ("role", "status"),
    [("student", 404), ("teacher", 403), ("other_admin", 404)],
)
def test_create_under_school_a_is_refused_and_changes_nothing(
    client: Client, world: Campus, role: str, status: int
) -> None:
    before = OrgUnit.objects.count()

    response = client.post(
        ORGS,
        _department_body(world.school_a),
        content_type="application/json",
        headers=bearer(world.roles[role]),
    )

    assert response.status_code == status
    assert OrgUnit.objects.count() == before
    assert not AuditEntry.objects.filter(object_type="core.orgunit").exists()


def test_create_without_auth_is_401(client: Client, world: Campus) -> None:
    response = client.post(ORGS, _department_body(world.school_a), content_type="application/json")

    assert response.status_code == 401


def test_duplicate_school_code_is_a_409(client: Client, world: Campus) -> None:
    body = {
        "parent_id": world.region.pk,
        "kind": "school",
        "name": "Copy",
        "code": world.school_b.code,
        "school_type": SchoolType.HIGHER_VOCATIONAL,
    }

    response = client.post(
        ORGS, body, content_type="application/json", headers=bearer(world.regional_admin)
    )

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert response.json()["details"] == {"code": world.school_b.code}


def test_service_validation_gives_422_with_field_details(client: Client, world: Campus) -> None:
    body = {"parent_id": world.region.pk, "kind": "school", "name": "No code"}

    response = client.post(
        ORGS,
        body,
        content_type="application/json",
        headers={**bearer(world.regional_admin), "Accept-Language": "en"},
    )

    assert response.status_code == 422
    assert set(response.json()["details"]) == {"code", "school_type"}


def test_schema_validation_names_each_missing_field(client: Client, world: Campus) -> None:
    response = client.post(
        ORGS,
        {"kind": "department"},
        content_type="application/json",
        headers={**bearer(world.school_admin), "Accept-Language": "en"},
    )

    assert response.status_code == 422
    assert response.json() == {
        "code": "validation_failed",
        "message": "Some values are not valid.",
        "details": {"parent_id": "This field is required.", "name": "This field is required."},
    }


def test_messages_follow_accept_language(client: Client, world: Campus) -> None:
    headers = bearer(world.school_admin)

    english = client.post(
        ORGS, {}, content_type="application/json", headers={**headers, "Accept-Language": "en"}
    )
    chinese = client.post(
        ORGS, {}, content_type="application/json", headers={**headers, "Accept-Language": "zh-hans"}
    )

    assert english.json()["details"]["name"] == "This field is required."
    assert chinese.json()["details"]["name"] != english.json()["details"]["name"]


def test_malformed_json_is_a_400_with_a_clear_code(client: Client, world: Campus) -> None:
    response = client.post(
        ORGS,
        "{not json",
        content_type="application/json",
        headers={**bearer(world.school_admin), "Accept-Language": "en"},
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "malformed_json",
        "message": "The request body is not valid JSON.",
        "details": None,
    }


def test_oversized_body_is_a_json_413(client: Client, world: Campus, settings: Any) -> None:
    headers = bearer(world.school_admin)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"name": "' + "x" * 2000 + '"}'

    response = client.post(ORGS, body, content_type="application/json", headers=headers)

    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert response.json()["details"] == {"max_bytes": 1000}


def test_school_admin_renames_a_department(client: Client, world: Campus) -> None:
    response = client.patch(
        f"{ORGS}/{world.department_a.pk}",
        {"name": "Robotics"},
        content_type="application/json",
        headers=bearer(world.school_admin),
    )

    assert response.status_code == 200
    assert response.json()["name"] == "Robotics"
    world.department_a.refresh_from_db()
    assert world.department_a.name == "Robotics"
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.UPDATE, object_id=str(world.department_a.pk)
        ).count()
        == 1
    )


def test_patch_with_a_null_name_changes_nothing(client: Client, world: Campus) -> None:
    response = client.patch(
        f"{ORGS}/{world.department_a.pk}",
        {"name": None},
        content_type="application/json",
        headers=bearer(world.school_admin),
    )

    assert response.status_code == 200
    world.department_a.refresh_from_db()
    assert world.department_a.name == "Mechatronics"


@pytest.mark.parametrize(
    ("role", "status"),
    [("student", 404), ("teacher", 403), ("other_admin", 404)],
)
def test_patch_is_refused_and_changes_nothing(
    client: Client, world: Campus, role: str, status: int
) -> None:
    response = client.patch(
        f"{ORGS}/{world.department_a.pk}",
        {"name": "Hacked"},
        content_type="application/json",
        headers=bearer(world.roles[role]),
    )

    assert response.status_code == status
    world.department_a.refresh_from_db()
    assert world.department_a.name == "Mechatronics"


def test_regional_admin_deletes_an_empty_department(client: Client, world: Campus) -> None:
    target = OrgUnitFactory(kind=OrgKind.DEPARTMENT, name="Empty", parent=world.school_a)

    response = client.delete(f"{ORGS}/{target.pk}", headers=bearer(world.regional_admin))

    assert response.status_code == 204
    assert not OrgUnit.objects.filter(pk=target.pk).exists()
    assert AuditEntry.objects.filter(action=AuditAction.DELETE, object_id=str(target.pk)).exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("student", 404), ("teacher", 403), ("other_admin", 404)],
)
def test_delete_is_refused_and_changes_nothing(
    client: Client, world: Campus, role: str, status: int
) -> None:
    target = OrgUnitFactory(kind=OrgKind.DEPARTMENT, name="Empty", parent=world.school_a)

    response = client.delete(f"{ORGS}/{target.pk}", headers=bearer(world.roles[role]))

    assert response.status_code == status
    assert OrgUnit.objects.filter(pk=target.pk).exists()


def test_deleting_a_node_with_children_is_a_409(client: Client, world: Campus) -> None:
    response = client.delete(f"{ORGS}/{world.school_a.pk}", headers=bearer(world.regional_admin))

    assert response.status_code == 409
    assert OrgUnit.objects.filter(pk=world.school_a.pk).exists()


def test_deleting_a_node_people_belong_to_is_a_409(client: Client, world: Campus) -> None:
    target = OrgUnitFactory(kind=OrgKind.DEPARTMENT, name="Staffed", parent=world.school_a)
    UserFactory(home_org=target)

    response = client.delete(f"{ORGS}/{target.pk}", headers=bearer(world.school_admin))

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert OrgUnit.objects.filter(pk=target.pk).exists()
