import json
from datetime import timedelta
from typing import Any

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openvet.learning import services
from openvet.learning.models import (
    Attempt,
    Chapter,
    OnlineCourse,
    Progress,
    Question,
    QuestionKind,
    Unit,
    UnitKind,
)
from openvet.learning.tests.conftest import World, video_file
from openvet.teaching.tests.factories import TeachingTaskFactory


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user, backend="openvet.identity.backends.IdentifierBackend")
    return client


def test_teacher_builds_a_course_through_the_pages(world: World) -> None:
    teacher = client_for(world.teacher)
    task = TeachingTaskFactory(
        term=world.term, classes=[world.campus.other_klass], teachers=[world.teacher]
    )
    space = teacher.get(reverse("learning:space"))
    assert space.status_code == 200
    assert reverse("learning:course-create", args=[task.pk]) in space.content.decode()

    created = teacher.post(
        reverse("learning:course-create", args=[task.pk]), {"title": "Lathe", "description": ""}
    )
    course = OnlineCourse.objects.get(task=task)
    assert created.url == reverse("learning:course-detail", args=[course.pk])
    teacher.post(reverse("learning:chapter-create", args=[course.pk]), {"title": "第一章"})
    chapter = Chapter.objects.get(course=course)
    add_unit = reverse("learning:unit-create", args=[course.pk, chapter.pk])
    teacher.post(add_unit, {"kind": "text", "title": "安全", "body": "<p>戴护目镜</p>"})
    teacher.post(add_unit, {"kind": "video", "title": "对刀", "file": video_file(40)})
    refused = teacher.post(add_unit, {"kind": "link", "title": "链接", "url": ""})
    assert refused.status_code == 422
    assert "http://" in refused.content.decode()
    assert 'value="链接"' in refused.content.decode()  # what was typed is kept

    bank = reverse("learning:question-list", args=[course.pk])
    teacher.post(
        bank,
        {"kind": "multiple", "text": "哪些是防护用品？", "choices": "护目镜\n手套\n安全鞋",
         "answer": "AC", "points": "4"},
    )  # fmt: skip
    bad = teacher.post(
        bank, {"kind": "single", "text": "主轴?", "choices": "X\nZ", "answer": "E", "points": "1"}
    )
    assert bad.status_code == 422
    question = Question.objects.get(course=course)
    assert question.answer == [0, 2]
    teacher.post(
        add_unit,
        {"kind": "quiz", "title": "测验", "question_ids": [question.pk], "time_limit_minutes": "5"},
    )
    kinds = list(Unit.objects.filter(course=course).values_list("kind", flat=True))
    assert kinds == ["text", "video", "quiz"]
    page = teacher.get(reverse("learning:course-detail", args=[course.pk])).content.decode()
    assert "对刀" in page
    assert "测验" in page


def test_student_learns_on_the_pages(world: World) -> None:
    text = world.text_unit()
    video = world.video_unit(seconds=60)
    quiz, q1, q2 = world.quiz_unit(time_limit_minutes=10)
    student = client_for(world.student_user)

    space = student.get(reverse("learning:space")).content.decode()
    assert "CNC basics" in space
    assert student.get(reverse("learning:unit-detail", args=[text.pk])).status_code == 200
    assert Progress.objects.get(unit=text, user=world.student_user).completed_at is not None

    # The video file is served with ranges.
    part = student.get(reverse("learning:unit-file", args=[video.pk]), HTTP_RANGE="bytes=0-9")
    assert part.status_code == 206
    assert len(b"".join(part.streaming_content)) == 10

    play = reverse("learning:video-play", args=[video.pk])
    beat = reverse("learning:video-heartbeat", args=[video.pk])
    with time_machine.travel(timezone.now(), tick=False) as clock:
        student.post(play, json.dumps({"position": 0}), content_type="application/json")
        clock.shift(10)
        ok = student.post(
            beat, json.dumps({"start": 0, "end": 10}), content_type="application/json"
        )
        assert ok.json()["watched_percent"] == 16
        clock.shift(1)
        fast = student.post(
            beat, json.dumps({"start": 10, "end": 30}), content_type="application/json"
        )
        assert fast.status_code == 422
        assert "正常速度" in fast.json()["message"]
        junk = student.post(beat, "not json", content_type="application/json")
        assert junk.status_code == 422

    started = student.post(reverse("learning:attempt-start", args=[quiz.pk]))
    attempt = Attempt.objects.get(unit=quiz, user=world.student_user)
    assert started.url == reverse("learning:attempt-detail", args=[attempt.pk])
    paper = student.get(started.url).content.decode()
    assert "Which axis is the spindle?" in paper
    student.post(started.url, {f"q{q1.pk}": "1", f"q{q2.pk}": ["0", "2"]})
    attempt.refresh_from_db()
    assert attempt.score == 6
    assert "6.00" in student.get(started.url).content.decode()

    teacher_page = client_for(world.teacher).get(
        reverse("learning:course-detail", args=[world.course.pk])
    )
    assert "Stu" in teacher_page.content.decode()


