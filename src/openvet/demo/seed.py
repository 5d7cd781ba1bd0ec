"""Write the demo plan to the database, once.

The org tree goes through ``core.services.org_create`` (validated and audited node by node).
The ~3,250 accounts and their grants are bulk-inserted in the same transaction, sharing one
password hash (hashing is deliberately slow), and recorded by one summary audit entry.
``seed_records`` then adds the student and staff records and a few status changes. A demo
seeded before records existed gets them on the next run.
The demo app sits in the top tier: it may use every app below it.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from openvet.core import services
from openvet.core.audit import AuditAction, audit_record
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.pii import digest
from openvet.core.policy import Actor
from openvet.core.roles import Role
from openvet.demo.plan import FEATURED_ACCOUNTS, DemoPlan, OrgSpec, PersonSpec, build_plan
from openvet.demo.seed_records import RecordCounts, seed_records
from openvet.identity.models import RoleAssignment
from openvet.records.models import Staff, Student

# Printed by `openvet demo`; meets the password policy. Demo deployments only.
DEMO_PASSWORD = "Demo#2024vet"  # noqa: S105
_BATCH = 500


class DemoConflictError(Exception):
    """Accounts the demo would create already exist (but the demo data does not)."""


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    org_name: str


@dataclass(frozen=True)
class DemoResult:
    created: bool
    orgs: int
    users: int
    accounts: list[DemoAccount]
    students: int = 0
    staff: int = 0
    status_changes: int = 0


def demo_seed(*, seed: int | None = None, scale: float = 1.0) -> DemoResult:
    """Create the demo data unless it is already there; either way list the featured accounts."""
    plan = build_plan(scale=scale) if seed is None else build_plan(seed=seed, scale=scale)
    marker = OrgUnit.objects.filter(kind=OrgKind.SCHOOL, code=plan.marker_school_code).first()
    if marker is not None:
        counts = _backfill_records(plan, marker)
        return DemoResult(
            created=False,
            orgs=0,
            users=0,
            accounts=featured_accounts(),
            students=counts.students,
            staff=counts.staff,
            status_changes=counts.changes,
        )
    user_model = get_user_model()
    clashes = user_model.objects.filter(username__in=[p.username for p in plan.people])
    if clashes.exists():
        names = ", ".join(clashes.values_list("username", flat=True)[:5])
        raise DemoConflictError(f"accounts already exist: {names}")
    with transaction.atomic():
        orgs, users, counts = _write(plan)
    return DemoResult(
        created=True,
        orgs=orgs,
        users=users,
        accounts=featured_accounts(),
        students=counts.students,
        staff=counts.staff,
        status_changes=counts.changes,
    )


def _write(plan: DemoPlan) -> tuple[int, int, RecordCounts]:
    password = make_password(DEMO_PASSWORD)
    nation_spec = plan.orgs[0]
    nation = services.org_ensure_nation(
        code=nation_spec.code, name=nation_spec.name, name_en=nation_spec.name_en
    )
    platform_spec = next(p for p in plan.people if p.role == Role.PLATFORM_ADMIN)
    platform = _bulk_users([platform_spec], {"nation": nation}, password)[0]
    _bulk_grants([platform_spec], [platform], {"nation": nation}, granted_by=None)
    orgs = _create_orgs(plan.orgs[1:], nation, actor=_fresh(platform))
    rest = [p for p in plan.people if p is not platform_spec]
    users = _bulk_users(rest, orgs, password)
    _bulk_grants(rest, users, orgs, granted_by=platform)
    audit_record(
        action=AuditAction.CREATE,
        org=nation,
        actor=platform,
        object_label="demo data",
        changes={"orgs": len(orgs), "users": len(users) + 1, "role_assignments": len(users) + 1},
    )
    accounts = {spec.username: user for spec, user in zip(rest, users, strict=True)}
    accounts[platform_spec.username] = platform
    counts = seed_records(plan, orgs, accounts)
    return len(orgs), len(users) + 1, counts


_NOTHING = RecordCounts(students=0, staff=0, changes=0)


def _backfill_records(plan: DemoPlan, marker: OrgUnit) -> RecordCounts:
    """Records for a demo seeded before the records app existed: only when its school has
    none yet and every org and account of the plan (same seed and scale) is found."""
    if (
        Student.objects.filter(school=marker).exists()
        or Staff.objects.filter(school=marker).exists()
    ):
        return _NOTHING
    orgs = _existing_orgs(plan)
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=[p.username for p in plan.people])
    }
    if orgs is None or len(users) != len(plan.people):
        return _NOTHING
    with transaction.atomic():
        return seed_records(plan, orgs, users)


def _existing_orgs(plan: DemoPlan) -> dict[str, OrgUnit] | None:
    """The plan's org nodes found in the tree by parent, kind and code; None if one is missing."""
    orgs: dict[str, OrgUnit] = {}
    for spec in plan.orgs:
        if spec.kind == OrgKind.NATION:
            # The root may predate the demo (``createadmin``), whatever its code.
            found = OrgUnit.objects.filter(kind=OrgKind.NATION).order_by("pk").first()
        else:
            parent = orgs[spec.parent_key or "nation"]
            found = OrgUnit.objects.filter(kind=spec.kind, code=spec.code, parent=parent).first()
        if found is None:
            return None
        orgs[spec.key] = found
    return orgs


