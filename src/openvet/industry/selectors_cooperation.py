"""Reads of the enterprise-side libraries and cooperation projects, scoped by role and org
(ADR 0610–0612)."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from openvet.core import policy
from openvet.core.errors import NotFound
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.core.selectors import code_items
from openvet.industry import permissions_cooperation as perms
from openvet.industry import selectors
from openvet.industry.models import InternshipPost, Placement
from openvet.industry.models_cooperation import (
    CooperationProject,
    FundSource,
    InnovationCase,
    ProjectFund,
    TalentDemand,
)
from openvet.industry.services_cooperation import MAJOR_TABLE, REGION_TABLE

# --- Talent demand ------------------------------------------------------------------------


def _enterprise_only(actor: Actor) -> list[str] | None:
    """The enterprises whose demand ``actor`` sees when they see only their own: an
    enterprise's users see their own entries, school staff every enterprise's (ADR 0610)."""
    own = policy.capability_paths(actor, perms.ADD_DEMAND)
    views = policy.capability_paths(actor, perms.VIEW_DEMAND)
    if all(any(v.startswith(o) for o in own) for v in views):
        return own
    return None


def demand_list_for(
    *, actor: Actor, year: int | None = None, major_code: str = "", region_code: str = ""
) -> QuerySet[TalentDemand]:
    if not policy.has_capability(actor, perms.VIEW_DEMAND):
        return TalentDemand.objects.none()
    demand = TalentDemand.objects.select_related("org")
    own = _enterprise_only(actor)
    if own is not None:
        demand = policy.scope(demand, actor, perms.ADD_DEMAND)
    if year:
        demand = demand.filter(year=year)
    if major_code:
        demand = demand.filter(major_code=major_code)
    if region_code:
        demand = demand.filter(region_code=region_code)
    return demand


def demand_get_for(*, actor: Actor, demand_id: int) -> TalentDemand:
    found = demand_list_for(actor=actor).filter(pk=demand_id).first()
    if found is None:
        raise NotFound()
    return found


def code_names(table: str) -> dict[str, str]:
    return dict(code_items(table).values_list("code", "name"))


def major_choices() -> list[tuple[str, str]]:
    """The majors of the catalogue (six-digit codes), named with their code."""
    return [
        (code, f"{code} {name}")
        for code, name in code_items(MAJOR_TABLE).values_list("code", "name")
        if len(code) >= 6
    ]


def region_choices() -> list[tuple[str, str]]:
    return [
        (code, f"{code} {name}")
        for code, name in code_items(REGION_TABLE).values_list("code", "name")
    ]


@dataclass(frozen=True)
class DemandTotal:
    code: str
    label: str
    headcount: int
    positions: int


def demand_totals(demand: QuerySet[TalentDemand], *, by: str) -> list[DemandTotal]:
    """Headcount and number of entries by ``major_code``, ``region_code`` or ``year``, largest
    first (one GROUP BY query, plus the code table's names)."""

    rows = demand.order_by().values(by).annotate(people=Sum("headcount"), entries=Count("pk"))
    names = code_names(MAJOR_TABLE if by == "major_code" else REGION_TABLE) if by != "year" else {}
    totals = [
        DemandTotal(str(r[by]), names.get(str(r[by]), str(r[by])), r["people"], r["entries"])
        for r in rows
    ]
    if by == "year":
        return sorted(totals, key=lambda t: t.code)
    return sorted(totals, key=lambda t: (-t.headcount, t.code))


def enterprises_kept_by(*, actor: Actor) -> list[OrgUnit]:
    """The enterprises ``actor`` keeps the demand of (their own)."""
    return list(
        policy.scope(
            OrgUnit.objects.filter(kind=OrgKind.ENTERPRISE, is_active=True),
            actor,
            perms.ADD_DEMAND,
            path_field="path",
        ).order_by("name")
    )


# --- Cooperation projects -----------------------------------------------------------------


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]


def project_list_for(*, actor: Actor) -> QuerySet[CooperationProject]:
    """Projects of the schools where ``actor`` works (a grant inside the school counts) and of
    the enterprises ``actor`` belongs to (as lead or partner)."""
    condition = Q()
    for path in policy.capability_paths(actor, perms.VIEW_PROJECT):
        condition |= Q(org__path__startswith=path) | Q(org__path__in=_prefixes(path))
        condition |= Q(enterprise__path__startswith=path)
        condition |= Q(
            pk__in=CooperationProject.partners.through.objects.filter(
                orgunit__path__startswith=path
            ).values("cooperationproject_id")
        )
    if not condition:
        return CooperationProject.objects.none()
    return (
        CooperationProject.objects.filter(condition)
        .select_related("org", "enterprise", "major")
        .prefetch_related("partners")
    )


def project_get_for(*, actor: Actor, project_id: int) -> CooperationProject:
    found = project_list_for(actor=actor).filter(pk=project_id).first()
    if found is None:
        raise NotFound()
    return found