def test_answers_after_the_time_limit_get_a_clear_refusal(world: World) -> None:
    quiz, q1, _q2 = world.quiz_unit(time_limit_minutes=5)
    student = client_for(world.student_user)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        student.post(reverse("learning:attempt-start", args=[quiz.pk]))
        attempt = Attempt.objects.get(unit=quiz, user=world.student_user)
        clock.shift(timedelta(minutes=6))
        late = student.post(
            reverse("learning:attempt-detail", args=[attempt.pk]), {f"q{q1.pk}": "1"}
        )
    assert late.status_code == 409
    assert "时间" in late.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert not attempt.answers.exists()


def test_another_school_and_another_class_get_404_and_change_nothing(
    world: World, other_world: World, settings: Any
) -> None:
    settings.REQUIRE_ADMIN_TOTP = False
    text = world.text_unit()
    quiz, _q1, _q2 = world.quiz_unit()
    mine = client_for(world.student_user)
    mine.post(reverse("learning:attempt-start", args=[quiz.pk]))
    attempt = Attempt.objects.get(unit=quiz)
    urls = [
        reverse("learning:course-detail", args=[world.course.pk]),
        reverse("learning:unit-detail", args=[text.pk]),
        reverse("learning:question-list", args=[world.course.pk]),
        reverse("learning:chapter-create", args=[world.course.pk]),
        reverse("learning:attempt-detail", args=[attempt.pk]),
    ]
    for user in (other_world.teacher, other_world.admin, other_world.student_user, world.outsider):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert (
            client.post(
                reverse("learning:chapter-create", args=[world.course.pk]), {"title": "X"}
            ).status_code
            == 404
        )
    assert Chapter.objects.filter(course=world.course).count() == 1
    assert Client().get(urls[0]).status_code == 302  # anonymous: to sign in
    # A teacher of the same school who does not teach the task may not build it.
    other = client_for(world.other_teacher)
    assert other.get(urls[0]).status_code == 404
    # The school administrator follows the course but cannot build it.
    admin = client_for(world.admin)
    assert admin.get(urls[0]).status_code == 200
    assert admin.get(urls[3]).status_code == 403


def test_the_home_page_shows_courses_with_progress_and_attempts_to_grade(world: World) -> None:
    text = world.text_unit()
    short = services.question_add(
        actor=world.teacher, course=world.course, kind=QuestionKind.SHORT, text="Why?"
    )
    quiz = services.unit_add(
        actor=world.teacher,
        chapter=world.chapter,
        kind=UnitKind.QUIZ,
        title="Essay",
        question_ids=[short.pk],
    )
    services.unit_open(actor=world.student_user, unit=text)
    attempt = services.attempt_start(actor=world.student_user, unit=quiz)
    services.attempt_submit(actor=world.student_user, attempt=attempt, responses={short.pk: "x"})

    learner_home = client_for(world.student_user).get("/").content.decode()
    assert "CNC basics" in learner_home
    assert "已完成 1 / 2 个单元（50%）" in learner_home
    teacher_home = client_for(world.teacher).get("/").content.decode()
    assert "CNC basics" in teacher_home
    assert "1 份待评阅" in teacher_home
