"""Every read of the resource libraries, scoped to what the actor may see."""

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from openvet.core import policy
from openvet.core.errors import NotFound
from openvet.core.policy import Actor
from openvet.resources import permissions as perms
from openvet.resources.models import (
    Account,
    Certification,
    CertificationStatus,
    HarvestedRecord,
    HarvestSource,
    LedgerLine,
    Licence,
    LicenceGrant,
    Nomination,
    NominationStatus,
    Offer,
    Order,
    OrderStatus,
    Resource,
    ResourceFile,
    UsageLog,
)
from openvet.resources.search import engine, segment

FACETS = ("resource_type", "major_code", "level", "licence", "certified")
CANDIDATES = 500
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
    return list(version.files.select_related("blob__preview")) if version is not None else []


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


def _boost(row: Mapping[str, Any], score: float) -> float:
    certified = 1 + (CERTIFIED_BOOST if row["certified_level"] else 0)
    return score * certified * (1 + USE_BOOST * math.log1p(row["views"] + row["downloads"]))


def _facets_of(rows: list[dict[str, Any]]) -> dict[str, list[tuple[str, int]]]:
    """The facet counts of the matched rows, as ``_facet_counts`` would count them in SQL."""
    counts: dict[str, list[tuple[str, int]]] = {}
    for name in ("resource_type", "major_code", "level", "licence"):
        tally = Counter(str(row[name]) for row in rows if row[name])
        counts[name] = sorted(tally.items(), key=lambda item: (-item[1], item[0]))
    certified = sum(1 for row in rows if row["certified_level"])
    counts["certified"] = [("yes", certified)] if certified else []
    return counts


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
    # One query for the candidates' ranking and facet fields (no model instances); the page's
    # resources are loaded afterwards.
    rows = list(
        visible.filter(pk__in=list(ranked)).values(
            "id", "certified_level", "views", "downloads", *FACETS[:4]
        )
    )
    rows.sort(key=lambda row: (-_boost(row, ranked[row["id"]]), -row["id"]))
    page_ids = [row["id"] for row in rows[offset : offset + limit]]
    loaded = Resource.objects.select_related("org").in_bulk(page_ids)
    return SearchResult(
        resources=[loaded[pk] for pk in page_ids], total=len(rows), facets=_facets_of(rows)
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


# Licences, orders, the ledger and the usage log (ADR 0507-0510).


def has_access(*, actor: Actor, resource: Resource) -> bool:
    """May the actor open and download the files? Every licence but the paid one lets every
    reader; a paid resource opens to its school, its managers and the holders of a licence in
    force (their own or their school's)."""
    if resource.licence != Licence.PAID or perms.can_edit_resource(actor, resource):
        return True
    reach = perms.reach_of(actor)
    if perms.in_own_school(reach, resource.org):
        return True
    held = perms.holds_licence_condition(actor, reach, timezone.now())
    return LicenceGrant.objects.filter(held, resource=resource).exists()


def licence_held(*, actor: Actor, resource: Resource) -> LicenceGrant | None:
    reach = perms.reach_of(actor)
    held = perms.holds_licence_condition(actor, reach, timezone.now())
    return (
        LicenceGrant.objects.filter(held, resource=resource)
        .select_related("org")
        .order_by(F("expires_at").desc(nulls_first=True))
        .first()
    )


def offers_on_sale(*, resource: Resource) -> list[Offer]:
    now = timezone.now()
    return list(resource.offers.filter(valid_from__lte=now, valid_until__gt=now))


def offer_get_for(*, actor: Actor, offer_id: int) -> Offer:
    found = (
        Offer.objects.filter(pk=offer_id, resource__in=resource_list_for(actor=actor))
        .select_related("resource", "resource__org")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def _finance_condition(actor: Actor, prefix: str = "") -> Q:
    condition = Q(pk__in=[])
    for path in policy.capability_paths(actor, perms.CONFIRM_PAYMENT):
        condition |= Q(**{f"{prefix}path__startswith": path})
    return condition


def order_list_for(*, actor: Actor) -> QuerySet[Order]:
    """The actor's own orders."""
    return Order.objects.filter(buyer=actor.pk).select_related("resource", "buyer_org")


def order_get_for(*, actor: Actor, order_id: int) -> Order:
    """An order, for its buyer or for the finance of the selling school."""
    visible = Q(buyer=actor.pk) | _finance_condition(actor, "seller_org__")
    found = (
        Order.objects.filter(visible, pk=order_id)
        .select_related("resource", "buyer", "buyer_org", "seller_org", "offer")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def payment_queue_for(*, actor: Actor) -> QuerySet[Order]:
    """Orders awaiting a transfer to a school whose finance the actor is."""
    return (
        Order.objects.filter(
            _finance_condition(actor, "seller_org__"), status=OrderStatus.AWAITING_PAYMENT
        )
        .select_related("resource", "buyer", "buyer_org")
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class SettlementRow:
    school: str
    resource: str
    contributor: str
    earned_fen: int
    reversed_fen: int

    @property
    def net_fen(self) -> int:
        return self.earned_fen - self.reversed_fen


@dataclass(frozen=True)
class Settlement:
    rows: list[SettlementRow]
    debits_fen: int
    credits_fen: int
    received_fen: int


def settlement_for(*, actor: Actor, start: datetime, end: datetime) -> Settlement:
    """What each contributor earned from the sales of the actor's schools between ``start``
    (included) and ``end`` (excluded): credits less the reversals, and the ledger's totals."""
    lines = LedgerLine.objects.filter(
        _finance_condition(actor, "org__"),
        transaction__created_at__gte=start,
        transaction__created_at__lt=end,
    )
    rows = (
        lines.filter(account=Account.CONTRIBUTOR)
        .values("org__name", "contributor__resource__title", "contributor_id", "label")
        .annotate(earned=Sum("credit_fen"), reversed=Sum("debit_fen"))
        .order_by("org__name", "contributor__resource__title", "-earned", "contributor_id")
    )
    totals = lines.aggregate(debits=Sum("debit_fen"), credits=Sum("credit_fen"))
    bank = lines.filter(account=Account.BANK).aggregate(
        debits=Sum("debit_fen"), credits=Sum("credit_fen")
    )
    return Settlement(
        rows=[
            SettlementRow(
                school=r["org__name"],
                resource=r["contributor__resource__title"],
                contributor=r["label"],
                earned_fen=int(r["earned"] or 0),
                reversed_fen=int(r["reversed"] or 0),
            )
            for r in rows
        ],
        debits_fen=int(totals["debits"] or 0),
        credits_fen=int(totals["credits"] or 0),
        received_fen=int(bank["debits"] or 0) - int(bank["credits"] or 0),
    )


def usage_list_for(*, actor: Actor, resource: Resource, limit: int = 200) -> list[UsageLog]:
    """The resource's usage log, for its owner and the school's managers."""
    if not perms.can_edit_resource(actor, resource):
        raise NotFound()
    return list(resource.usage.select_related("user")[:limit])


def harvest_source_list_for(*, actor: Actor) -> QuerySet[HarvestSource]:
    """The sources harvested into the libraries the actor administers, with how many of
    their records are in the library now (``in_library``)."""
    condition = Q(pk__in=[])
    for path in policy.capability_paths(actor, perms.HARVEST):
        condition |= Q(org__path__startswith=path)
    return (
        HarvestSource.objects.filter(condition)
        .select_related("org")
        .annotate(in_library=Count("records", filter=Q(records__deleted=False)))
    )


def harvest_source_get_for(*, actor: Actor, source_id: int) -> HarvestSource:
    source = harvest_source_list_for(actor=actor).filter(pk=source_id).first()
    if source is None:
        raise NotFound()
    return source


def harvest_sources_due(*, now: datetime, every: bool = False) -> list[int]:
    """The active sources whose backoff is over (``every``: all active ones)."""
    due = Q() if every else Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return list(HarvestSource.objects.filter(due, is_active=True).values_list("pk", flat=True))


def source_by_id(source_id: int) -> HarvestSource | None:
    """A source for the harvest command (an operator's tool, not scoped to a person)."""
    return HarvestSource.objects.filter(pk=source_id).first()


def harvested_record_of(resource: Resource) -> HarvestedRecord | None:
    return HarvestedRecord.objects.select_related("source").filter(resource=resource).first()
