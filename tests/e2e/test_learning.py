"""Online learning in the browser: a teacher builds the online course of a teaching task with
a text unit, a video unit and a quiz; a student of the class learns on the phone (the text,
the video played to its end in the page's player, which reports heartbeats, and a too-fast
heartbeat refused) and takes the quiz; the teacher sees the student's progress and score on the
course page."""

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from openvet.learning import services
from openvet.learning.models import Attempt, OnlineCourse, Progress, Unit
from openvet.resources.samples import LESSON_VIDEO
from openvet.teaching.models import TeachingTask
from openvet.teaching.services import tasks
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, tr
from tests.e2e.teaching_support import demo_term, student_record


def _task_of_teacher1(teaching: Campus) -> TeachingTask:
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


def _post_json(page: Page, url: str, body: dict[str, Any]) -> dict[str, Any]:
    """What the player sends: a JSON post with the page's CSRF token."""
    answer = page.evaluate(
        """async ([url, body]) => {
            const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
            const response = await fetch(url, {method: "POST", credentials: "same-origin",
                headers: {"Content-Type": "application/json", "X-CSRFToken": token},
                body: JSON.stringify(body)});
            return {status: response.status, data: await response.json()};
        }""",
        [url, body],
    )
    return dict(answer)


def _add_unit(page: Page, chapter: str, kind_label: str) -> None:
    card = page.locator(".card").filter(has=page.get_by_role("heading", name=chapter))
    card.get_by_role("button", name=tr("Add a unit")).click()
    card.get_by_role("link", name=kind_label, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(chapter)


def test_teacher_builds_a_course_and_a_student_learns_it(
    page: Page, second_page: Page, teaching: Campus, checkpoint: Checkpoint, tmp_path: Path
) -> None:
    task = _task_of_teacher1(teaching)
    classes = "、".join(task.classes.values_list("name", flat=True))

    # The teacher creates the course from the learning space.
    sign_in(page, "teacher1", teaching.password)
    open_nav(page, tr("My online courses"))
    row = page.get_by_role("listitem").filter(has_text=task.course.name).filter(has_text=classes)
    row.first.get_by_role("link", name=tr("Create an online course")).click()
    page.get_by_label(tr("Title")).fill("网页设计（翻转课堂）")
    page.get_by_role("button", name=tr("Create the course")).click()
    expect(page.get_by_role("heading", level=1, name="网页设计（翻转课堂）")).to_be_visible()
    course = OnlineCourse.objects.get(task=task)

    page.get_by_role("link", name=tr("New chapter")).click()
    page.get_by_label(tr("Title of the chapter")).fill("第一章 页面结构")
    page.get_by_role("button", name=tr("Add the chapter")).click()
    expect(page.get_by_role("heading", name="第一章 页面结构")).to_be_visible()

    page.get_by_role("link", name=tr("Question bank")).click()
    page.get_by_label(tr("Kind")).select_option("single")
    page.get_by_label(tr("Question")).fill("网页的标题写在哪个元素里？")
    page.get_by_label(tr("Options")).fill("title 元素\nbody 元素")
    page.get_by_label(tr("Right answer")).fill("A")
    page.get_by_label(tr("Points")).fill("5")
    page.get_by_role("button", name=tr("Add the question")).click()
    expect(page.get_by_role("alert")).to_contain_text(tr("The question was added to the bank."))
    checkpoint(page, "bank")
    page.get_by_role("link", name=course.title).click()

    _add_unit(page, "第一章 页面结构", "图文")
    page.get_by_label(tr("Title"), exact=True).fill("课前阅读")
    page.get_by_label(tr("Text"), exact=True).fill("<p>网页由<strong>结构</strong>和样式组成。</p>")
    checkpoint(page, "text-unit-form")
    page.get_by_role("button", name=tr("Add the unit")).click()
    expect(page.get_by_role("link", name="课前阅读")).to_be_visible()

    video = tmp_path / "结构讲解.mp4"
    video.write_bytes(LESSON_VIDEO.read_bytes())  # 12 s of H.264 that Chromium plays
    _add_unit(page, "第一章 页面结构", "视频")
    page.get_by_label(tr("Title"), exact=True).fill("结构讲解")
    page.get_by_label(tr("File"), exact=True).set_input_files(str(video))
    page.get_by_role("button", name=tr("Add the unit")).click()
    expect(page.get_by_role("link", name="结构讲解")).to_be_visible()

    _add_unit(page, "第一章 页面结构", "测验")
    page.get_by_label(tr("Title"), exact=True).fill("课后测验")
    page.get_by_label("网页的标题写在哪个元素里？", exact=False).check()
    page.get_by_label(tr("Time limit of the quiz (minutes, 0 for none)")).fill("10")
    checkpoint(page, "quiz-unit-form")
    page.get_by_role("button", name=tr("Add the unit")).click()
    expect(page.get_by_role("link", name="课后测验")).to_be_visible()
    checkpoint(page, "course-built")
    assert list(Unit.objects.filter(course=course).values_list("kind", flat=True)) == [
        "text",
        "video",
        "quiz",
    ]

    # The student learns on the phone (the viewport of this run).
    student = second_page
    sign_in(student, "student1", teaching.password)
    open_nav(student, tr("My learning space"))
    student.get_by_role("link", name="网页设计（翻转课堂）").click()
    student.get_by_role("link", name="课前阅读").click()
    expect(student.get_by_text("网页由结构和样式组成。")).to_be_visible()
    checkpoint(student, "student-text")
    student.go_back()
    student.get_by_role("link", name="结构讲解").click()
    expect(student.locator("video")).to_be_attached()
    unit = Unit.objects.get(course=course, kind="video")
    # The player plays the whole video at normal speed; its heartbeats are all it reports.
    played = student.locator("video").evaluate(
        """video => new Promise((resolve, reject) => {
            video.addEventListener("ended", () => resolve(video.currentTime), {once: true});
            video.muted = true;  // a page may start a muted video without a tap
            video.play().catch(reject);
        })"""
    )
    assert played >= 11.9
    # The last heartbeat may be cut by a fraction of a second when the server's clock says the
    # stretch came early (a loaded machine): the learner sees the unit completed all the same.
    status = student.locator("[data-player-status]")
    expect(status).to_contain_text(re.compile(r"(99|100)%"), timeout=10_000)
    checkpoint(student, "student-video")
    progress = Progress.objects.get(unit=unit, user=teaching.user("student1"))
    assert len(progress.watched) == 1
    assert progress.watched[0][0] == 0
    assert progress.watched[0][1] >= 11.5
    assert progress.completed_at is not None
    # A replayed heartbeat claiming more than real time allowed is refused, with a message.
    play = _post_json(student, f"/learning/units/{unit.pk}/play/", {"position": 0})
    assert play["status"] == 200
    fast = _post_json(student, f"/learning/units/{unit.pk}/heartbeat/", {"start": 0, "end": 12})
    assert fast["status"] == 422, fast
    assert fast["data"]["message"] == tr(services.HeartbeatRefused.default_message)
    progress.refresh_from_db()
    assert progress.refused_beats == 1

    student.get_by_role("link", name=course.title).click()
    student.get_by_role("link", name="课后测验").click()
    student.get_by_role("button", name=tr("Start the quiz")).click()
    expect(student.get_by_role("timer")).to_be_visible()
    student.get_by_label("A. title 元素").check()
    checkpoint(student, "student-quiz")
    student.get_by_role("button", name=tr("Hand in")).click()
    expect(student.get_by_role("alert")).to_contain_text(tr("Your answers were handed in."))
    expect(
        student.get_by_text(tr("Score: %(score)s of %(max)s points", score="5.00", max="5.00"))
    ).to_be_visible()
    checkpoint(student, "student-result")
    assert Attempt.objects.get(unit__course=course).score == 5

    # The teacher sees who learnt what.
    page.reload()
    report = page.get_by_role("region", name=tr("Learners' progress"))
    expect(report).to_contain_text(student_record(teaching.user("student1")).name)
    results = page.get_by_role("region", name=tr("Quiz results"))
    expect(results).to_contain_text(tr("%(score)s of %(max)s points", score="5.00", max="5.00"))
    checkpoint(page, "teacher-results")
