"""A learning path in the browser: a teacher builds a three-step path from the library by
search, moves a step up and publishes it; a student follows it, opens the first step and the
path shows their progress and where to continue."""

from playwright.sync_api import Page, expect

from openvet.identity.models import User
from openvet.resources.models import LearningPath
from openvet.resources.tests.factories import MAJOR, make_resource
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, sign_out, tr, welcome_heading

PATH = "网页设计入门路径"
STEPS = ("网页布局第一课", "网页布局第二课", "网页布局第三课")


def _signed_in(page: Page, campus: Campus, username: str) -> None:
    sign_in(page, username, campus.password)
    expect(welcome_heading(page, campus.full_name(username))).to_be_visible()


def _step_titles(page: Page) -> list[str]:
    steps = page.get_by_test_id("path-steps").get_by_test_id("path-step")
    return [steps.nth(n).get_by_role("link").first.inner_text() for n in range(steps.count())]


def test_a_teacher_builds_a_path_and_a_student_follows_it(
    page: Page, campus: Campus, checkpoint: Checkpoint
) -> None:
    teacher: User = campus.user("teacher1")
    for title in STEPS:
        make_resource(teacher, publish=True, title=title, keywords="网页布局")

    _signed_in(page, campus, "teacher1")
    open_nav(page, tr("Learning paths"))
    page.get_by_label(tr("Title")).fill(PATH)
    page.get_by_label(tr("Major")).select_option(MAJOR)
    page.get_by_role("button", name=tr("Create the draft")).click()
    expect(page.get_by_role("alert").first).to_contain_text(
        tr("The draft path was created: now add its steps.")
    )
    page.get_by_label(tr("Search resources")).fill("网页布局")
    page.get_by_role("button", name=tr("Search"), exact=True).click()
    for n, title in enumerate(STEPS, 1):
        page.get_by_role("button", name=f"{tr('Add')} {title}").click()
        expect(page.get_by_role("alert").first).to_contain_text(
            tr("Added as step %(number)s.", number=n)
        )
    assert _step_titles(page) == list(STEPS)
    page.get_by_role("button", name=tr("Move “%(title)s” up", title=STEPS[2])).click()
    expect(page.get_by_test_id("path-step").nth(1)).to_contain_text(STEPS[2])
    assert _step_titles(page) == [STEPS[0], STEPS[2], STEPS[1]]
    checkpoint(page, "path-built")
    page.get_by_role("button", name=tr("Publish"), exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text(
        tr("Published: the school's learners see the path.")
    )
    assert LearningPath.objects.get(title=PATH).is_published
    sign_out(page, campus.full_name("teacher1"))

    _signed_in(page, campus, "student1")
    open_nav(page, tr("Learning paths"))
    page.get_by_role("link", name=PATH).click()
    expect(page.get_by_test_id("path-progress")).to_have_text(
        tr("%(done)s of %(total)s steps done", done=0, total=3)
    )
    page.get_by_role("link", name=f"{tr('Start:')} {STEPS[0]}").click()
    expect(page.get_by_role("heading", level=1, name=STEPS[0])).to_be_visible()
    page.go_back()
    page.reload()
    expect(page.get_by_test_id("path-progress")).to_have_text(
        tr("%(done)s of %(total)s steps done", done=1, total=3)
    )
    expect(
        page.get_by_role("link", name=f"{tr('Continue where I stopped:')} {STEPS[2]}")
    ).to_be_visible()
    checkpoint(page, "path-followed")
