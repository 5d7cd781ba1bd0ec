"""Last year's graduates of the demo's first college (ADR 0627): their destinations, spread
over the kinds, regions, industries and salary bands with about nine in ten placed, and the
six-month survey round with the graduates' and the employers' answers, so that the
employment dashboard and the survey pages show a real cohort.

Written through the services; deterministic; idempotent (nothing is added once the school
has the round).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from openvet.core import codes
from openvet.core.models import OrgKind, OrgUnit
from openvet.industry import services, services_surveys
from openvet.industry.codes import Destination, SalaryBand
from openvet.industry.models_surveys import SurveyMilestone, SurveyRound
from openvet.records.selectors import student_list_for


@dataclass(frozen=True)
class Outcome:
    destination: str
    employer: int | str = ""  # index of a library enterprise, or a typed name
    region: str = ""
    industry: str = ""
    band: str = ""
    related: bool | None = None


# Thirteen outcomes, one not placed (92 %), repeated over the class.
OUTCOMES = (
    Outcome(Destination.CONTRACT, 0, "330106", "C", SalaryBand.FROM_5000, True),
    Outcome(Destination.CONTRACT, 1, "330110", "I", SalaryBand.FROM_5000, True),
    Outcome(Destination.AGREEMENT, 0, "330106", "C", SalaryBand.FROM_3000, True),
    Outcome(
        Destination.CONTRACT, "上海临港智能装备有限公司", "310115", "C", SalaryBand.FROM_8000, True
    ),
    Outcome(Destination.FURTHER_STUDY, "浙江机电职业技术大学"),
    Outcome(Destination.CONTRACT, 2, "330203", "G", SalaryBand.FROM_3000, False),
    Outcome(
        Destination.SELF_EMPLOYED,
        "杭州匠心数控维修工作室",
        "330102",
        "O",
        SalaryBand.FROM_5000,
        True,
    ),
    Outcome(
        Destination.CONTRACT,
        "苏州工业园区精密机械有限公司",
        "320505",
        "C",
        SalaryBand.FROM_5000,
        True,
    ),
    Outcome(Destination.ENLISTED),
    Outcome(Destination.FLEXIBLE, "", "330106", "F", SalaryBand.UNDER_3000, False),
    Outcome(Destination.CONTRACT, 3, "330110", "E", SalaryBand.FROM_5000, True),
    Outcome(Destination.SEEKING),
    Outcome(
        Destination.OTHER_HIRE,
        "深圳南山电子科技有限公司",
        "440305",
        "I",
        SalaryBand.FROM_8000,
        False,
    ),
)
COMMENTS = (
    "岗位和实习时学的内容衔接得很好，师傅带得也耐心。",
    "工作强度有点大，但成长很快，希望学校多开设调试方面的课。",
    "",
    "动手能力强，适应快，安全意识好。",
)


def _typed_code(index: int) -> str:
    """A well-formed 统一社会信用代码 for an employer typed by name (demo data)."""
    first17 = f"9133010{index:02d}MA2D{index:04d}"[:17]
    return first17 + codes.credit_code_check_char(first17)


def graduated_class(school: OrgUnit, today: date) -> OrgUnit | None:
    school_year = today.year if today.month >= 9 else today.year - 1
    return (
        OrgUnit.objects.filter(
            kind=OrgKind.CLASS, path__startswith=school.path, grade_year=school_year - 3
        )
        .order_by("path")
        .first()
    )


def seed_graduates(*, actor: Any, school: OrgUnit, today: date, mentor: Any | None) -> int:
    """Destinations and the six-month round of last year's class; the graduates recorded."""
    klass = graduated_class(school, today)
    if klass is None:
        return 0
    students = list(student_list_for(actor=actor, class_id=klass.pk))
    if not students:
        return 0
    year = int(klass.grade_year or 0) + int(students[0].schooling_years or 3)
    if SurveyRound.objects.filter(org=school, graduation_year=year).exists():
        return 0
    enterprises = list(OrgUnit.objects.filter(kind=OrgKind.ENTERPRISE).order_by("pk")[:4])
    with transaction.atomic():
        for index, student in enumerate(students):
            _record(actor, student, year, OUTCOMES[index % len(OUTCOMES)], enterprises, today)
        survey = services_surveys.round_create(
            actor=actor,
            school=school,
            graduation_year=year,
            milestone=SurveyMilestone.SIX_MONTHS,
            closes_on=today + timedelta(days=30),
        )
        _answers(survey, students, mentor)
    return len(students)


def _record(
    actor: Any,
    student: Any,
    year: int,
    outcome: Outcome,
    enterprises: list[OrgUnit],
    today: date,
) -> None:
    unit = None
    employer, code = "", ""
    if isinstance(outcome.employer, int) and outcome.employer < len(enterprises):
        unit = enterprises[outcome.employer]
    elif isinstance(outcome.employer, str) and outcome.employer:
        employer = outcome.employer
        placed = outcome.destination not in {Destination.FURTHER_STUDY}
        code = _typed_code(OUTCOMES.index(outcome)) if placed else ""
    services.destination_record(
        actor=actor,
        student=student,
        graduation_year=year,
        destination=outcome.destination,
        employer=employer,
        employer_code=code,
        employer_unit=unit,
        region_code=outcome.region,
        industry=outcome.industry,
        salary_band=outcome.band,
        related_to_major=outcome.related,
        placed_on=date(year, 7, 1) + timedelta(days=7 * (student.pk % 8)),
    )


def _answers(survey: SurveyRound, students: list[Any], mentor: Any | None) -> None:
    """Three graduates in four with a salary answer; the first enterprise's mentor rates the
    graduates it employs."""
    destinations = {d.student_id: d for d in services_surveys.cohort_of(survey)}
    for index, student in enumerate(students):
        found = destinations.get(student.pk)
        if found is None or not found.salary_band:
            continue
        if student.user_id and index % 4 != 3:
            services_surveys.graduate_answer(
                actor=student.user,
                survey=survey,
                job_satisfaction=3 + index % 3,
                major_relevance=4 if found.related_to_major else 2,
                salary_band=found.salary_band,
                comment=COMMENTS[index % len(COMMENTS)] if index % 3 == 0 else "",
            )
        if mentor is not None and services_surveys.employed_by(mentor, found):
            services_surveys.employer_answer(
                actor=mentor,
                survey=survey,
                student_id=student.pk,
                skills_rating=4 + index % 2,
                would_hire_again=True,
                comment=COMMENTS[3] if index % 2 == 0 else "",
            )
