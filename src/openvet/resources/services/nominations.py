"""Nominating a resource to the library above its own, and deciding on it."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.audit import audit_record
from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.core.models import AuditAction
from openvet.core.policy import Actor
from openvet.resources import permissions as perms
from openvet.resources.models import (
    LEVEL_ORDER,
    LibraryLevel,
    Nomination,
    NominationStatus,
    Resource,
    ResourceStatus,
)


def next_level(level: str) -> str | None:
    index = LEVEL_ORDER.index(LibraryLevel(level))
    return LEVEL_ORDER[index + 1] if index + 1 < len(LEVEL_ORDER) else None


def nomination_create(*, actor: Actor, resource: Resource, note: str = "") -> Nomination:
    """Only a published resource certified at its own library's level goes up."""
    if not perms.can_nominate_resource(actor, resource):
        raise PermissionDenied()
    if resource.status != ResourceStatus.PUBLISHED or resource.certified_level != resource.level:
        raise ValidationFailed(
            _("Only a resource certified in its own library can be nominated upward.")
        )
    target = next_level(resource.level)
    if target is None:
        raise ValidationFailed(_("The resource is already in the national library."))
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                resource=resource, to_level=target, nominated_by_id=actor.pk, note=note[:300]
            )
            audit_record(action=AuditAction.CREATE, obj=nomination, org=resource.org)
    except IntegrityError as exc:
        raise Conflict(_("This resource has already been nominated.")) from exc
    return nomination


def nomination_decide(*, actor: Actor, nomination: Nomination, accept: bool) -> Nomination:
    """The provincial (or national) library accepts or declines; accepted, the resource moves
    up and keeps its certificate, which names the level it was certified at."""
    resource = nomination.resource
    if not policy.has_capability(actor, perms.DECIDE_NOMINATION, resource.org):
        raise PermissionDenied()
    status = NominationStatus.ACCEPTED if accept else NominationStatus.DECLINED
    with transaction.atomic():
        changed = Nomination.objects.filter(
            pk=nomination.pk, status=NominationStatus.PENDING
        ).update(status=status, decided_by=actor.pk, decided_at=timezone.now())
        if not changed:
            raise Conflict(_("This nomination has already been decided."))
        if accept:
            Resource.objects.filter(pk=resource.pk).update(level=nomination.to_level)
        nomination.refresh_from_db()
        audit_record(
            action=AuditAction.UPDATE,
            obj=nomination,
            org=resource.org,
            changes={"status": [NominationStatus.PENDING, status]},
        )
    return nomination
