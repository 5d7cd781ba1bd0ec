"""The org tree browser: a school administrator expands the school and sees its departments."""

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, tr, welcome_heading


def test_school_admin_expands_the_school(
    page: Page, campus: Campus, checkpoint: Checkpoint
) -> None:
    college = campus.home("admin1")
    department = campus.home("teacher1")
    sign_in(page, "admin1", campus.password)
    expect(welcome_heading(page, campus.full_name("admin1"))).to_be_visible()

    open_nav(page, tr("Organisations"))
    expect(page.get_by_role("heading", level=1, name=tr("Organisations"))).to_be_visible()
    tree = page.get_by_role("list", name=tr("Organisation tree"))
    school_node = (
        tree.get_by_role("group")
        .filter(has=page.get_by_role("link", name=college.name, exact=True))
        .first
    )
    expect(school_node).to_be_visible()
    expect(tree.get_by_role("link", name=department.name, exact=True)).to_be_hidden()

    # The disclosure marker sits at the start of the summary line; the name is a link.
    school_node.locator("summary").first.click(position={"x": 6, "y": 10})

    expect(tree.get_by_role("link", name=department.name, exact=True)).to_be_visible()
    checkpoint(page)
