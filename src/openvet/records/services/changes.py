"""Student status changes (JY/T 1001 XJYDLB): apply, resubmit, withdraw; the rules of each
kind; the effect on approval.

Approval itself belongs to the workflow engine: records registers the process kind
``records.status_change`` and applies the change when told the instance was approved, inside
the deciding transaction. Rules are checked when applying and again at the moment of effect,
so a change that no longer holds (the major filled up meanwhile) refuses the approval.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from openvet.core.events import publish
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.core.roles import Role
from openvet.identity import services as identity
from openvet.records.codes import (
    FINAL_STATUSES,
    ChangeReason,
    ChangeType,
    StudentStatus,
    reasons_for,
)
from openvet.records.contracts import StudentInfo
from openvet.records.events import StudentStatusChanged, StudentTransferredIn
from openvet.records.models import (
    ChangeState,
    MajorIntakePlan,
    StatusChange,
    Student,
    StudentHistory,
)
from openvet.records.permissions import can_apply_change
from openvet.records.services.students import history_add
from openvet.workflow import services as workflow
from openvet.workflow.contracts import InstanceInfo, StepSpec

PROCESS_CODE = "records.status_change"
SUBJECT_TYPE = "records.statuschange"
MAX_EXTRA_YEARS = 2
MAX_SCHOOLING_YEARS = 8
# Default chain: counsellor, then department head, then academic affairs (the school admin);
# a transfer to another school also needs the receiving school.
DEFAULT_STEPS = (
    StepSpec(
        name=gettext_noop("Counsellor"),
        roles=("counsellor",),
        org_level="subject",
        deadline_hours=72,
    ),
    StepSpec(
        name=gettext_noop("Department"),
        roles=("department_head",),
        org_level="department",
        deadline_hours=72,
    ),
    StepSpec(
        name=gettext_noop("Academic affairs"),
        roles=("school_admin",),
        org_level="school",
        deadline_hours=120,
    ),
    StepSpec(
        name=gettext_noop("Receiving school"),
        roles=("school_admin",),
        org_level="target_school",
        condition={"field": "change_type", "in": [ChangeType.TRANSFER_OUT.value]},
        deadline_hours=120,
    ),
)

# The status each kind sets (None: unchanged).
NEW_STATUS: dict[str, str | None] = {
    ChangeType.SUSPEND: StudentStatus.SUSPENDED,
    ChangeType.RESUME: StudentStatus.ENROLLED,
    ChangeType.RESERVE: StudentStatus.OTHER,
    ChangeType.TRANSFER_OUT: StudentStatus.TRANSFERRED_OUT,
    ChangeType.CHANGE_MAJOR: None,
    ChangeType.WITHDRAW: StudentStatus.WITHDRAWN,
    ChangeType.EXPEL: StudentStatus.EXPELLED,
    ChangeType.GRADUATE: StudentStatus.GRADUATED,
    ChangeType.COMPLETE: StudentStatus.COMPLETED,
    ChangeType.INCOMPLETE: StudentStatus.INCOMPLETE,
    ChangeType.EXTEND: None,
}
_ACTIVE = frozenset({StudentStatus.ENROLLED, StudentStatus.RESUMED})
_AWAY = frozenset({StudentStatus.SUSPENDED, StudentStatus.OTHER})
# From which statuses each kind may start.
ALLOWED_FROM: dict[str, frozenset[str]] = {
    ChangeType.SUSPEND: _ACTIVE,
    ChangeType.RESUME: _AWAY,
    ChangeType.RESERVE: _ACTIVE,
    ChangeType.TRANSFER_OUT: _ACTIVE,
    ChangeType.CHANGE_MAJOR: _ACTIVE,
    ChangeType.WITHDRAW: _ACTIVE | _AWAY,
    ChangeType.EXPEL: _ACTIVE | _AWAY,
    ChangeType.GRADUATE: _ACTIVE,
    ChangeType.COMPLETE: _ACTIVE,
    ChangeType.INCOMPLETE: _ACTIVE | _AWAY,
    ChangeType.EXTEND: _ACTIVE | _AWAY,
}

# Graduation checks other apps register (teaching: failing required courses). Each returns
# the reasons, in the reader's language, why the student cannot graduate.
GraduationCheck = Callable[[StudentInfo], list[str]]
_graduation_checks: list[GraduationCheck] = []


def register_graduation_check(check: GraduationCheck) -> None:
    if check not in _graduation_checks:
        _graduation_checks.append(check)


def student_info(student: Student) -> StudentInfo:
    return StudentInfo(
        id=student.pk,
        school_id=student.school_id,
        department_id=student.department_id,
        major_id=student.major_id,
        class_id=student.class_unit_id,
        student_number=student.student_number,
        name=student.name,
        status=student.status,
        grade_year=student.grade_year,
        user_id=student.user_id,
    )


# Rules ---------------------------------------------------------------------------------------


def status_refusal(student: Student, change_type: str) -> str | None:
    """Why ``change_type`` cannot start from the student's current status, or None when it
    can: the one rule table (``ALLOWED_FROM``) behind both the offered kinds and the refusal."""
    if student.status in FINAL_STATUSES:
        return _("%(name)s has left the school (%(status)s); no further change is possible.") % {
            "name": student.name,
            "status": student.get_status_display(),
        }
    if change_type == ChangeType.RESUME and not (
        student.status == StudentStatus.SUSPENDED
        or (
            student.status == StudentStatus.OTHER
            and student.status_change_type == ChangeType.RESERVE
        )
    ):
        return _(
            "Only a student on leave or with reserved status can resume; %(name)s is %(status)s."
        ) % {"name": student.name, "status": student.get_status_display()}
    if student.status not in ALLOWED_FROM[change_type]:
        return _("%(change)s is not possible for a student who is %(status)s.") % {
            "change": ChangeType(change_type).label,
            "status": student.get_status_display(),
        }
    return None


def _check_status(student: Student, change_type: str) -> None:
    refusal = status_refusal(student, change_type)
    if refusal is not None:
        raise Conflict(refusal)


def _parse_date(value: Any, field: str) -> date:
    try:
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationFailed(details={field: _("Enter a valid date.")}) from exc


def _rules_suspend(student: Student, details: dict[str, Any], today: date) -> dict[str, Any]:
    if not details.get("planned_return_date"):
        raise ValidationFailed(details={"planned_return_date": _("Give the planned return date.")})
    planned = _parse_date(details["planned_return_date"], "planned_return_date")
    if planned <= today:
        raise ValidationFailed(
            details={"planned_return_date": _("The planned return date must be in the future.")}
        )
    if (planned - today).days > 2 * 366:
        raise ValidationFailed(
            details={"planned_return_date": _("A leave of absence lasts at most two years.")}
        )
    return {"planned_return_date": planned.isoformat()}


def _target_major(student: Student, details: dict[str, Any]) -> tuple[OrgUnit, OrgUnit | None]:
    major = OrgUnit.objects.filter(
        pk=details.get("target_major_id") or 0, kind=OrgKind.MAJOR
    ).first()
    if major is None or not major.path.startswith(student.school.path):
        raise ValidationFailed(
            details={"target_major_id": _("Choose a major of the student's own school.")}
        )
    if major.pk == student.major_id:
        raise ValidationFailed(
            details={"target_major_id": _("The student is already in this major.")}
        )
    klass = None
    if details.get("target_class_id"):
        klass = OrgUnit.objects.filter(
            pk=details["target_class_id"], kind=OrgKind.CLASS, parent=major
        ).first()
        if klass is None:
            raise ValidationFailed(
                details={"target_class_id": _("This class does not belong to the chosen major.")}
            )
    return major, klass


def _check_capacity(student: Student, major: OrgUnit) -> None:
    plan = MajorIntakePlan.objects.filter(org=major, grade_year=student.grade_year).first()
    if plan is None:
        raise Conflict(
            _("%(major)s has no intake plan for grade %(year)s, so it takes no transfers.")
            % {"major": major.name, "year": student.grade_year}
        )
    taken = Student.objects.filter(
        major=major, grade_year=student.grade_year, status__in=(*_ACTIVE, *_AWAY)
    ).count()
    if taken >= plan.capacity:
        raise Conflict(
            _("%(major)s is full for grade %(year)s (%(capacity)s places).")
            % {"major": major.name, "year": student.grade_year, "capacity": plan.capacity}
        )


def _rules_change_major(student: Student, details: dict[str, Any]) -> dict[str, Any]:
    major, klass = _target_major(student, details)
    _check_capacity(student, major)
    return {"target_major_id": major.pk, "target_class_id": klass.pk if klass else None}


def _rules_transfer(student: Student, details: dict[str, Any]) -> dict[str, Any]:
    school = OrgUnit.objects.filter(
        pk=details.get("target_school_id") or 0, kind=OrgKind.SCHOOL, is_active=True
    ).first()
    if school is None or school.pk == student.school_id:
        raise ValidationFailed(
            details={"target_school_id": _("Choose another school of the platform.")}
        )
    code = str(details.get("target_major_code") or "").strip()
    major = OrgUnit.objects.filter(
        kind=OrgKind.MAJOR, code=code, path__startswith=school.path
    ).first()
    if major is None:
        raise ValidationFailed(
            details={"target_major_code": _("The receiving school has no major with this code.")}
        )
    if Student.objects.filter(school=school, student_number=student.student_number).exists():
        raise Conflict(_("The receiving school already has a student with this number."))
    return {"target_school_id": school.pk, "target_major_code": code}


def _rules_extend(student: Student, details: dict[str, Any]) -> dict[str, Any]:
    try:
        extra = int(details.get("extra_years") or 0)
    except (TypeError, ValueError):
        extra = 0
    if not 1 <= extra <= MAX_EXTRA_YEARS:
        raise ValidationFailed(details={"extra_years": _("Extend by one or two years.")})
    if student.schooling_years + extra > MAX_SCHOOLING_YEARS:
        raise Conflict(
            _("The study period may not exceed %(years)s years.") % {"years": MAX_SCHOOLING_YEARS}
        )
    return {"extra_years": extra}


def _rules_graduate(student: Student) -> dict[str, Any]:
    problems = [p for check in _graduation_checks for p in check(student_info(student))]
    if problems:
        raise Conflict(
            _("%(name)s cannot graduate yet.") % {"name": student.name},
            details={"graduation": problems},
        )
    return {}


def check_change(
    student: Student, change_type: str, details: dict[str, Any], *, today: date | None = None
) -> dict[str, Any]:
    """Refuse an illegal change with a clear message; return the cleaned details."""
    if change_type not in NEW_STATUS:
        raise ValidationFailed(details={"change_type": _("Choose a kind of change.")})
    _check_status(student, change_type)
    today = today or timezone.localdate()
    if change_type == ChangeType.SUSPEND:
        return _rules_suspend(student, details, today)
    if change_type == ChangeType.CHANGE_MAJOR:
        return _rules_change_major(student, details)
    if change_type == ChangeType.TRANSFER_OUT:
        return _rules_transfer(student, details)
    if change_type == ChangeType.EXTEND:
        return _rules_extend(student, details)
    if change_type == ChangeType.GRADUATE:
        return _rules_graduate(student)
    return {}


# Applying ----------------------------------------------------------------------------------


def _lock_student(student_id: int) -> Student:
    student = (
        Student.objects.select_for_update(of=("self",))
        .select_related("school", "department", "major", "class_unit", "org")
        .filter(pk=student_id)
        .first()
    )
    if student is None:
        raise NotFound()
    return student


def _placement(student: Student) -> dict[str, Any]:
    return {
        "status": student.status,
        "department": student.department_id,
        "major": student.major_id,
        "class_unit": student.class_unit_id,
        "schooling_years": student.schooling_years,
    }


def _title(student: Student, change_type: str) -> str:
    return f"{ChangeType(change_type).label}: {student.name} ({student.student_number})"


def _validate_reason(reason: str, change_type: str) -> None:
    """Refuse a reason that is unknown or does not fit the kind of change (ADR 0213)."""
    if not reason:
        return
    if reason not in ChangeReason.values:
        raise ValidationFailed(details={"reason": _("Choose a known reason.")})
    if reason not in dict(reasons_for(change_type)):
        raise ValidationFailed(
            details={
                "reason": _("This reason does not fit this kind of change; choose one of the list.")
            }
        )


@transaction.atomic
def status_change_apply(
    *,
    actor: Actor,
    student: Student,
    change_type: str,
    reason: str = "",
    note: str = "",
    details: dict[str, Any] | None = None,
) -> StatusChange:
    """Apply for a status change; approval starts at once."""
    student = _lock_student(student.pk)
    if not can_apply_change(actor, student, change_type):
        raise PermissionDenied()
    if StatusChange.objects.filter(
        student=student, state__in=(ChangeState.PENDING, ChangeState.RETURNED)
    ).exists():
        raise Conflict(
            _("%(name)s already has a status change awaiting approval.") % {"name": student.name}
        )
    _validate_reason(reason, change_type)
    cleaned = check_change(student, change_type, dict(details or {}))
    change = StatusChange.objects.create(
        student=student,
        org=student.org,
        change_type=change_type,
        reason=reason,
        note=note.strip(),
        details=cleaned,
        applicant_id=actor.pk,
        before=_placement(student),
    )
    change.process = workflow.instance_start(
        actor=actor,
        code=PROCESS_CODE,
        subject_type=SUBJECT_TYPE,
        subject_id=change.pk,
        title=_title(student, change_type),
        org=student.org,
        payload={"change_type": change_type, **cleaned},
    )
    change.save(update_fields=["process"])
    audit_record(
        action=AuditAction.CREATE,
        obj=change,
        org=student.org,
        actor=actor,
        changes={"change_type": [None, change_type], "details": [None, cleaned]},
    )
    return change


@transaction.atomic
def status_change_resubmit(
    *,
    actor: Actor,
    change: StatusChange,
    reason: str | None = None,
    note: str | None = None,
    details: dict[str, Any] | None = None,
) -> StatusChange:
    """Send a returned change again, corrected; approval restarts from the first step."""
    change = (
        StatusChange.objects.select_for_update(of=("self",))
        .select_related("process")
        .get(pk=change.pk)
    )
    if change.applicant_id != actor.pk:
        raise PermissionDenied()
    if change.state != ChangeState.RETURNED or change.process is None:
        raise Conflict(_("Only a change returned to you can be resubmitted."))
    student = _lock_student(change.student_id)
    if reason is not None:
        _validate_reason(reason, change.change_type)
        change.reason = reason
    if note is not None:
        change.note = note.strip()
    change.details = check_change(
        student, change.change_type, dict(details if details is not None else change.details)
    )
    change.state = ChangeState.PENDING
    change.save(update_fields=["reason", "note", "details", "state"])
    workflow.instance_resubmit(
        actor=actor,
        instance=change.process,
        payload={"change_type": change.change_type, **change.details},
    )
    audit_record(
        action=AuditAction.UPDATE,
        obj=change,
        org=change.org,
        actor=actor,
        changes={"state": [ChangeState.RETURNED, ChangeState.PENDING]},
    )
    return change


@transaction.atomic
def status_change_withdraw(*, actor: Actor, change: StatusChange) -> StatusChange:
    if change.process is None:
        raise Conflict(_("This change is not awaiting approval."))
    workflow.instance_withdraw(actor=actor, instance=change.process)
    change.refresh_from_db()
    return change


# Outcome -------------------------------------------------------------------------------------

_STATE_OF = {
    "approved": ChangeState.APPROVED,
    "rejected": ChangeState.REJECTED,
    "returned": ChangeState.RETURNED,
    "withdrawn": ChangeState.WITHDRAWN,
    "cancelled": ChangeState.CANCELLED,
}


def on_process_outcome(info: InstanceInfo, outcome: str, actor: Actor) -> None:
    """Called by the workflow engine inside the deciding transaction."""
    change = (
        StatusChange.objects.select_for_update(of=("self",)).filter(pk=int(info.subject_id)).first()
    )
    if change is None:
        return
    if outcome == "approved":
        _take_effect(change, actor)
    change.state = _STATE_OF[outcome]
    change.save(update_fields=["state"])


def _take_effect(change: StatusChange, actor: Actor) -> None:
    student = _lock_student(change.student_id)
    details = check_change(student, change.change_type, change.details)
    old_status = student.status
    new_status = NEW_STATUS[change.change_type]
    if new_status is not None:
        student.status = new_status
        student.status_change_type = change.change_type
    if change.change_type == ChangeType.CHANGE_MAJOR:
        left = [student.org, student.major, student.class_unit]
        _move_major(student, details)
        _account_follows(student, [o for o in left if o is not None], change)
    elif change.change_type == ChangeType.EXTEND:
        student.schooling_years += int(details["extra_years"])
    student.save()
    if change.change_type == ChangeType.TRANSFER_OUT:
        _transfer_in(student, change, details, actor)
    change.after = _placement(student)
    change.approved_by_id = actor.pk
    change.effective_at = timezone.now()
    change.save(update_fields=["after", "approved_by", "effective_at"])
    summary = {
        k: [change.before.get(k), v] for k, v in change.after.items() if change.before.get(k) != v
    }
    history_add(
        student,
        StudentHistory.Kind.STATUS_CHANGE,
        actor=actor,
        change=change,
        changes={"change_type": change.change_type, **summary},
    )
    audit_record(
        action=AuditAction.UPDATE,
        obj=student,
        org=student.org,
        actor=actor,
        changes={"change": [None, change.pk], **summary},
    )
    publish(
        StudentStatusChanged(
            student_id=student.pk,
            change_id=change.pk,
            change_type=change.change_type,
            old_status=old_status,
            new_status=student.status,
        )
    )


def _move_major(student: Student, details: dict[str, Any]) -> None:
    major = OrgUnit.objects.get(pk=details["target_major_id"])
    klass = (
        OrgUnit.objects.get(pk=details["target_class_id"])
        if details.get("target_class_id")
        else None
    )
    student.major, student.department = major, major.parent  # type: ignore[assignment]
    student.class_unit = klass
    student.org = klass or major


def _account_follows(student: Student, left: list[OrgUnit], change: StatusChange) -> None:
    """The student's account moves with the record: its home and the student role it held
    on the class or major left behind now sit on the new class (else major)."""
    if student.user is None:
        return
    identity.user_relocate(
        actor=None,
        user=student.user,
        home_org=student.org,
        role=Role.STUDENT,
        from_orgs=left,
        cause=f"{PROCESS_CODE}:{change.pk}",
    )


def _transfer_in(
    source: Student, change: StatusChange, details: dict[str, Any], actor: Actor
) -> None:
    school = OrgUnit.objects.get(pk=details["target_school_id"])
    major = OrgUnit.objects.get(
        kind=OrgKind.MAJOR, code=details["target_major_code"], path__startswith=school.path
    )
    copied = {
        f: getattr(source, f)
        for f in (
            "student_number",
            "name",
            "gender",
            "id_type",
            "id_number",
            "id_number_digest",
            "birth_date",
            "ethnicity",
            "political_status",
            "household_registration",
            "enrolment_source",
            "grade_year",
            "schooling_years",
            "study_form",
            "guardian_name",
            "guardian_relation",
            "guardian_phone",
        )
    }
    target = Student(
        school=school,
        department=major.parent,
        major=major,
        org=major,
        status=StudentStatus.ENROLLED,
        status_change_type=ChangeType.TRANSFER_IN,
        **copied,
    )
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError as exc:
        raise Conflict(_("The receiving school already has this student.")) from exc
    # The account follows the student to the new school.
    if source.user_id is not None:
        Student.objects.filter(pk=source.pk).update(user=None)
        Student.objects.filter(pk=target.pk).update(user=source.user_id)
        target.user = source.user
        left = [source.org, source.major, source.class_unit]
        _account_follows(target, [o for o in left if o is not None], change)
    history_add(
        target,
        StudentHistory.Kind.STATUS_CHANGE,
        actor=actor,
        change=change,
        changes={"change_type": ChangeType.TRANSFER_IN, "from_school": source.school_id},
    )
    audit_record(
        action=AuditAction.CREATE,
        obj=target,
        org=major,
        actor=actor,
        changes={"transferred_from": [None, source.pk]},
    )
    publish(StudentTransferredIn(student_id=target.pk, from_student_id=source.pk))


def detail_url(info: InstanceInfo) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("records:change-detail", args=[int(info.subject_id)])
    except NoReverseMatch:
        return None
