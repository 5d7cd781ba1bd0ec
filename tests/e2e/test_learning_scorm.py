"""A SCORM package in the browser: a teacher uploads the SCORM 1.2 golf sample as a unit of the
online course; a student opens it on the phone, the SCO finds the platform's runtime API and
initialises, pages through it, and what it stored (status, bookmark, time) reaches the server;
the teacher sees the student's result on the unit page."""

import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import Page, expect

from openvet.learning import package_services, services
from openvet.learning.models import ScoAttempt, Unit
from openvet.learning.tests.conftest import mp4_bytes
from openvet.learning.tests.packages import GOLF_12, needs_golf, sample, small_scorm
from openvet.teaching.models import TeachingTask
from openvet.teaching.services import tasks
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import sign_in, tr
from tests.e2e.teaching_support import demo_term, student_record


def _course_of_teacher1(teaching: Campus) -> tuple[object, object]:
    student = student_record(teaching.user("student1"))
    task = (
        TeachingTask.objects.filter(
            term=demo_term(teaching.home("admin1")), classes=student.class_unit
        )
        .order_by("course__code")
        .first()
    )
    assert task is not None
    task = tasks.task_update(
        actor=teaching.user("admin1"), task=task, teachers=[teaching.user("teacher1")]
    )
    course = services.course_create(actor=teaching.user("teacher1"), task=task, title="高尔夫规则")
    chapter = services.chapter_add(actor=teaching.user("teacher1"), course=course, title="第一章")
    return course, chapter


def _wait_for(check: object, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.3)
    pytest.fail("the runtime's commit did not reach the server")


@needs_golf
def test_a_student_runs_a_scorm_12_package_on_the_phone(
    page: Page, second_page: Page, teaching: Campus, checkpoint: Checkpoint
) -> None:
    course, _chapter = _course_of_teacher1(teaching)

    sign_in(page, "teacher1", teaching.password)
    page.goto(f"/learning/courses/{course.pk}/")  # type: ignore[attr-defined]
    page.get_by_role("button", name=tr("Add a unit")).click()
    page.get_by_role("link", name="SCORM 课件", exact=True).click()
    page.get_by_label(tr("Title"), exact=True).fill("高尔夫入门（SCORM）")
    page.get_by_label(tr("File"), exact=True).set_input_files(str(GOLF_12))
    checkpoint(page, "scorm-unit-form")
    page.get_by_role("button", name=tr("Add the unit")).click()
    expect(page.get_by_role("link", name="高尔夫入门（SCORM）")).to_be_visible()

    student = second_page
    sign_in(student, "student1", teaching.password)
    student.goto(f"/learning/courses/{course.pk}/")  # type: ignore[attr-defined]
    student.get_by_role("link", name="高尔夫入门（SCORM）").click()
    launcher = student.frame_locator("iframe[data-package-frame]")
    sco = launcher.frame_locator("#sco-frame")
    # The golf SCO initialises through window.API, then shows its first page and a Next button.
    next_button = sco.locator("#butNext")
    expect(next_button).to_be_visible()
    expect(sco.frame_locator("#contentFrame").locator("body")).to_contain_text("Golf")
    next_button.click()
    next_button.click()
    checkpoint(student, "student-sco", axe=False)  # the package's own pages are not ours
    learner = teaching.user("student1")
    # Leaving the page ends the session: the SCO calls LMSFinish and the runtime commits.
    student.get_by_role("link", name=course.title).click()  # type: ignore[attr-defined]

    def stored() -> bool:
        attempt = ScoAttempt.objects.filter(user=learner).first()
        return attempt is not None and attempt.sessions == 1

    _wait_for(stored)
    attempt = ScoAttempt.objects.get(user=learner)
    assert attempt.cmi["cmi.core.lesson_status"] == "incomplete"
    assert attempt.cmi["cmi.core.lesson_location"] == "2"
    assert attempt.exit == "suspend"

    # Reopened, the SCO reads its bookmark back (it asks whether to resume; the answer is yes).
    student.once("dialog", lambda dialog: dialog.accept())
    student.get_by_role("link", name="高尔夫入门（SCORM）").click()
    expect(sco.locator("#butPrevious")).to_be_enabled()
    expect(student.locator("[data-package-status]")).to_contain_text(
        tr("In progress; your progress is saved as you go.")
    )
    checkpoint(student, "student-sco-resumed", axe=False)

    page.goto(f"/learning/units/{attempt.item.package.unit_id}/")
    results = page.get_by_role("region", name=tr("Learners' results"))
    expect(results).to_contain_text(learner.full_name)
    checkpoint(page, "teacher-sco-results", axe=False)


