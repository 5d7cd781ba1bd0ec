"""A school administrator makes a new version of the student status-change process: adds a
step, is told about a clash of order numbers, fixes it, and sees the new version in force."""

from django.utils.translation import pgettext_lazy
from playwright.sync_api import Page, expect

from openvet.core.roles import Role
from openvet.core.selectors import org_school_of
from openvet.workflow.models import ProcessDefinition
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, tr, welcome_heading

CODE = "records.status_change"
NEW_STEP = "Student affairs office"
ORDER = pgettext_lazy("position of a step", "Order")


def test_school_admin_makes_a_new_version_of_a_process(
    page: Page, campus: Campus, checkpoint: Checkpoint
) -> None:
    school = org_school_of(campus.home("admin1"))
    assert school is not None
    sign_in(page, "admin1", campus.password)
    expect(welcome_heading(page, campus.full_name("admin1"))).to_be_visible()

    open_nav(page, tr("Approval processes"))
    expect(page.get_by_role("heading", level=1, name=tr("Approval processes"))).to_be_visible()
    checkpoint(page, "list")
    page.get_by_role("link", name=tr("Student status change")).click()
    expect(page.get_by_role("heading", level=1, name=tr("Student status change"))).to_be_visible()
    expect(page.get_by_text(tr("Platform default · version %(version)s", version=1)).first)
    checkpoint(page, "detail")

    page.get_by_role("link", name=tr("New version")).click()
    expect(
        page.get_by_role(
            "heading",
            level=1,
            name=tr("New version of %(process)s", process=tr("Student status change")),
        )
    ).to_be_visible()
    page.get_by_role("button", name=tr("Add a step")).click()
    added = page.get_by_role("group", name=tr("Step %(number)s", number=5))
    expect(added).to_be_visible()
    # The new step goes third, but keeps the order number of the step already there.
    added.get_by_label(tr(ORDER)).fill("3")
    added.get_by_label(tr("Step name")).fill(NEW_STEP)
    added.get_by_label(tr(Role.SCHOOL_ADMIN.label)).check()
    added.get_by_role("spinbutton", name=tr("Deadline")).fill("2")
    added.get_by_label(tr("Deadline unit")).select_option("days")
    checkpoint(page, "form")
    page.get_by_role("button", name=tr("Save new version")).click()

    clash = tr("Two steps cannot share the order number %(order)s.", order=3)
    expect(page.get_by_role("alert")).to_contain_text(clash)
    checkpoint(page, "error")
    assert not ProcessDefinition.objects.filter(code=CODE, school=school).exists()

    steps = [page.get_by_role("group", name=tr("Step %(number)s", number=n)) for n in (3, 4)]
    steps[0].get_by_label(tr(ORDER)).fill("4")
    steps[1].get_by_label(tr(ORDER)).fill("5")
    page.get_by_role("button", name=tr("Save new version")).click()

    expect(page.get_by_role("heading", level=1, name=tr("Student status change"))).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text(
        tr("Version %(version)s is now in force for %(school)s.", version=1, school=school.name)
    )
    in_force = page.get_by_role("region", name=tr("In force"))
    expect(in_force).to_contain_text(tr("This school · version %(version)s", version=1))
    expect(in_force.get_by_role("listitem").nth(2)).to_contain_text(NEW_STEP)
    checkpoint(page, "saved")
    version = ProcessDefinition.objects.get(code=CODE, school=school, is_active=True)
    assert list(version.steps.order_by("order").values_list("name", "deadline_hours")) == [
        ("Counsellor", 72),
        ("Department", 72),
        (NEW_STEP, 48),
        ("Academic affairs", 120),
        ("Receiving school", 120),
    ]
