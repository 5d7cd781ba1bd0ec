"""Writes of industry: the enterprise library, posts, plans, placements (with the 2021
regulation's rules), check-ins, journals, evaluations and graduate destinations.

Each service checks the policy, validates, runs in one transaction and writes one audit entry.
"""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core import codes, policy
from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.core.roles import Role
from openvet.core.uploads import UploadLimits, UploadRefused, guard_size
from openvet.industry import evidence, permissions, rules
from openvet.industry.codes import Destination, EnterpriseSize, Industry, SalaryBand
from openvet.industry.daily_services import journal_cosign as journal_cosign  # one for both kinds
from openvet.industry.daily_services import journal_period_problem
from openvet.industry.models import (
    CheckIn,
    EnterpriseProfile,
    Evaluation,
    EvaluationSide,
    GraduateDestination,
    InternshipGrade,
    InternshipKind,
    InternshipPlan,
    InternshipPost,
    JobSkill,
    JobStandard,
    JobTask,
    Journal,
    Placement,
    PlacementStatus,
    PostApproval,
    PostStandard,
    PostStatus,
)
from openvet.industry.processes import POST_PROCESS, PROCESS, payload_for
from openvet.lrs import services as lrs
from openvet.workflow.selectors import instances_of_subject
from openvet.workflow.services import instance_start

POST_SUBJECT = "industry.internshippost"
AGREEMENT_LIMITS = UploadLimits(max_bytes=10 * 1024 * 1024)
MENTOR_ROLES = frozenset({Role.TEACHER, Role.COUNSELLOR, Role.DEPARTMENT_HEAD})
# Share of the grade given by each mentor's score.
SCHOOL_WEIGHT = Decimal("0.5")


def _invalid(errors: dict[str, str]) -> ValidationFailed:
    return ValidationFailed(" ".join(errors.values()), details=errors)


# --- Enterprise library -------------------------------------------------------------------


def _profile_errors(values: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if values.get("industry") not in Industry.values:
        errors["industry"] = _("Choose the industry.")
    if values.get("size") not in EnterpriseSize.values:
        errors["size"] = _("Choose the size of the enterprise.")
    if codes.region_code_problem(str(values.get("region_code", "")), "county"):
        errors["region_code"] = _("The region code is the 6 digits of a county or district.")
    if not str(values.get("address", "")).strip():
        errors["address"] = _("Give the address.")
    if not str(values.get("contact_name", "")).strip():
        errors["contact_name"] = _("Name the contact person.")
    if codes.phone_problem(str(values.get("contact_phone", ""))):
        errors["contact_phone"] = _("Give a mobile number or a landline with its area code.")
    if int(values.get("staff_count") or 0) < 1:
        errors["staff_count"] = _("Give the number of staff on the payroll.")
    return errors


@transaction.atomic
def enterprise_profile_save(
    *, actor: Actor, enterprise: OrgUnit, **values: Any
) -> EnterpriseProfile:
    """Create or update an enterprise's library entry (its own mentors keep it)."""
    if enterprise.kind != OrgKind.ENTERPRISE:
        raise NotFound()
    if not permissions.can_change_enterprise(actor, enterprise):
        raise PermissionDenied()
    problem = codes.credit_code_problem(enterprise.code)
    if problem:
        raise ValidationFailed(
            _("The enterprise's unified social credit code is not valid; correct it first."),
            details={"code": _("The check character of this credit code is wrong.")},
        )
    errors = _profile_errors(values)
    if errors:
        raise _invalid(errors)
    profile, created = EnterpriseProfile.objects.update_or_create(
        enterprise=enterprise, defaults=values
    )
    audit_record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=profile,
        org=enterprise,
        actor=actor,
        changes={k: [None, str(v)] for k, v in values.items() if k != "contact_phone"},
    )
    return profile