def _unit_label(title: str) -> str:
    unit = Unit.objects.select_related("chapter").get(title=title)
    return f"{unit.chapter.title} · {unit.title}（{unit.get_kind_display()}）"


def _units_of_a_flipped_lesson(teaching: Campus, chapter: object) -> None:
    teacher = teaching.user("teacher1")
    services.unit_add(
        actor=teacher,
        chapter=chapter,
        kind="video",
        title="课前视频：握杆",
        file=SimpleUploadedFile("grip.mp4", mp4_bytes(30), content_type="video/mp4"),
    )
    services.unit_add(
        actor=teacher,
        chapter=chapter,
        kind="scorm",
        title="课前课件：高尔夫规则",
        file=sample(GOLF_12),
    )
    question = services.question_add(
        actor=teacher,
        course=chapter.course,  # type: ignore[attr-defined]
        kind="single",
        text="标准杆为 4 杆的洞，打 3 杆叫什么？",
        choices=["小鸟球", "柏忌"],
        answer=[0],
        points=5,
    )
    services.unit_add(
        actor=teacher, chapter=chapter, kind="quiz", title="课后测验", question_ids=[question.pk]
    )


@needs_golf
def test_a_teacher_builds_a_flipped_lesson_and_a_student_takes_it_on_the_phone(
    page: Page, second_page: Page, teaching: Campus, checkpoint: Checkpoint
) -> None:
    course, chapter = _course_of_teacher1(teaching)
    _units_of_a_flipped_lesson(teaching, chapter)

    sign_in(page, "teacher1", teaching.password)
    page.goto(f"/learning/courses/{course.pk}/")  # type: ignore[attr-defined]
    page.get_by_role("link", name=tr("New lesson plan")).click()
    page.get_by_label(tr("Title of the lesson")).fill("翻转课堂：高尔夫入门")
    page.get_by_label(tr("Date of the class")).fill(
        (timezone.localdate() + timedelta(days=1)).isoformat()
    )
    page.get_by_role("button", name=tr("Create the lesson plan")).click()
    expect(page.get_by_role("heading", level=1, name="翻转课堂：高尔夫入门")).to_be_visible()
    for phase, unit in (
        ("before", "课前视频：握杆"),
        ("before", "课前课件：高尔夫规则"),
        ("after", "课后测验"),
    ):
        page.get_by_label(tr("Part")).select_option(phase)
        page.get_by_label(tr("Unit"), exact=True).select_option(label=_unit_label(unit))
        page.get_by_role("button", name=tr("Add"), exact=True).click()
        expect(page.get_by_role("alert")).to_contain_text(tr("Added to the lesson plan."))
    page.get_by_label(tr("Part")).select_option("during")
    page.get_by_label(tr("Or an activity")).fill("小组讨论：规则里最容易犯的错")
    page.get_by_role("button", name=tr("Add"), exact=True).click()
    before = page.get_by_role("region", name=tr("Before class"))
    expect(before).to_contain_text("课前课件：高尔夫规则")
    expect(page.get_by_role("region", name=tr("During class"))).to_contain_text("小组讨论")
    checkpoint(page, "teacher-plan")

    student = second_page
    sign_in(student, "student1", teaching.password)
    student.goto("/learning/")
    tasks_before = student.get_by_role("region", name=tr("Before class"))
    expect(tasks_before).to_contain_text("课前视频：握杆")
    checkpoint(student, "student-before-class")
    tasks_before.get_by_role("link", name="课前课件：高尔夫规则").click()
    sco = student.frame_locator("iframe[data-package-frame]").frame_locator("#sco-frame")
    expect(sco.locator("#butNext")).to_be_visible()
    checkpoint(student, "student-flipped-sco", axe=False)
    student.get_by_role("link", name=course.title, exact=True).click()  # type: ignore[attr-defined]
    student.get_by_role("link", name="翻转课堂：高尔夫入门").click()
    student.get_by_role("region", name=tr("After class")).get_by_role(
        "link", name="课后测验"
    ).click()
    student.get_by_role("button", name=tr("Start the quiz")).click()
    student.get_by_label("A. 小鸟球").check()
    student.get_by_role("button", name=tr("Hand in")).click()
    expect(student.get_by_role("alert")).to_contain_text(tr("Your answers were handed in."))
    checkpoint(student, "student-flipped-quiz")
    assert ScoAttempt.objects.filter(user=teaching.user("student1")).exists()


