"""Scoped reads of accounts and grants."""

import base64
from typing import Any

from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from openvet.core import policy
from openvet.core.errors import NotFound
from openvet.core.roles import Role
from openvet.identity.models import RoleAssignment, User


def user_list_for(*, actor: Any, search: str = "", role: str = "") -> QuerySet[User]:
    """Accounts whose home organisation lies in the actor's ``view_user`` subtrees."""
    queryset = policy.scope(User.objects.all(), actor, "identity.view_user",
                            path_field="home_org__path")
    if search:
        queryset = queryset.filter(full_name__icontains=search) | queryset.filter(
            username__icontains=search) | queryset.filter(person_number=search)
    if role:
        queryset = queryset.filter(role_assignments__role=role).distinct()
    return queryset.select_related("home_org").order_by("username")


def user_get_for(*, actor: Any, user_id: int, capability: str = "identity.view_user") -> User:
    queryset = policy.scope(User.objects.all(), actor, capability,
                            path_field="home_org__path", own=None)
    if getattr(actor, "pk", None) == user_id:
        queryset = User.objects.all()
    user = queryset.select_related("home_org").filter(pk=user_id).first()
    if user is None:
        raise NotFound()
    return user


def assignments_of(*, user: User) -> QuerySet[RoleAssignment]:
    return user.role_assignments.select_related("org").order_by("role")  # type: ignore[attr-defined, no-any-return]


def totp_device_for(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user).order_by("-confirmed", "-id").first()


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret in base32 groups, for typing into an app that cannot scan."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def profile_context(*, user: User) -> dict[str, Any]:
    labels = dict(Role.choices)
    return {
        "profile_user": user,
        "assignments": [
            {"role": labels.get(a.role, a.role), "org": a.org, "expires_at": a.expires_at}
            for a in assignments_of(user=user)
        ],
    }
