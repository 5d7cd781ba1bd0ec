"""Writes to staff records, their qualifications, enterprise practice and training; the
school's dual-qualified teacher rule and its recognition."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.audit import AuditAction, audit_record, diff
from openvet.core.errors import ValidationFailed
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.records.codes import (
    Degree,
    Education,
    EmploymentStatus,
    PostType,
    QualificationKind,
)
from openvet.records.models import (
    DualQualificationRule,
    EnterprisePractice,
    Qualification,
    Staff,
    TrainingRecord,
)
from openvet.records.services.common import (
    check_name,
    check_upload,
    clean_text_name,
    require_school,
    resolve_unit,
    validate_person,
)
from openvet.records.services.persons import (
    person_fill,
    person_find,
    person_link_user,
    person_public,
    person_save,
)

_PLAIN_FIELDS = (
    "name",
    "gender",
    "post_type",
    "title",
    "title_date",
    "education",
    "degree",
    "field_code",
    "employment_status",
)
TEACHING_POSTS = frozenset({PostType.FULL_TIME_TEACHER, PostType.ENTERPRISE_TEACHER})
# Built once (``Choices.values`` makes a new list per call; imports check every row).
_POST_TYPES = frozenset(PostType.values)
_EDUCATIONS = frozenset(Education.values)
_DEGREES = frozenset(Degree.values)
_EMPLOYMENT_STATUSES = frozenset(EmploymentStatus.values)


def _place(staff: Staff, school: OrgUnit, values: dict[str, Any], errors: dict[str, str]) -> None:
    if "department" in values:
        department = resolve_unit(
            school,
            values["department"],
            OrgKind.DEPARTMENT,
            code=str(values.get("department_code") or ""),
        )
        if values["department"] not in (None, "") and department is None:
            errors["department"] = _("Choose a department of this school.")
        staff.department = department
    if "enterprise" in values:
        enterprise = values["enterprise"]
        if enterprise not in (None, "") and not isinstance(enterprise, OrgUnit):
            enterprise = OrgUnit.objects.filter(pk=int(enterprise)).first()
        if (
            enterprise is not None
            and enterprise != ""
            and (getattr(enterprise, "kind", None) != OrgKind.ENTERPRISE)
        ):
            errors["enterprise"] = _("Choose an enterprise.")
        else:
            staff.enterprise = enterprise or None
    staff.school = school
    staff.org = staff.department or school


def validate_staff_fields(staff: Staff, errors: dict[str, str]) -> None:
    """The single-record rules of a staff member, added to ``errors`` by field; the bulk
    importer holds every row to them too."""
    validate_person(staff, errors, number_field="staff_number")
    check_name(staff, "title", _("Professional title"), errors, required=False)
    if staff.post_type not in _POST_TYPES:
        errors["post_type"] = _("Choose a post type.")
    if staff.education and staff.education not in _EDUCATIONS:
        errors["education"] = _("Choose a level of education.")
    if staff.degree not in _DEGREES:
        errors["degree"] = _("Choose a degree.")
    if staff.employment_status not in _EMPLOYMENT_STATUSES:
        errors["employment_status"] = _("Choose an employment status.")
    if staff.post_type == PostType.ENTERPRISE_TEACHER and staff.enterprise_id is None:
        errors.setdefault(
            "enterprise", _("A part-time teacher from an enterprise needs the enterprise.")
        )


def _fill(staff: Staff, school: OrgUnit, values: dict[str, Any]) -> None:
    person_fill(
        staff,
        values=values,
        plain_fields=_PLAIN_FIELDS,
        place=lambda person, errors: _place(person, school, values, errors),
        validate=validate_staff_fields,
    )


def _save(staff: Staff) -> None:
    person_save(
        staff,
        number_field="staff_number",
        duplicate=_(
            "A staff member with this staff number or ID number already exists in this school."
        ),
    )


def _public(values: dict[str, Any]) -> dict[str, Any]:
    return person_public(values, pii=("id_number",), as_ids=True)


@transaction.atomic
def staff_create(*, actor: Actor, school: OrgUnit, **values: Any) -> Staff:
    require_school(school)
    staff = Staff(staff_number=str(values.pop("staff_number", "")).strip())
    values.setdefault("department", None)
    values.setdefault("enterprise", None)
    _fill(staff, school, values)
    policy.require(actor, "records.add_staff", staff.org)
    _save(staff)
    audit_record(
        action=AuditAction.CREATE,
        obj=staff,
        org=staff.org,
        actor=actor,
        changes={k: [None, str(v)] for k, v in _public(values).items() if v not in ("", None)},
    )
    return staff


@transaction.atomic
def staff_update(*, actor: Actor, staff: Staff, **values: Any) -> Staff:
    policy.require(actor, "records.change_staff", staff.org)
    values.pop("staff_number", None)
    before = {k: getattr(staff, k, None) for k in values}
    _fill(staff, staff.school, values)
    policy.require(actor, "records.change_staff", staff.org)
    _save(staff)
    changes = diff(_public(before), _public({k: getattr(staff, k, None) for k in values}))
    if changes:
        audit_record(
            action=AuditAction.UPDATE, obj=staff, org=staff.org, actor=actor, changes=changes
        )
    return staff


def staff_upsert(*, actor: Actor, school: OrgUnit, row: dict[str, Any]) -> tuple[Staff, bool]:
    """Create or update one staff member from an import row, keyed on ``staff_number``
    within the school, else on the ID number; returns (staff, created)."""
    row = dict(row)
    existing = person_find(Staff, school=school, number_field="staff_number", row=row)
    if existing is None:
        return staff_create(actor=actor, school=school, **row), True
    return staff_update(actor=actor, staff=existing, **row), False


@transaction.atomic
def staff_link_user(*, actor: Actor, staff: Staff, user: Any) -> Staff:
    return person_link_user(
        staff,
        actor=actor,
        user=user,
        capability="records.change_staff",
        taken=_("This account already belongs to another staff member."),
    )


# Qualifications, practice, training ------------------------------------------------------


def _attach(obj: Any, upload: UploadedFile | None) -> None:
    if upload is not None:
        check_upload(upload, "evidence")
        obj.evidence.save(upload.name or "evidence", upload, save=False)


@transaction.atomic
def qualification_add(
    *,
    actor: Actor,
    staff: Staff,
    kind: str,
    name: str,
    field_code: str = "",
    level: str = "",
    number: str = "",
    issued_on: date | None = None,
    evidence: UploadedFile | None = None,
) -> Qualification:
    policy.require(actor, "records.change_staff", staff.org)
    errors = {}
    if kind not in QualificationKind.values:
        errors["kind"] = _("Choose a kind of qualification.")
    name, problem = clean_text_name(name, label=_("Name"), max_length=120)
    if problem:
        errors["name"] = problem
    elif not name:
        errors["name"] = _("A name is required.")
    if issued_on and issued_on > timezone.localdate():
        errors["issued_on"] = _("The date of issue is in the future.")
    if errors:
        raise ValidationFailed(details=errors)
    item = Qualification(
        staff=staff,
        kind=kind,
        name=name.strip(),
        field_code=field_code,
        level=level,
        number=number,
        issued_on=issued_on,
    )
    _attach(item, evidence)
    item.save()
    audit_record(
        action=AuditAction.CREATE,
        obj=item,
        org=staff.org,
        actor=actor,
        changes={"kind": [None, kind], "name": [None, name]},
    )
    staff_recognise_dual(staff=staff, actor=actor)
    return item


@transaction.atomic
def practice_add(
    *,
    actor: Actor,
    staff: Staff,
    starts_on: date,
    ends_on: date,
    enterprise: OrgUnit | None = None,
    enterprise_name: str = "",
    content: str = "",
    evidence: UploadedFile | None = None,
) -> EnterprisePractice:
    policy.require(actor, "records.change_staff", staff.org)
    errors = {}
    if ends_on < starts_on:
        errors["ends_on"] = _("The end date is before the start date.")
    if ends_on > timezone.localdate():
        errors["ends_on"] = _("Record practice once it has ended.")
    if enterprise is not None and enterprise.kind != OrgKind.ENTERPRISE:
        errors["enterprise"] = _("Choose an enterprise.")
    enterprise_name, problem = clean_text_name(
        enterprise_name, label=_("Enterprise name"), max_length=200, required=False
    )
    if problem:
        errors["enterprise_name"] = problem
    elif enterprise is None and not enterprise_name:
        errors["enterprise_name"] = _("Name the enterprise.")
    if errors:
        raise ValidationFailed(details=errors)
    practice = EnterprisePractice(
        staff=staff,
        enterprise=enterprise,
        starts_on=starts_on,
        ends_on=ends_on,
        content=content,
        enterprise_name=enterprise_name.strip() or str(enterprise),
    )
    _attach(practice, evidence)
    practice.save()
    audit_record(
        action=AuditAction.CREATE,
        obj=practice,
        org=staff.org,
        actor=actor,
        changes={"starts_on": [None, str(starts_on)], "ends_on": [None, str(ends_on)]},
    )
    staff_recognise_dual(staff=staff, actor=actor)
    return practice


@transaction.atomic
def training_add(
    *, actor: Actor, staff: Staff, year: int, title: str, hours: Decimal
) -> TrainingRecord:
    policy.require(actor, "records.change_staff", staff.org)
    if not Decimal("0") < Decimal(hours) <= Decimal("2000"):
        raise ValidationFailed(details={"hours": _("Enter the hours, more than 0.")})
    title, problem = clean_text_name(title, label=_("Training"), max_length=200)
    if problem:
        raise ValidationFailed(details={"title": problem})
    if not title:
        raise ValidationFailed(details={"title": _("Name the training.")})
    record = TrainingRecord.objects.create(staff=staff, year=year, title=title.strip(), hours=hours)
    audit_record(
        action=AuditAction.CREATE,
        obj=record,
        org=staff.org,
        actor=actor,
        changes={"year": [None, year], "hours": [None, str(hours)]},
    )
    return record


# Dual-qualified teachers ---------------------------------------------------------------------


@transaction.atomic
def dual_rule_set(
    *,
    actor: Actor,
    school: OrgUnit,
    min_practice_months: int,
    within_years: int,
    accept_vocational_qualification: bool,
    accept_industry_title: bool = False,
) -> DualQualificationRule:
    require_school(school)
    policy.require(actor, "records.change_dualqualificationrule", school)
    if not 1 <= min_practice_months <= 60 or not 1 <= within_years <= 20:
        raise ValidationFailed(
            details={"min_practice_months": _("Use 1 to 60 months within 1 to 20 years.")}
        )
    rule, _created = DualQualificationRule.objects.update_or_create(
        org=school,
        defaults={
            "min_practice_months": min_practice_months,
            "within_years": within_years,
            "accept_vocational_qualification": accept_vocational_qualification,
            "accept_industry_title": accept_industry_title,
        },
    )
    audit_record(
        action=AuditAction.UPDATE,
        obj=rule,
        org=school,
        actor=actor,
        changes={
            "min_practice_months": [None, min_practice_months],
            "within_years": [None, within_years],
        },
    )
    return rule


def _months_between(start: date, end: date) -> float:
    return ((end - start).days + 1) / 30.44


def dual_qualification_reasons(staff: Staff, *, today: date | None = None) -> list[str]:
    """Which clauses of the school's rule the teacher meets (empty: not dual-qualified)."""
    if staff.post_type not in TEACHING_POSTS:
        return []
    rule = DualQualificationRule.objects.filter(org=staff.school).first() or DualQualificationRule(
        org=staff.school
    )
    today = today or timezone.localdate()
    # 29 February minus whole years falls back to the 28th.
    since = date(today.year - rule.within_years, today.month, min(today.day, 28))
    reasons = []
    months = sum(
        _months_between(max(p.starts_on, since), p.ends_on)
        for p in staff.practices.filter(ends_on__gte=since)
    )
    if months >= rule.min_practice_months:
        reasons.append("practice")
    qualifications = staff.qualifications.all()
    if rule.accept_vocational_qualification and any(
        q.kind == QualificationKind.VOCATIONAL
        and (not staff.field_code or q.field_code[:4] == staff.field_code[:4])
        for q in qualifications
    ):
        reasons.append("vocational_qualification")
    if rule.accept_industry_title and any(
        q.kind == QualificationKind.TITLE for q in qualifications
    ):
        reasons.append("industry_title")
    return reasons


@transaction.atomic
def staff_recognise_dual(*, actor: Actor, staff: Staff, today: date | None = None) -> Staff:
    """Recompute the dual-qualified flag from the rule and the evidence on record."""
    qualified = bool(dual_qualification_reasons(staff, today=today))
    if qualified == staff.is_dual_qualified:
        return staff
    staff.is_dual_qualified = qualified
    staff.dual_qualified_on = (today or timezone.localdate()) if qualified else None
    staff.save(update_fields=["is_dual_qualified", "dual_qualified_on", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE,
        obj=staff,
        org=staff.org,
        actor=actor,
        changes={"is_dual_qualified": [not qualified, qualified]},
    )
    return staff