def test_the_runtime_answers_with_the_spec_error_codes(page: Page, teaching: Campus) -> None:
    """The runtime itself, called as a SCO calls it: state errors, data-model errors,
    _children and _count (SCORM 1.2 RTE §3.3; 2004 RTE §3.1.7)."""
    _course, chapter = _course_of_teacher1(teaching)
    unit = services.unit_add(
        actor=teaching.user("teacher1"),
        chapter=chapter,
        kind="scorm",
        title="运行时",
        file=SimpleUploadedFile("sco.zip", small_scorm(), content_type="application/zip"),
    )
    learner = teaching.user("student1")
    item = unit.package.items.get(is_sco=True)
    attempt = package_services.sco_launch(actor=learner, item=item)
    token = package_services.package_token(
        package=unit.package, user_id=learner.pk, attempt_id=attempt.pk, item_id=item.pk
    )
    page.goto(f"/learning/packages/{token}/")
    answers = page.evaluate(
        """() => {
            const api = window.API, out = {};
            out.before = [api.LMSGetValue("cmi.core.lesson_status"), api.LMSGetLastError()];
            out.init = [api.LMSInitialize(""), api.LMSInitialize(""), api.LMSGetLastError()];
            out.status = api.LMSGetValue("cmi.core.lesson_status");
            out.badVocab = [api.LMSSetValue("cmi.core.lesson_status", "done"),
                            api.LMSGetLastError()];
            out.readOnly = [api.LMSSetValue("cmi.core.student_id", "x"), api.LMSGetLastError()];
            out.writeOnly = [api.LMSGetValue("cmi.core.exit"), api.LMSGetLastError()];
            out.children = api.LMSGetValue("cmi.core.score._children");
            out.gap = [api.LMSSetValue("cmi.interactions.1.id", "q"), api.LMSGetLastError()];
            out.first = api.LMSSetValue("cmi.interactions.0.id", "q1");
            out.count = api.LMSGetValue("cmi.interactions._count");
            out.set = [api.LMSSetValue("cmi.core.lesson_status", "completed"),
                       api.LMSSetValue("cmi.core.score.raw", "90"), api.LMSCommit("")];
            out.finish = [api.LMSFinish(""), api.LMSGetValue("cmi.core.lesson_status"),
                          api.LMSGetLastError()];
            out.words = api.LMSGetErrorString("405");
            return out;
        }"""
    )
    assert answers["before"] == ["", "301"]
    assert answers["init"] == ["true", "false", "101"]
    assert answers["status"] == "not attempted"
    assert answers["badVocab"] == ["false", "405"]
    assert answers["readOnly"] == ["false", "403"]
    assert answers["writeOnly"] == ["", "404"]
    assert answers["children"] == "raw,max,min"
    assert answers["gap"] == ["false", "201"]
    assert answers["first"] == "true"
    assert answers["count"] == "1"
    assert answers["set"] == ["true", "true", "true"]
    assert answers["finish"] == ["true", "", "301"]
    assert answers["words"] == "Incorrect data type"

    def finished() -> bool:
        attempt.refresh_from_db()
        return attempt.sessions == 1

    _wait_for(finished)
    assert attempt.completed
    assert attempt.cmi["cmi.interactions.0.id"] == "q1"
