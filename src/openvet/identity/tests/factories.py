"""Factories for accounts and grants. Other apps' tests may import these."""

from datetime import datetime
from typing import Any

import factory

from openvet.core.models import OrgUnit
from openvet.identity.models import RoleAssignment, User

DEFAULT_PASSWORD = "Campus#2026"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"User {n}")
    must_change_password = False
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance: User, create: bool, results: Any = None) -> None:
        if create:
            instance.save()


def grant(user: User, role: str, org: OrgUnit, expires_at: datetime | None = None) -> User:
    RoleAssignment.objects.create(user=user, role=role, org=org, expires_at=expires_at)
    user.forget_grants()
    return user


def user_with_role(role: str, org: OrgUnit, **kwargs: Any) -> User:
    kwargs.setdefault("home_org", org)
    return grant(UserFactory(**kwargs), role, org)
