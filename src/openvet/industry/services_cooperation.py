"""Writes of the enterprise-side libraries and cooperation projects (ADR 0610–0613).

Each service checks the policy, validates, runs in one transaction and writes one audit entry.
"""

import re
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import NotFound, PermissionDenied, ValidationFailed
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.core.selectors import code_items
from openvet.core.uploads import UploadLimits, UploadRefused, guard_size
from openvet.industry import permissions_cooperation as perms
from openvet.industry.codes import SalaryBand
from openvet.industry.models_cooperation import (
    AwardLevel,
    CaseAward,
    CaseFile,
    CaseKind,
    CooperationProject,
    FundSource,
    InnovationCase,
    MilestoneStatus,
    ProjectAgreement,
    ProjectDeliverable,
    ProjectFund,
    ProjectKind,
    ProjectMilestone,
    ProjectStatus,
    TalentDemand,
)
from openvet.industry.services import _is_pdf

MAJOR_TABLE = "major_higher_vocational"
REGION_TABLE = "region"
# 《职业教育专业目录（2021年）》: a major is six digits, a few end in K (国家控制专业).
_MAJOR_CODE = re.compile(r"^\d{6}K?$")
FILE_LIMITS = UploadLimits(max_bytes=20 * 1024 * 1024)
DELIVERABLE_TYPES = (".pdf", ".docx", ".xlsx", ".pptx", ".png", ".jpg", ".jpeg", ".mp4")


def _invalid(errors: dict[str, str]) -> ValidationFailed:
    return ValidationFailed(" ".join(errors.values()), details=errors)


# --- Talent demand ------------------------------------------------------------------------


