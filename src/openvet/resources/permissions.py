"""Capabilities of the resource libraries and who reaches which library.

A published resource is seen by the readers of its library: its school's people for the
school library, the province's for the provincial one, everyone signed in for the national
one. Drafts are seen by their owner and by those who manage resources of the school.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from openvet.core import policy
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.resources.models import Contribution, Offer

VIEW = "resources.view_resource"
ADD = "resources.add_resource"
MANAGE = "resources.change_resource"
REVIEW = "resources.review_certification"
NOMINATE = "resources.nominate_resource"
DECIDE_NOMINATION = "resources.review_nomination"
# Finance of the selling school: confirms bank transfers, refunds, reads the settlements.
CONFIRM_PAYMENT = "resources.confirm_payment"
# Regional and platform administrators: the libraries harvested into theirs (ADR 0512).
HARVEST = "resources.add_harvestsource"
# People of a member school or enterprise of a library-building project: see their projects
# and upload resources into a work package of one (ADR 0538).
CONTRIBUTE = "resources.add_contribution"


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


@dataclass(frozen=True)
class Reach:
    """The paths of the schools and provinces an actor belongs to, and the subtrees where
    they hold ``VIEW`` (a regional administrator's province, a platform administrator's
    nation)."""

    schools: frozenset[str] = field(default_factory=frozenset)
    provinces: frozenset[str] = field(default_factory=frozenset)
    subtrees: frozenset[str] = field(default_factory=frozenset)

    @property
    def signed_in(self) -> bool:
        return bool(self.subtrees)


def reach_of(actor: Actor, capability: str = VIEW) -> Reach:
    paths = policy.capability_paths(actor, capability)
    if not paths:
        return Reach()
    ids = {int(s) for p in paths for s in _segments(p)}
    above = OrgUnit.objects.filter(pk__in=ids, kind__in=[OrgKind.SCHOOL, OrgKind.PROVINCE])
    schools: set[str] = set()
    provinces: set[str] = set()
    for org in above.only("path", "kind"):
        (schools if org.kind == OrgKind.SCHOOL else provinces).add(org.path)
    return Reach(frozenset(schools), frozenset(provinces), frozenset(paths))


def _starts(prefixes: frozenset[str]) -> Q:
    condition = Q(pk__in=[])
    for prefix in prefixes:
        condition |= Q(org__path__startswith=prefix)
    return condition


def reviewed_by_condition(actor: Actor) -> Q:
    """Resources contributed to a project whose lead school the actor manages resources of:
    the lead reads what it reviews, a member's draft too (ADR 0539)."""
    lead = Q(pk__in=[])
    for path in policy.capability_paths(actor, MANAGE):
        lead |= Q(package__project__lead__path__startswith=path)
    return Q(Exists(Contribution.objects.filter(lead, resource=OuterRef("pk"))))


def visible_condition(actor: Actor) -> Q:
    reach = reach_of(actor)
    if not reach.signed_in:
        # Enterprise people hold no library grant: their own resources (those they contributed
        # to a project) and nothing of any school's library (ADR 0539).
        return Q(owner=actor.pk) if actor.is_authenticated else Q(pk__in=[])
    published = Q(status="published")
    condition = published & Q(level="national")
    condition |= (
        published & Q(level="provincial") & (_starts(reach.provinces) | _starts(reach.subtrees))
    )
    condition |= published & Q(level="school") & (_starts(reach.schools) | _starts(reach.subtrees))
    # A resource on sale is in the market: every reader may find it and buy a licence; its
    # files still open only under a licence (ADR 0507).
    condition |= published & Q(licence="paid") & Q(on_sale_condition(timezone.now()))
    condition |= Q(owner=actor.pk)
    manage = policy.capability_paths(actor, MANAGE)
    for path in manage:
        condition |= Q(org__path__startswith=path)
    if manage:
        condition |= reviewed_by_condition(actor)
    return condition


def on_sale_condition(now: Any) -> Exists:
    return Exists(
        Offer.objects.filter(resource=OuterRef("pk"), valid_from__lte=now, valid_until__gt=now)
    )


def can_edit_resource(actor: Actor, resource: Any) -> bool:
    return bool(resource.owner_id == actor.pk or policy.has_capability(actor, MANAGE, resource.org))


def can_nominate_resource(actor: Actor, resource: Any) -> bool:
    return bool(
        resource.owner_id == actor.pk or policy.has_capability(actor, NOMINATE, resource.org)
    )


def conflict_of_interest(reviewer_reach: Reach, org: OrgUnit) -> bool:
    """An expert may not review the work of a school they belong to."""
    return any(org.path.startswith(school) for school in reviewer_reach.schools)


def may_review_in(reviewer_reach: Reach, org: OrgUnit) -> bool:
    """Experts review within their province (or the subtree of their grant)."""
    regions = reviewer_reach.provinces | reviewer_reach.subtrees
    return any(org.path.startswith(path) for path in regions)


def in_own_school(reach: Reach, org: OrgUnit) -> bool:
    return any(org.path.startswith(school) for school in reach.schools)


def holds_licence_condition(actor: Actor, reach: Reach, now: Any) -> Q:
    """Grants in force for the actor: their own, or their school's."""
    licensee = Q(user=actor.pk)
    for school in reach.schools:
        licensee |= Q(org__path=school)
    return (
        licensee
        & Q(revoked_at__isnull=True, starts_at__lte=now)
        & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    )


def can_build_paths(actor: Actor) -> bool:
    """Teachers, department heads and the library's curators build learning paths (ADR 0535)."""
    return policy.has_capability(actor, ADD) or policy.has_capability(actor, MANAGE)


def can_change_path(actor: Actor, path: Any) -> bool:
    """A path is changed by its author and by the curators of its school's library."""
    return bool(path.created_by_id == actor.pk or policy.has_capability(actor, MANAGE, path.org))


def audience_may_see(org: OrgUnit, resource: Any) -> bool:
    """May the readers of ``org``'s library find ``resource``? National resources, provincial
    ones of its province, its own school's, and any resource on sale (shown locked to those
    without a licence, ADR 0536)."""
    if resource.status != "published":
        return False
    if resource.level == "national":
        return True
    if resource.level == "school" and resource.org.path.startswith(org.path):
        return True
    if resource.level == "provincial":
        ids = [int(s) for s in _segments(resource.org.path)]
        provinces = OrgUnit.objects.filter(pk__in=ids, kind=OrgKind.PROVINCE)
        if any(org.path.startswith(p.path) for p in provinces.only("path")):
            return True
    return bool(
        resource.licence == "paid"
        and Offer.objects.filter(
            resource=resource, valid_from__lte=timezone.now(), valid_until__gt=timezone.now()
        ).exists()
    )
