"""Evidence-based learning in the browser (ADR 0730-0733): a student's video stops at a
checkpoint question, the student answers it and the video goes on to its end; the teacher
sees the students' experience points, applies them to the coursework (平时成绩) column of
the grade sheet and opens the integrity report."""

from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect

from openvet.learning import checkpoints, services
from openvet.learning.evidence_models import CheckpointAnswer
from openvet.learning.models import Progress, QuestionKind, UnitKind
from openvet.resources.samples import LESSON_VIDEO
from openvet.teaching.grades.models import Grade
from openvet.teaching.students import task_roster
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import sign_in, tr
from tests.e2e.teaching_support import student_record
from tests.e2e.test_learning import _task_of_teacher1


def test_checkpoint_in_a_video_points_into_the_grade_sheet_and_integrity_report(
    page: Page, second_page: Page, teaching: Campus, checkpoint: Checkpoint
) -> None:
    task = _task_of_teacher1(teaching)
    teacher = teaching.user("teacher1")
    course = services.course_create(actor=teacher, task=task, title="网页设计（经验值）")
    chapter = services.chapter_add(actor=teacher, course=course, title="第一章 页面结构")
    video = services.unit_add(
        actor=teacher,
        chapter=chapter,
        kind=UnitKind.VIDEO,
        title="结构讲解",
        file=SimpleUploadedFile("lesson.mp4", LESSON_VIDEO.read_bytes(), content_type="video/mp4"),
    )
    question = services.question_add(
        actor=teacher,
        course=course,
        kind=QuestionKind.SINGLE,
        text="网页的标题写在哪个元素里？",
        choices=["title 元素", "body 元素"],
        answer=[0],
        points=1,
    )
    checkpoints.checkpoint_add(actor=teacher, unit=video, at_seconds=4, question=question)

    # The student's video stops at the question; answering it lets the video go on.
    student = second_page
    sign_in(student, "student1", teaching.password)
    student.goto(f"/learning/units/{video.pk}/")
    expect(student.locator("video")).to_be_attached()
    student.locator("video").evaluate("""video => { video.muted = true; return video.play(); }""")
    box = student.locator("[data-checkpoint-box]")
    expect(box).to_be_visible(timeout=20_000)
    assert student.locator("video").evaluate("video => video.paused")
    expect(box).to_contain_text("网页的标题写在哪个元素里？")
    checkpoint(student, "checkpoint-question")
    student.get_by_role("button", name=tr("Answer and go on")).click()
    expect(box.get_by_role("alert")).to_contain_text(tr("Choose an answer."))
    box.get_by_label("title 元素").check()
    student.get_by_role("button", name=tr("Answer and go on")).click()
    expect(student.locator("[data-checkpoint-result]")).to_contain_text(
        tr("Right. Go on watching.")
    )
    expect(box).to_be_hidden()
    student.locator("video").evaluate(
        """video => video.ended ? true : new Promise(resolve =>
            video.addEventListener("ended", () => resolve(true), {once: true}))"""
    )
    expect(student.locator("[data-player-status]")).to_contain_text("100%", timeout=15_000)
    checkpoint(student, "checkpoint-answered")
    learner = teaching.user("student1")
    assert CheckpointAnswer.objects.get(user=learner).correct
    assert Progress.objects.get(unit=video, user=learner).completed_at is not None

    # The student sees their own points.
    student.goto(f"/learning/courses/{course.pk}/")
    student.get_by_role("link", name=tr("My points")).click()
    expect(student.get_by_role("heading", level=1)).to_have_text(tr("Experience points"))
    checkpoint(student, "my-points")

    # The teacher previews the points and applies them to the grade sheet.
    sign_in(page, "teacher1", teaching.password)
    page.goto(f"/learning/courses/{course.pk}/")
    page.get_by_role("link", name=tr("Points of the students")).click()
    name = student_record(learner).name
    row = page.get_by_role("row").filter(has_text=name)
    expect(row.locator("[data-usual]")).to_have_text("100.0")
    checkpoint(page, "points-preview")
    page.get_by_role("button", name=tr("Apply to the grade sheet")).click()
    expect(page.get_by_role("alert").first).to_contain_text(
        tr(
            "The coursework scores of %(n)s students were written to the grade sheet.",
            n=len(task_roster(task)),
        )
    )
    assert Grade.objects.get(sheet__task=task, student__user=learner).scores["usual"] == "100.0"

    page.goto(f"/learning/courses/{course.pk}/")
    page.get_by_role("link", name=tr("Integrity report")).click()
    expect(page.get_by_text(tr("No student is flagged."))).to_be_visible()
    checkpoint(page, "integrity-report")
