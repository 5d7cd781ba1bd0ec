"""Every read of the resource libraries, scoped to what the actor may see."""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from openvet.core import policy
from openvet.core.errors import NotFound
from openvet.core.policy import Actor
from openvet.resources import permissions as perms
from openvet.resources.models import (
    Certification,
    CertificationStatus,
    Nomination,
    NominationStatus,
    Resource,
    ResourceFile,
)
from openvet.resources.search import engine, segment

FACETS = ("resource_type", "major_code", "level", "licence", "certified")
CANDIDATES = 2000
# Ranking: the text score, raised by half for a certified resource and by use (ADR 0505).
CERTIFIED_BOOST = 0.5
USE_BOOST = 0.1


def resource_list_for(*, actor: Actor) -> QuerySet[Resource]:
    return Resource.objects.filter(perms.visible_condition(actor)).select_related("org")


def resource_get_for(*, actor: Actor, resource_id: int) -> Resource:
    resource = resource_list_for(actor=actor).filter(pk=resource_id).first()
    if resource is None:
        raise NotFound()
    return resource


def my_resource_list(*, actor: Actor) -> QuerySet[Resource]:
    return Resource.objects.filter(owner=actor.pk).select_related("org")


def resource_files(resource: Resource) -> list[ResourceFile]:
    version = resource.versions.order_by("-number").first()
    return list(version.files.select_related("blob")) if version is not None else []


def file_get_for(*, actor: Actor, resource_id: int, file_id: int) -> ResourceFile:
    resource = resource_get_for(actor=actor, resource_id=resource_id)
    found = (
        ResourceFile.objects.filter(pk=file_id, version__resource=resource)
        .select_related("blob", "version__resource")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


@dataclass(frozen=True)
class SearchResult:
    resources: list[Resource]
    total: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def _filtered(queryset: QuerySet[Resource], filters: Mapping[str, str]) -> QuerySet[Resource]:
    for name in ("resource_type", "major_code", "level", "licence"):
        if filters.get(name):
            queryset = queryset.filter(**{name: filters[name]})
    if filters.get("certified") == "yes":
        queryset = queryset.exclude(certified_level="")
    return queryset


def _facet_counts(queryset: QuerySet[Resource]) -> dict[str, list[tuple[str, int]]]:
    counts: dict[str, list[tuple[str, int]]] = {}
    for name in ("resource_type", "major_code", "level", "licence"):
        rows = queryset.values(name).annotate(n=Count("id")).order_by("-n", name)
        counts[name] = [(str(r[name]), int(r["n"])) for r in rows if r[name]]
    certified = queryset.exclude(certified_level="").count()
    counts["certified"] = [("yes", certified)] if certified else []
    return counts


def _boost(resource: Resource, score: float) -> float:
    certified = 1 + (CERTIFIED_BOOST if resource.certified_level else 0)
    return score * certified * (1 + USE_BOOST * math.log1p(resource.views + resource.downloads))


def resource_search(
    *, actor: Actor, query: str, filters: Mapping[str, str], limit: int = 20, offset: int = 0
) -> SearchResult:
    """Published resources the actor may see that match every word of ``query`` (all of them
    when it is empty), narrowed by the facets, best first."""
    visible = _filtered(resource_list_for(actor=actor), filters).filter(status="published")
    words = segment(query)
    if not words:
        ordered = visible.order_by("-certified_level", "-views", "-id")
        return SearchResult(
            resources=list(ordered[offset : offset + limit]),
            total=visible.count(),
            facets=_facet_counts(visible),
        )
    ranked = dict(engine().ranked(words=words, limit=CANDIDATES))
    matched = visible.filter(pk__in=list(ranked))
    rows = sorted(matched, key=lambda r: (-_boost(r, ranked[r.pk]), -r.pk))
    return SearchResult(
        resources=rows[offset : offset + limit], total=len(rows), facets=_facet_counts(matched)
    )


def review_queue_for(*, actor: Actor) -> QuerySet[Certification]:
    """Submissions in expert review that the actor may review: in their province, not of
    their own school, not yet reviewed by them."""
    reach = perms.reach_of(actor, perms.REVIEW)
    if not policy.has_capability(actor, perms.REVIEW):
        return Certification.objects.none()
    regions = Q(pk__in=[])
    for path in reach.provinces | reach.subtrees:
        regions |= Q(org__path__startswith=path)
    own = Q(pk__in=[])
    for school in reach.schools:
        own |= Q(org__path__startswith=school)
    return (
        Certification.objects.filter(regions, status=CertificationStatus.IN_REVIEW)
        .exclude(own)
        .exclude(reviews__reviewer=actor.pk)
        .select_related("resource", "org")
    )


def review_certification_get_for(*, actor: Actor, certification_id: int) -> Certification:
    found = review_queue_for(actor=actor).filter(pk=certification_id).first()
    if found is None:
        raise NotFound()
    return found


def certifications_of(resource: Resource) -> list[Certification]:
    return list(resource.certifications.prefetch_related("reviews").all())


def certificate_get(*, certificate_id: str) -> Certification:
    """A certificate is public: anyone holding its id may verify it."""
    found = (
        Certification.objects.filter(
            certificate_id=certificate_id, status=CertificationStatus.CERTIFIED
        )
        .select_related("resource", "org", "version")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def nomination_list_for(*, actor: Actor) -> QuerySet[Nomination]:
    paths = policy.capability_paths(actor, perms.DECIDE_NOMINATION)
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(resource__org__path__startswith=path)
    return (
        Nomination.objects.filter(condition, status=NominationStatus.PENDING)
        .select_related("resource", "resource__org")
        .order_by("nominated_at", "id")
    )


def nomination_get_for(*, actor: Actor, nomination_id: int) -> Nomination:
    found = nomination_list_for(actor=actor).filter(pk=nomination_id).first()
    if found is None:
        raise NotFound()
    return found