def _post_errors(values: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not str(values.get("title", "")).strip():
        errors["title"] = _("Name the post.")
    if not str(values.get("location", "")).strip():
        errors["location"] = _("Give the workplace address.")
    lat, lon = values.get("latitude"), values.get("longitude")
    if lat is None or not -90 <= float(lat) <= 90 or lon is None or not -180 <= float(lon) <= 180:
        errors["latitude"] = _("Give the workplace's latitude and longitude.")
    if int(values.get("intern_pay") or 0) < 0:
        errors["intern_pay"] = _("The pay cannot be negative.")
    if int(values.get("openings") or 0) < 1:
        errors["openings"] = _("Give at least one opening.")
    if int(values.get("same_post_staff") or 0) < 1:
        errors["same_post_staff"] = _("Give the number of staff in the same post.")
    if int(values.get("staff_wage") or 0) < 1:
        errors["staff_wage"] = _("Give the monthly wage of staff in this post.")
    if not 1 <= int(values.get("physical_intensity") or 0) <= 4:
        errors["physical_intensity"] = _("The labour intensity grade is from I to IV.")
    return errors


@transaction.atomic
def post_publish(
    *, actor: Actor, enterprise: OrgUnit, school: OrgUnit | None, **values: Any
) -> InternshipPost:
    """An enterprise publishes an internship post for a partner school (its library entry must
    exist); the post awaits that school's approval (process ``industry.post_approval``) before
    it appears under the school's name or takes placements (ADR 0606)."""
    if enterprise.kind != OrgKind.ENTERPRISE:
        raise NotFound()
    if not permissions.can_publish_post(actor, enterprise):
        raise PermissionDenied()
    if not EnterpriseProfile.objects.filter(enterprise=enterprise).exists():
        raise ValidationFailed(_("Complete the enterprise's profile before publishing posts."))
    errors = _post_errors(values)
    if school is None or school.kind != OrgKind.SCHOOL or not school.is_active:
        errors["school"] = _("Choose the school the post is published for.")
    if errors or school is None:
        raise _invalid(errors)
    values = {**values, "shifts": str(values.get("shifts", "")).strip()}
    values["skills"] = str(values.get("skills", "")).strip()
    post = InternshipPost.objects.create(
        org=enterprise, school=school, approval=PostApproval.PENDING, **values
    )
    audit_record(
        action=AuditAction.CREATE,
        obj=post,
        org=enterprise,
        actor=actor,
        changes={"title": [None, post.title], "school": [None, school.pk]},
    )
    instance_start(
        actor=actor,
        code=POST_PROCESS,
        subject_type=POST_SUBJECT,
        subject_id=post.pk,
        title=f"{enterprise.name} · {post.title}",
        org=school,
    )
    return post


def post_approval_of(post: InternshipPost) -> Any:
    """The latest approval request of a post (None for a post published before approvals)."""
    return (
        instances_of_subject(subject_type=POST_SUBJECT, subject_id=post.pk).order_by("-pk").first()
    )


# --- Plans and placements -------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    actor: Actor,
    class_unit: OrgUnit,
    name: str,
    kind: str,
    start_date: date,
    end_date: date,
    objectives: str,
    longer_allowed: bool = False,
    filing_reference: str = "",
    out_of_province_approval: str = "",
    safety_training_on: date | None = None,
    emergency_plan: str = "",
) -> InternshipPlan:
    if class_unit.kind != OrgKind.CLASS:
        raise NotFound()
    if not permissions.can_manage_placements(actor, class_unit):
        raise PermissionDenied()
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Name the plan.")
    if kind not in InternshipKind.values:
        errors["kind"] = _("Choose the kind of internship.")
    if end_date < start_date:
        errors["end_date"] = _("The end date is before the start date.")
    if not objectives.strip():
        errors["objectives"] = _("Give the learning objectives.")
    if errors:
        raise _invalid(errors)
    plan = InternshipPlan.objects.create(
        org=class_unit,
        name=name.strip(),
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        objectives=objectives.strip(),
        longer_allowed=longer_allowed,
        filing_reference=filing_reference.strip(),
        out_of_province_approval=out_of_province_approval.strip(),
        safety_training_on=safety_training_on,
        emergency_plan=emergency_plan.strip(),
    )
    audit_record(action=AuditAction.CREATE, obj=plan, org=class_unit, actor=actor)
    return plan


