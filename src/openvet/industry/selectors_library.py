"""Reads of the enterprise library's completion, the surveys and the region roll-ups
(ADR 0620–0624). Every read is scoped: the library by the view capability, surveys and
employment by the caller's subtree (a school its own, a city or province the schools below)."""

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.db import models
from django.db.models import Avg, Count, Q, QuerySet

from openvet.core import policy
from openvet.core.errors import NotFound
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.pii import PiiKind, mask
from openvet.core.policy import Actor
from openvet.industry import permissions
from openvet.industry.codes import NOT_PLACED, Industry
from openvet.industry.models import GraduateDestination
from openvet.industry.models_library import (
    EnterpriseAssessment,
    EnterpriseContact,
    EnterpriseDocument,
    EnterpriseRating,
)
from openvet.industry.models_surveys import RespondentSide, SurveyResponse, SurveyRound
from openvet.industry.selectors import RateRow, destination_list_for
from openvet.industry.services_surveys import cohort_of

Entry = TypeVar("Entry", bound=models.Model)

# --- The enterprise library -----------------------------------------------------------------


@dataclass(frozen=True)
class ContactRow:
    contact: EnterpriseContact
    phone: str  # masked (138****5678)


def contacts_of(enterprise: OrgUnit) -> list[ContactRow]:
    return [
        ContactRow(c, mask(PiiKind.MOBILE, c.phone))
        for c in EnterpriseContact.objects.filter(enterprise=enterprise)
    ]


def _library_entry(model: type[Entry], *, actor: Actor, pk: int) -> Entry:
    """One entry of an enterprise's library (a contact, a document), or 404 for a caller who
    may not read the library; the caller's views check the enterprise's school next."""
    if not policy.has_capability(actor, permissions.VIEW_ENTERPRISE):
        raise NotFound()
    found = model._default_manager.filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def contact_get_for(*, actor: Actor, contact_id: int) -> EnterpriseContact:
    return _library_entry(EnterpriseContact, actor=actor, pk=contact_id)


@dataclass(frozen=True)
class DocumentRow:
    document: EnterpriseDocument
    expired: bool


def documents_of(enterprise: OrgUnit, today: date) -> list[DocumentRow]:
    return [
        DocumentRow(d, d.expires_on is not None and d.expires_on < today)
        for d in EnterpriseDocument.objects.filter(enterprise=enterprise)
    ]


def document_get_for(*, actor: Actor, document_id: int) -> EnterpriseDocument:
    return _library_entry(EnterpriseDocument, actor=actor, pk=document_id)


@dataclass(frozen=True)
class RatingSummary:
    count: int
    placement_quality: float | None
    safety: float | None
    mentor_support: float | None

    @property
    def average(self) -> float | None:
        values = [v for v in (self.placement_quality, self.safety, self.mentor_support) if v]
        return round(sum(values) / len(values), 1) if values else None


def rating_summary(enterprise: OrgUnit) -> RatingSummary:
    found = EnterpriseRating.objects.filter(enterprise=enterprise).aggregate(
        count=Count("pk"),
        quality=Avg("placement_quality"),
        safety=Avg("safety"),
        mentor=Avg("mentor_support"),
    )

    def one(value: Any) -> float | None:
        return round(float(value), 1) if value is not None else None

    return RatingSummary(
        found["count"], one(found["quality"]), one(found["safety"]), one(found["mentor"])
    )


def ratings_of(enterprise: OrgUnit) -> QuerySet[EnterpriseRating]:
    return EnterpriseRating.objects.filter(enterprise=enterprise).select_related("school")


def rating_schools_for(*, actor: Actor) -> list[OrgUnit]:
    """The schools in whose name ``actor`` may rate enterprises."""
    paths = policy.capability_paths(actor, permissions.RATE_ENTERPRISE)
    schools = OrgUnit.objects.filter(kind=OrgKind.SCHOOL).order_by("name")
    return [s for s in schools if any(s.path.startswith(p) or p.startswith(s.path) for p in paths)]


def assessments_of(*, actor: Actor, enterprise: OrgUnit) -> QuerySet[EnterpriseAssessment]:
    """The on-site assessments of an enterprise by the schools ``actor`` works for."""
    return policy.scope(
        EnterpriseAssessment.objects.filter(enterprise=enterprise),
        actor,
        permissions.VIEW_ENTERPRISE,
        path_field="school__path",
    ).select_related("school")


# --- Surveys --------------------------------------------------------------------------------


def round_list_for(*, actor: Actor) -> QuerySet[SurveyRound]:
    return policy.scope(SurveyRound.objects.all(), actor, permissions.VIEW_SURVEY).select_related(
        "org"
    )


def round_get_for(*, actor: Actor, round_id: int) -> SurveyRound:
    found = round_list_for(actor=actor).filter(pk=round_id).first()
    if found is None:
        raise NotFound()
    return found


@dataclass(frozen=True)
class SurveyRow:
    major: str
    graduates: int
    graduate_answers: int
    employer_answers: int
    satisfaction: float | None
    relevance: float | None
    skills: float | None

    @property
    def response_rate(self) -> float:
        return round(100 * self.graduate_answers / self.graduates, 1) if self.graduates else 0.0

    @property
    def response_rate_text(self) -> str:
        """The rate as pages write rates: one decimal and a percent sign (ADR 0309)."""
        return f"{self.response_rate:.1f}%"


