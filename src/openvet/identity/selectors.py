"""Scoped reads of accounts and grants."""

import base64
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from openvet.core import policy
from openvet.core.errors import NotFound
from openvet.core.models import OrgUnit
from openvet.core.policy import Actor
from openvet.core.roles import Role
from openvet.identity.models import RoleAssignment, User


def user_list_for(
    *, actor: Actor, search: str = "", role: str = "", capability: str = "identity.view_user"
) -> QuerySet[User]:
    """Accounts whose home organisation lies in the actor's subtrees for ``capability``."""
    queryset = policy.scope(User.objects.all(), actor, capability, path_field="home_org__path")
    search = search.strip()
    if search:
        queryset = queryset.filter(
            Q(full_name__icontains=search)
            | Q(username__icontains=search)
            | Q(person_number__istartswith=search)
        )
    if role:
        queryset = queryset.filter(role_assignments__role=role).distinct()
    return queryset.select_related("home_org").order_by("username")


def user_get_for(*, actor: Actor, user_id: int, capability: str = "identity.view_user") -> User:
    queryset = policy.scope(
        User.objects.all(), actor, capability, path_field="home_org__path", own=None
    )
    if getattr(actor, "pk", None) == user_id:
        queryset = User.objects.all()
    user = queryset.select_related("home_org").filter(pk=user_id).first()
    if user is None:
        raise NotFound()
    return user


def assignments_of(*, user: User) -> QuerySet[RoleAssignment]:
    return user.role_assignments.select_related("org").order_by("role")


def totp_device_for(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user).order_by("-confirmed", "-id").first()


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret in base32 groups, for typing into an app that cannot scan."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def profile_context(*, user: User) -> dict[str, Any]:
    labels = dict(Role.choices)
    device = totp_device_for(user=user)
    return {
        "profile_user": user,
        "totp_enabled": device is not None and device.confirmed,
        "assignments": [
            {"role": labels.get(a.role, a.role), "org": a.org, "expires_at": a.expires_at}
            for a in assignments_of(user=user)
        ],
    }


def assignment_get_for(*, actor: Actor, user: User, assignment_id: int) -> RoleAssignment:
    """A grant of ``user`` on an org node where the actor may assign roles, or 404."""
    queryset = policy.scope(RoleAssignment.objects.filter(user=user), actor, "identity.assign_role")
    assignment = queryset.select_related("org", "user").filter(pk=assignment_id).first()
    if assignment is None:
        raise NotFound()
    return assignment


def org_choices_for(*, actor: Actor, capability: str) -> QuerySet[OrgUnit]:
    """The org nodes where the actor may use ``capability``, in tree order."""
    return policy.scope(OrgUnit.objects.active(), actor, capability, path_field="path").order_by(
        "path"
    )


def role_choices_for(*, actor: Actor) -> list[tuple[str, str]]:
    """The roles the actor may grant: all but platform administration, unless they hold it."""
    held = policy.roles_of(actor)
    return [
        (value, str(label))
        for value, label in Role.choices
        if value != Role.PLATFORM_ADMIN or Role.PLATFORM_ADMIN in held
    ]


@dataclass(frozen=True)
class LockoutInfo:
    """One row of failed sign-ins that django-axes keeps (by account name and address)."""

    username: str
    ip_address: str
    failures: int
    attempt_time: datetime
    username_locked: bool
    ip_locked: bool


def _sees_everything(paths: list[str]) -> bool:
    # A grant on a root node ("/00000001/") reaches the whole platform.
    return any(path.count("/") == 2 for path in paths)


def _attempt_visible(attempt: AccessAttempt, paths: list[str]) -> bool:
    from openvet.identity.backends import find_user_by_identifier

    user = find_user_by_identifier(attempt.username or "")
    if user is None or user.home_org is None:
        return False
    return any(user.home_org.path.startswith(path) for path in paths)


def lockout_list_for(*, actor: Actor) -> list[LockoutInfo]:
    """Failed sign-ins still inside the cool-off period, for the actor's subtrees.

    A school's security administrator sees the attempts on its own accounts; attempts on
    unknown names are seen only from a root node.
    """
    paths = policy.capability_paths(actor, "identity.view_security")
    if not paths:
        return []
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = list(AccessAttempt.objects.filter(attempt_time__gte=since).order_by("-attempt_time"))
    by_username: dict[str, int] = {}
    by_ip: dict[str, int] = {}
    for attempt in attempts:
        by_username[attempt.username or ""] = (
            by_username.get(attempt.username or "", 0) + attempt.failures_since_start
        )
        by_ip[attempt.ip_address or ""] = (
            by_ip.get(attempt.ip_address or "", 0) + attempt.failures_since_start
        )
    everything = _sees_everything(paths)
    limit = int(settings.AXES_FAILURE_LIMIT)
    return [
        LockoutInfo(
            username=attempt.username or "",
            ip_address=attempt.ip_address or "",
            failures=attempt.failures_since_start,
            attempt_time=attempt.attempt_time,
            username_locked=by_username[attempt.username or ""] >= limit,
            ip_locked=by_ip[attempt.ip_address or ""] >= limit,
        )
        for attempt in attempts
        if everything or _attempt_visible(attempt, paths)
    ]


def users_holding_role_over(*, role: str, org_path: str) -> QuerySet[User]:
    """Active users holding ``role`` (unexpired) on the node at ``org_path`` or above it.

    Used by the workflow engine to find who may decide a task.
    """
    ancestors = [org_path[: i + 1] for i, char in enumerate(org_path) if char == "/" and i > 0]
    now = timezone.now()
    assignments = RoleAssignment.objects.filter(role=role, org__path__in=ancestors).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )
    return User.objects.filter(is_active=True, pk__in=assignments.values("user_id")).order_by("pk")
