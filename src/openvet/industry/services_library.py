"""Writes completing the enterprise library (ADR 0620–0622): contacts, qualification
documents, the yearly rating of each cooperating school, the on-site assessment of rule R18
and the archiving of an internship's papers (rule R23).

Each service checks the policy, validates, runs in one transaction and writes one audit entry.
"""

import re
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.core.uploads import UploadLimits, UploadRefused, guard_size
from openvet.industry import permissions, rules
from openvet.industry.models import (
    EvaluationSide,
    InternshipPost,
    Placement,
    PlacementStatus,
    PostApproval,
)
from openvet.industry.models_library import (
    DocumentKind,
    EnterpriseAssessment,
    EnterpriseContact,
    EnterpriseDocument,
    EnterpriseRating,
)
from openvet.industry.services import _is_pdf

DOCUMENT_LIMITS = UploadLimits(max_bytes=10 * 1024 * 1024)
# A mainland mobile (11 digits starting 1[3-9]) or a landline with its area code.
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
CRITERIA = ("placement_quality", "safety", "mentor_support")


def _invalid(errors: dict[str, str]) -> ValidationFailed:
    return ValidationFailed(" ".join(errors.values()), details=errors)


def _require_keeper(actor: Actor, enterprise: OrgUnit) -> None:
    if enterprise.kind != OrgKind.ENTERPRISE or not permissions.can_change_enterprise(
        actor, enterprise
    ):
        raise PermissionDenied()


# --- Contacts and documents (kept by the enterprise) --------------------------------------


@transaction.atomic
def contact_add(
    *, actor: Actor, enterprise: OrgUnit, name: str, role: str, phone: str
) -> EnterpriseContact:
    _require_keeper(actor, enterprise)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Give the contact's name.")
    if not role.strip():
        errors["role"] = _("Give the contact's role at the enterprise.")
    phone = phone.strip().replace(" ", "")
    if not _PHONE.match(phone):
        errors["phone"] = _("Give a mobile number of 11 digits or a landline with its area code.")
    if errors:
        raise _invalid(errors)
    contact = EnterpriseContact.objects.create(
        enterprise=enterprise,
        name=name.strip(),
        role=role.strip(),
        phone=phone,
        created_by_id=actor.pk,
    )
    audit_record(action=AuditAction.CREATE, obj=contact, org=enterprise, actor=actor)
    return contact


@transaction.atomic
def contact_remove(*, actor: Actor, contact: EnterpriseContact) -> None:
    enterprise = OrgUnit.objects.get(pk=contact.enterprise_id)
    _require_keeper(actor, enterprise)
    audit_record(action=AuditAction.DELETE, obj=contact, org=enterprise, actor=actor)
    contact.delete()


def contact_reveal_phone(*, actor: Actor, contact: EnterpriseContact) -> str:
    """The clear phone of a contact, for the enterprise's mentors and the school staff who
    arrange placements; every reveal is audited."""
    enterprise = OrgUnit.objects.get(pk=contact.enterprise_id)
    if not permissions.can_reveal_contact(actor, enterprise):
        raise PermissionDenied()
    audit_record(
        action=AuditAction.REVEAL,
        obj=contact,
        org=enterprise,
        actor=actor,
        changes={"field": "phone"},
    )
    return contact.phone


@transaction.atomic
def document_remove(*, actor: Actor, document: EnterpriseDocument) -> None:
    """Remove a qualification document (audited); its file goes once the removal commits, so
    a failed removal keeps both."""
    enterprise = OrgUnit.objects.get(pk=document.enterprise_id)
    _require_keeper(actor, enterprise)
    audit_record(action=AuditAction.DELETE, obj=document, org=enterprise, actor=actor)
    storage, name = document.file.storage, document.file.name
    document.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def document_add(
    *,
    actor: Actor,
    enterprise: OrgUnit,
    kind: str,
    title: str,
    file: UploadedFile,
    expires_on: date | None,
) -> EnterpriseDocument:
    """A qualification document, as a PDF checked by its content (not its name)."""
    _require_keeper(actor, enterprise)
    errors: dict[str, str] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = _("Choose the kind of document.")
    if not title.strip():
        errors["title"] = _("Name the document.")
    if errors:
        raise _invalid(errors)
    guard_size(file, limits=DOCUMENT_LIMITS, field="file")
    if not _is_pdf(file):
        raise UploadRefused(_("The document must be a PDF file."), field="file")
    document = EnterpriseDocument.objects.create(
        enterprise=enterprise,
        kind=kind,
        title=title.strip(),
        file=file,
        expires_on=expires_on,
        uploaded_by_id=actor.pk,
    )
    audit_record(action=AuditAction.CREATE, obj=document, org=enterprise, actor=actor)
    return document


# --- Ratings by the cooperating schools -----------------------------------------------------


def school_cooperates(school: OrgUnit, enterprise: OrgUnit) -> bool:
    """A school cooperates with an enterprise once it approved one of its posts or placed a
    student there."""
    return (
        InternshipPost.objects.filter(
            org=enterprise, school=school, approval=PostApproval.APPROVED
        ).exists()
        or Placement.objects.filter(
            enterprise=enterprise, org__path__startswith=school.path
        ).exists()
    )


