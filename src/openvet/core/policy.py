"""The permission policy: may this user do this, to this object, in this part of the tree?

Every page, API route and service asks here. A user holds grants (a role on an org node);
a grant reaches the node and everything below it, until it expires. Querysets of org-owned
rows are narrowed with ``scope`` so that nothing outside the caller's subtrees is ever read.
"""

import contextlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.functional import LazyObject, empty

from openvet.core.errors import PermissionDenied
from openvet.core.models import OrgUnit
from openvet.core.roles import CAPABILITIES

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Grant:
    role: str
    org_id: int
    org_path: str
    expires_at: datetime | None = None

    def is_current(self, now: datetime) -> bool:
        return self.expires_at is None or self.expires_at > now


class Actor(Protocol):
    """Who acts: a signed-in user (the identity app's ``User``) or the anonymous one, as pages
    and routes receive them. The policy asks a user for ``get_grants()`` only once
    ``is_authenticated`` holds."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_active(self) -> bool: ...

    @property
    def is_authenticated(self) -> bool: ...


def current_grants(user: Any) -> list[Grant]:
    memo = _memo_for(user)
    return [] if memo is None else list(memo.current)


def roles_of(user: Any) -> set[str]:
    return {grant.role for grant in current_grants(user)}


def capability_paths(user: Any, capability: str) -> list[str]:
    """The roots of the subtrees where ``user`` holds ``capability``, none nested in another."""
    memo = _memo_for(user)
    if memo is None:
        return []
    roots = memo.paths.get(capability)
    if roots is None:
        paths = sorted(
            {g.org_path for g in memo.current if capability in CAPABILITIES.get(g.role, ())}
        )
        roots = []
        for path in paths:
            if not any(path.startswith(root) for root in roots):
                roots.append(path)
        memo.paths[capability] = roots
    return list(roots)


def has_capability(user: Any, capability: str, org: OrgUnit | None = None) -> bool:
    """True if ``user`` may use ``capability`` anywhere (``org`` None) or at ``org``."""
    if org is None:
        memo = _memo_for(user)
        return memo is not None and capability in memo.held
    return any(org.path.startswith(path) for path in capability_paths(user, capability))


@dataclass
class _PathsMemo:
    grants: list[Grant]
    count: int
    current: list[Grant]  # the grants current when the memo was made, until ``until``
    until: datetime | None  # the next expiry of a grant: the memo holds until then
    held: frozenset[str]  # every capability of the current grants
    paths: dict[str, list[str]]


def _memo_for(user: Any) -> _PathsMemo | None:
    """The user's remembered answers, made again when the grants change or one expires.

    A page asks dozens of questions (menu, panels, scoping) about the same user, mostly
    through the request's lazy user object: it is unwrapped once here, as every attribute
    read through it costs a call of its own.
    """
    user = _unwrapped(user)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    grants = user.get_grants()
    now = timezone.now()
    memo: _PathsMemo | None = getattr(user, "_capability_paths_memo", None)
    if (
        memo is None
        or memo.grants is not grants
        or memo.count != len(grants)
        or (memo.until is not None and now >= memo.until)
    ):
        current = [g for g in grants if g.is_current(now)]
        later = [g.expires_at for g in current if g.expires_at is not None]
        held = frozenset(cap for g in current for cap in CAPABILITIES.get(g.role, ()))
        until = min(later, default=None)
        memo = _PathsMemo(grants, len(grants), current, until, held, paths={})
        # An actor that keeps no attributes remembers nothing.
        with contextlib.suppress(AttributeError):
            user._capability_paths_memo = memo
    return memo


def _unwrapped(user: Any) -> Any:
    if not isinstance(user, LazyObject):
        return user
    lazy: Any = user  # Django's lazy object: read its target once, as any attribute would
    if lazy._wrapped is empty:
        lazy._setup()
    return lazy._wrapped


def require(user: Any, capability: str, org: OrgUnit | None = None) -> None:
    if not has_capability(user, capability, org):
        raise PermissionDenied()


def scope(
    queryset: QuerySet[M],
    user: Any,
    capability: str,
    *,
    path_field: str = "org__path",
    own: Q | None = None,
) -> QuerySet[M]:
    """Narrow ``queryset`` to the rows the user may see with ``capability``.

    ``own`` adds the rows that are the user's own (a student's own record) whatever their
    grants. With neither, the result is empty: the policy fails closed.
    """
    condition = Q()
    for path in capability_paths(user, capability):
        condition |= Q(**{f"{path_field}__startswith": path})
    if own is not None and getattr(user, "is_authenticated", False):
        condition |= own
    if not condition:
        return queryset.none()
    return queryset.filter(condition)
