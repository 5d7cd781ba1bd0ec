"""Writes of the graduate and employer surveys (ADR 0623).

A round's cohort is the school's graduates of its year with a recorded destination. A graduate
answers once, only about themself; a mentor of the enterprise recorded as the graduate's
employer answers once about that graduate. Each write is one transaction and one audit entry.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.industry import permissions
from openvet.industry.codes import SalaryBand
from openvet.industry.models import GraduateDestination
from openvet.industry.models_surveys import (
    RespondentSide,
    SurveyMilestone,
    SurveyResponse,
    SurveyRound,
)


def _invalid(errors: dict[str, str]) -> ValidationFailed:
    return ValidationFailed(" ".join(errors.values()), details=errors)


def _score_errors(values: dict[str, int | None]) -> dict[str, str]:
    return {
        field: _("Give a score from 1 to 5.")
        for field, value in values.items()
        if not 1 <= int(value or 0) <= 5
    }


@transaction.atomic
def round_create(
    *, actor: Actor, school: OrgUnit, graduation_year: int, milestone: str, closes_on: date
) -> SurveyRound:
    """A school opens a round for its graduates of a year, six months or a year on."""
    if school.kind != OrgKind.SCHOOL or not policy.has_capability(
        actor, permissions.MANAGE_SURVEY, school
    ):
        raise PermissionDenied()
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if milestone not in SurveyMilestone.values:
        errors["milestone"] = _("Choose six months or one year after graduation.")
    if not today.year - 3 <= int(graduation_year or 0) <= today.year:
        errors["graduation_year"] = _("Choose a graduation year of the last three years.")
    if closes_on < today:
        errors["closes_on"] = _("The round must close today or later.")
    if errors:
        raise _invalid(errors)
    try:
        with transaction.atomic():
            survey = SurveyRound.objects.create(
                org=school,
                graduation_year=graduation_year,
                milestone=milestone,
                closes_on=closes_on,
                created_by_id=actor.pk,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("The school already has this round for the graduates of %(year)s.")
            % {"year": graduation_year}
        ) from exc
    audit_record(action=AuditAction.CREATE, obj=survey, org=school, actor=actor)
    return survey


def _open(survey: SurveyRound) -> None:
    if survey.closes_on < timezone.localdate():
        raise ValidationFailed(_("This survey round is closed."), code="survey_closed")


def cohort_of(survey: SurveyRound) -> QuerySet[GraduateDestination]:
    school = OrgUnit.objects.get(pk=survey.org_id)
    return GraduateDestination.objects.filter(
        org__path__startswith=school.path, graduation_year=survey.graduation_year
    )


def _save(survey: SurveyRound, **values: object) -> SurveyResponse:
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(round=survey, **values)
    except IntegrityError as exc:
        raise Conflict(_("This survey was already answered; an answer is given once.")) from exc
    return response


@transaction.atomic
def graduate_answer(
    *,
    actor: Actor,
    survey: SurveyRound,
    job_satisfaction: int,
    major_relevance: int,
    salary_band: str,
    comment: str = "",
) -> SurveyResponse:
    """The signed-in graduate answers about their own job, once."""
    destination = (
        cohort_of(survey).filter(student__user_id=actor.pk).select_related("student").first()
    )
    if destination is None:
        raise NotFound()
    _open(survey)
    errors = _score_errors(
        {"job_satisfaction": job_satisfaction, "major_relevance": major_relevance}
    )
    if salary_band not in SalaryBand.values:
        errors["salary_band"] = _("Choose the salary band.")
    if errors:
        raise _invalid(errors)
    response = _save(
        survey,
        student=destination.student,
        side=RespondentSide.GRADUATE,
        respondent_id=actor.pk,
        job_satisfaction=int(job_satisfaction),
        major_relevance=int(major_relevance),
        salary_band=salary_band,
        comment=comment.strip(),
    )
    audit_record(action=AuditAction.CREATE, obj=response, org=survey.org, actor=actor)
    return response


def employed_by(actor: Actor, destination: GraduateDestination) -> bool:
    """Whether ``actor`` speaks for the graduate's employer: a mentor of that enterprise."""
    unit = destination.employer_unit
    return unit is not None and permissions.can_change_enterprise(actor, unit)


@transaction.atomic
def employer_answer(
    *,
    actor: Actor,
    survey: SurveyRound,
    student_id: int,
    skills_rating: int,
    would_hire_again: bool,
    comment: str = "",
) -> SurveyResponse:
    """A mentor of the employing enterprise rates a graduate it employs, once."""
    destination = (
        cohort_of(survey)
        .filter(student_id=student_id)
        .select_related("student", "employer_unit")
        .first()
    )
    if destination is None or not employed_by(actor, destination):
        raise NotFound()
    _open(survey)
    errors = _score_errors({"skills_rating": skills_rating})
    if errors:
        raise _invalid(errors)
    response = _save(
        survey,
        student=destination.student,
        side=RespondentSide.EMPLOYER,
        respondent_id=actor.pk,
        skills_rating=int(skills_rating),
        would_hire_again=bool(would_hire_again),
        comment=comment.strip(),
    )
    audit_record(action=AuditAction.CREATE, obj=response, org=survey.org, actor=actor)
    return response
