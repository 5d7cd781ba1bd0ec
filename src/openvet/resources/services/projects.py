"""Library-building projects (共建共享): members, work packages, contributions and the lead's
review of them (ADR 0520, 0521)."""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.audit import audit_record
from openvet.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from openvet.core.models import AuditAction, CodeItem, OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.identity.models import RoleAssignment, User
from openvet.resources import permissions as perms
from openvet.resources.models import (
    Contribution,
    ContributionStatus,
    PackageStatus,
    Project,
    ProjectMember,
    Resource,
    WorkPackage,
)
from openvet.resources.services.resources import MAJOR_TABLE, ContributorIn, resource_create_in

MEMBER_KINDS = (OrgKind.SCHOOL, OrgKind.ENTERPRISE)


def grant_org_ids(actor: Actor) -> set[int]:
    """The ids of every org the actor holds a role in, and of the orgs above them."""
    return {
        int(segment)
        for grant in policy.current_grants(actor)
        for segment in grant.org_path.split("/")
        if segment
    }


def member_orgs_of(actor: Actor, project: Project) -> list[OrgUnit]:
    """The project's member orgs the actor belongs to (a role in them or below them)."""
    ids = grant_org_ids(actor)
    return [m.org for m in project.members.select_related("org") if m.org_id in ids]


def is_member(actor: Actor, project: Project) -> bool:
    return bool(member_orgs_of(actor, project))


def can_administer(actor: Actor, project: Project) -> bool:
    """Only the lead school administers: its resource managers (school administrators)."""
    return policy.has_capability(actor, perms.MANAGE, project.lead)


def _require_admin(actor: Actor, project: Project) -> None:
    if not is_member(actor, project):
        raise NotFound()
    if not can_administer(actor, project):
        raise PermissionDenied()


def _member_orgs(org_ids: list[int], lead: OrgUnit) -> list[OrgUnit]:
    orgs = list(OrgUnit.objects.filter(pk__in=org_ids, kind__in=MEMBER_KINDS, is_active=True))
    if len(orgs) != len(set(org_ids)):
        raise ValidationFailed(
            details={"members": _("Members are active schools or enterprises; choose again.")}
        )
    return [org for org in orgs if org.pk != lead.pk]


def project_create(
    *, actor: Actor, title: str, major_code: str, description: str = "", member_ids: list[int]
) -> Project:
    """A project led by the actor's school (the actor manages its resources)."""
    lead_paths = sorted(perms.reach_of(actor, perms.MANAGE).schools)
    if not lead_paths:
        raise PermissionDenied()
    lead = OrgUnit.objects.get(path=lead_paths[0])
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the project a name.")
    if (
        len(major_code) != 6
        or not CodeItem.objects.filter(table=MAJOR_TABLE, code=major_code).exists()
    ):
        errors["major_code"] = _("Choose a major of the 2021 catalogue.")
    if errors:
        raise ValidationFailed(details=errors)
    members = _member_orgs(member_ids, lead)
    with transaction.atomic():
        project = Project.objects.create(
            title=title.strip(),
            major_code=major_code,
            description=description.strip(),
            lead=lead,
            created_by_id=actor.pk,
        )
        ProjectMember.objects.bulk_create(
            ProjectMember(project=project, org=org) for org in [lead, *members]
        )
        audit_record(
            action=AuditAction.CREATE,
            obj=project,
            org=lead,
            changes={"members": [[], [lead.pk, *(m.pk for m in members)]]},
        )
    return project


def project_add_member(*, actor: Actor, project: Project, org_id: int) -> ProjectMember:
    _require_admin(actor, project)
    orgs = _member_orgs([org_id], project.lead)
    if not orgs:
        raise Conflict(_("This school or enterprise is already a member."))
    try:
        with transaction.atomic():
            member = ProjectMember.objects.create(project=project, org=orgs[0])
            audit_record(action=AuditAction.CREATE, obj=member, org=project.lead)
    except IntegrityError as exc:
        raise Conflict(_("This school or enterprise is already a member.")) from exc
    return member


def package_create(
    *,
    actor: Actor,
    project: Project,
    title: str,
    owner_id: int,
    deadline: date,
    planned_items: int,
) -> WorkPackage:
    """A work package owned by a person of a member school or enterprise."""
    _require_admin(actor, project)
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the work package a name.")
    if planned_items < 1:
        errors["planned_items"] = _("Plan at least one resource.")
    if deadline < timezone.localdate():
        errors["deadline"] = _("The deadline cannot be in the past.")
    if owner_id not in {person.pk for person in people_of_members(project)}:
        errors["owner"] = _("The owner must be a person of a member school or enterprise.")
    if errors:
        raise ValidationFailed(details=errors)
    with transaction.atomic():
        package = WorkPackage.objects.create(
            project=project,
            title=title.strip(),
            owner_id=owner_id,
            deadline=deadline,
            planned_items=planned_items,
        )
        audit_record(action=AuditAction.CREATE, obj=package, org=project.lead)
    return package


