"""Attendance on a phone: the teacher shows the rotating code of a lecture under way, a
student signs in with it, the teacher's live list shows them; wrong and expired codes are
refused. The lecture is built around the clock, so the journey runs at any hour."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override, pgettext
from playwright.sync_api import Page, expect

from openvet.teaching.attendance import codes
from openvet.teaching.attendance.models import (
    AttendanceRecord,
    AttendanceSession,
    AttendanceStatus,
)
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, tr
from tests.e2e.teaching_support import lecture_now, student_record


def _sign_in_button() -> str:
    """The attendance page's own word for signing in (not the account sign-in)."""
    with override("zh-hans"):
        return pgettext("attendance", "Sign in")


def _wrong_code(session_id: int) -> str:
    """A six-digit code that is not valid for the session now."""
    now = timezone.now()
    return next(
        c for c in ("000000", "111111", "222222") if not codes.code_is_valid(session_id, c, now)
    )


def _expired_code(session_id: int) -> str:
    """The code the teacher's screen showed two minutes ago."""
    code, _left = codes.current_code(session_id, timezone.now() - timedelta(minutes=2))
    return code


def test_teacher_shows_a_code_and_a_student_signs_in(
    page: Page, second_page: Page, teaching: Campus, checkpoint: Checkpoint
) -> None:
    student = student_record(teaching.user("student1"))
    lecture = lecture_now(
        admin=teaching.user("admin1"),
        teacher=teaching.user("teacher1"),
        class_unit=student.class_unit,
    )

    # The teacher starts from the lecture in their timetable: course, date and period come along.
    sign_in(page, "teacher1", teaching.password)
    open_nav(page, tr("My timetable"))
    today = page.locator("[aria-current=date]:visible").first
    expect(today).to_contain_text(tr("Today"))
    lesson = page.locator(".card:visible").filter(has_text=lecture.task.course.name)
    checkpoint(page, "timetable")
    lesson.get_by_role("link", name=tr("Take attendance")).click()
    form = page.locator("form").filter(
        has=page.get_by_role("button", name=tr("Show the sign-in code"))
    )
    expect(form.get_by_label(tr("Date"))).to_have_value(lecture.day.isoformat())
    expect(form.get_by_label(tr("First period"))).to_have_value(str(lecture.period))
    expect(form.get_by_label(tr("Course"))).to_have_value(str(lecture.task.pk))
    form.get_by_role("button", name=tr("Show the sign-in code")).click()
    expect(page.get_by_text(tr("Sign-in code"), exact=True)).to_be_visible()
    session = AttendanceSession.objects.get(task=lecture.task)
    live = page.locator("#live")
    expect(live.get_by_role("listitem").filter(has_text=student.name)).to_contain_text(
        tr("Not signed in")
    )
    checkpoint(page, "code")

    sign_in(second_page, "student1", teaching.password)
    open_nav(second_page, tr("Attendance"))
    second_page.get_by_role("region", name=tr("Lectures open for sign-in")).get_by_role(
        "link"
    ).first.click()
    code_field = second_page.get_by_label(tr("Code shown by the teacher"))
    submit = second_page.get_by_role("button", name=_sign_in_button())
    code_field.fill(_wrong_code(session.pk))
    submit.click()
    refusal = tr("The code is wrong or has expired; enter the code shown now.")
    expect(second_page.get_by_text(refusal)).to_be_visible()
    second_page.get_by_label(tr("Code shown by the teacher")).fill(_expired_code(session.pk))
    second_page.get_by_role("button", name=_sign_in_button()).click()
    expect(second_page.get_by_text(refusal)).to_be_visible()
    assert not AttendanceRecord.objects.filter(session=session).exists()
    checkpoint(second_page, "refused")

    # The student scans the QR code: the camera opens the link it holds, the code filled in.
    shown = live.locator(".display-4").inner_text().strip()
    second_page.goto(reverse("teaching:sign-in", args=[session.pk]) + f"?code={shown}")
    expect(second_page.get_by_label(tr("Code shown by the teacher"))).to_have_value(shown)
    second_page.get_by_role("button", name=_sign_in_button()).click()
    expect(second_page.get_by_role("alert").first).to_contain_text(tr("You are signed in."))
    # Back on the list, the lecture's button says the student has signed in.
    record = AttendanceRecord.objects.get(session=session, student=student)
    said = tr(
        "Signed in at %(time)s (%(status)s)",
        time=timezone.localtime(record.signed_at).strftime("%H:%M"),
        status=tr(AttendanceStatus(record.status).label),
    )
    opened = second_page.get_by_role("region", name=tr("Lectures open for sign-in"))
    expect(opened).to_contain_text(said)
    expect(opened.get_by_role("link", name=_sign_in_button())).to_have_count(0)
    checkpoint(second_page, "signed-in")

    # The teacher's list refreshes itself (htmx, every 5 s).
    expect(live.get_by_role("listitem").filter(has_text=student.name)).not_to_contain_text(
        tr("Not signed in")
    )
    assert AttendanceRecord.objects.filter(session=session, student=student).exists()
    checkpoint(page, "live")

    # A status the teacher is choosing survives the list's refreshes until it is saved.
    choice = live.get_by_role("listitem").filter(has_text=student.name).get_by_label(tr("Status"))
    choice.select_option(AttendanceStatus.LATE.value)
    page.wait_for_timeout(6000)  # longer than the refresh interval
    expect(choice).to_have_value(AttendanceStatus.LATE.value)
    live.get_by_role("listitem").filter(has_text=student.name).get_by_role(
        "button", name=tr("Mark")
    ).click()
    expect(live.get_by_role("listitem").filter(has_text=student.name)).to_contain_text(
        tr(AttendanceStatus.LATE.label)
    )
    assert AttendanceRecord.objects.get(session=session, student=student).status == "late"
