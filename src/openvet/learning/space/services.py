"""Writes of the learning space (ADR 0755). Only the learner writes their own space; notes
and favourites are recorded nowhere else, a certificate issued and a portfolio link made or
revoked are audited."""

import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.core.policy import Actor
from openvet.learning import selectors
from openvet.learning.models import Attempt, OnlineCourse, Progress, Unit
from openvet.learning.space.models import Certificate, Favourite, Note, PortfolioLink

NOTE_MAX = 10_000


def _require_learner(actor: Actor, course: OnlineCourse) -> None:
    if not selectors.access_of(actor=actor, course=course).is_learner:
        raise PermissionDenied(_("Only the students of this course learn in it."))


def note_save(*, actor: Actor, unit: Unit, text: str) -> Note | None:
    """Keep the learner's note on ``unit``; an empty text deletes it."""
    _require_learner(actor, unit.course)
    text = text.strip()
    if len(text) > NOTE_MAX:
        raise ValidationFailed(details={"text": _("Keep the note under 10,000 characters.")})
    with transaction.atomic():
        if not text:
            Note.objects.filter(user_id=actor.pk, unit=unit).delete()
            return None
        note, _created = Note.objects.update_or_create(
            user_id=actor.pk, unit=unit, defaults={"text": text, "updated_at": timezone.now()}
        )
    return note


def favourite_set(*, actor: Actor, unit: Unit, on: bool) -> bool:
    _require_learner(actor, unit.course)
    with transaction.atomic():
        if on:
            Favourite.objects.get_or_create(
                user_id=actor.pk, unit=unit, defaults={"created_at": timezone.now()}
            )
        else:
            Favourite.objects.filter(user_id=actor.pk, unit=unit).delete()
    return on


def certificate_issue(*, actor: Actor, course: OnlineCourse) -> Certificate:
    """The learner's certificate of ``course``, issued once every unit's completion rule is
    met (the same rules as the outline's progress)."""
    _require_learner(actor, course)
    existing = Certificate.objects.filter(user_id=actor.pk, course=course).first()
    if existing is not None:
        return existing
    total = Unit.objects.filter(course=course).count()
    done = Progress.objects.filter(
        user_id=actor.pk, unit__course=course, completed_at__isnull=False
    ).count()
    if total == 0 or done < total:
        raise Conflict(
            _("The course is not completed yet: %(done)s of %(total)s units.")
            % {"done": done, "total": total},
            code="course_not_completed",
        )
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                user_id=actor.pk,
                course=course,
                code=secrets.token_hex(8).upper(),
                course_title=course.title,
                school_name=_school_name(course),
                units=total,
                issued_at=timezone.now(),
            )
            audit_record(action=AuditAction.CREATE, obj=certificate, org=course.org, actor=actor)
    except IntegrityError:
        return Certificate.objects.get(user_id=actor.pk, course=course)
    return certificate


def _school_name(course: OnlineCourse) -> str:
    org: Any = course.org
    while org is not None and getattr(org, "kind", "") != "school":
        org = getattr(org, "parent", None)
    return str(getattr(org or course.org, "name", ""))[:200]


def portfolio_share(
    *,
    actor: Actor,
    title: str,
    course_ids: list[int],
    certificate_ids: list[int],
    attempt_ids: list[int],
) -> PortfolioLink:
    """A new public link showing the chosen items; each must be the learner's own."""
    title = title.strip()
    if not title:
        raise ValidationFailed(details={"title": _("Give the portfolio a title.")})
    if not (course_ids or certificate_ids or attempt_ids):
        raise ValidationFailed(details={"": _("Choose at least one item to show.")})
    completed = {row.course.pk for row in selectors.my_courses(actor=actor) if row.percent == 100}
    own_certs = set(
        Certificate.objects.filter(user_id=actor.pk, pk__in=certificate_ids).values_list(
            "pk", flat=True
        )
    )
    own_attempts = set(
        Attempt.objects.filter(
            user_id=actor.pk, pk__in=attempt_ids, submitted_at__isnull=False
        ).values_list("pk", flat=True)
    )
    if (
        not set(course_ids) <= completed
        or set(certificate_ids) != own_certs
        or set(attempt_ids) != own_attempts
    ):
        raise ValidationFailed(details={"": _("Choose only your own completed items.")})
    with transaction.atomic():
        link = PortfolioLink.objects.create(
            user_id=actor.pk,
            token=secrets.token_urlsafe(24),
            title=title[:100],
            course_ids=sorted(set(course_ids)),
            certificate_ids=sorted(own_certs),
            attempt_ids=sorted(own_attempts),
            created_at=timezone.now(),
        )
        audit_record(action=AuditAction.CREATE, obj=link, org=None, actor=actor)
    return link


def portfolio_revoke(*, actor: Actor, link_id: int) -> PortfolioLink:
    with transaction.atomic():
        link = (
            PortfolioLink.objects.select_for_update()
            .filter(pk=link_id, user_id=actor.pk, revoked_at__isnull=True)
            .first()
        )
        if link is None:
            raise Conflict(_("This link is already revoked."), code="already_revoked")
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        audit_record(
            action=AuditAction.UPDATE, obj=link, org=None, actor=actor, changes={"revoked": True}
        )
    return link
