"""The audit administrator reads the sign-ins that have just happened in the audit log."""

from playwright.sync_api import Page, expect

from openvet.core.models import AuditAction
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, tr, welcome_heading


def test_audit_admin_sees_the_latest_sign_ins(
    page: Page, campus: Campus, checkpoint: Checkpoint
) -> None:
    # Entries to look for: a failed and a good sign-in of a teacher of the same school.
    sign_in(page, "teacher1", "not-the-password")
    sign_in(page, "teacher1", campus.password)
    expect(welcome_heading(page, campus.full_name("teacher1"))).to_be_visible()
    page.context.clear_cookies()

    sign_in(page, "audit1", campus.password)
    expect(welcome_heading(page, campus.full_name("audit1"))).to_be_visible()
    open_nav(page, tr("Audit log"))

    expect(page.get_by_role("heading", level=1, name=tr("Audit log"))).to_be_visible()
    rows = page.get_by_role("row")
    failed = rows.filter(has_text=tr(AuditAction.LOGIN_FAILED.label)).filter(has_text="teacher1")
    expect(failed.first).to_be_visible()
    expect(
        rows.filter(has_text=tr(AuditAction.LOGIN.label))
        .filter(has_text=campus.full_name("teacher1"))
        .first
    ).to_be_visible()
    checkpoint(page)
