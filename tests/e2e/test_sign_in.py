"""Signing in and out: wrong passwords, lockout, forced password change, idle timeout,
language switch."""

from datetime import timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from playwright.sync_api import Page, expect

from openvet.identity.tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import (
    EN,
    ZH,
    open_menu_if_collapsed,
    sign_in,
    sign_out,
    submit_sign_in,
    tr,
    welcome_heading,
)

WRONG_LOGIN = "The account or password is wrong. Please check and try again."
LOCKED = (
    "Too many failed sign-in attempts. Sign-in is locked for %(minutes)d minutes; "
    "try again later or ask the security administrator to unlock it."
)
IDLE = "Your session ended after %(minutes)d minutes without activity. Please sign in again."


def test_wrong_password_shows_the_message(
    page: Page, campus: Campus, checkpoint: Checkpoint
) -> None:
    sign_in(page, "teacher1", "not-the-password")

    expect(page.get_by_role("alert")).to_have_text(tr(WRONG_LOGIN))
    expect(page).to_have_url("/accounts/login/")
    checkpoint(page)


def test_five_wrong_passwords_lock_the_account(
    page: Page, campus: Campus, checkpoint: Checkpoint
) -> None:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    page.goto("/accounts/login/")
    for _attempt in range(4):
        submit_sign_in(page, "teacher1", "not-the-password")
        expect(page.get_by_role("alert")).to_have_text(tr(WRONG_LOGIN))

    submit_sign_in(page, "teacher1", "not-the-password")
    expect(page.get_by_role("heading", name=tr("Sign-in locked"))).to_be_visible()

    # The sixth attempt, with the right password, is refused too.
    sign_in(page, "teacher1", campus.password)
    expect(page.get_by_role("heading", name=tr("Sign-in locked"))).to_be_visible()
    expect(page.get_by_role("alert")).to_have_text(tr(LOCKED, minutes=minutes))
    expect(welcome_heading(page, campus.full_name("teacher1"))).to_have_count(0)
    checkpoint(page)


def test_initial_password_must_be_changed_first(
    page: Page, campus: Campus, checkpoint: Checkpoint
) -> None:
    newcomer = UserFactory(
        username="newcomer",
        full_name="New Teacher",
        home_org=campus.home("teacher1"),
        must_change_password=True,
    )
    sign_in(page, "newcomer", DEFAULT_PASSWORD)
    expect(page).to_have_url("/accounts/password/")
    page.goto("/")
    expect(page).to_have_url("/accounts/password/")
    expect(page.get_by_role("heading", name=tr("Change password"))).to_be_visible()
    expect(
        page.get_by_text(tr("Please replace your initial password before you continue."))
    ).to_be_visible()
    checkpoint(page, "form")

    page.get_by_label(tr("Old password"), exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_label(tr("New password"), exact=True).fill("Vocational#2027")
    page.get_by_label(tr("New password confirmation"), exact=True).fill("Vocational#2027")
    page.get_by_role("button", name=tr("Change password")).click()

    expect(welcome_heading(page, "New Teacher")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text(tr("Your password has been changed."))
    newcomer.refresh_from_db()
    assert newcomer.must_change_password is False
    assert newcomer.check_password("Vocational#2027")
    checkpoint(page, "done")


def test_language_switches_to_english_and_back(
    page: Page, campus: Campus, checkpoint: Checkpoint
) -> None:
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", ZH)
    page.get_by_label(tr("Language")).select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", EN)
    expect(page.get_by_role("heading", name=tr("OpenVET digital campus", EN))).to_be_visible()

    sign_in(page, "teacher1", campus.password, language=EN)
    expect(welcome_heading(page, campus.full_name("teacher1"), EN)).to_be_visible()
    checkpoint(page, "english")

    open_menu_if_collapsed(page, EN)
    page.get_by_label(tr("Language", EN)).select_option("zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", ZH)
    expect(welcome_heading(page, campus.full_name("teacher1"), ZH)).to_be_visible()
    checkpoint(page, "chinese")


def test_sign_out_ends_the_session(page: Page, campus: Campus, checkpoint: Checkpoint) -> None:
    sign_in(page, "student1", campus.password)
    expect(welcome_heading(page, campus.full_name("student1"))).to_be_visible()

    sign_out(page, campus.full_name("student1"))

    expect(page.get_by_role("alert")).to_contain_text(tr("You have signed out."))
    expect(page.get_by_role("button", name=tr("Sign in"), exact=True)).to_be_visible()
    checkpoint(page)
    page.goto("/")
    expect(page).to_have_url("/accounts/login/?next=/")


def _age_session(page: Page, idle: timedelta) -> None:
    """Move the session's last activity into the past, as if the user had left the desk."""
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    store: Any = import_module(settings.SESSION_ENGINE).SessionStore(session_key=cookie["value"])
    store["last_activity"] = float(store["last_activity"]) - idle.total_seconds()
    store.save()


def test_idle_session_ends_with_a_message(
    page: Page, campus: Campus, checkpoint: Checkpoint
) -> None:
    sign_in(page, "teacher1", campus.password)
    expect(welcome_heading(page, campus.full_name("teacher1"))).to_be_visible()

    _age_session(page, settings.SESSION_IDLE_TIMEOUT + timedelta(minutes=1))
    page.reload()

    minutes = int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60)
    expect(page.get_by_role("alert")).to_contain_text(tr(IDLE, minutes=minutes))
    expect(page.get_by_role("button", name=tr("Sign in"), exact=True)).to_be_visible()
    expect(welcome_heading(page, campus.full_name("teacher1"))).to_have_count(0)
    checkpoint(page)
