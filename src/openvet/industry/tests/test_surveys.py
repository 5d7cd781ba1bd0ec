"""Graduate and employer surveys (ADR 0623) and the region roll-ups of the employment page
(ADR 0624): a graduate answers once and only for themself, the employer's mentor only about
the graduates the enterprise employs, another school's round is out of reach, the results per
major and the export, and a city sees its schools while a school sees only its own."""

from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from openvet.core.errors import Conflict, NotFound, ValidationFailed
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.roles import Role
from openvet.core.tests.factories import OrgUnitFactory
from openvet.identity.tests.factories import user_with_role
from openvet.industry import selectors_library, services, services_surveys
from openvet.industry.codes import Industry
from openvet.industry.models_surveys import SurveyResponse, SurveyRound
from openvet.industry.tests.conftest import World

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def graduate(world: World, *, employed: bool = True) -> Any:
    return services.destination_record(
        actor=world.admin,
        student=world.student,
        graduation_year=timezone.localdate().year,
        destination="11" if employed else "70",
        employer=world.enterprise.name if employed else "",
        employer_unit=world.enterprise if employed else None,
        industry="C" if employed else "",
        region_code="330106" if employed else "",
        salary_band="5000" if employed else "",
    )


def open_round(world: World) -> SurveyRound:
    return services_surveys.round_create(
        actor=world.admin,
        school=world.campus.school,
        graduation_year=timezone.localdate().year,
        milestone="6m",
        closes_on=timezone.localdate() + timedelta(days=30),
    )


def answer(world: World, survey: SurveyRound, user: Any = None) -> SurveyResponse:
    return services_surveys.graduate_answer(
        actor=user or world.student_user,
        survey=survey,
        job_satisfaction=4,
        major_relevance=5,
        salary_band="5000",
        comment="",
    )


def test_a_graduate_answers_once_on_the_page(world: World) -> None:
    graduate(world)
    survey = open_round(world)
    client = client_for(world.student_user)
    listing = client.get(reverse("industry:survey-list")).content.decode()
    assert reverse("industry:survey-answer", args=[survey.pk]) in listing
    url = reverse("industry:survey-answer", args=[survey.pk])
    form = {"job_satisfaction": "4", "major_relevance": "5", "salary_band": "5000"}
    assert client.post(url, form).status_code == 302
    again = client.post(url, form)
    assert again.status_code == 422
    assert SurveyResponse.objects.count() == 1
    assert reverse("industry:survey-answer", args=[survey.pk]) not in (
        client.get(reverse("industry:survey-list")).content.decode()
    )


def test_only_the_graduate_answers_for_themself(world: World, other_world: World) -> None:
    graduate(world)
    survey = open_round(world)
    with pytest.raises(NotFound):
        answer(world, survey, user=other_world.student_user)
    response = client_for(other_world.student_user).get(
        reverse("industry:survey-answer", args=[survey.pk])
    )
    assert response.status_code == 404
    assert not SurveyResponse.objects.exists()


def test_the_employers_mentor_rates_its_graduate_once(world: World, other_world: World) -> None:
    graduate(world)
    survey = open_round(world)
    values = {"skills_rating": 4, "would_hire_again": True, "comment": "Reliable."}
    with pytest.raises(NotFound):  # another enterprise's mentor
        services_surveys.employer_answer(
            actor=other_world.mentor, survey=survey, student_id=world.student.pk, **values
        )
    services_surveys.employer_answer(
        actor=world.mentor, survey=survey, student_id=world.student.pk, **values
    )
    with pytest.raises(Conflict):
        services_surveys.employer_answer(
            actor=world.mentor, survey=survey, student_id=world.student.pk, **values
        )
    assert SurveyResponse.objects.filter(side="employer").count() == 1


def test_a_closed_round_takes_no_answer(world: World) -> None:
    graduate(world)
    survey = open_round(world)
    SurveyRound.objects.filter(pk=survey.pk).update(
        closes_on=timezone.localdate() - timedelta(days=1)
    )
    survey.refresh_from_db()
    with pytest.raises(ValidationFailed) as caught:
        answer(world, survey)
    assert caught.value.code == "survey_closed"
    assert not SurveyResponse.objects.exists()


def test_results_per_major_and_the_export(world: World) -> None:
    graduate(world)
    survey = open_round(world)
    answer(world, survey)
    rows = selectors_library.survey_results(survey)
    assert [(r.graduates, r.graduate_answers, r.response_rate, r.satisfaction) for r in rows] == [
        (1, 1, 100.0, 4.0)
    ]
    page = client_for(world.admin).get(reverse("industry:employment")).content.decode()
    assert "100.0%" in page
    export = client_for(world.admin).get(reverse("industry:survey-export", args=[survey.pk]))
    sheet = load_workbook(BytesIO(export.content)).active
    assert sheet is not None
    values = [c.value for c in sheet[2]]
    assert world.student.name in values
    assert 4 in values


def test_another_school_cannot_see_the_round(world: World, other_world: World) -> None:
    survey = open_round(world)
    response = client_for(other_world.admin).get(
        reverse("industry:survey-detail", args=[survey.pk])
    )
    assert response.status_code == 404


def test_a_city_sees_its_schools_a_school_only_its_own(world: World, other_world: World) -> None:
    graduate(world)
    services.destination_record(
        actor=other_world.admin,
        student=other_world.student,
        graduation_year=timezone.localdate().year,
        destination="70",
    )
    school_a = OrgUnit.objects.get(pk=world.campus.school.pk)
    school_b = OrgUnit.objects.get(pk=other_world.campus.school.pk)
    province = school_a.parent
    assert province is not None
    official = user_with_role(Role.REGIONAL_ADMIN, province, full_name="Province official")
    rows = {
        r.label: (r.graduates, r.placed) for r in selectors_library.rates_by_school(actor=official)
    }
    assert rows == {school_a.name: (1, 1), school_b.name: (1, 0)}
    elsewhere = OrgUnitFactory(kind=OrgKind.PROVINCE, name="Another province", code="650000")
    outsider = user_with_role(Role.REGIONAL_ADMIN, elsewhere, full_name="Outsider")
    assert selectors_library.rates_by_school(actor=outsider) == []
    assert [r.label for r in selectors_library.rates_by_school(actor=world.admin)] == [
        school_a.name
    ]
    assert [
        (r.label, r.graduates) for r in selectors_library.flows_by_industry(actor=official)
    ] == [(str(Industry.C.label), 1)]
    page = client_for(official).get(reverse("industry:employment"))
    assert page.status_code == 200
    assert school_b.name in page.content.decode()
