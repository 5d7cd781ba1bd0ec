"""The audit log: every login and every write made through the platform.

Middleware puts the acting user and the client address in a context variable, so services
record entries without carrying the request around.
"""

import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _lazy

from openvet.core.models import AuditAction, AuditEntry, OrgUnit
from openvet.core.policy import Actor
from openvet.core.roles import Role


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


# -- presentation ---------------------------------------------------------------------------
# ``changes`` holds ``{field: [old, new]}`` pairs (``diff``) beside plain values (a role code,
# a count, a list of field names, a dict of counts). Each kind is shown as what it is.

_FIELD_LABELS: dict[str, Any] = {
    "role": _lazy("Role"),
    "org": _lazy("Organisation"),
    "home_org": _lazy("Organisation"),
    "expires_at": _lazy("Expires"),
    "is_active": _lazy("Active"),
    "username": _lazy("Username"),
    "full_name": _lazy("Full name"),
    "person_number": _lazy("Student or staff number"),
    "email": _lazy("Email"),
    "mobile": _lazy("Mobile number"),
    "id_number": _lazy("Citizen ID number"),
    "gender": _lazy("Gender"),
    "language": _lazy("Language"),
    "password": _lazy("Password"),
    "must_change_password": _lazy("Must change password"),
    "totp": _lazy("Authenticator app"),
    "token": _lazy("Access token"),
    "field": _lazy("Field"),
    "fields": _lazy("Fields"),
    "name": _lazy("Name"),
    "code": _lazy("Code"),
    "status": _lazy("Status"),
    "moved": _lazy("Role grants moved"),
    "cause": _lazy("Cause"),
    "unlock": _lazy("Unlocked"),
    "ip_address": _lazy("IP address"),
    "attempts_cleared": _lazy("Failed attempts cleared"),
    "scopes": _lazy("Scopes"),
}
_VALUE_LABELS: dict[str, Any] = {
    "changed": _lazy("changed"),
    "enrolled": _lazy("enrolled"),
    "revoked": _lazy("revoked"),
    "read": _lazy("read"),
    "write": _lazy("write"),
}
# Keys whose value is a list of names, even when it has two items (not an [old, new] pair).
_NAME_LIST_KEYS = frozenset({"fields", "scopes"})
# Keys whose text value names a field: shown by that field's label.
_FIELD_NAME_KEYS = frozenset({"field", "fields", "unlock"})
_ORG_FIELDS = frozenset({"org", "home_org"})
_ABSENT = "∅"


@dataclass(frozen=True)
class ChangeLine:
    """One field of an entry's changes, ready to show: ``before`` None means no old value."""

    label: str
    after: str
    before: str | None = None


def _show(key: str, value: Any, org_names: Mapping[int, str], field: Any = None) -> str:
    if value is None or value == "":
        return _ABSENT
    if isinstance(value, bool):
        return str(_lazy("Yes") if value else _lazy("No"))
    if key in _ORG_FIELDS and isinstance(value, int):
        return org_names.get(value, f"#{value}")
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    if isinstance(value, (str, int)) and value in choices:
        return str(choices[value])
    if isinstance(value, str):
        return _show_text(key, value)
    if isinstance(value, (list, tuple)):
        return ", ".join(_show(key, item, org_names, field) for item in value) or _ABSENT
    if isinstance(value, Mapping):
        parts = (f"{_label(str(k))}: {_show(str(k), v, org_names)}" for k, v in value.items())
        return "; ".join(parts) or _ABSENT
    return str(value)


def _show_text(key: str, value: str) -> str:
    if key == "role" and value in Role.values:
        return str(Role(value).label)
    if key in _FIELD_NAME_KEYS:
        return ", ".join(_label(part.strip()) for part in value.split(","))
    return str(_VALUE_LABELS.get(value, value))


def _label(key: str, field: Any = None) -> str:
    if key in _FIELD_LABELS:
        return str(_FIELD_LABELS[key])
    return capfirst(str(field.verbose_name)) if field is not None else key


@lru_cache(maxsize=512)
def _model_field(object_type: str, key: str) -> Any:
    """The field ``key`` of the entry's model (``app.model``), for its label and choices."""
    try:
        field = apps.get_model(object_type)._meta.get_field(key)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None
    return field if getattr(field, "concrete", False) else None


def _is_pair(key: str, value: Any) -> bool:
    """``[old, new]``; but two names (a reveal of both numbers, two scopes) are a list."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        return False
    return not (key in _NAME_LIST_KEYS and all(isinstance(item, str) for item in value))


_KNOWN_ORDER = {key: index for index, key in enumerate(_FIELD_LABELS)}


def _line_order(item: tuple[str, Any]) -> tuple[int, str]:
    # PostgreSQL's jsonb does not keep the written order: show known fields in a fixed order,
    # then the others alphabetically, so both databases show the same page.
    return (_KNOWN_ORDER.get(item[0], len(_KNOWN_ORDER)), item[0])


def audit_change_lines(
    changes: Mapping[str, Any],
    *,
    object_type: str = "",
    org_names: Mapping[int, str] | None = None,
) -> list[ChangeLine]:
    """The entry's changes as labelled lines: ``[old, new]`` pairs as before and after,
    any other value (text, number, yes/no, list, mapping) whole. A field of the entry's model
    (``object_type``) is named by its verbose name and shows its choices' labels."""
    names = org_names or {}
    lines = []
    for key, value in sorted(changes.items(), key=_line_order):
        field = _model_field(object_type, key) if object_type else None
        label = _label(key, field)
        if _is_pair(key, value):
            old, new = value
            before = None if old is None else _show(key, old, names, field)
            lines.append(ChangeLine(label, _show(key, new, names, field), before))
        else:
            lines.append(ChangeLine(label, _show(key, value, names, field)))
    return lines


def audit_present(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """Give each entry its ``change_lines`` for the audit page (org names read once)."""
    listed = list(entries)
    ids: set[int] = set()
    for entry in listed:
        for key in _ORG_FIELDS & set(entry.changes or {}):
            value = entry.changes[key]
            values = value if isinstance(value, list) else [value]
            ids |= {v for v in values if isinstance(v, int) and not isinstance(v, bool)}
    names = dict(OrgUnit.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    for entry in listed:
        entry.change_lines = audit_change_lines(  # type: ignore[attr-defined]
            entry.changes or {}, object_type=entry.object_type, org_names=names
        )
    return listed


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
    "ChangeLine",
    "audit_change_lines",
    "audit_insert_from_sql",
    "audit_insert_params",
    "audit_present",
    "audit_purge_expired",
    "audit_record",
    "diff",
    "request_context",
]