def _is_pdf(file: UploadedFile) -> bool:
    """A PDF starts with the ``%PDF-`` header and ends with an ``%%EOF`` marker (ISO 32000-1
    §7.5.2 and §7.5.5); a renamed document or image has neither."""
    file.seek(0)
    head = file.read(1024)
    file.seek(max(0, (file.size or 0) - 1024))
    tail = file.read()
    file.seek(0)
    return head.lstrip()[:5] == b"%PDF-" and b"%%EOF" in tail


def _check_agreement(agreement: UploadedFile | None, field: str = "agreement") -> None:
    if agreement is None:
        return
    guard_size(agreement, limits=AGREEMENT_LIMITS, field=field)
    if not _is_pdf(agreement):
        message = (
            _("The three-party agreement must be a PDF file (scan the signed agreement to PDF).")
            if field == "agreement"
            else _("The informed consent must be a PDF file (scan the signed form to PDF).")
        )
        raise UploadRefused(message, field=field)


def _major_category(major_id: int) -> str:
    """专业大类: the first two digits of a six-digit major code (专业目录 2021)."""
    code = OrgUnit.objects.filter(pk=major_id).values_list("code", flat=True).first() or ""
    return code[:2] if len(code) == 6 and code[:2].isdigit() else ""


def _post_major_categories(post: InternshipPost) -> frozenset[str]:
    link = PostStandard.objects.filter(post=post).first()
    if link is None:
        return frozenset()
    codes_ = link.standard.majors.values_list("code", flat=True)
    return frozenset(c[:2] for c in codes_ if len(c) == 6 and c[:2].isdigit())


def _province_of(school: OrgUnit) -> str:
    """The two-digit province code of the school (GB/T 2260), from its province above it."""
    node: OrgUnit | None = school
    while node is not None and node.kind != OrgKind.PROVINCE:
        node = node.parent
    return node.code[:2] if node is not None else ""


def _year_of_study(student: Any, day: date) -> int:
    """The year of study on ``day``: the school year starts in September."""
    return day.year - int(student.grade_year) + (1 if day.month >= 9 else 0)


def _overlapping(queryset: Any, start: date, end: date) -> int:
    return int(
        queryset.filter(
            status=PlacementStatus.ACTIVE, start_date__lte=end, end_date__gte=start
        ).count()
    )


