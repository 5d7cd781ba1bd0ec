"""Self-enrolment in the browser (ADR 0759-0760): teacher1 opens the course of a class
student1 is not in to the students of the school; student1 finds it in the course catalogue
from the learning space, reads its public page, enrols and opens a unit; the course is listed
in the learning space as self-enrolled; the teacher sees the new learner."""

from playwright.sync_api import Page, expect

from openvet.core.models import OrgKind, OrgUnit
from openvet.learning import services
from openvet.learning.catalogue.models import Enrolment
from openvet.learning.models import UnitKind
from openvet.teaching.tests.factories import TeachingTaskFactory
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, tr
from tests.e2e.teaching_support import demo_term, student_record

TITLE = "智能制造导论（公开课）"


def _course_of_another_class(teaching: Campus) -> int:
    teacher = teaching.user("teacher1")
    own_class_id = student_record(teaching.user("student1")).class_unit_id
    school = teaching.home("admin1")
    other_class = (
        OrgUnit.objects.filter(kind=OrgKind.CLASS, path__startswith=school.path)
        .exclude(pk=own_class_id)
        .order_by("pk")
        .first()
    )
    assert other_class is not None
    task = TeachingTaskFactory(
        term=demo_term(school), classes=[other_class], teachers=[teacher], org=other_class
    )
    course = services.course_create(
        actor=teacher, task=task, title=TITLE, description="面向全校的智能制造入门课。"
    )
    chapter = services.chapter_add(actor=teacher, course=course, title="第一章 什么是智能制造")
    services.unit_add(
        actor=teacher,
        chapter=chapter,
        kind=UnitKind.TEXT,
        title="工业 4.0 概览",
        body="<p>智能制造把设备、数据和人连在一起。</p>",
    )
    return course.pk


def test_teacher_opens_a_course_and_a_student_enrols_from_the_catalogue(
    page: Page, second_page: Page, teaching: Campus, checkpoint: Checkpoint
) -> None:
    course_id = _course_of_another_class(teaching)
    sign_in(page, "teacher1", teaching.password)
    page.goto(f"/learning/courses/{course_id}/")
    page.get_by_role("link", name=tr("Self-enrolment")).click()
    page.get_by_label(tr("Who may enrol")).select_option("school")
    page.get_by_label(tr("Number of seats")).fill("0")
    page.get_by_role("button", name=tr("Save")).click()
    expect(page.get_by_role("alert")).to_contain_text(tr("The enrolment settings were saved."))
    page.get_by_label(tr("Number of seats")).fill("30")
    page.get_by_role("button", name=tr("Save")).click()
    expect(page.get_by_role("alert")).to_contain_text(tr("The enrolment settings were saved."))
    checkpoint(page, "settings")

    student = second_page
    sign_in(student, "student1", teaching.password)
    open_nav(student, tr("My learning space"))
    student.get_by_role("link", name=tr("Find more courses")).click()
    student.get_by_label(tr("Search by title")).fill("智能制造")
    student.get_by_role("button", name=tr("Search")).click()
    checkpoint(student, "catalogue")
    student.get_by_role("link", name=TITLE).click()
    expect(student.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(student.get_by_text("工业 4.0 概览")).to_be_visible()
    expect(student.get_by_text("智能制造把设备")).to_have_count(0)
    expect(student.locator("[data-seats-left]")).to_have_text("30")
    checkpoint(student, "public-page")
    student.get_by_role("button", name=tr("Enrol and learn")).click()
    expect(student.get_by_role("alert")).to_contain_text(tr("You are enrolled. Happy learning!"))
    student.get_by_role("link", name="工业 4.0 概览").click()
    expect(student.get_by_text("智能制造把设备、数据和人连在一起。")).to_be_visible()
    checkpoint(student, "unit")
    open_nav(student, tr("My learning space"))
    card = student.get_by_role("link", name=TITLE)
    expect(card.locator("[data-self-enrolled]")).to_have_text(tr("Enrolled myself"))
    checkpoint(student, "space")
    assert Enrolment.objects.filter(course_id=course_id, ended_at__isnull=True).count() == 1

    # The teacher sees the new learner.
    page.reload()
    expect(page.get_by_role("button", name=tr("Remove from the course"))).to_be_visible()
