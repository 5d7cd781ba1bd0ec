"""The steps a student's and a staff member's record share: fill the fields from a service's
values, save with duplicates refused, the audit view of values (PII hidden), finding the row
an import updates and linking the sign-in account. ``students`` and ``staff`` supply what
differs (their fields, placement, validation and messages)."""

from collections.abc import Callable, Collection
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils.functional import Promise

from openvet.core import policy
from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import Conflict, ValidationFailed
from openvet.core.models import OrgUnit
from openvet.core.pii import digest
from openvet.core.policy import Actor
from openvet.records.models import PersonRecord
from openvet.records.services.common import apply_identity, refuse_duplicate_id_number

P = TypeVar("P", bound=PersonRecord)
Errors = dict[str, str]

IDENTITY_FIELDS = ("id_type", "id_number", "birth_date")


def person_fill(
    person: P,
    *,
    values: dict[str, Any],
    plain_fields: Collection[str],
    place: Callable[[P, Errors], None],
    validate: Callable[[P, Errors], None],
) -> None:
    """Set the given fields (text stripped), place the person, apply the identity document and
    validate; every problem at once, as one ``ValidationFailed``, before anything is saved."""
    errors: Errors = {}
    for field in plain_fields:
        if field in values:
            value = values[field]
            setattr(person, field, value.strip() if isinstance(value, str) else value)
    place(person, errors)
    apply_identity(person, {k: v for k, v in values.items() if k in IDENTITY_FIELDS}, errors)
    validate(person, errors)
    if errors:
        raise ValidationFailed(details=errors)


def person_save(person: PersonRecord, *, number_field: str, duplicate: str | Promise) -> None:
    """Save; an ID number already on file in the school is refused at its field, and a number
    taken meanwhile is a conflict, not a 500."""
    refuse_duplicate_id_number(person)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:
        raise Conflict(duplicate, details={number_field: getattr(person, number_field)}) from exc


def person_public(
    values: dict[str, Any], *, pii: Collection[str], as_ids: bool = False
) -> dict[str, Any]:
    """Values as the audit log and history keep them: PII as ``***``; with ``as_ids`` rows
    (units, enterprises) as their ids."""
    return {
        k: "***" if k in pii else (getattr(v, "pk", v) if as_ids else v) for k, v in values.items()
    }


def person_find(
    model: type[P], *, school: OrgUnit, number_field: str, row: dict[str, Any]
) -> P | None:
    """The record an import row updates: by its number in the school, else by ID number."""
    number = str(row.get(number_field) or "").strip()
    existing = (
        model._default_manager.filter(school=school, **{number_field: number}).first()
        if number
        else None
    )
    if existing is None and row.get("id_number"):
        existing = model._default_manager.filter(
            school=school, id_number_digest=digest(str(row["id_number"]))
        ).first()
    return existing


def person_link_user(
    person: P, *, actor: Actor, user: Any, capability: str, taken: str | Promise
) -> P:
    """Link (or with None unlink) the person's sign-in account; one account, one record."""
    policy.require(actor, capability, person.org)
    others = type(person)._default_manager.filter(user=user).exclude(pk=person.pk)
    if user is not None and others.exists():
        raise Conflict(taken)
    before = getattr(person, "user_id", None)
    person.user = user  # type: ignore[attr-defined]  # each concrete record declares its own
    person.save(update_fields=["user", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE,
        obj=person,
        org=person.org,
        actor=actor,
        changes={"user": [before, getattr(user, "pk", None)]},
    )
    return person
