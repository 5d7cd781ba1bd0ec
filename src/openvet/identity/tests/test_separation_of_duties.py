"""三员分立 when accounts change (ADR 0010): pages, API and services share one rule.

An administrator of one duty (system, security, audit) cannot change the account of another
duty's administrator of the same level; the same duty, the holder and the level above can.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from openvet.core.errors import PermissionDenied
from openvet.core.models import AuditAction, AuditEntry, OrgUnit
from openvet.core.roles import Role
from openvet.core.tests.factories import province, school
from openvet.identity import services
from openvet.identity.api.testing import bearer
from openvet.identity.models import RoleAssignment, User
from openvet.identity.tests.factories import DEFAULT_PASSWORD, user_with_role
from openvet.identity.tests.support import sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Reset#Pass-2026"
REFUSAL_ZH = "此账户承担另一类管理职责"
REFUSAL_EN = "This account holds another administrative duty"


@dataclass
class Duties:
    region: OrgUnit
    college: OrgUnit
    system: User
    security: User
    audit: User
    teacher: User
    regional: User


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def duties() -> Duties:
    region = province()
    college = school(region, name="School A")
    return Duties(
        region=region,
        college=college,
        system=user_with_role(Role.SCHOOL_ADMIN, college, username="sys_a"),
        security=user_with_role(Role.SECURITY_ADMIN, college, username="sec_a"),
        audit=user_with_role(Role.AUDIT_ADMIN, college, username="aud_a"),
        teacher=user_with_role(Role.TEACHER, college, username="teacher_a"),
        regional=user_with_role(Role.REGIONAL_ADMIN, region, username="sys_region"),
    )


def _patch(actor: User, user: User, body: dict[str, Any], language: str = "en") -> Any:
    return Client().patch(
        f"/api/v1/identity/users/{user.pk}",
        body,
        content_type="application/json",
        headers={**bearer(actor), "accept-language": language},
    )


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def _updates_of(user: User) -> int:
    return AuditEntry.objects.filter(
        object_type="identity.user", object_id=str(user.pk), action=AuditAction.UPDATE
    ).count()


# -- API -------------------------------------------------------------------------------------


def test_api_school_admin_cannot_deactivate_the_audit_admin(duties: Duties) -> None:
    response = _patch(duties.system, duties.audit, {"is_active": False}, "zh-hans")

    assert response.status_code == 403
    assert response.json()["code"] == "separation_of_duties"
    assert response.json()["message"].startswith(REFUSAL_ZH)
    assert _fresh(duties.audit).is_active is True
    assert _updates_of(duties.audit) == 0


def test_api_school_admin_cannot_edit_the_security_admin(duties: Duties) -> None:
    response = _patch(duties.system, duties.security, {"full_name": "Taken Over"})

    assert response.status_code == 403
    assert response.json()["message"].startswith(REFUSAL_EN)
    assert _fresh(duties.security).full_name == duties.security.full_name


def test_api_the_level_above_may_deactivate_the_schools_audit_admin(duties: Duties) -> None:
    response = _patch(duties.regional, duties.audit, {"is_active": False})

    assert response.status_code == 200
    assert _fresh(duties.audit).is_active is False
    assert _updates_of(duties.audit) == 1


def test_api_ordinary_accounts_and_the_same_duty_are_unaffected(duties: Duties) -> None:
    peer = user_with_role(Role.SCHOOL_ADMIN, duties.college, username="sys_a2")

    teacher = _patch(duties.system, duties.teacher, {"full_name": "Wang Wu"})
    colleague = _patch(duties.system, peer, {"full_name": "Li Si"})

    assert (teacher.status_code, colleague.status_code) == (200, 200)
    assert (_fresh(duties.teacher).full_name, _fresh(peer).full_name) == ("Wang Wu", "Li Si")


def test_api_school_admin_cannot_grant_roles_to_the_audit_admin(duties: Duties) -> None:
    response = Client().post(
        f"/api/v1/identity/users/{duties.audit.pk}/roles",
        {"role": Role.TEACHER, "org_id": duties.college.pk},
        content_type="application/json",
        headers=bearer(duties.system),
    )

    assert response.status_code == 403
    assert response.json()["code"] == "separation_of_duties"
    assert list(duties.audit.role_assignments.values_list("role", flat=True)) == [Role.AUDIT_ADMIN]


def test_api_revoking_the_audit_role_needs_the_level_above(duties: Duties) -> None:
    assignment = duties.audit.role_assignments.get()
    url = f"/api/v1/identity/role-assignments/{assignment.pk}"

    refused = Client().delete(url, headers=bearer(duties.system))
    kept = RoleAssignment.objects.filter(pk=assignment.pk).exists()
    allowed = Client().delete(url, headers=bearer(duties.regional))

    assert (refused.status_code, kept) == (403, True)
    assert allowed.status_code == 204
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


# -- pages -----------------------------------------------------------------------------------


def test_page_edit_of_the_security_admin_is_refused_before_the_form(duties: Duties) -> None:
    client = sign_in(Client(), duties.system)
    url = reverse("identity:user-edit", kwargs={"user_id": duties.security.pk})

    shown = client.get(url)
    posted = client.post(url, {"full_name": "Taken Over", "person_number": "", "email": ""})

    assert (shown.status_code, posted.status_code) == (403, 403)
    assert _fresh(duties.security).full_name == duties.security.full_name


def test_page_deactivation_of_the_audit_admin_is_refused(duties: Duties) -> None:
    client = sign_in(Client(), duties.system)

    response = client.post(reverse("identity:user-deactivate", kwargs={"user_id": duties.audit.pk}))

    assert response.status_code == 403
    assert _fresh(duties.audit).is_active is True


def test_page_security_admin_cannot_take_over_the_school_admin_by_a_reset(
    duties: Duties,
) -> None:
    client = sign_in(Client(), duties.security)
    body = {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}

    refused = client.post(
        reverse("identity:user-password-reset", kwargs={"user_id": duties.system.pk}), body
    )
    allowed = client.post(
        reverse("identity:user-password-reset", kwargs={"user_id": duties.teacher.pk}), body
    )

    assert refused.status_code == 403
    assert _fresh(duties.system).check_password(DEFAULT_PASSWORD)
    assert allowed.status_code == 302
    assert _fresh(duties.teacher).check_password(NEW_PASSWORD)


def test_page_role_grant_and_revoke_on_the_audit_admin_are_refused(duties: Duties) -> None:
    client = sign_in(Client(), duties.system)
    assignment = duties.audit.role_assignments.get()

    grant = client.post(
        reverse("identity:role-grant", kwargs={"user_id": duties.audit.pk}),
        {"role": Role.TEACHER, "org": duties.college.pk},
    )
    revoke = client.post(
        reverse(
            "identity:role-revoke",
            kwargs={"user_id": duties.audit.pk, "assignment_id": assignment.pk},
        )
    )

    assert (grant.status_code, revoke.status_code) == (403, 403)
    assert list(duties.audit.role_assignments.values_list("pk", flat=True)) == [assignment.pk]


def test_page_detail_offers_no_changes_and_says_why(duties: Duties) -> None:
    client = sign_in(Client(), duties.system)

    response = client.get(
        reverse("identity:user-detail", kwargs={"user_id": duties.audit.pk}),
        headers={"accept-language": "zh-hans"},
    )

    assert response.status_code == 200
    assert (response.context["can_edit"], response.context["can_grant"]) == (False, False)
    assert REFUSAL_ZH in response.content.decode()
    assert reverse("identity:user-edit", kwargs={"user_id": duties.audit.pk}) not in (
        response.content.decode()
    )


# -- services (every other caller: management commands, record effects) ---------------------


def test_service_relocating_another_dutys_admin_is_refused(duties: Duties) -> None:
    with pytest.raises(PermissionDenied) as refused:
        services.user_relocate(
            actor=duties.system,
            user=duties.audit,
            home_org=duties.college,
            role=Role.AUDIT_ADMIN,
            from_orgs=[duties.college],
        )

    assert refused.value.code == "separation_of_duties"


def test_service_a_deactivated_admin_keeps_its_duty(duties: Duties) -> None:
    services.user_deactivate(actor=duties.regional, user=duties.audit)

    with pytest.raises(PermissionDenied):
        services.user_update(actor=duties.system, user=_fresh(duties.audit), is_active=True)

    assert _fresh(duties.audit).is_active is False


def test_service_holders_change_their_own_password(duties: Duties) -> None:
    services.user_set_password(actor=duties.audit, user=duties.audit, password=NEW_PASSWORD)

    assert _fresh(duties.audit).check_password(NEW_PASSWORD)


def test_service_operator_without_actor_may_grant_on_any_account(duties: Duties) -> None:
    services.role_grant(actor=None, user=duties.audit, role=Role.TEACHER, org=duties.college)

    assert set(duties.audit.role_assignments.values_list("role", flat=True)) == {
        Role.AUDIT_ADMIN,
        Role.TEACHER,
    }
