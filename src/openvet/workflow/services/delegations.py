"""Delegation: an approver hands their tasks to a colleague for a period."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import NotFound, ValidationFailed
from openvet.core.policy import Actor
from openvet.workflow.models import (
    Delegation,
)


@transaction.atomic
def delegation_create(*, actor: Actor, to_user: Any, starts_on: date, ends_on: date) -> Delegation:
    """The actor, going away, lets ``to_user`` decide their tasks between the two dates."""
    errors: dict[str, str] = {}
    if to_user.pk == actor.pk or not to_user.is_active:
        errors["to_user"] = _("Choose another active colleague.")
    if ends_on < starts_on:
        errors["ends_on"] = _("The end date is before the start date.")
    if ends_on < timezone.localdate():
        errors["ends_on"] = _("The end date has already passed.")
    if errors:
        raise ValidationFailed(details=errors)
    delegation = Delegation.objects.create(
        from_user_id=actor.pk, to_user=to_user, starts_on=starts_on, ends_on=ends_on
    )
    audit_record(
        action=AuditAction.CREATE,
        obj=delegation,
        org=getattr(actor, "home_org", None),
        actor=actor,
        changes={
            "to_user": [None, to_user.pk],
            "starts_on": [None, str(starts_on)],
            "ends_on": [None, str(ends_on)],
        },
    )
    return delegation


@transaction.atomic
def delegation_revoke(*, actor: Actor, delegation: Delegation) -> None:
    if delegation.from_user_id != actor.pk:
        raise NotFound()
    Delegation.objects.filter(pk=delegation.pk).update(revoked_at=timezone.now())
    audit_record(
        action=AuditAction.UPDATE,
        obj=delegation,
        org=getattr(actor, "home_org", None),
        actor=actor,
        changes={"revoked": [False, True]},
    )
