"""Reads of library-building projects and learning paths, scoped to the actor: a project is
seen by the people of its member schools and enterprises only (ADR 0520)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from openvet.core.errors import NotFound
from openvet.core.models import OrgUnit
from openvet.core.policy import Actor
from openvet.resources.models import (
    Contribution,
    ContributionStatus,
    PackageStatus,
    Project,
    WorkPackage,
)
from openvet.resources.services.projects import grant_org_ids


def project_list_for(*, actor: Actor) -> QuerySet[Project]:
    ids = grant_org_ids(actor)
    return (
        Project.objects.filter(members__org_id__in=ids).distinct().select_related("lead")
        if ids
        else Project.objects.none()
    )


def project_get_for(*, actor: Actor, project_id: int) -> Project:
    project = project_list_for(actor=actor).filter(pk=project_id).first()
    if project is None:
        raise NotFound()
    return project


def package_get_for(*, actor: Actor, package_id: int) -> WorkPackage:
    package = WorkPackage.objects.filter(pk=package_id).select_related("project__lead").first()
    if package is None:
        raise NotFound()
    project_get_for(actor=actor, project_id=package.project_id)
    return package


def contribution_get_for(*, actor: Actor, contribution_id: int) -> Contribution:
    found = (
        Contribution.objects.filter(pk=contribution_id)
        .select_related("package__project__lead", "resource")
        .first()
    )
    if found is None:
        raise NotFound()
    project_get_for(actor=actor, project_id=found.package.project_id)
    return found


@dataclass(frozen=True)
class PackageProgress:
    package: WorkPackage
    accepted: int
    submitted: int
    returned: int
    overdue: bool

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.accepted / self.package.planned_items))


def _overdue(package: WorkPackage, accepted: int, today: date) -> bool:
    """Past its deadline with fewer accepted resources than planned, and not finished."""
    return (
        package.status == PackageStatus.OPEN
        and package.deadline < today
        and accepted < package.planned_items
    )


def package_progress(project: Project, today: date | None = None) -> list[PackageProgress]:
    today = today or timezone.localdate()
    counted = project.packages.select_related("owner").annotate(
        n_accepted=Count("items", filter=Q(items__status=ContributionStatus.ACCEPTED)),
        n_submitted=Count("items", filter=Q(items__status=ContributionStatus.SUBMITTED)),
        n_returned=Count("items", filter=Q(items__status=ContributionStatus.RETURNED)),
    )
    return [
        PackageProgress(
            p,
            p.n_accepted,
            p.n_submitted,
            p.n_returned,
            _overdue(p, p.n_accepted, today),
        )
        for p in counted
    ]


@dataclass(frozen=True)
class MemberStats:
    org: OrgUnit
    resources: int
    accepted: int
    share: float  # of every accepted resource of the project, in per cent


def member_stats(project: Project) -> list[MemberStats]:
    """Per member: resources contributed, accepted, and its share of all accepted ones."""
    rows = {
        row["org"]: row
        for row in Contribution.objects.filter(package__project=project)
        .values("org")
        .annotate(n=Count("id"), accepted=Count("id", filter=Q(status=ContributionStatus.ACCEPTED)))
    }
    total = sum(row["accepted"] for row in rows.values())
    stats = []
    for member in project.members.select_related("org"):
        row = rows.get(member.org_id, {"n": 0, "accepted": 0})
        share = round(100 * row["accepted"] / total, 1) if total else 0.0
        stats.append(MemberStats(member.org, row["n"], row["accepted"], share))
    return sorted(stats, key=lambda s: (-s.accepted, -s.resources, s.org.name))


def contribution_list(project: Project) -> QuerySet[Contribution]:
    return (
        Contribution.objects.filter(package__project=project)
        .select_related("package", "resource", "org", "submitted_by")
        .order_by("status", "-submitted_at", "-id")
    )


def today() -> date:
    return timezone.localdate()
