"""The first week of the roles that ``test_first_week`` does not walk: each signs in to their
home, does their main job end to end, and opens their approvals and notices, in zh-hans."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from openvet.core.models import AuditAction, OrgKind, OrgUnit
from openvet.core.roles import Role
from openvet.identity.models import RoleAssignment, User
from openvet.records import services as records
from openvet.records.codes import ChangeReason, ChangeType, StudentStatus
from openvet.records.models import ChangeState, StatusChange, Student
from openvet.teaching.models import Adjustment, AdjustmentKind, AdjustmentStatus, Term
from openvet.teaching.services.adjustments import adjustment_request
from openvet.workflow import services as workflow
from openvet.workflow.models import (
    Decision,
    InstanceStatus,
    NotificationKind,
    ProcessInstance,
    TaskStatus,
)
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, tr, welcome_heading
from tests.e2e.teaching_support import lecture_now, student_record

LESSON_OFF = "Taking the class to the provincial skills contest"
WRONG_LOGIN = "The account or password is wrong. Please check and try again."
SUSPENSION, ILLNESS = ChangeType.SUSPEND.value, ChangeReason.ILLNESS.value  # 休学, 疾病
SUSPENSION_NOTE = "Surgery in March, back for the autumn term"
ADMIN_COMMENT = "Medical certificate checked"
APPROVED_BECAUSE = "Agreed; make the lesson up in week 18"
GUESSING_ADDRESS = "203.0.113.9"  # a documentation address (RFC 5737)


def test_a_department_head_approves_with_a_reason_and_the_teacher_sees_it(
    page: Page, teaching: Campus, checkpoint: Checkpoint
) -> None:
    campus = teaching
    teacher = campus.user("teacher1")
    lecture = lecture_now(
        admin=campus.user("admin1"),
        teacher=teacher,
        class_unit=student_record(campus.user("student1")).class_unit,
    )
    adjustment = adjustment_request(
        actor=teacher,
        task=lecture.task,
        kind=AdjustmentKind.CANCEL,
        reason=LESSON_OFF,
        original_date=lecture.day + timedelta(days=7),
        original_period_start=lecture.period,
    )

    sign_in(page, "head1", campus.password)
    expect(welcome_heading(page, campus.full_name("head1"))).to_be_visible()
    expect(page.get_by_role("region", name=tr("To do"))).to_contain_text(LESSON_OFF)
    checkpoint(page, "home")
    open_nav(page, tr("My approvals"))
    waiting = page.get_by_role("list", name=tr("Requests awaiting your decision"))
    card = waiting.get_by_role("listitem").filter(has_text=LESSON_OFF)
    expect(card).to_contain_text(tr(AdjustmentKind.CANCEL.label))
    expect(card).to_contain_text(campus.full_name("teacher1"))
    expect(card).to_contain_text(lecture.task.course.name)
    card.get_by_label(tr("Comment")).fill(APPROVED_BECAUSE)
    checkpoint(page, "card")
    card.get_by_role("button", name=tr("Approve")).click()
    expect(card).to_contain_text(tr(TaskStatus.APPROVED.label))
    expect(card).to_contain_text(APPROVED_BECAUSE)
    checkpoint(page, "decided")
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.APPROVED

    page.context.clear_cookies()
    other = page
    sign_in(other, "teacher1", campus.password)
    expect(welcome_heading(other, campus.full_name("teacher1"))).to_be_visible()
    other.get_by_role("region", name=tr("To do")).get_by_role(
        "link", name=tr("Unread notices")
    ).click()
    notices = other.get_by_role("listitem").filter(has_text=tr(NotificationKind.APPROVED.label))
    expect(notices).to_have_count(1)
    checkpoint(other, "teacher-notices")
    notices.get_by_role("link").click()
    expect(other.get_by_role("heading", level=1)).to_contain_text(lecture.task.course.name)
    expect(other.locator("main")).to_contain_text(APPROVED_BECAUSE)
    checkpoint(other, "teacher-trail")
    open_nav(other, tr("My requests"))
    mine = other.get_by_role("list", name=tr("Requests you submitted"))
    request = mine.get_by_role("listitem").filter(has_text=LESSON_OFF)
    expect(request).to_contain_text(tr(InstanceStatus.APPROVED.label))
    assert Adjustment.objects.filter(reason=LESSON_OFF).count() == 1


def test_an_audit_administrator_narrows_the_log_to_one_persons_failed_sign_ins(
    page: Page, campus: Campus, checkpoint: Checkpoint
) -> None:
    for username in ("teacher1", "counsellor1"):
        sign_in(page, username, "not-the-password")
        expect(page.get_by_role("alert")).to_have_text(tr(WRONG_LOGIN))
    sign_in(page, "audit1", campus.password)
    expect(welcome_heading(page, campus.full_name("audit1"))).to_be_visible()
    expect(page.get_by_role("region", name=tr("Audit log"))).to_contain_text(tr("Entries today"))
    checkpoint(page, "home")

    open_nav(page, tr("Audit log"))
    search = page.get_by_role("search")
    search.get_by_label(tr("Action")).select_option(AuditAction.LOGIN_FAILED.value)
    search.get_by_label(tr("Search")).fill("teacher1")
    search.get_by_role("button", name=tr("Filter")).click()
    expect(page).to_have_url(re.compile(r"\?q=teacher1&action=login_failed"))
    # The list updates in place as the filters change: wait until the last update has ended
    # (its "loading" line faded out) before looking.
    expect(page.locator("#audit-indicator")).to_have_css("opacity", "0")
    results = page.locator("#audit-results")
    rows = results.locator("tbody").get_by_role("row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(tr(AuditAction.LOGIN_FAILED.label))
    expect(rows.first).to_contain_text("teacher1")
    expect(rows.first).to_contain_text("127.0.0.1")
    checkpoint(page, "filtered")


def test_a_security_administrator_unlocks_a_locked_out_teacher(
    page: Page, campus: Campus, checkpoint: Checkpoint
) -> None:
    # Guesses at the teacher's password from another address locked the account.
    AccessAttempt.objects.create(
        username="teacher1",
        ip_address=GUESSING_ADDRESS,
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        attempt_time=timezone.now(),
        user_agent="",
        http_accept="",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
    )
    sign_in(page, "teacher1", campus.password)
    expect(page.get_by_role("heading", name=tr("Sign-in locked"))).to_be_visible()
    sign_in(page, "security1", campus.password)
    expect(welcome_heading(page, campus.full_name("security1"))).to_be_visible()
    checkpoint(page, "home")

    open_nav(page, tr("Security"))
    row = page.get_by_role("row").filter(has_text=GUESSING_ADDRESS)
    expect(row).to_contain_text("teacher1")
    expect(row).to_contain_text(tr("Locked"))
    checkpoint(page, "locked")
    row.get_by_role("button", name=tr("Unlock account")).click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="teacher1")).to_have_count(0)
    checkpoint(page, "unlocked")

    page.context.clear_cookies()
    sign_in(page, "teacher1", campus.password)
    expect(welcome_heading(page, campus.full_name("teacher1"))).to_be_visible()


def test_an_enterprise_mentor_sees_their_enterprise_approvals_and_notices(
    page: Page, campus: Campus, checkpoint: Checkpoint
) -> None:
    sign_in(page, "mentor1", campus.password)
    expect(welcome_heading(page, campus.full_name("mentor1"))).to_be_visible()
    enterprise = page.get_by_role("region", name=tr("My enterprise"))
    expect(enterprise).to_contain_text(campus.home("mentor1").name)
    checkpoint(page, "home")

    open_nav(page, tr("My approvals"))
    expect(page.get_by_role("heading", level=1, name=tr("My approvals"))).to_be_visible()
    expect(page.locator("main")).to_contain_text(tr("Nothing awaits your decision."))
    page.get_by_role("link", name=tr("Notifications")).click()
    expect(page.get_by_role("heading", level=1, name=tr("Notifications"))).to_be_visible()
    expect(page.locator("main")).to_contain_text(tr("No notifications."))
    checkpoint(page, "notices")


def test_an_evaluator_reads_the_school_and_its_terms_without_changing_them(
    page: Page, teaching: Campus, checkpoint: Checkpoint
) -> None:
    campus = teaching
    term = Term.objects.filter(org=campus.home("evaluator1")).order_by("-start_date").first()
    assert term is not None
    sign_in(page, "evaluator1", campus.password)
    expect(welcome_heading(page, campus.full_name("evaluator1"))).to_be_visible()
    expect(page.get_by_role("region", name=tr("People"))).to_contain_text(tr("Students"))
    checkpoint(page, "home")

    open_nav(page, tr("Teaching"))
    expect(page.get_by_role("heading", level=1, name=tr("Terms"))).to_be_visible()
    term_name = tr(
        "%(first)s-%(second)s academic year, term %(number)s",
        first=term.academic_year,
        second=term.academic_year + 1,
        number=term.number,
    )
    expect(page.get_by_role("link", name=term_name)).to_be_visible()
    expect(page.get_by_role("heading", name=tr("Add a term"))).to_have_count(0)
    checkpoint(page, "terms")


@pytest.mark.parametrize("username", ["region", "platform"])
def test_a_regional_administrator_drills_into_every_school(
    page: Page, campus: Campus, checkpoint: Checkpoint, username: str
) -> None:
    area = campus.home(username)
    schools = list(
        OrgUnit.objects.filter(path__startswith=area.path, kind=OrgKind.SCHOOL).order_by("name")
    )
    assert len(schools) > 1
    sign_in(page, username, campus.password)
    expect(welcome_heading(page, campus.full_name(username))).to_be_visible()
    for school in schools:
        overview = page.get_by_role("region", name=tr("Schools in my region"))
        overview.get_by_role("link", name=school.name).click()
        expect(page.get_by_role("heading", level=1, name=school.name)).to_be_visible()
        expect(page.get_by_role("region", name=tr("People"))).to_contain_text(tr("Students"))
        checkpoint(page, school.code)
        page.go_back()
    expect(welcome_heading(page, campus.full_name(username))).to_be_visible()


def test_a_school_administrator_gives_the_last_approval_of_a_suspension(
    page: Page, campus: Campus, checkpoint: Checkpoint
) -> None:
    student = _student_with_no_open_change(campus.user("counsellor1"))
    change = records.status_change_apply(
        actor=student.user,
        student=student,
        change_type=SUSPENSION,
        reason=ILLNESS,
        note=SUSPENSION_NOTE,
        details={"planned_return_date": (timezone.localdate() + timedelta(days=180)).isoformat()},
    )
    assert change.process_id is not None
    for username in ("counsellor1", "head1"):  # the steps before academic affairs
        decider = User.objects.get(username=username)
        instance = ProcessInstance.objects.get(pk=change.process_id)
        task = workflow.decidable_task_of(actor=decider, instance=instance)
        workflow.task_decide(actor=decider, task=task, decision=Decision.APPROVE)

    sign_in(page, "admin1", campus.password)
    expect(welcome_heading(page, campus.full_name("admin1"))).to_be_visible()
    expect(page.get_by_role("region", name=tr("To do"))).to_contain_text(tr("Awaiting my decision"))
    checkpoint(page, "home")
    open_nav(page, tr("My approvals"))
    card = (
        page.get_by_role("list", name=tr("Requests awaiting your decision"))
        .get_by_role("listitem")
        .filter(has_text=SUSPENSION_NOTE)
    )
    expect(card).to_contain_text(tr(ChangeType.SUSPEND.label))
    card.get_by_label(tr("Comment")).fill(ADMIN_COMMENT)
    card.get_by_role("button", name=tr("Approve")).click()
    expect(card).to_contain_text(tr(TaskStatus.APPROVED.label))
    checkpoint(page, "approved")
    change.refresh_from_db()
    assert change.state == ChangeState.APPROVED

    open_nav(page, tr("Process monitoring"))
    expect(page.get_by_role("heading", level=1, name=tr("Process monitoring"))).to_be_visible()
    averages = page.get_by_role("region", name=tr("Average time per step"))
    expect(averages).to_contain_text(tr("Student status change"))
    expect(averages).not_to_contain_text("0:00:")  # times in words, not a raw timedelta
    checkpoint(page, "monitor")


def _student_with_no_open_change(counsellor: User) -> Student:
    """A student with an account in the counsellor's classes and no change under approval."""
    classes = RoleAssignment.objects.filter(user=counsellor, role=Role.COUNSELLOR).values("org")
    busy = StatusChange.objects.filter(state=ChangeState.PENDING).values("student_id")
    student = (
        Student.objects.filter(
            class_unit__in=classes, user__isnull=False, status=StudentStatus.ENROLLED
        )
        .exclude(pk__in=busy)
        .select_related("user")
        .order_by("student_number")
        .first()
    )
    assert student is not None
    return student