def package_set_status(*, actor: Actor, package: WorkPackage, status: str) -> WorkPackage:
    _require_admin(actor, package.project)
    if status not in PackageStatus.values:
        raise ValidationFailed(details={"status": _("Choose a status.")})
    with transaction.atomic():
        before = package.status
        WorkPackage.objects.filter(pk=package.pk).update(status=status)
        package.refresh_from_db()
        audit_record(
            action=AuditAction.UPDATE,
            obj=package,
            org=package.project.lead,
            changes={"status": [before, status]},
        )
    return package


def people_of_members(project: Project) -> list[User]:
    """The active people holding a role in a member org or below it."""
    within = Q(pk__in=[])
    for member in project.members.select_related("org"):
        within |= Q(org__path__startswith=member.org.path)
    holders = RoleAssignment.objects.filter(within).values("user")
    return list(User.objects.filter(is_active=True, pk__in=holders).order_by("full_name", "pk"))


def contribution_submit(*, actor: Actor, package: WorkPackage, resource: Resource) -> Contribution:
    """A member offers one of their own resources to a package; a returned one may be offered
    again once it is improved."""
    project = package.project
    orgs = member_orgs_of(actor, project)
    if not orgs:
        raise NotFound()
    if resource.owner_id != actor.pk:
        raise PermissionDenied(_("Only your own resources can be contributed."))
    if package.status != PackageStatus.OPEN:
        raise ValidationFailed(_("This work package is finished; it takes no more resources."))
    org = next((o for o in orgs if resource.org.path.startswith(o.path)), orgs[0])
    with transaction.atomic():
        existing = (
            Contribution.objects.select_for_update()
            .filter(package=package, resource=resource)
            .first()
        )
        if existing is not None and existing.status != ContributionStatus.RETURNED:
            raise Conflict(_("This resource is already in the work package."))
        if existing is not None:
            Contribution.objects.filter(pk=existing.pk).update(
                status=ContributionStatus.SUBMITTED, decided_by=None, decided_at=None
            )
            existing.refresh_from_db()
            contribution = existing
        else:
            contribution = Contribution.objects.create(
                package=package, resource=resource, org=org, submitted_by_id=actor.pk
            )
        audit_record(action=AuditAction.CREATE, obj=contribution, org=project.lead)
    return contribution


def contribution_upload(
    *,
    actor: Actor,
    package: WorkPackage,
    contributors: list[ContributorIn],
    upload_keys: list[str],
    **values: Any,
) -> Contribution:
    """A member uploads a new resource straight into a work package: a draft of the member
    org (an enterprise's people have no library of their own), its contributors credited to
    that org, offered to the lead for review in the same transaction (ADR 0538)."""
    project = package.project
    orgs = member_orgs_of(actor, project)
    if not orgs:
        raise NotFound()
    if not policy.has_capability(actor, perms.CONTRIBUTE):
        raise PermissionDenied()
    if package.status != PackageStatus.OPEN:
        raise ValidationFailed(
            details={"package": _("This work package is finished; it takes no more resources.")}
        )
    org = next((o for o in orgs if o.kind == OrgKind.ENTERPRISE), orgs[0])
    credited = [
        ContributorIn(c.name, c.organisation.strip() or org.name, c.share) for c in contributors
    ]
    with transaction.atomic():
        resource = resource_create_in(
            actor=actor, org=org, contributors=credited, upload_keys=upload_keys, **values
        )
        contribution = Contribution.objects.create(
            package=package, resource=resource, org=org, submitted_by_id=actor.pk
        )
        audit_record(action=AuditAction.CREATE, obj=contribution, org=project.lead)
    return contribution


def contribution_decide(
    *, actor: Actor, contribution: Contribution, accept: bool, comment: str = ""
) -> Contribution:
    """The lead accepts a contribution or returns it with a comment saying what to improve."""
    _require_admin(actor, contribution.package.project)
    comment = comment.strip()[:500]
    if not accept and not comment:
        raise ValidationFailed(
            details={"comment": _("Say why the resource is returned, so it can be improved.")}
        )
    status = ContributionStatus.ACCEPTED if accept else ContributionStatus.RETURNED
    with transaction.atomic():
        changed = Contribution.objects.filter(
            pk=contribution.pk, status=ContributionStatus.SUBMITTED
        ).update(status=status, comment=comment, decided_by=actor.pk, decided_at=timezone.now())
        if not changed:
            raise Conflict(_("This contribution has already been decided."))
        contribution.refresh_from_db()
        audit_record(
            action=AuditAction.UPDATE,
            obj=contribution,
            org=contribution.package.project.lead,
            changes={"status": [ContributionStatus.SUBMITTED, status], "comment": ["", comment]},
        )
    return contribution
