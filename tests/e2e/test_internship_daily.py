"""An internship's days in the browser: the intern asks for leave and reports a safety incident
on the phone; the school mentor approves the leave, records a visit and sees the intern on the
alert list, with the incident the school was told of."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from openvet.demo.seed_industry import seed_industry
from openvet.industry.models import Incident, LeaveRequest, MentorVisit, Placement
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, tr, welcome_heading


@pytest.fixture
def internships(campus: Campus, settings: Any, tmp_path: Path) -> Campus:
    settings.MEDIA_ROOT = str(tmp_path)
    assert seed_industry() is not None
    return campus


def test_intern_asks_leave_and_reports_an_incident_the_mentor_acts(
    page: Page, internships: Campus, checkpoint: Checkpoint
) -> None:
    placement = Placement.objects.select_related("student__user", "school_mentor").first()
    assert placement is not None
    user = placement.student.user
    sign_in(page, user.username, internships.password)
    expect(welcome_heading(page, user.full_name)).to_be_visible()
    open_nav(page, tr("My internship"))
    page.get_by_role("link", name=tr("Leave, incidents and journals")).click()
    expect(
        page.get_by_role("heading", level=1, name=tr("Leave, incidents and journals"))
    ).to_be_visible()
    checkpoint(page, "intern-daily")

    # The demo's intern already asks for tomorrow off; this request is for the day after.
    tomorrow = timezone.localdate() + timedelta(days=2)
    leave = page.get_by_role("region", name=tr("Ask for leave"))
    leave.get_by_label(tr("First day off")).fill(tomorrow.isoformat())
    leave.get_by_label(tr("Last day off")).fill((tomorrow - timedelta(days=1)).isoformat())
    leave.get_by_label(tr("Reason")).fill("发烧去医院看病")
    leave.get_by_role("button", name=tr("Send to my school mentor")).click()
    leave = page.get_by_role("region", name=tr("Ask for leave"))
    expect(leave).to_contain_text(tr("The last day off is before the first."))
    expect(leave.get_by_label(tr("Reason"))).to_have_value("发烧去医院看病")
    checkpoint(page, "leave-refused")
    leave.get_by_label(tr("Last day off")).fill(tomorrow.isoformat())
    leave.get_by_role("button", name=tr("Send to my school mentor")).click()
    expect(page.get_by_role("alert")).to_contain_text(
        tr("Your leave request was sent to your school mentor.")
    )
    assert LeaveRequest.objects.filter(placement=placement, status="pending").exists()

    incident = page.get_by_role("region", name=tr("Report a safety incident"))
    happened = timezone.localtime() - timedelta(hours=1)
    incident.get_by_label(tr("When it happened")).fill(happened.strftime("%Y-%m-%dT%H:%M"))
    incident.get_by_label(tr("How serious")).select_option("serious")
    incident.get_by_label(tr("What happened")).fill("搬运工件时手被划伤，已在厂医务室包扎。")
    incident.get_by_role("button", name=tr("Report the incident")).click()
    expect(page.get_by_role("alert")).to_contain_text(tr("The incident was reported."))
    checkpoint(page, "incident-reported")
    assert Incident.objects.get(placement=placement, severity="serious").status == "escalated"

    page.context.clear_cookies()
    mentor = placement.school_mentor
    sign_in(page, mentor.username, internships.password)
    open_nav(page, tr("Alerts of my interns"))
    expect(page.get_by_role("heading", level=1, name=tr("Internship alerts"))).to_be_visible()
    notices = page.get_by_role("region", name=tr("Incidents reported to you"))
    expect(notices).to_contain_text(placement.student.name)
    expect(page.get_by_text(tr("Leave awaiting a decision")).first).to_be_visible()
    checkpoint(page, "alerts")
    notices.get_by_role("link", name=placement.student.name).first.click()
    leaves = page.get_by_role("region", name=tr("Leave requests"))
    # The latest days off come first: this intern's request of the day after tomorrow.
    leaves.get_by_role("button", name=tr("Approve")).first.click()
    expect(page.get_by_role("alert")).to_contain_text(tr("The leave was approved."))
    assert LeaveRequest.objects.get(placement=placement, first_day=tomorrow).status == "approved"

    visits = page.get_by_role("region", name=tr("Mentor visits"))
    visits.get_by_label(tr("Day of the visit")).fill(timezone.localdate().isoformat())
    visits.get_by_label(tr("Kind")).select_option("remote")
    visits.get_by_label(tr("What you saw and talked about")).fill("电话了解伤情，已恢复工作。")
    visits.get_by_role("button", name=tr("Record the visit")).click()
    expect(page.get_by_role("alert")).to_contain_text(tr("The visit was recorded."))
    checkpoint(page, "mentor-daily")
    assert MentorVisit.objects.filter(placement=placement, mentor=mentor).exists()
