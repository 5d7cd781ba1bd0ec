"""Surveys and the enterprise library in the browser: a graduate answers the six-month survey
on the phone, the school sees the answer on the employment dashboard, and the school rates its
partner enterprise, whose page then shows the average (ADR 0620, 0623)."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from openvet.demo.seed_industry import seed_industry
from openvet.industry import selectors_library, services, services_library, services_surveys
from openvet.industry.models import GraduateDestination, Placement
from openvet.industry.models_library import EnterpriseContact, EnterpriseRating
from openvet.industry.models_surveys import SurveyResponse, SurveyRound
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, tr, welcome_heading


@pytest.fixture
def surveys(campus: Campus, settings: Any, tmp_path: Path) -> Campus:
    settings.MEDIA_ROOT = str(tmp_path)
    assert seed_industry() is not None
    return campus


def test_a_graduate_answers_and_the_dashboard_shows_it(
    page: Page, surveys: Campus, checkpoint: Checkpoint
) -> None:
    admin = surveys.user("admin1")
    placement = Placement.objects.select_related("student__user").order_by("pk").first()
    assert placement is not None
    student = placement.student
    year = timezone.localdate().year
    services.destination_record(
        actor=admin,
        student=student,
        graduation_year=year,
        destination="11",
        employer=placement.enterprise.name,
        employer_unit=placement.enterprise,
        industry="C",
        region_code="330106",
        salary_band="5000",
    )
    school = GraduateDestination.objects.get(student=student).org
    while school.kind != "school":
        school = school.parent
    # The demo holds last year's six-month round (its graduated class); else one is opened.
    survey = SurveyRound.objects.filter(
        org=school, graduation_year=year, milestone="6m"
    ).first() or services_surveys.round_create(
        actor=admin,
        school=school,
        graduation_year=year,
        milestone="6m",
        closes_on=timezone.localdate() + timedelta(days=30),
    )

    sign_in(page, student.user.username, surveys.password)
    expect(welcome_heading(page, student.user.full_name)).to_be_visible()
    open_nav(page, tr("My surveys"))
    expect(
        page.get_by_role("heading", level=1, name=tr("Graduate and employer surveys"))
    ).to_be_visible()
    page.get_by_role("link", name=tr("Answer the survey")).click()
    page.get_by_label(tr("How satisfied are you with your job?")).select_option("4")
    page.get_by_label(tr("How close is your job to your major?")).select_option("5")
    page.get_by_label(tr("Your monthly salary")).select_option("5000")
    page.get_by_label(tr("Anything to tell the school?")).fill("实训课很有用")
    checkpoint(page, "graduate-survey")
    page.get_by_role("button", name=tr("Send my answers")).click()
    expect(page.get_by_role("alert")).to_contain_text(tr("Thank you, your answers were sent."))
    expect(page.get_by_role("link", name=tr("Answer the survey"))).to_have_count(0)
    answer = SurveyResponse.objects.get(round=survey, student=student)
    assert (answer.job_satisfaction, answer.major_relevance) == (4, 5)

    page.context.clear_cookies()
    sign_in(page, "admin1", surveys.password)
    open_nav(page, tr("Graduate employment"))
    expect(page.get_by_role("heading", level=1, name=tr("Graduate employment"))).to_be_visible()
    results = page.get_by_role(
        "region", name=tr("Survey of %(name)s: %(round)s", name=school.name, round=str(survey))
    )
    major_row = next(
        r for r in selectors_library.survey_results(survey) if r.major == student.major.name
    )
    expect(results).to_contain_text(major_row.response_rate_text)
    checkpoint(page, "dashboard-survey")


def test_a_school_rates_its_partner_enterprise(
    page: Page, surveys: Campus, checkpoint: Checkpoint
) -> None:
    placement = Placement.objects.select_related("enterprise").order_by("pk").first()
    assert placement is not None
    enterprise = placement.enterprise
    sign_in(page, "admin1", surveys.password)
    open_nav(page, tr("Partner enterprises"))
    page.get_by_role("link", name=enterprise.name).first.click()
    expect(page.get_by_role("heading", level=1, name=enterprise.name)).to_be_visible()
    page.get_by_role("link", name=tr("Rate this enterprise")).click()
    page.get_by_label(tr("Quality of the placements")).select_option("5")
    page.get_by_label(tr("Safety")).select_option("4")
    page.get_by_label(tr("Mentor support")).select_option("3")
    page.get_by_label(tr("Comment")).fill("带教认真，安全培训到位")
    checkpoint(page, "rating-form")
    page.get_by_role("button", name=tr("Save the rating")).click()
    expect(page.get_by_role("alert")).to_contain_text(tr("The rating was saved."))
    expect(page.get_by_test_id("rating-summary")).to_contain_text("4.0")
    checkpoint(page, "enterprise-rated")
    assert EnterpriseRating.objects.filter(enterprise=enterprise).count() == 1


def test_an_enterprise_removes_an_outdated_contact(
    page: Page, surveys: Campus, checkpoint: Checkpoint
) -> None:
    mentor = surveys.user("mentor1")
    enterprise = mentor.home_org
    contact = services_library.contact_add(
        actor=mentor, enterprise=enterprise, name="王经理", role="人事主管", phone="13912345678"
    )
    sign_in(page, "mentor1", surveys.password)
    expect(welcome_heading(page, mentor.full_name)).to_be_visible()
    page.goto(f"/industry/enterprises/{enterprise.pk}/")
    contacts = page.get_by_role("region", name=tr("Contacts"))
    contacts.get_by_role("link", name=tr("Remove")).click()
    expect(page.get_by_text("王经理 · 人事主管")).to_be_visible()
    checkpoint(page, "remove-contact")
    page.get_by_role("button", name=tr("Remove")).click()
    expect(page.get_by_role("alert")).to_contain_text(tr("The contact was removed."))
    expect(page.get_by_role("region", name=tr("Contacts"))).not_to_contain_text("王经理")
    assert not EnterpriseContact.objects.filter(pk=contact.pk).exists()
