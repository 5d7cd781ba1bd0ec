"""Course groups and group documents in the browser (ADR 0756-0757, 0762): the teacher deals
the class into random groups; a student finds their group from the course page, writes a
document, is refused a save that another save overtook (their text kept, the differences
shown), saves again, compares two versions and restores the first; the teacher reads and
comments. The teacher deals groups in student-number order, renames one and moves a student,
who finds the group on the course page. Then the teacher's learning space: what waits in each
course, and the public page turned on."""

from types import SimpleNamespace

from playwright.sync_api import Page, expect

from openvet.core.roles import Role
from openvet.identity.tests.factories import UserFactory, grant
from openvet.learning import services
from openvet.learning.collab import selectors as collab
from openvet.learning.collab import services as collab_services
from openvet.learning.collab.models import GroupDocument
from openvet.learning.space.models import TeacherProfile
from openvet.records.tests.factories import student as records_student
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import sign_in, tr
from tests.e2e.teaching_support import student_record
from tests.e2e.test_learning import _task_of_teacher1


def _course(teaching: Campus) -> int:
    teacher = teaching.user("teacher1")
    course = services.course_create(
        actor=teacher, task=_task_of_teacher1(teaching), title="数控车削（小组）"
    )
    return course.pk


def _classmates_with_accounts(teaching: Campus, count: int) -> None:
    """``count`` more learners with accounts in student1's class, so there is a class to deal."""
    record = student_record(teaching.user("student1"))
    holder = SimpleNamespace(
        school=record.school,
        department=record.department,
        major=record.major,
        klass=record.class_unit,
    )
    for n in range(1, count + 1):
        user = UserFactory(home_org=record.class_unit, full_name=f"组员{n:02d}")
        grant(user, Role.STUDENT, record.class_unit)
        records_student(holder, user=user, name=f"组员{n:02d}", grade_year=record.grade_year)


def test_group_writes_a_document_with_versions_and_the_teacher_comments(
    page: Page, second_page: Page, teaching: Campus, checkpoint: Checkpoint
) -> None:
    course_id = _course(teaching)
    sign_in(page, "teacher1", teaching.password)
    page.goto(f"/learning/courses/{course_id}/")
    page.get_by_role("link", name=tr("Groups"), exact=True).click()
    page.get_by_label(tr("Learners per group")).fill("3")
    page.get_by_role("button", name=tr("Deal into groups")).click()
    expect(page.get_by_role("alert")).to_contain_text(
        tr("The learners were dealt into groups at random.")
    )
    checkpoint(page, "groups")

    student = second_page
    sign_in(student, "student1", teaching.password)
    student.goto(f"/learning/courses/{course_id}/")
    student.get_by_role("link", name=tr("Groups"), exact=True).click()
    mine = collab.group_of(course_id=course_id, user_id=teaching.user("student1").pk)
    assert mine is not None
    expect(student.get_by_role("heading", level=1)).to_have_text(mine.name)
    student.get_by_label(tr("Title of the document")).fill("实训分工")
    student.get_by_label(tr("Text")).fill("组长：对刀\n记录员：填表")
    student.get_by_role("button", name=tr("Save the document")).click()
    expect(student.get_by_role("alert")).to_contain_text(tr("The document was saved as version 1."))
    document = GroupDocument.objects.get()

    # Another save overtakes the student's edit: refused, their text kept.
    student.get_by_label(tr("Text")).fill("组长：对刀和安全检查\n记录员：填表")
    collab_services.document_save(
        actor=teaching.user("student1"),
        document=document,
        text="组长：对刀\n记录员：填表\n操作员：车外圆",
        base_version=1,
    )
    student.get_by_role("button", name=tr("Save as a new version")).click()
    expect(student.get_by_role("alert").first).to_contain_text(
        tr(collab_services.EditConflict.default_message)
    )
    expect(student.get_by_label(tr("Text"))).to_have_value("组长：对刀和安全检查\n记录员：填表")
    checkpoint(student, "conflict")
    student.get_by_role("button", name=tr("Save as a new version")).click()
    expect(student.get_by_role("alert")).to_contain_text(
        tr("Your changes were saved as a new version.")
    )

    student.get_by_role("link", name=tr("Version history")).click()
    student.get_by_label(tr("From version")).select_option("1")
    student.get_by_label(tr("To version")).select_option("3")
    student.get_by_role("button", name=tr("Compare")).click()
    expect(student.get_by_text("组长：对刀和安全检查")).to_be_visible()
    checkpoint(student, "history")
    student.get_by_role("link", name=tr("Version %(n)s", n=1), exact=True).click()
    student.get_by_role("button", name=tr("Restore this version")).click()
    expect(student.get_by_role("alert")).to_contain_text(
        tr("Version %(n)s was restored as the newest version.", n=1)
    )
    document.refresh_from_db()
    assert document.version == 4
    assert document.versions.get(number=4).source == "组长：对刀\n记录员：填表"

    page.goto(f"/learning/documents/{document.pk}/")
    expect(page.get_by_role("button", name=tr("Save as a new version"))).to_have_count(0)
    page.get_by_label(tr("Your comment")).fill("分工清楚，请补充检验员。")
    page.get_by_role("button", name=tr("Post the comment")).click()
    expect(page.get_by_role("alert")).to_contain_text(tr("Your comment was posted."))
    checkpoint(page, "teacher-comment")


