"""Writes of an internship's days: leave (the school mentor decides, ADR 0615), safety incidents
with their escalation to the school (ADR 0616), the school mentor's visits, monthly journals
co-signed by the enterprise mentor, and skills evidence mapped to the post's job-skill standard
(ADR 0617).

Each service checks who acts, validates, runs in one transaction and writes one audit entry.
"""

from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.core.policy import Actor
from openvet.core.roles import Role
from openvet.core.uploads import UploadLimits, UploadRefused, guard_size
from openvet.identity.selectors import users_holding_role_over
from openvet.industry import permissions, rules
from openvet.industry.models import (
    Incident,
    IncidentNotice,
    IncidentSeverity,
    IncidentStatus,
    InternshipPost,
    JobStandard,
    JobTask,
    Journal,
    LeaveRequest,
    LeaveStatus,
    MentorVisit,
    MonthlyJournal,
    Placement,
    PlacementStatus,
    PostStandard,
    SkillEvidence,
    VisitKind,
)
from openvet.lrs import services as lrs

EVIDENCE_LIMITS = UploadLimits(max_bytes=10 * 1024 * 1024)
# Who hears of an escalated incident: the class's counsellors and the school's administrators.
ESCALATION_ROLES = (Role.COUNSELLOR, Role.SCHOOL_ADMIN)


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, details={field: message})


def _own(actor: Actor, placement: Placement) -> None:
    if placement.student.user_id != getattr(actor, "pk", None):
        raise PermissionDenied()


def _active(placement: Placement) -> None:
    if placement.status != PlacementStatus.ACTIVE:
        raise ValidationFailed(_("This internship has already ended."), code="placement_ended")


# --- Leave ------------------------------------------------------------------------------------


@transaction.atomic
def leave_request(
    *, actor: Actor, placement: Placement, first_day: date, last_day: date, reason: str
) -> LeaveRequest:
    """The intern asks for days off within the internship, from today on."""
    _own(actor, placement)
    _active(placement)
    if last_day < first_day:
        raise _invalid("last_day", _("The last day off is before the first."))
    if first_day < timezone.localdate():
        raise _invalid("first_day", _("Ask for leave before the day, not after it."))
    if first_day < placement.start_date or last_day > placement.end_date:
        raise _invalid("first_day", _("The days off must fall within the internship period."))
    if len(reason.strip()) < 2:
        raise _invalid("reason", _("Say why you ask for leave."))
    # The placement's row is locked so two requests at once cannot both pass the overlap check.
    Placement.objects.select_for_update().filter(pk=placement.pk).first()
    if LeaveRequest.objects.filter(
        placement=placement,
        status__in=[LeaveStatus.PENDING, LeaveStatus.APPROVED],
        first_day__lte=last_day,
        last_day__gte=first_day,
    ).exists():
        raise Conflict(_("You have already asked for leave over these days."))
    leave = LeaveRequest.objects.create(
        placement=placement, first_day=first_day, last_day=last_day, reason=reason.strip()
    )
    audit_record(action=AuditAction.CREATE, obj=leave, org=placement.org, actor=actor)
    return leave


def _leave_move(leave: LeaveRequest, target: str, actor: Actor, note: str = "") -> LeaveRequest:
    """Move a pending request to ``target``; a request already decided is a conflict."""
    moved = LeaveRequest.objects.filter(pk=leave.pk, status=LeaveStatus.PENDING).update(
        status=target, decided_by=actor.pk, decided_at=timezone.now(), decision_note=note
    )
    if not moved:
        raise Conflict(_("This leave request has already been decided or withdrawn."))
    leave.refresh_from_db()
    audit_record(
        action=AuditAction.UPDATE,
        obj=leave,
        org=leave.placement.org,
        actor=actor,
        changes={"status": [LeaveStatus.PENDING, target]},
    )
    return leave


@transaction.atomic
def leave_decide(
    *, actor: Actor, leave: LeaveRequest, approve: bool, note: str = ""
) -> LeaveRequest:
    """The school mentor of the placement approves or refuses (a refusal says why)."""
    if not permissions.is_school_mentor(actor, leave.placement):
        raise PermissionDenied()
    if not approve and len(note.strip()) < 2:
        raise _invalid("note", _("Say why the leave is refused."))
    target = LeaveStatus.APPROVED if approve else LeaveStatus.REFUSED
    return _leave_move(leave, target, actor, note.strip()[:200])


@transaction.atomic
def leave_withdraw(*, actor: Actor, leave: LeaveRequest) -> LeaveRequest:
    _own(actor, leave.placement)
    return _leave_move(leave, LeaveStatus.WITHDRAWN, actor)


# --- Safety incidents ---------------------------------------------------------------------------


def _may_report(actor: Actor, placement: Placement) -> bool:
    return (
        placement.student.user_id == getattr(actor, "pk", None)
        or permissions.is_enterprise_mentor(actor, placement)
        or permissions.is_school_mentor(actor, placement)
    )


def _school_side(actor: Actor, placement: Placement) -> bool:
    """The school mentor, or school staff who see the class's placements (counsellor, admin)."""
    return permissions.is_school_mentor(actor, placement) or policy.has_capability(
        actor, permissions.VIEW_PLACEMENT, placement.org
    )


