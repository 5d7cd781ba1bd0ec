"""Learning analytics in the browser: a teacher opens the dashboard of their online course from
the learning space, reads who is active and who has not started, and drills into a student's
timeline; a school administrator opens the school's dashboard from the menu, goes down to a
department and exports its table as xlsx."""

import io

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from openvet.core.models import OrgUnit
from openvet.demo.seed_learning import seed_learning
from openvet.demo.seed_learning_records import seed_learning_records
from openvet.learning.models import OnlineCourse
from openvet.lrs.analytics import learners_under
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, sign_out, tr


def test_teacher_reads_the_course_dashboard_and_a_school_exports_its_table(
    page: Page, teaching: Campus, checkpoint: Checkpoint
) -> None:
    seed_learning()
    seed_learning_records()
    course = OnlineCourse.objects.select_related("task__course").get(
        task__teachers=teaching.user("teacher1")
    )
    title = tr("Learning analytics of %(course)s", course=course.task.course.name)

    sign_in(page, "teacher1", teaching.password)
    open_nav(page, tr("My online courses"))
    page.get_by_role("link", name=tr("Learning analytics")).first.click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    expect(page.get_by_role("heading", name=tr("Active learners per week"))).to_be_visible()
    learners = page.locator("table tbody")
    expect(learners.locator("tr")).not_to_have_count(0)
    expect(page.locator("[data-figure=active]")).not_to_have_text("0")
    checkpoint(page, "course")

    first = learners.locator("th[scope=row] a").first
    name = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    checkpoint(page, "timeline")
    sign_out(page, teaching.full_name("teacher1"))

    sign_in(page, "admin1", teaching.password)
    open_nav(page, tr("Learning analytics"))
    school = page.get_by_role("heading", level=1)
    expect(school).to_contain_text(tr("Learning analytics"))
    rows = page.locator("#rows-heading").locator("xpath=ancestor::section")
    expect(rows.locator("tbody tr")).not_to_have_count(1)  # departments, then the total
    checkpoint(page, "school")

    department = rows.locator("th[scope=row] a").first
    department_name = department.inner_text()
    department.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(department_name)
    checkpoint(page, "department")

    with page.expect_download() as download:
        page.get_by_role("link", name=tr("Export this table (.xlsx)")).first.click()
    content = download.value.path().read_bytes()
    sheet = load_workbook(io.BytesIO(content)).active
    table = list(sheet.iter_rows(values_only=True))
    assert table[0][1] == tr("Learners")
    total = table[-1]  # the department itself, after its majors
    assert total[0] == department_name
    org = OrgUnit.objects.get(pk=int(page.url.rstrip("/").split("/")[-1]))
    assert total[1] == len(learners_under([org.path]))
