"""Enterprise-side libraries in the browser: an enterprise mentor declares the talent its
enterprise needs and marks a milestone of its project with the school; the school's
administrator opens the portfolio of the partnership and the demand dashboard."""

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from openvet.demo.seed_industry import seed_industry
from openvet.industry.demo_cooperation import ORDER_CLASS
from openvet.industry.models import CooperationProject, ProjectMilestone, TalentDemand
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, tr, welcome_heading


@pytest.fixture
def cooperation(campus: Campus, settings: Any, tmp_path: Path) -> Campus:
    settings.MEDIA_ROOT = str(tmp_path)
    assert seed_industry() is not None
    return campus


def test_enterprise_enters_demand_and_a_milestone_school_sees_the_portfolio(
    page: Page, cooperation: Campus, checkpoint: Checkpoint
) -> None:
    sign_in(page, "mentor1", cooperation.password)
    expect(welcome_heading(page, cooperation.full_name("mentor1"))).to_be_visible()
    open_nav(page, tr("Talent demand"))
    expect(page.get_by_role("heading", level=1, name=tr("Talent demand"))).to_be_visible()
    page.get_by_role("link", name=tr("Declare talent demand")).click()
    year = timezone.localdate().year + 1
    page.get_by_label(tr("Position")).fill("工业机器人运维员")
    page.get_by_label(tr("Major"), exact=True).select_option("460102")
    page.get_by_label(tr("Region of the workplace")).select_option("330106")
    page.get_by_label(tr("People needed")).fill("0")
    page.get_by_label(tr("Year of hiring")).fill(str(year))
    page.get_by_role("button", name=tr("Save demand")).click()
    # The browser's own check stops nothing (novalidate): the form comes back with the error
    # and what was typed.
    expect(page.get_by_label(tr("Position"))).to_have_value("工业机器人运维员")
    checkpoint(page, "demand-refused")
    page.get_by_label(tr("People needed")).fill("6")
    page.get_by_role("button", name=tr("Save demand")).click()
    expect(page.get_by_role("alert")).to_contain_text(tr("The talent demand was saved."))
    expect(page.locator("td", has_text="工业机器人运维员").first).to_be_visible()
    checkpoint(page, "demand-list")
    demand = TalentDemand.objects.get(position="工业机器人运维员")
    assert (demand.headcount, demand.year, demand.major_code) == (6, year, "460102")

    open_nav(page, tr("Cooperation projects"))
    page.get_by_role("link", name=ORDER_CLASS).first.click()
    expect(page.get_by_role("heading", level=1, name=ORDER_CLASS)).to_be_visible()
    milestones = page.get_by_role("region", name=tr("Milestones"))
    milestones.locator("summary", has_text=tr("Add a milestone")).click()
    milestones.get_by_label(tr("Milestone"), exact=True).fill("第二批订单班学生面试")
    milestones.get_by_label(tr("Due date")).fill(f"{year}-03-15")
    checkpoint(page, "milestone-form")
    milestones.get_by_role("button", name=tr("Add milestone")).click()
    expect(page.get_by_role("alert")).to_contain_text(tr("The project was updated."))
    expect(page.locator("td", has_text="第二批订单班学生面试").first).to_be_visible()
    checkpoint(page, "project")
    assert ProjectMilestone.objects.filter(title="第二批订单班学生面试").exists()

    page.context.clear_cookies()
    sign_in(page, "admin1", cooperation.password)
    expect(welcome_heading(page, cooperation.full_name("admin1"))).to_be_visible()
    open_nav(page, tr("Cooperation projects"))
    project = CooperationProject.objects.select_related("org", "enterprise").get(name=ORDER_CLASS)
    page.get_by_role("link", name=f"{project.org.name} × {project.enterprise.name}").click()
    heading = f"{project.org.name} × {project.enterprise.name}"
    expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
    expect(page.get_by_role("region", name=tr("Projects"))).to_contain_text(ORDER_CLASS)
    demand_section = page.get_by_role("region", name=tr("Talent demand of the enterprise"))
    expect(demand_section).to_contain_text("工业机器人运维员")
    interns = page.get_by_role("region", name=tr("Interns"))
    expect(interns.get_by_role("link").first).to_be_visible()
    checkpoint(page, "portfolio")

    open_nav(page, tr("Talent demand"))
    page.get_by_role("link", name=tr("Demand dashboard")).click()
    expect(page.get_by_role("heading", level=1, name=tr("Demand dashboard"))).to_be_visible()
    expect(page.locator("[data-chart] svg").first).to_be_visible()
    page.get_by_role("link", name=str(year), exact=True).click()
    majors = page.get_by_role("region", name=tr("Demand by major"), exact=True)
    expect(majors).to_contain_text("机械制造及自动化")
    checkpoint(page, "dashboard")