def fund_totals(project: CooperationProject) -> list[tuple[str, int]]:
    """Fen received by source, as (the source's name, fen)."""
    rows = (
        ProjectFund.objects.filter(project=project).values("source").annotate(fen=Sum("amount_fen"))
    )
    return [(str(FundSource(r["source"]).label), int(r["fen"])) for r in rows.order_by("source")]


def schools_for_projects(*, actor: Actor) -> list[OrgUnit]:
    """Schools where ``actor`` may start a project."""
    schools = OrgUnit.objects.filter(kind=OrgKind.SCHOOL, is_active=True).order_by("name")
    return [s for s in schools if perms.can_create_project(actor, s)]


# --- Partnerships -------------------------------------------------------------------------


@dataclass
class Portfolio:
    """Everything a school and an enterprise do together."""

    school: OrgUnit
    enterprise: OrgUnit
    projects: list[CooperationProject]
    posts: list[InternshipPost]
    placements: list[Placement]
    placement_count: int
    demand: list[TalentDemand]
    funds_fen: int


def _sees_partnership(actor: Actor, school: OrgUnit, enterprise: OrgUnit) -> bool:
    return any(
        school.path.startswith(p) or p.startswith(school.path) or enterprise.path.startswith(p)
        for p in policy.capability_paths(actor, perms.VIEW_PROJECT)
    )


def partnership_get_for(*, actor: Actor, school_id: int, enterprise_id: int) -> Portfolio:
    """The portfolio of a school × enterprise partnership: 404 unless ``actor`` works at
    that school or for that enterprise."""
    school = OrgUnit.objects.filter(pk=school_id, kind=OrgKind.SCHOOL).first()
    enterprise = OrgUnit.objects.filter(pk=enterprise_id, kind=OrgKind.ENTERPRISE).first()
    if school is None or enterprise is None or not _sees_partnership(actor, school, enterprise):
        raise NotFound()
    projects = list(
        project_list_for(actor=actor)
        .filter(Q(enterprise=enterprise) | Q(partners=enterprise), org=school)
        .distinct()
    )
    placements = Placement.objects.filter(enterprise=enterprise, org__path__startswith=school.path)
    funds = ProjectFund.objects.filter(project__in=[p.pk for p in projects]).aggregate(
        fen=Sum("amount_fen")
    )
    return Portfolio(
        school=school,
        enterprise=enterprise,
        projects=projects,
        posts=list(InternshipPost.objects.filter(org=enterprise, school=school)),
        # Names only for those who may see the placements; the count for every partner.
        placements=list(
            selectors.placement_list_for(actor=actor).filter(pk__in=placements.values("pk"))
        ),
        placement_count=placements.count(),
        demand=list(TalentDemand.objects.filter(org=enterprise).order_by("-year", "position")),
        funds_fen=int(funds["fen"] or 0),
    )


def partnerships_for(*, actor: Actor) -> list[tuple[OrgUnit, OrgUnit]]:
    """The (school, enterprise) pairs of the projects ``actor`` sees."""
    pairs: dict[tuple[int, int], tuple[OrgUnit, OrgUnit]] = {}
    for project in project_list_for(actor=actor):
        for enterprise in [project.enterprise, *project.partners.all()]:
            pairs[(project.org_id, enterprise.pk)] = (project.org, enterprise)
    return sorted(pairs.values(), key=lambda p: (p[0].name, p[1].name))


# --- Innovation and entrepreneurship cases --------------------------------------------------


def case_list_for(*, actor: Actor, tag: str = "") -> list[InnovationCase]:
    """Published cases for every holder of the view capability, and the unpublished ones of
    the schools and enterprises ``actor`` keeps cases for."""
    if not policy.has_capability(actor, perms.VIEW_CASE):
        return []
    kept = Q()
    for path in policy.capability_paths(actor, perms.ADD_CASE):
        kept |= Q(org__path__startswith=path) | Q(org__path__in=_prefixes(path))
    cases = (
        InnovationCase.objects.filter(Q(is_published=True) | kept)
        if kept
        else (InnovationCase.objects.filter(is_published=True))
    )
    found = cases.select_related("org").prefetch_related("awards")
    # Tags are a JSON list: filtered here, the same way on SQLite and PostgreSQL.
    return [c for c in found if not tag or tag in c.tags]


def case_get_for(*, actor: Actor, case_id: int) -> InnovationCase:
    found = next((c for c in case_list_for(actor=actor) if c.pk == case_id), None)
    if found is None:
        raise NotFound()
    return found


def case_keepers_for(*, actor: Actor) -> list[OrgUnit]:
    """The schools and enterprises whose cases ``actor`` keeps."""
    orgs = OrgUnit.objects.filter(
        kind__in=[OrgKind.SCHOOL, OrgKind.ENTERPRISE], is_active=True
    ).order_by("kind", "name")
    return [o for o in orgs if perms.can_keep_case(actor, o)]
