"""Actors for core's tests.

Core imports no app (ADR-0002), so its tests reach accounts through the user model and the
app registry rather than through identity's factories.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model

from openvet.core.models import OrgUnit
from openvet.core.policy import Grant

PASSWORD = "Campus#2026"


@dataclass
class FakeActor:
    """Anything with grants satisfies the policy; no database row needed."""

    grants: list[Grant] = field(default_factory=list)
    pk: int = 1
    is_active: bool = True
    is_authenticated: bool = True

    def get_grants(self) -> list[Grant]:
        return self.grants


def fake(role: str, *orgs: OrgUnit, expires_at: datetime | None = None) -> FakeActor:
    return FakeActor(
        [Grant(role=role, org_id=o.pk, org_path=o.path, expires_at=expires_at) for o in orgs]
    )


_count = iter(range(1, 10**6))


def make_user(role: str | None = None, org: OrgUnit | None = None, **fields: Any) -> Any:
    """A saved account, holding ``role`` on ``org`` when both are given."""
    number = next(_count)
    fields.setdefault("username", f"core-user{number}")
    fields.setdefault("full_name", f"Person {number}")
    fields.setdefault("home_org", org)
    fields.setdefault("must_change_password", False)
    user = get_user_model().objects.create_user(password=PASSWORD, **fields)
    if role is not None and org is not None:
        give(user, role, org)
    return user


def give(user: Any, role: str, org: OrgUnit, expires_at: datetime | None = None) -> Any:
    assignment = apps.get_model("identity", "RoleAssignment")
    assignment.objects.create(user=user, role=role, org=org, expires_at=expires_at)
    user.forget_grants()
    return user
