"""A counsellor finds an early warning about one of their students, reads the reason, tries
to close it without saying what was done, is told, then closes it with a note; the student
sees the closed warning among their own."""

from django.utils import translation
from playwright.sync_api import Page, expect

from openvet.lrs.models import AcademicWarning, WarningStatus
from openvet.lrs.presenters import warning_reason
from openvet.lrs.selectors import can_handle_warning
from openvet.lrs.services import warnings_evaluate
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, sign_out, tr, welcome_heading

NOTE = "已与学生谈话，下周起按时上课"


def test_counsellor_closes_an_early_warning_with_a_note(
    page: Page, campus: Campus, checkpoint: Checkpoint
) -> None:
    warnings_evaluate()
    counsellor = campus.user("counsellor1")
    theirs = [
        w
        for w in AcademicWarning.objects.select_related("learner__home_org").order_by("pk")
        if can_handle_warning(counsellor, w)
    ]
    assert theirs, "the demo's counsellor has no student with a warning"
    warning = next((w for w in theirs if w.learner.username == "student1"), theirs[0])
    name = warning.learner.full_name
    with translation.override("zh-hans"):
        reason = warning_reason(warning)
        kind = str(warning.get_kind_display())
    sign_in(page, "counsellor1", campus.password)
    expect(welcome_heading(page, campus.full_name("counsellor1"))).to_be_visible()

    open_nav(page, tr("Early warnings"))
    expect(page.get_by_role("heading", level=1, name=tr("Early warnings"))).to_be_visible()
    expect(page.get_by_role("cell", name=name).first).to_be_visible()
    checkpoint(page, "list")

    page.get_by_role("link", name=f"{tr('Open the warning')} {name} {kind}").click()
    expect(page.get_by_test_id("warning-reason")).to_have_text(reason)
    page.get_by_role("button", name=tr("Acknowledge")).click()
    expect(page.get_by_test_id("warning-status")).to_have_text(tr("Acknowledged"))
    checkpoint(page, "acknowledged")

    page.get_by_role("button", name=tr("Close the warning")).click()
    expect(page.get_by_text(tr("This field is required."))).to_be_visible()
    checkpoint(page, "refused")
    warning.refresh_from_db()
    assert warning.status == WarningStatus.ACKNOWLEDGED

    page.get_by_label(tr("What was done")).fill(NOTE)
    page.get_by_role("button", name=tr("Close the warning")).click()
    expect(page.get_by_role("heading", level=1, name=tr("Early warnings"))).to_be_visible()
    expect(page.get_by_text(tr("Warning closed."))).to_be_visible()
    checkpoint(page, "closed")
    warning.refresh_from_db()
    assert (warning.status, warning.note, warning.closed_by) == (
        WarningStatus.CLOSED,
        NOTE,
        counsellor,
    )
    sign_out(page, campus.full_name("counsellor1"))

    student = warning.learner
    if student.username in campus.users:
        sign_in(page, student.username, campus.password)
        open_nav(page, tr("My academic warnings"))
        page.get_by_role("link", name=tr("Closed")).click()
        expect(page.get_by_role("cell", name=kind).first).to_be_visible()
        checkpoint(page, "student")
