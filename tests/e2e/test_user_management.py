"""A school administrator creates an account (fixing a bad ID number) and grants it a role."""

from playwright.sync_api import Page, expect

from openvet.core.roles import Role
from openvet.identity.models import RoleAssignment, User
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import (
    citizen_id,
    exact,
    open_nav,
    sign_in,
    tr,
    welcome_heading,
    wrong_check_digit,
)

ID_NUMBER = citizen_id("33010619900307123")


def test_school_admin_creates_a_user_and_grants_a_role(
    page: Page, campus: Campus, checkpoint: Checkpoint
) -> None:
    department = campus.home("teacher1")
    sign_in(page, "admin1", campus.password)
    expect(welcome_heading(page, campus.full_name("admin1"))).to_be_visible()

    open_nav(page, tr("Users"))
    expect(page.get_by_role("heading", level=1, name=tr("Users"))).to_be_visible()
    checkpoint(page, "list")
    page.get_by_role("link", name=tr("New user")).click()
    expect(page.get_by_role("heading", level=1, name=tr("New user"))).to_be_visible()

    page.get_by_label(tr("Username"), exact=True).fill("newteacher")
    page.get_by_label(tr("Full name")).fill("Wang Fang")
    page.get_by_label(tr("Student or staff number")).fill("T2026001")
    page.get_by_label(tr("Organisation")).select_option(str(department.pk))
    page.get_by_label(tr("Citizen ID number")).fill(wrong_check_digit(ID_NUMBER))
    page.get_by_label(tr("Initial password")).fill("Vocational#2027")
    page.get_by_role("button", name=tr("Create account")).click()

    check_digit_error = tr("The check digit of this ID number is wrong.")
    expect(page.get_by_text(check_digit_error)).to_be_visible()
    # The message is tied to its field, so a screen reader reads it with the field.
    expect(page.get_by_label(tr("Citizen ID number"))).to_have_accessible_description(
        check_digit_error
    )
    checkpoint(page, "error")
    assert not User.objects.filter(username="newteacher").exists()

    page.get_by_label(tr("Citizen ID number")).fill(ID_NUMBER)
    page.get_by_label(tr("Initial password")).fill("Vocational#2027")
    page.get_by_role("button", name=tr("Create account")).click()

    expect(page.get_by_role("heading", level=1, name="Wang Fang")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text(
        tr("The account %(username)s was created.", username="newteacher")
    )
    created = User.objects.get(username="newteacher")
    assert created.must_change_password is True
    assert created.id_number == ID_NUMBER

    page.get_by_role("link", name=exact(tr("Grant role"))).click()
    page.get_by_label(tr("Role")).select_option(Role.TEACHER.value)
    page.get_by_label(tr("Organisation")).select_option(str(department.pk))
    page.get_by_role("button", name=tr("Grant role")).click()

    expect(page.get_by_role("heading", level=1, name="Wang Fang")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=department.name)).to_contain_text(
        tr(Role.TEACHER.label)
    )
    assert RoleAssignment.objects.filter(user=created, role=Role.TEACHER, org=department).exists()
    checkpoint(page, "granted")
