"""Assignments and discussions in the browser: the teacher adds an assignment with a deadline
and a rubric to an online course; a student of the class hands in on a 360 px phone; the
teacher sees who has not handed in, grades on the rubric with comments, and the student sees
the grade. In the course's discussions the student posts and the teacher hides the post with
a reason, which the student then sees in its place."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from openvet.learning import services
from openvet.learning.assignments.models import Submission
from openvet.learning.discussions.models import Post
from openvet.learning.models import OnlineCourse
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import sign_in, tr
from tests.e2e.teaching_support import classmates_of, student_record
from tests.e2e.test_learning import _add_unit, _task_of_teacher1


def _course(teaching: Campus) -> OnlineCourse:
    task = _task_of_teacher1(teaching)
    course = services.course_create(
        actor=teaching.user("teacher1"), task=task, title="数控车削（作业）"
    )
    services.chapter_add(actor=teaching.user("teacher1"), course=course, title="第一章 车削基础")
    return course


def test_teacher_sets_an_assignment_student_hands_in_teacher_grades(
    page: Page, second_page: Page, teaching: Campus, checkpoint: Checkpoint, viewport: str
) -> None:
    course = _course(teaching)
    record = student_record(teaching.user("student1"))
    student_name = record.name
    others = classmates_of(record, 2)  # who has not handed in

    sign_in(page, "teacher1", teaching.password)
    page.goto(f"/learning/courses/{course.pk}/")
    _add_unit(page, "第一章 车削基础", "作业")
    page.get_by_label(tr("Title"), exact=True).fill("阶梯轴加工工艺")
    page.get_by_label(tr("Text"), exact=True).fill("写出阶梯轴的加工步骤和安全要点。")
    due = timezone.localtime() + timedelta(days=3)
    page.get_by_label(tr("Deadline of the assignment")).fill(due.strftime("%Y-%m-%dT%H:%M"))
    checkpoint(page, "assignment-form")
    page.get_by_role("button", name=tr("Add the unit")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("阶梯轴加工工艺")
    page.get_by_label(tr("Criterion"), exact=True).fill("工艺步骤")
    page.get_by_label(tr("Levels and points")).fill("优秀 10\n合格 6\n不合格 0")
    page.get_by_role("button", name=tr("Add the criterion")).click()
    expect(page.get_by_role("alert")).to_contain_text(tr("The criterion was added to the rubric."))
    expect(page.get_by_role("table")).to_contain_text("合格 6")
    checkpoint(page, "rubric")

    # The student hands in on the phone.
    student = second_page
    if viewport == "phone":
        student.set_viewport_size({"width": 360, "height": 780})
    sign_in(student, "student1", teaching.password)
    student.goto(f"/learning/courses/{course.pk}/")
    student.get_by_role("link", name="阶梯轴加工工艺").click()
    expect(student.get_by_text("写出阶梯轴的加工步骤和安全要点。")).to_be_visible()
    student.get_by_label(tr("Your answer")).fill("先车端面，再粗车外圆，最后精车；戴好护目镜。")
    checkpoint(student, "student-hand-in")
    student.get_by_role("button", name=tr("Hand in my work")).click()
    expect(student.get_by_role("alert")).to_contain_text(tr("Your work was handed in."))
    expect(student.get_by_text(tr("Waiting for grading"))).to_be_visible()
    assert Submission.objects.get().text.startswith("先车端面")

    # The teacher goes from the course page to the submissions and grades on the rubric.
    page.goto(f"/learning/courses/{course.pk}/")
    page.get_by_role("link", name=tr("Submissions (%(n)s)", n=1)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("阶梯轴加工工艺")
    missing = page.get_by_role("region").filter(has_text="名学生未提交")
    expect(missing).to_be_visible()
    expect(missing).to_contain_text(others[0].name)
    expect(missing).to_contain_text(others[1].name)
    expect(missing).not_to_contain_text(student_name)
    checkpoint(page, "submissions")
    page.get_by_role("link", name=student_name).click()
    page.get_by_label("合格（6）").check()
    page.get_by_label(tr("Comment on %(criterion)s", criterion="工艺步骤")).fill(
        "步骤完整，缺少切削参数。"
    )
    page.get_by_label(tr("Overall comment")).fill("注意补充切削用量。")
    checkpoint(page, "grade")
    page.get_by_role("button", name=tr("Save the grade")).click()
    expect(page.get_by_role("alert")).to_contain_text(tr("The submission was graded."))

    student.reload()
    expect(
        student.get_by_text(tr("Grade: %(score)s of %(max)s points", score="6.00", max="10"))
    ).to_be_visible()
    expect(student.get_by_text("步骤完整，缺少切削参数。")).to_be_visible()
    expect(student.get_by_text("注意补充切削用量。")).to_be_visible()
    checkpoint(student, "student-grade")

    # A discussion post, hidden by the teacher.
    student.get_by_role("link", name=course.title).click()
    student.get_by_role("link", name=tr("Discussions")).click()
    student.get_by_label(tr("Title of the topic")).fill("护目镜在哪领？")
    student.get_by_label(tr("Text"), exact=True).fill("实训室没有护目镜了，广告：代写作业")
    student.get_by_role("button", name=tr("Post the topic")).click()
    expect(student.get_by_role("alert")).to_contain_text(tr("The topic was posted."))
    post = Post.objects.get()
    # The student changes the post at once, within the editing time; it then says so.
    student.locator(f"a[href$='/learning/posts/{post.pk}/edit/']").click()
    expect(student.get_by_role("heading", level=1)).to_have_text(tr("Change your post"))
    student.get_by_label(tr("Your post")).fill("实训室没有护目镜了，去哪里领？广告：代写作业")
    student.get_by_role("button", name=tr("Save the change")).click()
    expect(student.get_by_role("alert")).to_contain_text(tr("Your post was changed."))
    expect(student.get_by_text(tr("edited"), exact=True)).to_be_visible()
    checkpoint(student, "post-changed")
    page.goto(f"/learning/topics/{post.topic_id}/")
    page.get_by_text(tr("Hide this post")).click()
    page.get_by_label(tr("Reason for hiding")).fill("含广告")
    page.get_by_role("button", name=tr("Hide"), exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(tr("The post was hidden from students."))
    checkpoint(page, "teacher-topic")
    student.reload()
    expect(student.get_by_text(tr("Hidden by a teacher") + "：含广告")).to_be_visible()
    expect(student.get_by_text("代写作业")).to_have_count(0)
    checkpoint(student, "student-topic")
