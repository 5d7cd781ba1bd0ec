"""The accounts and role-grant API: scoping, PII masking and reveal, conflicts."""

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from openvet.core.api.pagination import MAX_LIMIT
from openvet.core.models import AuditAction, AuditEntry
from openvet.core.roles import Role
from openvet.identity.api.testing import Campus, bearer, campus
from openvet.identity.models import RoleAssignment, User
from openvet.identity.tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

USERS = "/api/v1/identity/users"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def world() -> Campus:
    return campus()


def _usernames(response: Any) -> list[str]:
    return [item["username"] for item in response.json()["items"]]


def test_me_returns_the_callers_account_and_roles(client: Client, world: Campus) -> None:
    response = client.get("/api/v1/identity/users/me", headers=bearer(world.student))

    body = response.json()
    assert response.status_code == 200
    assert body["user"]["username"] == "student_a"
    assert body["user"]["mobile"] == "138****5678"
    assert [(r["role"], r["org_id"]) for r in body["roles"]] == [("student", world.department_a.pk)]


def test_me_needs_authentication(client: Client) -> None:
    assert client.get("/api/v1/identity/users/me").status_code == 401


def test_school_admin_lists_the_accounts_of_their_school(client: Client, world: Campus) -> None:
    response = client.get(USERS, headers=bearer(world.school_admin))

    assert response.status_code == 200
    assert _usernames(response) == ["admin_a", "student_a", "teacher_a"]


def test_other_school_admin_sees_none_of_school_a(client: Client, world: Campus) -> None:
    response = client.get(USERS, headers=bearer(world.other_admin))

    assert _usernames(response) == ["admin_b"]


def test_student_lists_no_accounts(client: Client, world: Campus) -> None:
    response = client.get(USERS, headers=bearer(world.student))

    assert response.json() == {"count": 0, "items": []}


def test_regional_admin_filters_by_role_and_search(client: Client, world: Campus) -> None:
    headers = bearer(world.regional_admin)

    admins = client.get(USERS, {"role": "school_admin"}, headers=headers)
    searched = client.get(USERS, {"search": "teacher"}, headers=headers)

    assert _usernames(admins) == ["admin_a", "admin_b"]
    assert _usernames(searched) == ["teacher_a"]


def test_lists_mask_personal_numbers(client: Client, world: Campus) -> None:
    response = client.get(USERS, {"search": "student_a"}, headers=bearer(world.school_admin))

    item = response.json()["items"][0]
    assert item["mobile"] == "138****5678"
    assert item["pii_revealed"] is False


def test_user_list_pages_and_refuses_a_limit_above_the_cap(client: Client, world: Campus) -> None:
    headers = bearer(world.school_admin)

    first = client.get(USERS, {"limit": 1}, headers=headers)
    above = client.get(USERS, {"limit": MAX_LIMIT + 1}, headers=headers)

    assert first.json()["count"] == 3
    assert _usernames(first) == ["admin_a"]
    assert (above.status_code, above.json()["code"]) == (422, "validation_failed")


