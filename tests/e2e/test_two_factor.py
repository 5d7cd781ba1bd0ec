"""An administrator enrols an authenticator app at the first sign-in."""

from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import sign_in, totp_code, tr, welcome_heading

CODE_LABEL = "Six-digit code from your authenticator app"


def test_administrator_enrols_totp(
    page: Page, campus: Campus, checkpoint: Checkpoint, settings: Any
) -> None:
    settings.REQUIRE_ADMIN_TOTP = True
    # django-otp refuses any code for a second after a wrong one; a person never types that
    # fast, a browser robot does. The throttle has its own tests.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    sign_in(page, "admin1", campus.password)

    expect(page).to_have_url("/accounts/two-factor/")
    expect(page.get_by_role("heading", name=tr("Two-factor sign-in"))).to_be_visible()
    expect(page.get_by_role("img", name=tr("QR code for your authenticator app"))).to_be_visible()
    checkpoint(page, "enrol")
    code = totp_code(page.get_by_test_id("totp-secret").inner_text())

    wrong = f"{(int(code) + 500_000) % 1_000_000:06d}"
    page.get_by_label(tr(CODE_LABEL)).fill(wrong)
    page.get_by_role("button", name=tr("Confirm")).click()
    expect(
        page.get_by_text(tr("This code is wrong or has expired. Enter the current code."))
    ).to_be_visible()

    page.get_by_label(tr(CODE_LABEL)).fill(code)
    page.get_by_role("button", name=tr("Confirm")).click()

    expect(welcome_heading(page, campus.full_name("admin1"))).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text(tr("Two-factor sign-in confirmed."))
    checkpoint(page, "confirmed")
