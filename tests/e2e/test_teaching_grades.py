"""Grades: a teacher enters a class's grades, submits them, the department head approves
(which locks the sheet), and the student reads the transcript and downloads it as a PDF."""

import io

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from openvet.teaching.grades.models import ComponentKind, GradeSheet, SheetStatus
from openvet.teaching.models import TeachingTask
from openvet.teaching.services import tasks
from openvet.teaching.students import task_roster
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, tr
from tests.e2e.teaching_support import classmates_of, demo_term, student_record


def _task_of_teacher1(teaching: Campus) -> TeachingTask:
    """A required course of student1's class in the demo term, taught by teacher1."""
    student = student_record(teaching.user("student1"))
    task = (
        TeachingTask.objects.filter(
            term=demo_term(teaching.home("admin1")), classes=student.class_unit
        )
        .select_related("course")
        .order_by("course__code")
        .first()
    )
    assert task is not None
    return tasks.task_update(
        actor=teaching.user("admin1"), task=task, teachers=[teaching.user("teacher1")]
    )


def test_grades_are_entered_locked_and_on_the_transcript(
    page: Page, second_page: Page, teaching: Campus, checkpoint: Checkpoint
) -> None:
    task = _task_of_teacher1(teaching)
    student = student_record(teaching.user("student1"))
    classmates_of(student, 35 - len(task_roster(task)))  # a class of 35: 70 scores to type

    sign_in(page, "teacher1", teaching.password)
    open_nav(page, tr("Grades"))
    row = page.get_by_role("listitem").filter(has_text=task.course.name)
    row.get_by_role("button", name=tr("Enter grades")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(task.course.name)
    # The teacher types a score in every cell of the class (two per student); one is out of
    # range and one is not a number.
    kinds = (ComponentKind.USUAL, ComponentKind.FINAL)
    roster = list(task_roster(task))
    typed = {
        (s.pk, k): str(60 + (i * 7 + j * 3) % 40)
        for i, s in enumerate(roster)
        for j, k in enumerate(kinds)
    }
    typed[(student.pk, ComponentKind.USUAL)] = "88"
    typed[(student.pk, ComponentKind.FINAL)] = "105"
    classmate = next(s for s in roster if s.pk != student.pk)
    typed[(classmate.pk, ComponentKind.USUAL)] = "abc"
    for (student_id, kind), value in typed.items():
        page.locator(f"#g_{student_id}_{kind}").fill(value)
    page.get_by_role("button", name=tr("Save grades")).click()
    expect(page.get_by_role("alert").first).to_contain_text(
        tr("Some grades are not valid; nothing was saved.")
    )
    assert not GradeSheet.objects.get(task=task).grades.exists()  # nothing half written
    bad = {(student.pk, ComponentKind.FINAL), (classmate.pk, ComponentKind.USUAL)}
    for student_id, kind in bad:
        cell = page.locator(f"#g_{student_id}_{kind}")
        expect(cell).to_have_attribute("aria-invalid", "true")
        expect(page.locator(f"#g_{student_id}_{kind}-error")).to_have_text(
            tr("Enter a score from 0 to 100.")
        )
    assert page.locator("[aria-invalid=true]").count() == 2
    kept = {key: page.locator(f"#g_{key[0]}_{key[1]}").input_value() for key in typed}
    assert kept == typed  # every value typed is still there, the bad ones included
    page.locator(f"#g_{student.pk}_{ComponentKind.FINAL}").scroll_into_view_if_needed()
    checkpoint(page, "refused")
    page.locator(f"#g_{student.pk}_{ComponentKind.FINAL}").fill("92")
    page.locator(f"#g_{classmate.pk}_{ComponentKind.USUAL}").fill("75")
    page.get_by_role("button", name=tr("Save grades")).click()
    expect(page.get_by_role("alert").first).to_contain_text(tr("The grades were saved."))
    assert GradeSheet.objects.get(task=task).grades.count() == len(roster)
    expect(page.get_by_role("cell", name="90.8")).to_be_visible()  # 88 x 30% + 92 x 70%
    page.get_by_role("button", name=tr("Submit for department approval")).click()
    expect(page.get_by_role("alert").first).to_contain_text(
        tr("The grades were submitted for approval.")
    )
    checkpoint(page, "submitted")

    sign_in(second_page, "head1", teaching.password)
    second_page.goto("/workflow/tasks/")
    request = second_page.get_by_role("listitem").filter(has_text=task.course.name)
    request.get_by_role("button", name=tr("Approve")).click()
    expect(second_page.get_by_role("listitem").filter(has_text=task.course.name)).to_contain_text(
        tr("Approved")
    )
    assert GradeSheet.objects.get(task=task).status == SheetStatus.LOCKED
    # Not checked by axe: the approvals page (workflow app) has a low-contrast outline button.
    checkpoint(second_page, "approved", axe=False)

    second_page.context.clear_cookies()
    sign_in(second_page, "student1", teaching.password)
    open_nav(second_page, tr("Grades"))
    second_page.get_by_role("link", name=tr("My transcript")).click()
    expect(second_page.get_by_role("heading", level=1, name=tr("Transcript"))).to_be_visible()
    expect(second_page.get_by_role("row").filter(has_text=task.course.name)).to_contain_text("90.8")
    checkpoint(second_page, "transcript")
    with second_page.expect_download() as download:
        second_page.get_by_role("link", name=tr("Download PDF")).click()
    pdf = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert task.course.code in text
    assert "90.8" in text
    assert student.student_number in text