def test_user_list_costs_the_same_queries_for_many_rows(
    client: Client, world: Campus, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    headers = bearer(world.school_admin)
    for _ in range(10):
        UserFactory(home_org=world.department_a)

    # token + last-used touch, grants, page, count
    with django_assert_num_queries(5):
        response = client.get(USERS, headers=headers)

    assert response.json()["count"] == 13


@pytest.mark.parametrize(
    ("role", "status"), [("teacher", 200), ("other_admin", 404), ("student", 404)]
)
def test_reading_a_teacher_account_by_role(
    client: Client, world: Campus, role: str, status: int
) -> None:
    response = client.get(f"{USERS}/{world.teacher.pk}", headers=bearer(world.roles[role]))

    assert response.status_code == status


def test_a_student_reads_their_own_account(client: Client, world: Campus) -> None:
    response = client.get(f"{USERS}/{world.student.pk}", headers=bearer(world.student))

    assert response.json()["username"] == "student_a"


def test_school_admin_reveals_numbers_on_request_and_it_is_audited(
    client: Client, world: Campus
) -> None:
    response = client.get(
        f"{USERS}/{world.student.pk}", {"reveal": "true"}, headers=bearer(world.school_admin)
    )

    assert response.status_code == 200
    assert response.json()["mobile"] == "13812345678"
    assert response.json()["pii_revealed"] is True
    entry = AuditEntry.objects.get(action=AuditAction.REVEAL)
    assert (entry.actor, entry.object_id) == (world.school_admin, str(world.student.pk))


def test_without_reveal_even_an_admin_gets_masked_numbers(client: Client, world: Campus) -> None:
    response = client.get(f"{USERS}/{world.student.pk}", headers=bearer(world.school_admin))

    assert response.json()["mobile"] == "138****5678"
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()


def test_a_teacher_asking_to_reveal_gets_403_and_nothing_is_audited(
    client: Client, world: Campus
) -> None:
    response = client.get(
        f"{USERS}/{world.student.pk}", {"reveal": "true"}, headers=bearer(world.teacher)
    )

    assert response.status_code == 403
    assert "13812345678" not in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()


def _new_user(org_id: int, **extra: Any) -> dict[str, Any]:
    return {"username": "newbie", "full_name": "New Person", "home_org_id": org_id, **extra}


def test_school_admin_creates_an_account(client: Client, world: Campus) -> None:
    response = client.post(
        USERS,
        _new_user(world.department_a.pk, person_number="S0002"),
        content_type="application/json",
        headers=bearer(world.school_admin),
    )

    assert response.status_code == 201
    created = User.objects.get(username="newbie")
    assert (created.home_org_id, created.person_number) == (world.department_a.pk, "S0002")
    assert response.json()["id"] == created.pk


def test_duplicate_student_number_in_a_school_is_refused(client: Client, world: Campus) -> None:
    # identity.services reports a taken number as a field error (422) before saving; the
    # unique constraint still answers 409 (Conflict) if two requests race.
    response = client.post(
        USERS,
        _new_user(world.department_a.pk, person_number="S0001"),
        content_type="application/json",
        headers={**bearer(world.school_admin), "Accept-Language": "en"},
    )

    assert response.status_code == 422
    assert response.json()["details"] == {
        "person_number": "Another account of this school already has this number."
    }
    assert not User.objects.filter(username="newbie").exists()


def test_invalid_id_number_is_a_422_on_that_field(client: Client, world: Campus) -> None:
    response = client.post(
        USERS,
        _new_user(world.department_a.pk, id_number="123"),
        content_type="application/json",
        headers=bearer(world.school_admin),
    )

    assert response.status_code == 422
    assert set(response.json()["details"]) == {"id_number"}


@pytest.mark.parametrize(
    ("role", "status"), [("teacher", 403), ("other_admin", 404), ("student", 404)]
)
def test_creating_an_account_in_school_a_is_refused(
    client: Client, world: Campus, role: str, status: int
) -> None:
    response = client.post(
        USERS,
        _new_user(world.department_a.pk),
        content_type="application/json",
        headers=bearer(world.roles[role]),
    )

    assert response.status_code == status
    assert not User.objects.filter(username="newbie").exists()


def test_school_admin_updates_an_account(client: Client, world: Campus) -> None:
    response = client.patch(
        f"{USERS}/{world.teacher.pk}",
        {"full_name": "Renamed"},
        content_type="application/json",
        headers=bearer(world.school_admin),
    )

    assert response.status_code == 200
    world.teacher.refresh_from_db()
    assert world.teacher.full_name == "Renamed"


@pytest.mark.parametrize(
    ("role", "status"), [("teacher", 403), ("other_admin", 404), ("student", 403)]
)
def test_updating_the_student_is_refused_and_changes_nothing(
    client: Client, world: Campus, role: str, status: int
) -> None:
    response = client.patch(
        f"{USERS}/{world.student.pk}",
        {"full_name": "Hacked"},
        content_type="application/json",
        headers=bearer(world.roles[role]),
    )

    assert response.status_code == status
    world.student.refresh_from_db()
    assert world.student.full_name != "Hacked"


def test_school_admin_lists_a_users_roles(client: Client, world: Campus) -> None:
    response = client.get(f"{USERS}/{world.teacher.pk}/roles", headers=bearer(world.school_admin))

    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert [(r["role"], r["org_name"]) for r in response.json()["items"]] == [
        ("teacher", "School A")
    ]


@pytest.mark.parametrize("role", ["teacher", "other_admin", "student"])
def test_others_roles_are_not_visible_without_the_capability(
    client: Client, world: Campus, role: str
) -> None:
    response = client.get(
        f"{USERS}/{world.school_admin.pk}/roles", headers=bearer(world.roles[role])
    )

    assert response.status_code == 404


def test_school_admin_grants_a_role_and_it_is_audited(client: Client, world: Campus) -> None:
    body = {"role": "counsellor", "org_id": world.department_a.pk}

    response = client.post(
        f"{USERS}/{world.teacher.pk}/roles",
        body,
        content_type="application/json",
        headers=bearer(world.school_admin),
    )

    assert response.status_code == 201
    assert RoleAssignment.objects.filter(user=world.teacher, role=Role.COUNSELLOR).exists()
    assert (
        AuditEntry.objects.filter(
            object_type="identity.roleassignment", action=AuditAction.CREATE
        ).count()
        == 1
    )


def test_granting_a_held_role_again_is_a_409(client: Client, world: Campus) -> None:
    body = {"role": "teacher", "org_id": world.school_a.pk}

    response = client.post(
        f"{USERS}/{world.teacher.pk}/roles",
        body,
        content_type="application/json",
        headers=bearer(world.school_admin),
    )

    assert response.status_code == 409


def test_evaluator_without_expiry_is_a_422(client: Client, world: Campus) -> None:
    body = {"role": "evaluator", "org_id": world.school_a.pk}

    response = client.post(
        f"{USERS}/{world.teacher.pk}/roles",
        body,
        content_type="application/json",
        headers=bearer(world.school_admin),
    )

    assert response.status_code == 422
    assert set(response.json()["details"]) == {"expires_at"}


@pytest.mark.parametrize(
    ("role", "status"), [("teacher", 403), ("other_admin", 404), ("student", 404)]
)
def test_granting_in_school_a_is_refused(
    client: Client, world: Campus, role: str, status: int
) -> None:
    body = {"role": "school_admin", "org_id": world.school_a.pk}

    response = client.post(
        f"{USERS}/{world.teacher.pk}/roles",
        body,
        content_type="application/json",
        headers=bearer(world.roles[role]),
    )

    assert response.status_code == status
    assert not RoleAssignment.objects.filter(user=world.teacher, role=Role.SCHOOL_ADMIN).exists()


def test_school_admin_revokes_a_grant(client: Client, world: Campus) -> None:
    assignment = world.teacher.role_assignments.get()  # type: ignore[attr-defined]

    response = client.delete(
        f"/api/v1/identity/role-assignments/{assignment.pk}", headers=bearer(world.school_admin)
    )

    assert response.status_code == 204
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEntry.objects.filter(
        action=AuditAction.DELETE, object_id=str(assignment.pk)
    ).exists()


@pytest.mark.parametrize(
    ("role", "status"), [("teacher", 404), ("other_admin", 404), ("student", 404)]
)
def test_revoking_is_refused_and_changes_nothing(
    client: Client, world: Campus, role: str, status: int
) -> None:
    assignment = world.school_admin.role_assignments.get()  # type: ignore[attr-defined]

    response = client.delete(
        f"/api/v1/identity/role-assignments/{assignment.pk}", headers=bearer(world.roles[role])
    )

    assert response.status_code == status
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_regional_admin_can_revoke_in_a_school_of_the_region(client: Client, world: Campus) -> None:
    assignment = grant(UserFactory(home_org=world.school_b), Role.TEACHER, world.school_b)
    pk = assignment.role_assignments.get().pk  # type: ignore[attr-defined]

    response = client.delete(
        f"/api/v1/identity/role-assignments/{pk}", headers=bearer(world.regional_admin)
    )

    assert response.status_code == 204