def _mentor_errors(
    school: OrgUnit, enterprise: OrgUnit, school_mentor: Any, enterprise_mentor: Any
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if school_mentor is not None and not any(
        g.role in MENTOR_ROLES and g.org_path.startswith(school.path)
        for g in policy.current_grants(school_mentor)
    ):
        errors["school_mentor"] = _("The school mentor must be a teacher of this school.")
    if enterprise_mentor is not None and not any(
        g.role == Role.ENTERPRISE_MENTOR and g.org_path == enterprise.path
        for g in policy.current_grants(enterprise_mentor)
    ):
        errors["enterprise_mentor"] = _("The enterprise mentor must be a mentor of the enterprise.")
    return errors


@transaction.atomic
def placement_create(
    *,
    actor: Actor,
    plan: InternshipPlan,
    student: Any,
    post: InternshipPost,
    start_date: date,
    end_date: date,
    school_mentor: Any,
    enterprise_mentor: Any,
    monthly_pay: int,
    fees_charged: int = 0,
    agreement: UploadedFile | None,
    insurance_policy: str,
    insurance_start: date | None,
    insurance_end: date | None,
    consent: UploadedFile | None = None,
) -> Placement:
    """Place a student of the plan's class at a post; every rule broken is named at once."""
    from openvet.industry.services_library import enterprise_assessed

    if not permissions.can_manage_placements(actor, plan.org):
        raise PermissionDenied()
    # The post's row is locked so that two placements at once cannot both pass the share rule.
    post = InternshipPost.objects.select_for_update().select_related("org").get(pk=post.pk)
    profile = EnterpriseProfile.objects.filter(enterprise=post.org).first()
    errors: dict[str, str] = {}
    if student.class_unit_id != plan.org_id:
        errors["student"] = _("The student is not in the plan's class.")
    if post.status != PostStatus.OPEN or profile is None:
        errors["post"] = _("This post is not open.")
    elif post.approval != PostApproval.APPROVED or post.school_id != student.school_id:
        errors["post"] = _("Your school has not approved this post; approve it first.")
    if end_date < start_date or start_date < plan.start_date or end_date > plan.end_date:
        errors["end_date"] = _("The placement must fall within the plan's period.")
    elif _overlapping(Placement.objects.filter(student=student), start_date, end_date):
        errors["student"] = _(
            "The student is already placed over these dates; end or change that placement first."
        )
    school = OrgUnit.objects.get(pk=student.school_id)
    errors.update(_mentor_errors(school, post.org, school_mentor, enterprise_mentor))
    if errors or profile is None:
        raise _invalid(errors)
    _check_agreement(agreement)
    _check_agreement(consent, field="consent")
    placed = Placement.objects.filter(enterprise=post.org)
    facts = rules.PlacementFacts(
        is_post_internship=plan.kind == InternshipKind.POST,
        start=start_date,
        end=end_date,
        longer_allowed=plan.longer_allowed,
        year_of_study=_year_of_study(student, start_date),
        birth_date=student.birth_date,
        is_female=student.gender == "2",
        post_minor_forbidden=post.minor_forbidden,
        post_female_forbidden=post.female_forbidden,
        post_intensity=post.physical_intensity,
        post_high_risk=post.high_risk,
        post_night_shifts=post.night_shifts,
        enterprise_entertainment=profile.is_entertainment_venue,
        enterprise_agency=profile.is_agency,
        enterprise_staff=profile.staff_count,
        enterprise_interns=_overlapping(placed, start_date, end_date),
        post_staff=post.same_post_staff,
        post_interns=_overlapping(placed.filter(post=post), start_date, end_date),
        staff_wage=post.staff_wage,
        monthly_pay=monthly_pay,
        fees_charged=fees_charged,
        has_agreement=agreement is not None,
        insurance_policy=insurance_policy,
        insurance_start=insurance_start,
        insurance_end=insurance_end,
        has_school_mentor=school_mentor is not None,
        has_enterprise_mentor=enterprise_mentor is not None,
        student_major_category=_major_category(student.major_id),
        post_major_categories=_post_major_categories(post),
        has_consent=consent is not None,
        filing_reference=plan.filing_reference,
        out_of_province=_province_of(school) != profile.region_code[:2],
        out_of_province_approval=plan.out_of_province_approval,
        safety_training_on=plan.safety_training_on,
        has_emergency_plan=bool(plan.emergency_plan.strip()),
        enterprise_assessed=enterprise_assessed(school, post.org),
    )
    breaches = rules.placement_breaches(facts)
    if breaches:
        details: dict[str, str] = {}
        for breach in breaches:
            details[breach.field] = " ".join(
                filter(None, [details.get(breach.field), breach.text()])
            )
        raise ValidationFailed(
            _("This placement breaks the internship regulation: %(rules)s")
            % {"rules": " ".join(b.text() for b in breaches)},
            code="internship_rule",
            details=details,
        )
    try:
        with transaction.atomic():
            placement = Placement.objects.create(
                org=plan.org,
                plan=plan,
                student=student,
                post=post,
                enterprise=post.org,
                start_date=start_date,
                end_date=end_date,
                school_mentor=school_mentor,
                enterprise_mentor=enterprise_mentor,
                monthly_pay=monthly_pay,
                fees_charged=fees_charged,
                agreement=agreement,
                insurance_policy=insurance_policy.strip(),
                # Not None here: rule R17 refuses a placement without them.
                insurance_start=cast(date, insurance_start),
                insurance_end=cast(date, insurance_end),
            )
    except IntegrityError as exc:
        raise Conflict(_("The student already has a placement in this plan.")) from exc
    audit_record(
        action=AuditAction.CREATE,
        obj=placement,
        org=plan.org,
        actor=actor,
        changes={"post": [None, post.pk], "student": [None, student.pk]},
    )
    return placement


# --- Evidence: check-ins, journals, evaluations ---------------------------------------------


def active_placement_of(student: Any, day: date) -> Placement | None:
    return (
        Placement.objects.filter(
            student=student,
            status=PlacementStatus.ACTIVE,
            start_date__lte=day,
            end_date__gte=day,
        )
        .select_related("post", "enterprise")
        .first()
    )


# The check-in's judgement, shared with the lean check-in route (``checkin_hotpath``), so both
# answer alike.
def no_placement_refusal() -> ValidationFailed:
    return ValidationFailed(_("You have no internship in progress today."), code="no_placement")


def already_checked_in() -> Conflict:
    return Conflict(_("You have already checked in today."))


def checkin_distance(
    post_latitude: Decimal, post_longitude: Decimal, latitude: float, longitude: float
) -> float:
    """The distance to the workplace; a refusal when farther than ``far_checkin_m``."""
    distance = evidence.distance_m(float(post_latitude), float(post_longitude), latitude, longitude)
    far = rules.rule_settings()["far_checkin_m"]
    if distance > far:
        raise ValidationFailed(
            _("You are %(distance)s m from your workplace; check in within %(far)s m of it.")
            % {"distance": round(distance), "far": far},
            code="far_checkin",
        )
    return distance


@transaction.atomic
def checkin_record(
    *,
    actor: Actor,
    student: Any,
    latitude: float,
    longitude: float,
    device: str = "",
    at: datetime | None = None,
) -> CheckIn:
    """The student's check-in of the day at their workplace; refused when far from it."""
    if student.user_id != getattr(actor, "pk", None):
        raise PermissionDenied()
    at = at or timezone.now()
    placement = active_placement_of(student, timezone.localdate(at))
    if placement is None:
        raise no_placement_refusal()
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValidationFailed(
            _("The location is not valid."), details={"latitude": _("The location is not valid.")}
        )
    distance = checkin_distance(
        placement.post.latitude, placement.post.longitude, latitude, longitude
    )
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                placement=placement,
                at=at,
                day=timezone.localdate(at),
                latitude=Decimal(f"{latitude:.6f}"),
                longitude=Decimal(f"{longitude:.6f}"),
                distance_m=round(distance),
                device=device[:64],
            )
    except IntegrityError as exc:
        raise already_checked_in() from exc
    lrs.record_learning_event(
        user_id=actor.pk,
        verb="attended",
        object_type="industry.placement",
        object_id=placement.pk,
        result={"distance_m": checkin.distance_m},
        school_id=student.school_id,
    )
    return checkin


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