def _fresh(user: Any) -> Any:
    """The account re-read, so that its grants are loaded from the database."""
    return get_user_model().objects.get(pk=user.pk)


def _create_orgs(specs: list[OrgSpec], nation: OrgUnit, *, actor: Actor) -> dict[str, OrgUnit]:
    orgs: dict[str, OrgUnit] = {"nation": nation}
    for spec in specs:
        parent = orgs[spec.parent_key or "nation"]
        existing = _existing_region(spec, parent)
        orgs[spec.key] = existing or services.org_create(
            actor=actor,
            parent=parent,
            kind=spec.kind,
            name=spec.name,
            name_en=spec.name_en,
            code=spec.code,
            school_type=spec.school_type,
            grade_year=spec.grade_year,
        )
    return orgs


def _existing_region(spec: OrgSpec, parent: OrgUnit) -> OrgUnit | None:
    """A province or city already in the tree (made by an administrator) is reused."""
    if spec.kind not in (OrgKind.PROVINCE, OrgKind.CITY):
        return None
    return OrgUnit.objects.filter(kind=spec.kind, code=spec.code, parent=parent).first()


def _bulk_users(specs: list[PersonSpec], orgs: dict[str, OrgUnit], password: str) -> list[Any]:
    user_model = get_user_model()
    now = timezone.now()
    users = [
        user_model(
            username=spec.username,
            full_name=spec.full_name,
            person_number=spec.person_number,
            home_org=orgs[spec.home_key],
            gender=spec.gender,
            id_number=spec.id_number,
            id_number_digest=digest(spec.id_number),
            mobile=spec.mobile,
            mobile_digest=digest(spec.mobile),
            password=password,
            must_change_password=False,
            password_changed_at=now,
            date_joined=now,
        )
        for spec in specs
    ]
    return user_model.objects.bulk_create(users, batch_size=_BATCH)


def _bulk_grants(
    specs: list[PersonSpec], users: list[Any], orgs: dict[str, OrgUnit], *, granted_by: Any
) -> None:
    assignment_model = RoleAssignment
    now = timezone.now()
    assignment_model.objects.bulk_create(
        [
            assignment_model(
                user=user,
                role=spec.role,
                org=orgs[key],
                granted_by=granted_by,
                granted_at=now,
                expires_at=(
                    now + timedelta(days=spec.expires_in_days) if spec.expires_in_days else None
                ),
            )
            for spec, user in zip(specs, users, strict=True)
            for key in spec.role_keys
        ],
        batch_size=_BATCH,
    )


def featured_accounts() -> list[DemoAccount]:
    """One account per role, as it is in the database."""
    assignment_model = RoleAssignment
    found = {
        a.user.username: DemoAccount(a.user.username, a.role, a.org.name)
        for a in assignment_model.objects.filter(
            user__username__in=FEATURED_ACCOUNTS
        ).select_related("user", "org")
    }
    return [found[name] for name in FEATURED_ACCOUNTS if name in found]
