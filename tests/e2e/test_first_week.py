"""The first week of use: a student's home and their requests, a counsellor approving a leave
from its card, and a security administrator's menu without the teaching pages."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from openvet.core.models import OrgKind, OrgUnit
from openvet.teaching.attendance.models import LeaveRequest, LeaveStatus
from openvet.teaching.attendance.services import leave_request
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_menu_if_collapsed, open_nav, sign_in, tr, welcome_heading
from tests.e2e.teaching_support import lecture_now, student_record

REASON = "Fever, doctor's note attached"
DAILY_TEACHING = ("My timetable", "Course selection", "Attendance", "Grades", "Teaching evaluation")


def test_a_student_sees_today_and_follows_their_leave_request(
    page: Page, teaching: Campus, checkpoint: Checkpoint
) -> None:
    campus = teaching
    student = campus.user("student1")
    lecture = lecture_now(
        admin=campus.user("admin1"),
        teacher=campus.user("teacher1"),
        class_unit=student_record(student).class_unit,
    )
    sign_in(page, "student1", campus.password)
    expect(welcome_heading(page, campus.full_name("student1"))).to_be_visible()
    today = page.get_by_role("region", name=tr("Today's lessons"))
    expect(today).to_contain_text(lecture.task.course.name)
    expect(today).to_contain_text(tr("Period %(period)s", period=lecture.period))
    expect(page.get_by_role("region", name=tr("To do"))).to_contain_text(
        tr("My requests in progress")
    )
    expect(page.get_by_role("img", name=tr("Boys and girls in my class"))).to_have_count(0)
    checkpoint(page, "home")

    open_nav(page, tr("Attendance"))
    leave = page.get_by_role("region", name=tr("Ask for leave"))
    tomorrow = timezone.localdate() + timedelta(days=1)
    leave.get_by_label(tr("From")).fill(tomorrow.isoformat())
    leave.get_by_label(tr("To")).fill((tomorrow + timedelta(days=1)).isoformat())
    leave.get_by_role("textbox").last.fill(REASON)
    leave.get_by_role("button", name=tr("Send to my counsellor")).click()
    expect(page.get_by_role("alert")).to_contain_text(
        tr("Your leave request was sent to your counsellor.")
    )

    open_nav(page, tr("My requests"))
    expect(page.get_by_role("heading", level=1, name=tr("My requests"))).to_be_visible()
    mine = page.get_by_role("list", name=tr("Requests you submitted"))
    card = mine.get_by_role("listitem").filter(has_text=REASON)
    expect(card).to_have_count(1)
    expect(card).to_contain_text(tr("Leave request"))
    expect(card).to_contain_text(REASON)
    expect(card).to_contain_text(tr("Pending"))
    checkpoint(page, "my-requests")


def test_a_counsellor_approves_a_leave_from_its_card(
    page: Page, campus: Campus, checkpoint: Checkpoint
) -> None:
    start = timezone.localdate() + timedelta(days=1)
    leave = leave_request(
        actor=campus.user("student1"), date_from=start, date_to=start, reason=REASON
    )
    sign_in(page, "counsellor1", campus.password)
    expect(welcome_heading(page, campus.full_name("counsellor1"))).to_be_visible()
    todo = page.get_by_role("region", name=tr("To do"))
    expect(todo).to_contain_text(tr("Leave request"))
    checkpoint(page, "home")

    open_nav(page, tr("My approvals"))
    waiting = page.get_by_role("list", name=tr("Requests awaiting your decision"))
    card = waiting.get_by_role("listitem").filter(has_text=REASON)
    expect(card).to_have_count(1)
    expect(card).to_contain_text(tr("Leave request"))
    expect(card).to_contain_text(campus.full_name("student1"))
    expect(card).to_contain_text(REASON)
    expect(card).to_contain_text(start.isoformat())
    checkpoint(page, "card")
    card.get_by_role("button", name=tr("Approve")).click()
    expect(card).to_contain_text(tr("Approved"))
    checkpoint(page, "approved")
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED
    assert LeaveRequest.objects.count() == 1


def test_a_security_administrator_sees_no_teaching_in_the_menu(
    page: Page, campus: Campus, checkpoint: Checkpoint
) -> None:
    sign_in(page, "security1", campus.password)
    expect(welcome_heading(page, campus.full_name("security1"))).to_be_visible()
    open_menu_if_collapsed(page)
    navigation = page.get_by_role("navigation", name=tr("Main navigation"))
    for label in (*DAILY_TEACHING, "My approvals", "My requests"):
        expect(navigation.get_by_role("link", name=tr(label), include_hidden=True)).to_have_count(0)
    expect(navigation.get_by_role("link", name=tr("Security"))).to_be_visible()
    checkpoint(page, "menu")


def test_a_province_administrator_opens_a_school_from_the_overview(
    page: Page, campus: Campus, checkpoint: Checkpoint
) -> None:
    school = OrgUnit.objects.get(pk__in=campus.home("admin1").ancestor_ids, kind=OrgKind.SCHOOL)
    sign_in(page, "region", campus.password)
    expect(welcome_heading(page, campus.full_name("region"))).to_be_visible()
    schools = page.get_by_role("region", name=tr("Schools in my region"))
    schools.get_by_role("link", name=school.name).click()
    expect(page.get_by_role("heading", level=1, name=school.name)).to_be_visible()
    expect(page.get_by_role("region", name=tr("Organisation overview"))).to_be_visible()
    expect(page.get_by_role("region", name=tr("People"))).to_contain_text(tr("Students"))
    checkpoint(page, "school")
