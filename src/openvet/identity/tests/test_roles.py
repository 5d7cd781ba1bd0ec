from datetime import timedelta
from itertools import product

import pytest
import time_machine
from django.utils import timezone

from openvet.core import policy
from openvet.core.errors import ValidationFailed
from openvet.core.models import AuditAction, AuditEntry
from openvet.core.roles import SYSTEM_ADMIN_ROLES, Role
from openvet.core.tests.factories import nation, province, school
from openvet.identity import services
from openvet.identity.models import RoleAssignment
from openvet.identity.tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

_SEPARATED = [*sorted(SYSTEM_ADMIN_ROLES), Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]
_CONFLICTING_PAIRS = [
    (held, wanted)
    for held, wanted in product(_SEPARATED, repeat=2)
    if held != wanted and not {held, wanted} <= SYSTEM_ADMIN_ROLES
]


def _org_finder():
    region = province()
    orgs = {Role.PLATFORM_ADMIN: nation(), Role.REGIONAL_ADMIN: region}
    college = school(region)
    return lambda role: orgs.get(role, college)


@pytest.mark.parametrize(("held", "wanted"), _CONFLICTING_PAIRS)
def test_separated_duties_are_never_combined(held: str, wanted: str) -> None:
    _org_for = _org_finder()
    platform = grant(UserFactory(), Role.PLATFORM_ADMIN, nation())
    user = grant(UserFactory(), held, _org_for(held))

    with pytest.raises(ValidationFailed) as caught:
        services.role_grant(actor=platform, user=user, role=wanted, org=_org_for(wanted))

    assert set(caught.value.details) == {"role"}
    assert list(RoleAssignment.objects.filter(user=user).values_list("role", flat=True)) == [held]


def test_two_system_admin_roles_may_be_combined() -> None:
    platform = grant(UserFactory(), Role.PLATFORM_ADMIN, nation())
    region = province()
    user = grant(UserFactory(), Role.REGIONAL_ADMIN, region)

    services.role_grant(actor=platform, user=user, role=Role.SCHOOL_ADMIN, org=school(region))

    assert RoleAssignment.objects.filter(user=user).count() == 2


def test_evaluator_needs_an_expiry_date() -> None:
    college = school()
    admin = grant(UserFactory(), Role.SCHOOL_ADMIN, college)
    user = UserFactory(home_org=college)

    with pytest.raises(ValidationFailed) as caught:
        services.role_grant(actor=admin, user=user, role=Role.EVALUATOR, org=college)

    assert set(caught.value.details) == {"expires_at"}
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_expired_evaluator_grant_stops_working() -> None:
    college = school()
    admin = grant(UserFactory(), Role.SCHOOL_ADMIN, college)
    evaluator = UserFactory(home_org=college)
    start = timezone.now()
    services.role_grant(
        actor=admin,
        user=evaluator,
        role=Role.EVALUATOR,
        org=college,
        expires_at=start + timedelta(days=7),
    )

    with time_machine.travel(start + timedelta(days=6), tick=False):
        before = policy.has_capability(evaluator, "core.view_dashboard_school", college)
    with time_machine.travel(start + timedelta(days=8), tick=False):
        after = policy.has_capability(evaluator, "core.view_dashboard_school", college)

    assert (before, after) == (True, False)


def test_role_grant_and_revoke_are_audited() -> None:
    college = school()
    admin = grant(UserFactory(), Role.SCHOOL_ADMIN, college)
    user = UserFactory(home_org=college)

    assignment = services.role_grant(actor=admin, user=user, role=Role.TEACHER, org=college)
    services.role_revoke(actor=admin, assignment=assignment)

    actions = list(
        AuditEntry.objects.filter(object_type="identity.roleassignment")
        .order_by("id")
        .values_list("action", "actor_id")
    )
    assert actions == [(AuditAction.CREATE, admin.pk), (AuditAction.DELETE, admin.pk)]
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_school_admin_cannot_grant_platform_administration() -> None:
    college = school()
    admin = grant(UserFactory(), Role.SCHOOL_ADMIN, college)
    user = UserFactory(home_org=college)

    with pytest.raises(Exception) as caught:  # noqa: PT011 - policy raises PermissionDenied
        services.role_grant(actor=admin, user=user, role=Role.PLATFORM_ADMIN, org=nation())

    assert type(caught.value).__name__ == "PermissionDenied"
    assert not RoleAssignment.objects.filter(user=user).exists()