def _notify_school(incident: Incident) -> int:
    placement = incident.placement
    users = {placement.school_mentor_id}
    for role in ESCALATION_ROLES:
        users |= set(
            users_holding_role_over(role=role, org_path=placement.org.path).values_list(
                "pk", flat=True
            )
        )
    IncidentNotice.objects.bulk_create(
        [IncidentNotice(incident=incident, user_id=user) for user in sorted(users)],
        ignore_conflicts=True,
    )
    return len(users)


@transaction.atomic
def incident_report(
    *,
    actor: Actor,
    placement: Placement,
    happened_at: datetime,
    severity: str,
    description: str,
) -> Incident:
    """The intern or a mentor reports an incident; a serious or grave one goes to the school at
    once (notices to the school mentor, the class's counsellors and the school administrators)."""
    if not _may_report(actor, placement):
        raise PermissionDenied()
    if severity not in IncidentSeverity.values:
        raise _invalid("severity", _("Choose how serious it is."))
    if happened_at > timezone.now() + timedelta(minutes=5):
        raise _invalid("happened_at", _("The time of the incident is in the future."))
    if timezone.localdate(happened_at) < placement.start_date:
        raise _invalid("happened_at", _("The incident is before the internship started."))
    if len(description.strip()) < 5:
        raise _invalid("description", _("Describe what happened."))
    incident = Incident.objects.create(
        placement=placement,
        reporter_id=actor.pk,
        happened_at=happened_at,
        severity=severity,
        description=description.strip(),
    )
    audit_record(
        action=AuditAction.CREATE,
        obj=incident,
        org=placement.org,
        actor=actor,
        changes={"severity": [None, severity]},
    )
    if severity != IncidentSeverity.MINOR:
        _escalate(incident, actor)
    return incident


def _escalate(incident: Incident, actor: Actor) -> None:
    moved = Incident.objects.filter(pk=incident.pk, status=IncidentStatus.OPEN).update(
        status=IncidentStatus.ESCALATED, escalated_at=timezone.now()
    )
    if not moved:
        raise Conflict(_("This incident is already escalated or closed."))
    incident.refresh_from_db()
    _notify_school(incident)
    audit_record(
        action=AuditAction.UPDATE,
        obj=incident,
        org=incident.placement.org,
        actor=actor,
        changes={"status": [IncidentStatus.OPEN, IncidentStatus.ESCALATED]},
    )


@transaction.atomic
def incident_escalate(*, actor: Actor, incident: Incident) -> Incident:
    """A mentor hands a minor incident on to the school's counsellors and administrators."""
    placement = incident.placement
    if not (
        permissions.is_school_mentor(actor, placement)
        or permissions.is_enterprise_mentor(actor, placement)
    ):
        raise PermissionDenied()
    _escalate(incident, actor)
    return incident


