"""Writes of a teacher's learning space (ADR 0758): the public profile page, off until the
teacher turns it on; its address is unguessable and stays the same when it is turned off and
on again."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import PermissionDenied, ValidationFailed
from openvet.core.policy import Actor, has_capability
from openvet.learning import permissions as perms
from openvet.learning.space.models import TeacherProfile

MAX_BIO = 2_000


def profile_save(*, actor: Actor, shown: bool, bio: str) -> TeacherProfile:
    if not has_capability(actor, perms.TEACH):
        raise PermissionDenied(_("Only teachers have a public teaching page."))
    bio = bio.strip()
    if len(bio) > MAX_BIO:
        raise ValidationFailed(
            details={"bio": _("Keep it under %(n)s characters.") % {"n": MAX_BIO}}
        )
    with transaction.atomic():
        profile, _created = TeacherProfile.objects.select_for_update().get_or_create(
            user_id=actor.pk,
            defaults={"token": secrets.token_urlsafe(16), "updated_at": timezone.now()},
        )
        profile.shown, profile.bio, profile.updated_at = shown, bio, timezone.now()
        profile.save(update_fields=["shown", "bio", "updated_at"])
        audit_record(
            action=AuditAction.UPDATE,
            obj=profile,
            org=getattr(actor, "home_org", None),
            actor=actor,
            changes={"shown": shown},
        )
    return profile