@transaction.atomic
def journal_submit(
    *, actor: Actor, placement: Placement, week_start: date, text: str, on: date | None = None
) -> Journal:
    """The intern's journal of a week; ``on`` is the day it is written (today; the demo
    replays the weeks past, each written at its end)."""
    if placement.student.user_id != getattr(actor, "pk", None):
        raise PermissionDenied()
    week = _monday(week_start)
    problem = journal_period_problem(placement, week, week + timedelta(days=6), on)
    if problem:
        raise ValidationFailed(problem, details={"week_start": problem})
    if len(text.strip()) < 20:
        raise ValidationFailed(
            _("Write at least 20 characters about the week."),
            details={"text": _("Write at least 20 characters about the week.")},
        )
    try:
        with transaction.atomic():
            journal = Journal.objects.create(
                placement=placement, week_start=week, text=text.strip()
            )
    except IntegrityError as exc:
        raise Conflict(_("The journal of this week is already written.")) from exc
    lrs.record_learning_event(
        user_id=actor.pk, verb="reported", object_type="industry.journal", object_id=journal.pk
    )
    return journal


def grade_of(score: Decimal) -> str:
    if score >= 90:
        return InternshipGrade.EXCELLENT
    if score >= 80:
        return InternshipGrade.GOOD
    if score >= 60:
        return InternshipGrade.PASS
    return InternshipGrade.FAIL