def test_teacher_deals_renames_and_moves_and_the_student_sees_the_group(
    page: Page, second_page: Page, teaching: Campus, checkpoint: Checkpoint
) -> None:
    """ADR 0762: two groups dealt in student-number order, one renamed, a student moved into
    it; the student finds the group, its members and documents on the course page."""
    course_id = _course(teaching)
    _classmates_with_accounts(teaching, 3)
    student = teaching.user("student1")
    sign_in(page, "teacher1", teaching.password)
    page.goto(f"/learning/courses/{course_id}/groups/")
    page.get_by_label(tr("In student-number order")).check()
    page.get_by_label(tr("Or: number of groups")).fill("2")
    page.get_by_role("button", name=tr("Deal into groups")).click()
    expect(page.get_by_role("alert")).to_contain_text(
        tr("The learners were dealt into groups in student-number order.")
    )
    mine = collab.group_of(course_id=course_id, user_id=student.pk)
    other = next(g for g in collab.groups_of(course_id=course_id) if g != mine)
    assert mine is not None

    card = page.locator(f"section[aria-labelledby='group-{other.id}']")
    card.get_by_text(tr("Rename or delete")).click()
    card.get_by_label(tr("New name")).fill("车工一组")
    checkpoint(page, "rename")
    card.get_by_role("button", name=tr("Rename"), exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(tr("The group was renamed."))

    move = page.get_by_label(tr("Move %(name)s to", name=student.full_name))
    move.select_option(label="车工一组")
    page.locator("form", has=move).get_by_role("button", name=tr("Move")).click()
    expect(page.get_by_role("alert")).to_contain_text(tr("The learner was moved."))
    moved = collab.group_of(course_id=course_id, user_id=student.pk)
    assert moved is not None
    assert (moved.id, moved.name) == (other.id, "车工一组")
    checkpoint(page, "groups")

    sign_in(second_page, "student1", teaching.password)
    second_page.goto(f"/learning/courses/{course_id}/")
    box = second_page.locator("section[aria-labelledby='my-group-heading']")
    expect(box.get_by_role("heading", name=tr("My group"))).to_be_visible()
    expect(box.get_by_role("link", name="车工一组")).to_be_visible()
    expect(box).to_contain_text(student.full_name)
    checkpoint(second_page, "student-course")
    box.get_by_role("link", name=tr("Open my group")).click()
    expect(second_page.get_by_role("heading", level=1)).to_have_text("车工一组")


def test_teacher_space_shows_what_waits_and_a_public_page(
    page: Page, second_page: Page, teaching: Campus, checkpoint: Checkpoint
) -> None:
    _course(teaching)
    sign_in(page, "teacher1", teaching.password)
    page.goto("/learning/")
    page.get_by_role("link", name=tr("My teaching space")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("My teaching space"))
    expect(page.get_by_role("link", name="数控车削（小组）")).to_be_visible()
    page.get_by_label(tr("Show my public teaching page")).check()
    page.get_by_label(tr("About me")).fill("数控车工高级技师，主讲数控车削。")
    page.get_by_role("button", name=tr("Save"), exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(tr("Your public page settings were saved."))
    checkpoint(page, "teacher-space")
    token = TeacherProfile.objects.get().token
    second_page.goto(f"/learning/teachers/{token}/")
    expect(second_page.get_by_text("数控车工高级技师，主讲数控车削。")).to_be_visible()
    expect(second_page.get_by_text("数控车削（小组）")).to_be_visible()
    checkpoint(second_page, "teacher-public")
