"""The audit log: every login and every write made through the platform.

Middleware puts the acting user and the client address in a context variable, so services
record entries without carrying the request around.
"""

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from openvet.core.models import AuditAction, AuditEntry, OrgUnit
from openvet.core.policy import Actor


@dataclass(frozen=True)
class RequestContext:
    # The request (or any object with a ``user``), read late: API token auth sets the user
    # after this context was entered.
    holder: Any = None
    ip_address: str | None = None


# The default is a frozen dataclass: shared, but never mutated.
_context: ContextVar[RequestContext] = ContextVar(
    "openvet_request",
    default=RequestContext(),  # noqa: B039
)


@contextmanager
def request_context(*, holder: Any = None, ip_address: str | None = None) -> Iterator[None]:
    token = _context.set(RequestContext(holder=holder, ip_address=ip_address))
    try:
        yield
    finally:
        _context.reset(token)


def current_ip() -> str | None:
    return _context.get().ip_address


def _actor_of(actor: Actor | None) -> Any:
    if actor is not None:
        return actor
    user = getattr(_context.get().holder, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def audit_record(
    *,
    action: str,
    obj: models.Model | None = None,
    org: OrgUnit | None = None,
    changes: Mapping[str, Any] | None = None,
    actor: Actor | None = None,
    actor_label: str = "",
    object_label: str = "",
) -> AuditEntry:
    """Append one entry. ``org`` places it in the tree so school audit admins see it."""
    who = _actor_of(actor)
    return AuditEntry.objects.create(
        at=timezone.now(),
        actor=who,
        actor_label=actor_label or (who.get_username() if who is not None else ""),
        ip_address=current_ip(),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=(object_label or str(obj))[:200] if obj is not None else object_label,
        org=org,
        org_path=org.path if org is not None else "",
        changes=dict(changes or {}),
    )


def audit_insert_from_sql(*, source: str, object_id_sql: str) -> str:
    """PostgreSQL INSERT appending one entry per row of ``source`` (a CTE of the same
    statement), for a hot path that writes in a single statement (ADR 0303). Takes the same
    columns as ``audit_record``; the object id comes from ``object_id_sql`` over ``source``,
    the other values are the parameters of ``audit_insert_params`` in that order."""
    columns = [_column(name) for name in _INSERT_FIELDS]
    # Casts make text parameters fit the inet and jsonb columns whatever the driver sends.
    values = [_CASTS.get(name, "%s") for name in _INSERT_FIELDS]
    values[_INSERT_FIELDS.index("object_id")] = object_id_sql
    return (
        f"INSERT INTO {AuditEntry._meta.db_table} ({', '.join(columns)}) "  # noqa: S608 - names from the model
        f"SELECT {', '.join(values)} FROM {source}"
    )


_INSERT_FIELDS = (
    "at",
    "actor",
    "actor_label",
    "ip_address",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "org",
    "org_path",
    "changes",
)


def _column(name: str) -> str:
    field = AuditEntry._meta.get_field(name)
    return str(field.column)  # type: ignore[union-attr]  # concrete fields only


_CASTS = {"ip_address": "%s::inet", "changes": "%s::jsonb"}


def audit_insert_params(
    *,
    action: str,
    object_type: str,
    object_label: str,
    actor_id: int | None,
    actor_label: str,
    org_id: int | None,
    org_path: str,
    changes: Mapping[str, Any],
    ip_address: str | None,
) -> list[Any]:
    """The parameters of ``audit_insert_from_sql``, for the values ``audit_record`` writes."""
    return [
        timezone.now(),
        actor_id,
        actor_label,
        ip_address,
        action,
        object_type,
        object_label[:200],
        org_id,
        org_path,
        json.dumps(dict(changes)),
    ]


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The fields that changed, as ``{field: [old, new]}`` in JSON-safe form."""
    return {
        key: [_jsonable(before.get(key)), _jsonable(value)]
        for key, value in after.items()
        if before.get(key) != value
    }


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def audit_purge_expired(*, now: datetime | None = None) -> int:
    """Delete entries older than the retention period (never under 180 days)."""
    days = max(180, int(settings.AUDIT_RETENTION_DAYS))
    cutoff = (now or timezone.now()) - timedelta(days=days)
    with transaction.atomic():
        # QuerySet.delete bypasses the append-only guard on purpose: this is the only deleter.
        deleted, _ = AuditEntry.objects.filter(at__lt=cutoff).delete()
    return deleted


__all__ = [
    "AuditAction",
    "audit_insert_from_sql",
    "audit_insert_params",
    "audit_purge_expired",
    "audit_record",
    "diff",
    "request_context",
]