@transaction.atomic
def evaluation_record(
    *, actor: Actor, placement: Placement, score: int, comment: str
) -> Evaluation:
    """A mentor's end evaluation; with both, the placement gets its grade (R22: process
    records first, so a placement without a journal cannot be graded)."""
    if permissions.is_school_mentor(actor, placement):
        side = EvaluationSide.SCHOOL
    elif permissions.is_enterprise_mentor(actor, placement):
        side = EvaluationSide.ENTERPRISE
    else:
        raise PermissionDenied()
    errors: dict[str, str] = {}
    if not 0 <= score <= 100:
        errors["score"] = _("The score is from 0 to 100.")
    if not comment.strip():
        errors["comment"] = _("Write a comment on the internship.")
    if errors:
        raise _invalid(errors)
    if not placement.journals.exists():
        raise ValidationFailed(
            _("The internship has no journal yet: it is assessed on its process records too."),
            code="no_journals",
        )
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                placement=placement,
                side=side,
                score=score,
                comment=comment.strip(),
                evaluator_id=actor.pk,
            )
    except IntegrityError as exc:
        raise Conflict(_("You have already evaluated this internship.")) from exc
    scores = dict(placement.evaluations.values_list("side", "score"))
    if len(scores) == 2:
        total = Decimal(scores[EvaluationSide.SCHOOL]) * SCHOOL_WEIGHT + Decimal(
            scores[EvaluationSide.ENTERPRISE]
        ) * (1 - SCHOOL_WEIGHT)
        placement.grade = grade_of(total)
        placement.save(update_fields=["grade"])
    audit_record(
        action=AuditAction.CREATE,
        obj=evaluation,
        org=placement.org,
        actor=actor,
        object_label=str(placement),
        changes={"score": [None, score]},
    )
    lrs.record_learning_event(
        user_id=placement.student.user_id,
        verb="scored",
        object_type="industry.evaluation",
        object_id=evaluation.pk,
        result={"score": score, "side": side},
    )
    return evaluation


# --- Employment -------------------------------------------------------------------------------


@transaction.atomic
def destination_record(
    *,
    actor: Actor,
    student: Any,
    graduation_year: int,
    destination: str,
    employer: str = "",
    region_code: str = "",
    salary_band: str = "",
    related_to_major: bool | None = None,
    employer_unit: OrgUnit | None = None,
    industry: str = "",
    employer_code: str = "",
    placed_on: date | None = None,
    note: str = "",
    source: str = "page",
) -> GraduateDestination:
    """Record or correct where a graduate went; ``employer_unit`` (an enterprise of the
    library) lets its mentors answer the employer survey, ``industry`` (GB/T 4754 section)
    feeds the flows. Each save keeps a revision (ADR 0627) and an audit entry."""
    org = OrgUnit.objects.get(pk=student.org_id)
    if not policy.has_capability(actor, permissions.RECORD_EMPLOYMENT, org):
        raise PermissionDenied()
    employer_code = employer_code.strip().upper()
    if employer_unit is not None and employer_unit.kind == OrgKind.ENTERPRISE:
        employer, employer_code = employer_unit.name, employer_unit.code
    errors = destination_problems(
        destination=destination,
        salary_band=salary_band,
        employer_unit=employer_unit,
        industry=industry,
        region_code=region_code,
        graduation_year=graduation_year,
        employer_code=employer_code,
        placed_on=placed_on,
    )
    if errors:
        raise _invalid(errors)
    values = {
        "graduation_year": graduation_year,
        "destination": destination,
        "employer": employer.strip(),
        "employer_code": employer_code,
        "region_code": region_code,
        "salary_band": salary_band,
        "related_to_major": related_to_major,
        "employer_unit": employer_unit,
        "industry": industry,
        "placed_on": placed_on,
    }
    before = GraduateDestination.objects.select_for_update().filter(student=student).first()
    row, created = GraduateDestination.objects.update_or_create(
        student=student, defaults={"org": org, **values}
    )
    _revision_add(row, actor, values, source=source, note=note)
    audit_record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=row,
        org=org,
        actor=actor,
        changes={"destination": [before.destination if before else None, destination]},
    )
    return row