def _demand_errors(values: dict[str, Any], today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not str(values.get("position", "")).strip():
        errors["position"] = _("Name the position.")
    major = str(values.get("major_code", ""))
    if not _MAJOR_CODE.match(major) or not code_items(MAJOR_TABLE).filter(code=major).exists():
        errors["major_code"] = _("Choose a major of the 2021 catalogue of vocational majors.")
    if not code_items(REGION_TABLE).filter(code=str(values.get("region_code", ""))).exists():
        errors["region_code"] = _("Choose the region of the workplace.")
    if int(values.get("headcount") or 0) < 1:
        errors["headcount"] = _("Give at least one person.")
    if not today.year - 1 <= int(values.get("year") or 0) <= today.year + 5:
        errors["year"] = _("The year is between last year and five years from now.")
    if values.get("salary_band") not in SalaryBand.values:
        errors["salary_band"] = _("Choose the salary band.")
    return errors


@transaction.atomic
def demand_save(
    *, actor: Actor, enterprise: OrgUnit, demand: TalentDemand | None = None, **values: Any
) -> TalentDemand:
    """An enterprise declares (or corrects) the people it expects to hire in a year."""
    if enterprise.kind != OrgKind.ENTERPRISE or (demand and demand.org_id != enterprise.pk):
        raise NotFound()
    if not perms.can_keep_demand(actor, enterprise):
        raise PermissionDenied()
    errors = _demand_errors(values, timezone.localdate())
    if errors:
        raise _invalid(errors)
    values = {**values, "position": str(values["position"]).strip()}
    values["requirements"] = str(values.get("requirements", "")).strip()
    if demand is None:
        demand = TalentDemand.objects.create(org=enterprise, created_by_id=actor.pk, **values)
        action = AuditAction.CREATE
    else:
        for name, value in values.items():
            setattr(demand, name, value)
        demand.save()
        action = AuditAction.UPDATE
    audit_record(
        action=action,
        obj=demand,
        org=enterprise,
        actor=actor,
        changes={k: [None, str(v)] for k, v in values.items()},
    )
    return demand


@transaction.atomic
def demand_delete(*, actor: Actor, demand: TalentDemand) -> None:
    if not perms.can_keep_demand(actor, demand.org):
        raise PermissionDenied()
    audit_record(action=AuditAction.DELETE, obj=demand, org=demand.org, actor=actor)
    demand.delete()


# --- Cooperation projects -----------------------------------------------------------------


def _project_errors(values: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not str(values.get("name", "")).strip():
        errors["name"] = _("Name the project.")
    if values.get("kind") not in ProjectKind.values:
        errors["kind"] = _("Choose the kind of cooperation.")
    start, end = values.get("start_date"), values.get("end_date")
    if start is None or end is None or end < start:
        errors["end_date"] = _("The project ends on or after the day it starts.")
    return errors


@transaction.atomic
def project_create(
    *,
    actor: Actor,
    school: OrgUnit,
    enterprise: OrgUnit,
    partners: list[OrgUnit] | None = None,
    major: OrgUnit | None = None,
    **values: Any,
) -> CooperationProject:
    """A school records a project with a lead enterprise (and other partners)."""
    if school.kind != OrgKind.SCHOOL:
        raise NotFound()
    if not perms.can_create_project(actor, school):
        raise PermissionDenied()
    errors = _project_errors(values)
    if enterprise.kind != OrgKind.ENTERPRISE:
        errors["enterprise"] = _("Choose the lead enterprise.")
    if major is not None and not (
        major.kind == OrgKind.MAJOR and major.path.startswith(school.path)
    ):
        errors["major"] = _("Choose a major of the school.")
    others = [p for p in partners or [] if p.pk != enterprise.pk]
    if any(p.kind != OrgKind.ENTERPRISE for p in others):
        errors["partners"] = _("Only enterprises are partners of a project.")
    if errors:
        raise _invalid(errors)
    project = CooperationProject.objects.create(
        org=school,
        enterprise=enterprise,
        major=major,
        name=str(values["name"]).strip(),
        kind=values["kind"],
        start_date=values["start_date"],
        end_date=values["end_date"],
        status=values.get("status") or ProjectStatus.PREPARING,
        description=str(values.get("description", "")).strip(),
    )
    project.partners.set(others)
    audit_record(
        action=AuditAction.CREATE,
        obj=project,
        org=school,
        actor=actor,
        changes={"name": [None, project.name], "enterprise": [None, enterprise.pk]},
    )
    return project


def _require_change(actor: Actor, project: CooperationProject) -> None:
    if not perms.can_change_project(actor, project):
        raise PermissionDenied()


@transaction.atomic
def project_status_set(*, actor: Actor, project: CooperationProject, status: str) -> None:
    _require_change(actor, project)
    if status not in ProjectStatus.values:
        raise _invalid({"status": _("Choose the status of the project.")})
    before = project.status
    CooperationProject.objects.filter(pk=project.pk).update(status=status)
    project.status = status
    audit_record(
        action=AuditAction.UPDATE,
        obj=project,
        org=project.org,
        actor=actor,
        changes={"status": [before, status]},
    )


@transaction.atomic
def project_agreement_add(
    *, actor: Actor, project: CooperationProject, title: str, file: UploadedFile, signed_on: date
) -> ProjectAgreement:
    """A signed agreement, as a PDF (checked by its header and end marker, not its name)."""
    _require_change(actor, project)
    if not title.strip():
        raise _invalid({"title": _("Name the agreement.")})
    guard_size(file, limits=FILE_LIMITS, field="file")
    if not _is_pdf(file):
        raise UploadRefused(_("The agreement must be a PDF file."), field="file")
    agreement = ProjectAgreement.objects.create(
        project=project,
        title=title.strip(),
        file=file,
        signed_on=signed_on,
        uploaded_by_id=actor.pk,
    )
    audit_record(action=AuditAction.CREATE, obj=agreement, org=project.org, actor=actor)
    return agreement


@transaction.atomic
def project_milestone_add(
    *, actor: Actor, project: CooperationProject, title: str, due_date: date, note: str = ""
) -> ProjectMilestone:
    _require_change(actor, project)
    if not title.strip():
        raise _invalid({"title": _("Name the milestone.")})
    milestone = ProjectMilestone.objects.create(
        project=project,
        title=title.strip(),
        due_date=due_date,
        note=note.strip(),
        updated_by_id=actor.pk,
    )
    audit_record(action=AuditAction.CREATE, obj=milestone, org=project.org, actor=actor)
    return milestone


@transaction.atomic
def project_milestone_update(
    *, actor: Actor, milestone: ProjectMilestone, status: str, reached_on: date | None = None
) -> ProjectMilestone:
    """Mark a milestone reached (on a day, not in the future) or late, or planned again."""
    _require_change(actor, milestone.project)
    if status not in MilestoneStatus.values:
        raise _invalid({"status": _("Choose the status of the milestone.")})
    if status == MilestoneStatus.DONE:
        if reached_on is None or reached_on > timezone.localdate():
            raise _invalid({"reached_on": _("Give the day the milestone was reached.")})
    else:
        reached_on = None
    before = milestone.status
    milestone.status, milestone.reached_on = status, reached_on
    milestone.updated_by_id = actor.pk
    milestone.save(update_fields=["status", "reached_on", "updated_by"])
    audit_record(
        action=AuditAction.UPDATE,
        obj=milestone,
        org=milestone.project.org,
        actor=actor,
        changes={"status": [before, status]},
    )
    return milestone


@transaction.atomic
def project_deliverable_add(
    *,
    actor: Actor,
    project: CooperationProject,
    title: str,
    delivered_on: date,
    file: UploadedFile | None = None,
) -> ProjectDeliverable:
    _require_change(actor, project)
    if not title.strip():
        raise _invalid({"title": _("Name the deliverable.")})
    if file is not None:
        guard_size(file, limits=FILE_LIMITS, field="file")
        if not str(file.name or "").lower().endswith(DELIVERABLE_TYPES):
            raise UploadRefused(
                _("Upload a PDF, Word, Excel, PowerPoint, picture or video file."), field="file"
            )
    deliverable = ProjectDeliverable.objects.create(
        project=project, title=title.strip(), delivered_on=delivered_on, added_by_id=actor.pk
    )
    if file is not None:
        deliverable.file.save(file.name or "deliverable", file, save=True)
    audit_record(action=AuditAction.CREATE, obj=deliverable, org=project.org, actor=actor)
    return deliverable


@transaction.atomic
def project_fund_add(
    *,
    actor: Actor,
    project: CooperationProject,
    source: str,
    amount_fen: int,
    received_on: date,
    note: str = "",
) -> ProjectFund:
    """Money received by the project, in fen."""
    _require_change(actor, project)
    errors: dict[str, str] = {}
    if source not in FundSource.values:
        errors["source"] = _("Choose where the money comes from.")
    if amount_fen < 1:
        errors["amount"] = _("The amount is more than zero.")
    if errors:
        raise _invalid(errors)
    fund = ProjectFund.objects.create(
        project=project,
        source=source,
        amount_fen=amount_fen,
        received_on=received_on,
        note=note.strip(),
        added_by_id=actor.pk,
    )
    audit_record(
        action=AuditAction.CREATE,
        obj=fund,
        org=project.org,
        actor=actor,
        changes={"amount_fen": [None, amount_fen], "source": [None, source]},
    )
    return fund


# --- Innovation and entrepreneurship cases --------------------------------------------------

CASE_FILE_TYPES = (".pdf", ".docx", ".pptx", ".png", ".jpg", ".jpeg", ".mp4")
MAX_TAGS = 8


def _tags(raw: Any) -> list[str]:
    """Tags typed with commas (either width) or 、, trimmed, unique, in the order typed."""
    text = str(raw or "")
    for separator in ("，", "、", ";", "；"):
        text = text.replace(separator, ",")
    tags: list[str] = []
    for tag in (t.strip()[:20] for t in text.split(",")):
        if tag and tag not in tags:
            tags.append(tag)
    return tags


@transaction.atomic
def case_save(
    *, actor: Actor, org: OrgUnit, case: InnovationCase | None = None, **values: Any
) -> InnovationCase:
    """A school or an enterprise keeps a case of its own; published cases are read by every
    school's staff (ADR 0613)."""
    if org.kind not in (OrgKind.SCHOOL, OrgKind.ENTERPRISE) or (case and case.org_id != org.pk):
        raise NotFound()
    if not perms.can_keep_case(actor, org):
        raise PermissionDenied()
    errors: dict[str, str] = {}
    if not str(values.get("title", "")).strip():
        errors["title"] = _("Name the case.")
    if values.get("kind") not in CaseKind.values:
        errors["kind"] = _("Choose innovation or entrepreneurship.")
    if not str(values.get("summary", "")).strip():
        errors["summary"] = _("Summarise the case.")
    tags = _tags(values.get("tags"))
    if len(tags) > MAX_TAGS:
        errors["tags"] = _("Give at most eight tags.")
    if not 2000 <= int(values.get("year") or 0) <= timezone.localdate().year:
        errors["year"] = _("The year is not in the future.")
    if errors:
        raise _invalid(errors)
    fields = {
        "title": str(values["title"]).strip(),
        "kind": values["kind"],
        "summary": str(values["summary"]).strip(),
        "tags": tags,
        "year": int(values["year"]),
        "is_published": bool(values.get("is_published")),
    }
    if case is None:
        case = InnovationCase.objects.create(org=org, created_by_id=actor.pk, **fields)
    else:
        InnovationCase.objects.filter(pk=case.pk).update(**fields)
        case.refresh_from_db()
    audit_record(action=AuditAction.UPDATE, obj=case, org=org, actor=actor)
    return case


@transaction.atomic
def case_file_add(
    *, actor: Actor, case: InnovationCase, title: str, file: UploadedFile
) -> CaseFile:
    if not perms.can_keep_case(actor, case.org):
        raise PermissionDenied()
    if not title.strip():
        raise _invalid({"title": _("Name the file.")})
    guard_size(file, limits=FILE_LIMITS, field="file")
    name = str(file.name or "").lower()
    if not name.endswith(CASE_FILE_TYPES) or (name.endswith(".pdf") and not _is_pdf(file)):
        raise UploadRefused(
            _("Upload a PDF, Word, PowerPoint, picture or video file."), field="file"
        )
    attached = CaseFile.objects.create(case=case, title=title.strip(), file=file)
    audit_record(action=AuditAction.CREATE, obj=attached, org=case.org, actor=actor)
    return attached


@transaction.atomic
def case_award_add(
    *, actor: Actor, case: InnovationCase, name: str, level: str, year: int
) -> CaseAward:
    if not perms.can_keep_case(actor, case.org):
        raise PermissionDenied()
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Name the award.")
    if level not in AwardLevel.values:
        errors["level"] = _("Choose the level of the award.")
    if not 2000 <= year <= timezone.localdate().year:
        errors["year"] = _("The year is not in the future.")
    if errors:
        raise _invalid(errors)
    award = CaseAward.objects.create(case=case, name=name.strip(), level=level, year=year)
    audit_record(action=AuditAction.CREATE, obj=award, org=case.org, actor=actor)
    return award