def survey_results(survey: SurveyRound) -> list[SurveyRow]:
    """Per major: the cohort, answers of each side, response rate and average scores."""
    cohort = dict(
        cohort_of(survey)
        .values("student__major__name")
        .annotate(n=Count("pk"))
        .values_list("student__major__name", "n")
    )
    answers = (
        SurveyResponse.objects.filter(round=survey)
        .values("student__major__name")
        .annotate(
            graduates=Count("pk", filter=Q(side=RespondentSide.GRADUATE)),
            employers=Count("pk", filter=Q(side=RespondentSide.EMPLOYER)),
            satisfaction=Avg("job_satisfaction"),
            relevance=Avg("major_relevance"),
            skills=Avg("skills_rating"),
        )
    )
    by_major = {a["student__major__name"]: a for a in answers}

    def one(value: Any) -> float | None:
        return round(float(value), 1) if value is not None else None

    rows = []
    for major in sorted(cohort, key=lambda m: m or ""):
        a = by_major.get(major, {})
        rows.append(
            SurveyRow(
                str(major or ""),
                cohort[major],
                a.get("graduates", 0),
                a.get("employers", 0),
                one(a.get("satisfaction")),
                one(a.get("relevance")),
                one(a.get("skills")),
            )
        )
    return rows


def responses_of(survey: SurveyRound) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(round=survey).select_related("student__major")


@dataclass(frozen=True)
class ToAnswer:
    survey: SurveyRound
    side: str
    destination: GraduateDestination


def surveys_to_answer(*, actor: Actor, today: date) -> list[ToAnswer]:
    """Open rounds awaiting the actor's answer: as a graduate about themself, as an employer's
    mentor about each graduate the enterprise employs."""
    found: list[ToAnswer] = []
    answered = set(
        SurveyResponse.objects.filter(respondent_id=actor.pk).values_list(
            "round_id", "student_id", "side"
        )
    )
    mine = GraduateDestination.objects.filter(
        Q(student__user_id=actor.pk) | Q(employer_unit__isnull=False)
    ).select_related("student", "employer_unit", "org")
    rounds = SurveyRound.objects.filter(closes_on__gte=today).select_related("org")
    for survey in rounds:
        for destination in mine.filter(
            org__path__startswith=survey.org.path, graduation_year=survey.graduation_year
        ):
            if destination.student.user_id == actor.pk:
                side = RespondentSide.GRADUATE
            elif destination.employer_unit is not None and permissions.can_change_enterprise(
                actor, destination.employer_unit
            ):
                side = RespondentSide.EMPLOYER
            else:
                continue
            if (survey.pk, destination.student_id, str(side)) not in answered:
                found.append(ToAnswer(survey, str(side), destination))
    return found


# --- Region roll-ups (ADR 0624) -------------------------------------------------------------


def _school_of(path: str, schools: dict[str, OrgUnit]) -> OrgUnit | None:
    for school_path, school in schools.items():
        if path.startswith(school_path):
            return school
    return None


def rates_by_school(*, actor: Actor) -> list[RateRow]:
    """去向落实率 of each school in the actor's subtree (a school user: their own)."""
    destinations = list(destination_list_for(actor=actor).values_list("org__path", "destination"))
    schools = {
        s.path: s
        for s in OrgUnit.objects.filter(kind=OrgKind.SCHOOL).filter(
            path__in={p for p, _d in destinations}
            | {
                "/" + "/".join(p.strip("/").split("/")[:n]) + "/"
                for p, _d in destinations
                for n in range(1, len(p.strip("/").split("/")) + 1)
            }
        )
    }
    totals: dict[str, list[int]] = {}
    for path, destination in destinations:
        school = _school_of(path, schools)
        label = school.name if school else ""
        row = totals.setdefault(label, [0, 0])
        row[0] += 1
        row[1] += destination not in NOT_PLACED
    return [RateRow(label, n, placed) for label, (n, placed) in sorted(totals.items())]


@dataclass(frozen=True)
class FlowRow:
    label: str
    graduates: int


def flows_by_region(*, actor: Actor, region_names: dict[str, str]) -> list[FlowRow]:
    """Placed graduates by the province of their workplace (GB/T 2260, first two digits)."""
    counts: dict[str, int] = {}
    for code in (
        destination_list_for(actor=actor)
        .exclude(destination__in=list(NOT_PLACED))
        .exclude(region_code="")
        .values_list("region_code", flat=True)
    ):
        province = code[:2] + "0000"
        label = region_names.get(province, province)
        counts[label] = counts.get(label, 0) + 1
    return [FlowRow(k, v) for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def flows_by_industry(*, actor: Actor) -> list[FlowRow]:
    """Placed graduates by the GB/T 4754-2017 section of their employer."""
    rows = (
        destination_list_for(actor=actor)
        .exclude(destination__in=list(NOT_PLACED))
        .exclude(industry="")
        .values("industry")
        .annotate(n=Count("pk"))
    )
    return sorted(
        (FlowRow(str(Industry(r["industry"]).label), r["n"]) for r in rows),
        key=lambda row: (-row.graduates, row.label),
    )