def destination_problems(
    *,
    destination: str,
    salary_band: str,
    employer_unit: OrgUnit | None,
    industry: str,
    region_code: str,
    graduation_year: int,
    employer_code: str,
    placed_on: date | None,
    employer: str = "",
    related_to_major: bool | None = None,
) -> dict[str, str]:
    """The problems of a destination's values by field (empty when they are good)."""
    del employer, related_to_major  # free text and a yes/no: nothing to check
    errors: dict[str, str] = {}
    if destination not in Destination.values:
        errors["destination"] = _("Choose the destination.")
    if salary_band and salary_band not in SalaryBand.values:
        errors["salary_band"] = _("Choose the salary band.")
    if employer_unit is not None and employer_unit.kind != OrgKind.ENTERPRISE:
        errors["employer_unit"] = _("Choose an enterprise of the library.")
    if industry and industry not in Industry.values:
        errors["industry"] = _("Choose the industry.")
    if (
        region_code
        and codes.region_code_problem(region_code, "county")
        and codes.region_code_problem(region_code, "city")
    ):
        errors["region_code"] = _("The region code is 6 digits.")
    if employer_code and codes.credit_code_problem(employer_code):
        errors["employer_code"] = _(
            "The unified social credit code is 18 characters and its last one is a check "
            "character; check it against the business licence."
        )
    if not 2000 <= graduation_year <= 2100:
        errors["graduation_year"] = _("Give the year of graduation.")
    if placed_on is not None and placed_on > timezone.localdate():
        errors["placed_on"] = _("The date cannot be in the future.")
    return errors


def _revision_add(
    row: GraduateDestination, actor: Actor, values: dict[str, Any], *, source: str, note: str
) -> None:
    from openvet.industry.models_destinations import DestinationRevision

    unit = values["employer_unit"]
    placed = values["placed_on"]
    DestinationRevision.objects.create(
        destination=row,
        kind=values["destination"],
        employer=values["employer"],
        values={
            **{k: v for k, v in values.items() if k not in {"employer_unit", "placed_on"}},
            "employer_unit": unit.pk if unit is not None else None,
            "placed_on": placed.isoformat() if placed else None,
        },
        source=source,
        note=note.strip()[:200],
        recorded_by_id=actor.pk,
    )


# --- Change or end of a placement, asked by the student -------------------------------------

CHANGE_ACTIONS = frozenset({"change", "end"})


@transaction.atomic
def placement_change_request(
    *, actor: Actor, placement: Placement, action: str, last_day: date, reason: str
) -> Any:
    """The student asks to change post or end early; the school decides through approval."""
    if placement.student.user_id != getattr(actor, "pk", None):
        raise PermissionDenied()
    errors: dict[str, str] = {}
    if action not in CHANGE_ACTIONS:
        errors["action"] = _("Choose what you ask for.")
    if not placement.start_date <= last_day <= placement.end_date:
        errors["last_day"] = _("The last day must fall within the internship period.")
    if len(reason.strip()) < 5:
        errors["reason"] = _("Say why you ask.")
    if placement.status != PlacementStatus.ACTIVE:
        errors["action"] = _("This internship has already ended.")
    if errors:
        raise _invalid(errors)
    return instance_start(
        actor=actor,
        code=PROCESS,
        subject_type="industry.placement",
        subject_id=placement.pk,
        title=f"{placement.student.name} · {placement.enterprise.name}",
        org=placement.org,
        payload=payload_for(action, last_day, reason.strip()),
    )


