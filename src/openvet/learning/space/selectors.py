"""Reads of the learning space (ADR 0755): every read is the actor's own, except the two
public pages (a certificate by its code, a portfolio by its link), which show only what the
learner chose and mask the name."""

from dataclasses import dataclass
from typing import Any

from openvet.core.errors import NotFound
from openvet.core.policy import Actor
from openvet.learning import selectors
from openvet.learning.models import Attempt, OnlineCourse, Unit
from openvet.learning.space.models import Certificate, Favourite, Note, PortfolioLink


def mask_name(name: str) -> str:
    """张小明 → 张**: the family name kept (on pages anyone with the address can open)."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def unit_space(*, actor: Actor, unit: Unit) -> dict[str, Any]:
    note = Note.objects.filter(user_id=actor.pk, unit=unit).first()
    favourite = Favourite.objects.filter(user_id=actor.pk, unit=unit).exists()
    return {"note": note, "favourite": favourite}


@dataclass
class Space:
    notes: list[Note]
    favourites: list[Favourite]
    certificates: list[Certificate]
    claimable: list[OnlineCourse]
    completed: list[OnlineCourse]
    attempts: list[Attempt]
    links: list[PortfolioLink]


def space_of(*, actor: Actor) -> Space:
    mine = selectors.my_courses(actor=actor)
    certificates = list(Certificate.objects.filter(user_id=actor.pk).select_related("course"))
    certified = {c.course_id for c in certificates}
    completed = [row.course for row in mine if row.total and row.percent == 100]
    return Space(
        notes=list(
            Note.objects.filter(user_id=actor.pk).select_related("unit", "unit__course")[:200]
        ),
        favourites=list(
            Favourite.objects.filter(user_id=actor.pk).select_related("unit", "unit__course")
        ),
        certificates=certificates,
        claimable=[c for c in completed if c.pk not in certified],
        completed=completed,
        attempts=list(
            Attempt.objects.filter(user_id=actor.pk, submitted_at__isnull=False)
            .select_related("unit", "unit__course")
            .order_by("-submitted_at")[:100]
        ),
        links=list(PortfolioLink.objects.filter(user_id=actor.pk, revoked_at__isnull=True)),
    )


def certificate_public(code: str) -> Certificate:
    certificate = Certificate.objects.filter(code=code.upper()[:32]).select_related("user").first()
    if certificate is None:
        raise NotFound()
    return certificate


@dataclass
class PublicPortfolio:
    link: PortfolioLink
    name: str
    courses: list[OnlineCourse]
    certificates: list[Certificate]
    attempts: list[Attempt]


def portfolio_public(token: str) -> PublicPortfolio:
    link = (
        PortfolioLink.objects.filter(token=token[:64], revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if link is None:
        raise NotFound()
    return PublicPortfolio(
        link=link,
        name=mask_name(str(getattr(link.user, "full_name", ""))),
        courses=list(OnlineCourse.objects.filter(pk__in=link.course_ids).order_by("title")),
        certificates=list(
            Certificate.objects.filter(pk__in=link.certificate_ids, user_id=link.user_id)
        ),
        attempts=list(
            Attempt.objects.filter(
                pk__in=link.attempt_ids, user_id=link.user_id, submitted_at__isnull=False
            ).select_related("unit", "unit__course")
        ),
    )
