"""Changing the seats of an offering (ADR 0302): never below the seats already taken."""

from django.db import transaction
from django.utils.translation import gettext as _

from openvet.core.audit import AuditAction
from openvet.core.errors import ValidationFailed
from openvet.core.policy import Actor
from openvet.teaching.capabilities import MANAGE_SELECTION
from openvet.teaching.selection.models import Offering
from openvet.teaching.services.common import record, require


@transaction.atomic
def offering_set_capacity(*, actor: Actor, offering: Offering, capacity: int) -> Offering:
    """Change the seats; never below the seats already taken."""
    require(actor, MANAGE_SELECTION, offering.org)
    locked = Offering.objects.select_for_update().get(pk=offering.pk)
    if capacity < max(1, locked.taken):
        raise ValidationFailed(
            details={
                "capacity": _("Capacity cannot be below the %(taken)s seats already taken.")
                % {"taken": locked.taken}
            }
        )
    before = locked.capacity
    locked.capacity = capacity
    locked.save(update_fields=["capacity"])
    record(
        actor=actor,
        obj=locked,
        org=locked.org,
        action=AuditAction.UPDATE,
        before={"capacity": before},
        after={"capacity": capacity},
    )
    return locked