@transaction.atomic
def incident_close(*, actor: Actor, incident: Incident, note: str) -> Incident:
    """The school closes an incident with a note of how it was handled."""
    if not _school_side(actor, incident.placement):
        raise PermissionDenied()
    if len(note.strip()) < 5:
        raise _invalid("note", _("Write how the incident was handled."))
    before = incident.status
    moved = (
        Incident.objects.filter(pk=incident.pk)
        .exclude(status=IncidentStatus.CLOSED)
        .update(
            status=IncidentStatus.CLOSED,
            closed_by=actor.pk,
            closed_at=timezone.now(),
            closing_note=note.strip(),
        )
    )
    if not moved:
        raise Conflict(_("This incident is already closed."))
    incident.refresh_from_db()
    IncidentNotice.objects.filter(incident=incident, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    audit_record(
        action=AuditAction.UPDATE,
        obj=incident,
        org=incident.placement.org,
        actor=actor,
        changes={"status": [before, IncidentStatus.CLOSED]},
    )
    return incident


# --- Mentor visits ------------------------------------------------------------------------------


@transaction.atomic
def visit_record(
    *, actor: Actor, placement: Placement, day: date, kind: str, notes: str
) -> MentorVisit:
    """The school mentor records a visit to the workplace or a phone/video talk."""
    if not permissions.is_school_mentor(actor, placement):
        raise PermissionDenied()
    if kind not in VisitKind.values:
        raise _invalid("kind", _("Choose a visit or a remote talk."))
    if day > timezone.localdate() or day < placement.start_date or day > placement.end_date:
        raise _invalid("day", _("The day must fall within the internship, and not be ahead."))
    if len(notes.strip()) < 5:
        raise _invalid("notes", _("Write what you saw and talked about."))
    visit = MentorVisit.objects.create(
        placement=placement, mentor_id=actor.pk, day=day, kind=kind, notes=notes.strip()
    )
    audit_record(action=AuditAction.CREATE, obj=visit, org=placement.org, actor=actor)
    return visit


# --- Monthly journals -----------------------------------------------------------------------


def month_end(month: date) -> date:
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def journal_period_problem(
    placement: Placement, first: date, last: date, today: date | None = None
) -> str | None:
    """Why a journal of the days ``first``..``last`` cannot be written ``today``, or None: the
    days must overlap the internship, have begun, and be at most the grace days past (ADR 0617)."""
    today = today or timezone.localdate()
    if first > placement.end_date or last < placement.start_date:
        return _("This period is outside the internship period.")
    if first > today:
        return _("Journals are written for periods that have begun.")
    grace = int(rules.rule_settings()["journal_grace_days"])
    if today > min(last, placement.end_date) + timedelta(days=grace):
        return _("The time to write this journal has passed (%(days)s days after its period).") % {
            "days": grace
        }
    return None


@transaction.atomic
def monthly_journal_submit(
    *, actor: Actor, placement: Placement, month: date, text: str
) -> MonthlyJournal:
    _own(actor, placement)
    first = month.replace(day=1)
    problem = journal_period_problem(placement, first, month_end(first))
    if problem:
        raise _invalid("month", problem)
    if len(text.strip()) < 50:
        raise _invalid("text", _("Write at least 50 characters about the month."))
    try:
        with transaction.atomic():
            journal = MonthlyJournal.objects.create(
                placement=placement, month=first, text=text.strip()
            )
    except IntegrityError as exc:
        raise Conflict(_("The journal of this month is already written.")) from exc
    lrs.record_learning_event(
        user_id=actor.pk,
        verb="reported",
        object_type="industry.monthlyjournal",
        object_id=journal.pk,
    )
    return journal


CosignedJournal = TypeVar("CosignedJournal", Journal, MonthlyJournal)


@transaction.atomic
def journal_cosign(*, actor: Actor, journal: CosignedJournal) -> CosignedJournal:
    """The enterprise mentor co-signs a weekly or a monthly journal, once."""
    if not permissions.is_enterprise_mentor(actor, journal.placement):
        raise PermissionDenied()
    updated = (
        type(journal)
        .objects.filter(pk=journal.pk, cosigned_at__isnull=True)
        .update(cosigned_by=actor.pk, cosigned_at=timezone.now())
    )
    if not updated:
        raise Conflict(_("This journal is already co-signed."))
    journal.refresh_from_db()
    audit_record(
        action=AuditAction.UPDATE,
        obj=journal,
        org=journal.placement.org,
        actor=actor,
        changes={"cosigned": [False, True]},
    )
    return journal


def monthly_journal_cosign(*, actor: Actor, journal: MonthlyJournal) -> MonthlyJournal:
    return journal_cosign(actor=actor, journal=journal)


# --- Skills evidence ------------------------------------------------------------------------


@transaction.atomic
def post_standard_set(*, actor: Actor, post: InternshipPost, standard: JobStandard) -> PostStandard:
    """The school links a post published for it to one of its job-skill standards."""
    if post.school_id is None or standard.org_id != post.school_id:
        raise _invalid("standard", _("Choose a job-skill standard of the post's school."))
    if not permissions.can_change_standard(actor, standard.org):
        raise PermissionDenied()
    link, _created = PostStandard.objects.update_or_create(
        post=post, defaults={"standard": standard}
    )
    audit_record(
        action=AuditAction.UPDATE,
        obj=post,
        org=post.org,
        actor=actor,
        changes={"standard": [None, standard.pk]},
    )
    return link


def tasks_of_post(post: InternshipPost) -> list[JobTask]:
    link = PostStandard.objects.filter(post=post).first()
    return list(JobTask.objects.filter(standard_id=link.standard_id)) if link else []


# JPEG, PNG and PDF by their first bytes (JFIF/Exif SOI marker, PNG signature, PDF header).
_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"%PDF-")


def _check_evidence_file(file: UploadedFile) -> None:
    guard_size(file, limits=EVIDENCE_LIMITS, field="file")
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if not any(head.startswith(sig) for sig in _SIGNATURES):
        raise UploadRefused(_("Attach a photo (JPEG or PNG) or a PDF document."), field="file")


@transaction.atomic
def evidence_attach(
    *,
    actor: Actor,
    task: JobTask,
    note: str,
    file: UploadedFile,
    journal: Journal | None = None,
    monthly: MonthlyJournal | None = None,
) -> SkillEvidence:
    """The intern attaches evidence of a work task of the post's standard to their journal."""
    owner = journal or monthly
    if owner is None or (journal is not None and monthly is not None):
        raise _invalid("journal", _("Choose the journal the evidence belongs to."))
    placement: Any = owner.placement
    _own(actor, placement)
    if task.pk not in {t.pk for t in tasks_of_post(placement.post)}:
        raise _invalid("task", _("Choose a work task of your post's job-skill standard."))
    if len(note.strip()) < 5:
        raise _invalid("note", _("Say what you did."))
    _check_evidence_file(file)
    evidence = SkillEvidence.objects.create(
        journal=journal, monthly=monthly, task=task, note=note.strip(), file=file
    )
    audit_record(
        action=AuditAction.CREATE,
        obj=evidence,
        org=placement.org,
        actor=actor,
        changes={"task": [None, task.pk]},
    )
    return evidence