@transaction.atomic
def rating_save(
    *,
    actor: Actor,
    enterprise: OrgUnit,
    school: OrgUnit,
    year: int,
    placement_quality: int,
    safety: int,
    mentor_support: int,
    comment: str = "",
) -> EnterpriseRating:
    """A school's rating of an enterprise it cooperates with: one a school a year."""
    if school.kind != OrgKind.SCHOOL or not any(
        school.path.startswith(p) or p.startswith(school.path)
        for p in policy.capability_paths(actor, permissions.RATE_ENTERPRISE)
    ):
        raise PermissionDenied()
    if enterprise.kind != OrgKind.ENTERPRISE:
        raise PermissionDenied()
    errors: dict[str, str] = {}
    values = {
        "placement_quality": placement_quality,
        "safety": safety,
        "mentor_support": mentor_support,
    }
    for field, value in values.items():
        if not 1 <= int(value or 0) <= 5:
            errors[field] = _("Give a score from 1 to 5.")
    this_year = timezone.localdate().year
    if not this_year - 1 <= int(year or 0) <= this_year:
        errors["year"] = _("Rate this year or last year.")
    if not school_cooperates(school, enterprise):
        errors["school"] = _(
            "Only a school that cooperates with the enterprise (an approved post or a placement) "
            "may rate it."
        )
    if errors:
        raise _invalid(errors)
    try:
        with transaction.atomic():
            rating = EnterpriseRating.objects.create(
                enterprise=enterprise,
                school=school,
                year=year,
                comment=comment.strip(),
                rated_by_id=actor.pk,
                **{k: int(v) for k, v in values.items()},
            )
    except IntegrityError as exc:
        raise Conflict(
            _("Your school has already rated this enterprise for %(year)s.") % {"year": year}
        ) from exc
    audit_record(action=AuditAction.CREATE, obj=rating, org=school, actor=actor)
    return rating


# --- R18: the on-site assessment of a new internship unit -------------------------------------


@transaction.atomic
def assessment_record(
    *,
    actor: Actor,
    school: OrgUnit,
    enterprise: OrgUnit,
    visited_on: date,
    report: UploadedFile,
    decision_reference: str,
    published_on: date | None,
) -> EnterpriseAssessment:
    """The school's on-site assessment of an enterprise, its written report (PDF) and the
    meeting's decision that lists it; ``published_on`` when the list was made public."""
    if school.kind != OrgKind.SCHOOL or not policy.has_capability(
        actor, permissions.ASSESS_ENTERPRISE, school
    ):
        raise PermissionDenied()
    if enterprise.kind != OrgKind.ENTERPRISE:
        raise PermissionDenied()
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if visited_on > today:
        errors["visited_on"] = _("The visit cannot be in the future.")
    if not decision_reference.strip():
        errors["decision_reference"] = _("Give the reference of the meeting's decision.")
    if published_on is not None and published_on < visited_on:
        errors["published_on"] = _("The list is published after the visit.")
    if errors:
        raise _invalid(errors)
    guard_size(report, limits=DOCUMENT_LIMITS, field="report")
    if not _is_pdf(report):
        raise UploadRefused(_("The report must be a PDF file."), field="report")
    assessment, _created = EnterpriseAssessment.objects.update_or_create(
        school=school,
        enterprise=enterprise,
        defaults={
            "visited_on": visited_on,
            "report": report,
            "decision_reference": decision_reference.strip(),
            "published_on": published_on,
            "recorded_by_id": actor.pk,
        },
    )
    audit_record(action=AuditAction.CREATE, obj=assessment, org=school, actor=actor)
    return assessment


def enterprise_assessed(school: OrgUnit, enterprise: OrgUnit) -> bool:
    """R18 holds: the school's assessment is on file and the list is published, or (by the
    setting ``r18_existing_partners_exempt``) the school placed students there before."""
    if EnterpriseAssessment.objects.filter(
        school=school, enterprise=enterprise, published_on__isnull=False
    ).exists():
        return True
    return bool(rules.rule_settings()["r18_existing_partners_exempt"]) and (
        Placement.objects.filter(enterprise=enterprise, org__path__startswith=school.path).exists()
    )


# --- R23: archiving an internship's papers ------------------------------------------------


@transaction.atomic
def placement_archive(*, actor: Actor, placement: Placement) -> Placement:
    """File an ended internship's papers; refused, naming R23's article, while any is missing."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    org = OrgUnit.objects.get(pk=placement.org_id)
    if not permissions.can_manage_placements(actor, org):
        raise PermissionDenied()
    if placement.archived_at is not None:
        raise Conflict(_("This internship is already archived."))
    facts = rules.ArchiveFacts(
        ended=placement.status != PlacementStatus.ACTIVE
        or placement.end_date < timezone.localdate(),
        has_agreement=bool(placement.agreement),
        journals=placement.journals.count(),
        evaluation_sides=frozenset(
            placement.evaluations.filter(
                side__in=[EvaluationSide.SCHOOL, EvaluationSide.ENTERPRISE]
            ).values_list("side", flat=True)
        ),
        grade=placement.grade,
    )
    breaches = rules.archive_breaches(facts)
    if breaches:
        raise ValidationFailed(
            _("The internship cannot be archived yet: %(rules)s")
            % {"rules": " ".join(b.text() for b in breaches)},
            code="internship_rule",
        )
    placement.archived_at = timezone.now()
    placement.archived_by_id = actor.pk
    placement.save(update_fields=["archived_at", "archived_by"])
    audit_record(
        action=AuditAction.UPDATE,
        obj=placement,
        org=org,
        actor=actor,
        changes={"archived_at": [None, placement.archived_at.isoformat()]},
    )
    return placement