# --- Job-skill standards (ADR 0607) -----------------------------------------------------------

OCCUPATION_CODE = re.compile(r"^[1-8]-\d{2}-\d{2}-\d{2}$")


def _standard_school(actor: Actor, school: OrgUnit) -> None:
    if school.kind != OrgKind.SCHOOL:
        raise NotFound()
    if not permissions.can_change_standard(actor, school):
        raise PermissionDenied()


@transaction.atomic
def standard_create(
    *,
    actor: Actor,
    school: OrgUnit,
    name: str,
    occupation_code: str = "",
    enterprise: OrgUnit | None = None,
    majors: list[OrgUnit] | None = None,
    certificates: str = "",
    description: str = "",
) -> JobStandard:
    """A school's job-skill standard, linked to its majors (and the co-building enterprise)."""
    _standard_school(actor, school)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Name the job.")
    code = occupation_code.strip()
    if code and not OCCUPATION_CODE.match(code):
        errors["occupation_code"] = _(
            "The occupation code reads like 6-18-01-01 (category, then three two-digit parts)."
        )
    if enterprise is not None and enterprise.kind != OrgKind.ENTERPRISE:
        errors["enterprise"] = _("Choose an enterprise of the library.")
    majors = list(majors or [])
    if any(m.kind != OrgKind.MAJOR or not m.path.startswith(school.path) for m in majors):
        errors["majors"] = _("Choose majors of this school.")
    if JobStandard.objects.filter(org=school, name=name.strip()).exists():
        errors["name"] = _("The school already has a standard for this job.")
    if errors:
        raise _invalid(errors)
    standard = JobStandard.objects.create(
        org=school,
        name=name.strip(),
        occupation_code=code,
        enterprise=enterprise,
        certificates="\n".join(line.strip() for line in certificates.splitlines() if line.strip()),
        description=description.strip(),
    )
    standard.majors.set(majors)
    audit_record(action=AuditAction.CREATE, obj=standard, org=school, actor=actor)
    return standard


@transaction.atomic
def standard_task_add(*, actor: Actor, standard: JobStandard, name: str) -> JobTask:
    _standard_school(actor, standard.org)
    if not name.strip():
        raise _invalid({"name": _("Name the work task.")})
    task, created = JobTask.objects.get_or_create(standard=standard, name=name.strip())
    if not created:
        raise Conflict(_("The job already has this task."))
    audit_record(action=AuditAction.CREATE, obj=task, org=standard.org, actor=actor)
    return task


@transaction.atomic
def standard_skill_add(
    *,
    actor: Actor,
    standard: JobStandard,
    name: str,
    task: JobTask | None = None,
    courses: list[Any] | None = None,
) -> JobSkill:
    """A skill of the job and the school's courses that teach it."""
    _standard_school(actor, standard.org)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Name the skill.")
    if task is not None and task.standard_id != standard.pk:
        errors["task"] = _("Choose a task of this job.")
    courses = list(courses or [])
    if any(c.org_id != standard.org_id for c in courses):
        errors["courses"] = _("Choose courses of this school.")
    if errors:
        raise _invalid(errors)
    skill, created = JobSkill.objects.get_or_create(
        standard=standard, name=name.strip(), defaults={"task": task}
    )
    if not created:
        raise Conflict(_("The job already has this skill."))
    skill.courses.set(courses)
    audit_record(
        action=AuditAction.CREATE,
        obj=skill,
        org=standard.org,
        actor=actor,
        changes={"courses": [None, [c.pk for c in courses]]},
    )
    return skill
