"""Points (经验值) into 平时成绩, checkpoint questions in videos and the integrity report
(ADR 0730-0733)."""

import json
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openvet.core.errors import NotFound, PermissionDenied, ValidationFailed
from openvet.core.models import AuditEntry
from openvet.learning import checkpoints, integrity, points, services
from openvet.learning.evidence_models import Checkpoint, CheckpointAnswer, PointWeights
from openvet.learning.models import Progress, QuestionKind
from openvet.learning.tests.conftest import World
from openvet.lrs.models import Statement
from openvet.teaching.grades import services as grade_services
from openvet.teaching.grades.models import Grade, GradeSheet, SheetStatus


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user, backend="openvet.identity.backends.IdentifierBackend")
    return client


def _question(world: World, kind: str = QuestionKind.SINGLE, **extra: Any) -> Any:
    values: dict[str, Any] = {
        "actor": world.teacher,
        "course": world.course,
        "kind": kind,
        "text": "Which way does the chuck turn?",
        "choices": ["Clockwise", "Anticlockwise"],
        "answer": [1],
        "points": 1,
    }
    values.update(extra)
    return services.question_add(**values)


def _watch(learner: Any, unit: Any, clock: Any, upto: int, start: int = 0) -> None:
    for second in range(start, upto, 10):
        clock.shift(10)
        services.video_heartbeat(actor=learner, unit=unit, start=second, end=second + 10)


# Checkpoints --------------------------------------------------------------------------------


def test_nothing_past_an_unanswered_checkpoint_is_credited(world: World) -> None:
    unit = world.video_unit(seconds=40, min_watched_percent=80)
    checkpoint = checkpoints.checkpoint_add(
        actor=world.teacher, unit=unit, at_seconds=15, question=_question(world)
    )
    learner = world.student_user
    with time_machine.travel(timezone.now(), tick=False) as clock:
        services.video_play(actor=learner, unit=unit, position=0)
        _watch(learner, unit, clock, upto=10)
        # The player stops at 15 s: a stretch up to the question (and a little past) counts.
        clock.shift(5)
        services.video_heartbeat(actor=learner, unit=unit, start=10, end=15.3)
        # A player that does not stop: its next stretch is refused until the answer.
        clock.shift(10)
        with pytest.raises(checkpoints.CheckpointPending):
            services.video_heartbeat(actor=learner, unit=unit, start=15.3, end=25)
        progress = Progress.objects.get(unit=unit, user=learner)
        assert progress.watched == [[0, 15.3]]
        assert progress.refused_beats == 0  # stopping at a question is not a faked play

        answer = checkpoints.checkpoint_answer(actor=learner, checkpoint=checkpoint, raw=[1])
        assert answer.correct
        services.video_play(actor=learner, unit=unit, position=15.3)
        clock.shift(10)
        services.video_heartbeat(actor=learner, unit=unit, start=15.3, end=25)
        _watch(learner, unit, clock, upto=35, start=25)
    progress.refresh_from_db()
    assert progress.completed_at is not None
    answered = [
        s.body
        for s in Statement.objects.filter(actor_key__contains=str(learner.pk))
        if s.body["verb"]["display"]["en-US"] == "answered"
    ]
    assert len(answered) == 1
    assert f"learning.checkpoint/{checkpoint.pk}" in answered[0]["object"]["id"]
    with pytest.raises(checkpoints.AlreadyAnswered):
        checkpoints.checkpoint_answer(actor=learner, checkpoint=checkpoint, raw=[0])
    assert CheckpointAnswer.objects.get(checkpoint=checkpoint).response == [1]


def test_a_wrong_answer_also_lets_the_learner_go_on_but_earns_no_points(world: World) -> None:
    unit = world.video_unit(seconds=30)
    checkpoint = checkpoints.checkpoint_add(
        actor=world.teacher, unit=unit, at_seconds=5, question=_question(world)
    )
    with pytest.raises(ValidationFailed):
        checkpoints.checkpoint_answer(actor=world.student_user, checkpoint=checkpoint, raw=[])
    answer = checkpoints.checkpoint_answer(actor=world.student_user, checkpoint=checkpoint, raw=[0])
    assert not answer.correct
    assert checkpoints.limit_for(world.student_user, unit) is None
    table = points.course_points(world.course)
    assert table.rows[0].earned["checkpoint"] == 0
    assert table.counts["checkpoint"] == 1


def test_placing_checkpoints_is_checked(world: World) -> None:
    video = world.video_unit(seconds=30)
    text = world.text_unit()
    question = _question(world)
    short = _question(world, kind=QuestionKind.SHORT, choices=[], answer=["Slowly"])
    with pytest.raises(ValidationFailed) as outside:
        checkpoints.checkpoint_add(
            actor=world.teacher, unit=video, at_seconds=30, question=question
        )
    assert "at_seconds" in outside.value.details
    with pytest.raises(ValidationFailed) as kind:
        checkpoints.checkpoint_add(actor=world.teacher, unit=video, at_seconds=3, question=short)
    assert "question" in kind.value.details
    with pytest.raises(ValidationFailed):
        checkpoints.checkpoint_add(actor=world.teacher, unit=text, at_seconds=3, question=question)
    with pytest.raises(PermissionDenied):
        checkpoints.checkpoint_add(
            actor=world.other_teacher, unit=video, at_seconds=3, question=question
        )
    checkpoints.checkpoint_add(actor=world.teacher, unit=video, at_seconds=3, question=question)
    with pytest.raises(ValidationFailed):
        checkpoints.checkpoint_add(actor=world.teacher, unit=video, at_seconds=3, question=question)
    assert Checkpoint.objects.count() == 1


# Points and 平时成绩 -----------------------------------------------------------------------


def test_points_follow_the_teachers_weights_and_the_stated_rule(world: World) -> None:
    text = world.text_unit()
    quiz, q1, q2 = world.quiz_unit()
    video = world.video_unit(seconds=20)
    points.weights_set(
        actor=world.teacher,
        course=world.course,
        values={"unit": 10, "video": 10, "quiz": 20, "checkpoint": 0, "live": 0},
    )
    learner = world.student_user
    services.unit_open(actor=learner, unit=text)
    attempt = services.attempt_start(actor=learner, unit=quiz)
    services.attempt_submit(actor=learner, attempt=attempt, responses={q1.pk: 1, q2.pk: [0]})
    with time_machine.travel(timezone.now(), tick=False) as clock:
        services.video_play(actor=learner, unit=video, position=0)
        _watch(learner, video, clock, upto=10)

    table = points.course_points(world.course)
    row = table.rows[0]
    # text 10; quiz 4 of 6 points -> 20 x 4/6; video half -> 5.
    assert row.earned["unit"] == 10
    assert row.earned["video"] == 5
    assert points._tenth(row.earned["quiz"]) == Decimal("13.3")
    assert row.total == Decimal("28.3")
    assert table.possible == 40
    assert table.usual_of(row) == Decimal("70.8")  # 28.33 / 40 x 100
    assert points.usual_score(Decimal(5), Decimal(0)) == 0

    with pytest.raises(ValidationFailed) as bad:
        points.weights_set(
            actor=world.teacher, course=world.course, values={"unit": 101, "video": -1}
        )
    assert set(bad.value.details) >= {"unit", "video"}
    with pytest.raises(PermissionDenied):
        points.weights_set(actor=world.student_user, course=world.course, values={})
    assert PointWeights.objects.get(course=world.course).unit == 10


def test_points_are_applied_to_the_sheet_until_it_is_submitted(world: World) -> None:
    text = world.text_unit()
    world.text_unit()
    services.unit_open(actor=world.student_user, unit=text)

    written = points.points_apply(actor=world.teacher, course=world.course)

    assert written == 1
    sheet = GradeSheet.objects.get(task=world.task)
    grade = Grade.objects.get(sheet=sheet)
    assert grade.scores["usual"] == "50.0"
    assert AuditEntry.objects.filter(changes__has_key="usual_from_points").exists()
    with pytest.raises(PermissionDenied):
        points.points_apply(actor=world.student_user, course=world.course)

    GradeSheet.objects.filter(pk=sheet.pk).update(status=SheetStatus.SUBMITTED)
    services.unit_open(actor=world.student_user, unit=world.course.units.last())
    with pytest.raises(points.SheetClosed):
        points.points_apply(actor=world.teacher, course=world.course)
    grade.refresh_from_db()
    assert grade.scores["usual"] == "50.0"


def test_a_sheet_without_coursework_refuses_points(world: World) -> None:
    world.text_unit()
    sheet = grade_services.sheet_open(actor=world.teacher, task=world.task)
    grade_services.components_set(actor=world.teacher, sheet=sheet, weights={"final": 100})
    with pytest.raises(points.NoUsualComponent):
        points.points_apply(actor=world.teacher, course=world.course)
    assert not Grade.objects.filter(sheet=sheet).exists()


# Integrity ----------------------------------------------------------------------------------


def _rules(flagged: list[integrity.Flagged], user: Any) -> set[str]:
    return {f.rule for row in flagged if row.user_id == user.pk for f in row.flags}


def test_videos_watched_in_parallel_are_flagged(world: World) -> None:
    honest, faker = world.student_user, world._student(world.campus.klass, "Fast")
    videos = [world.video_unit(seconds=10) for _ in range(3)]
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for video in videos:  # one after another
            services.video_play(actor=honest, unit=video, position=0)
            _watch(honest, video, clock, upto=10)
        for video in videos:  # three tabs at once
            services.video_play(actor=faker, unit=video, position=0)
        clock.shift(10)
        for video in videos:
            services.video_heartbeat(actor=faker, unit=video, start=0, end=10)
    flagged = integrity.course_integrity(world.course)
    assert _rules(flagged, honest) == set()
    assert _rules(flagged, faker) == {"parallel"}


def test_perfect_answers_in_seconds_are_flagged(world: World) -> None:
    quiz, q1, q2 = world.quiz_unit()
    honest, faker = world.student_user, world._student(world.campus.klass, "Fast")
    right = {q1.pk: 1, q2.pk: [0, 2]}
    with time_machine.travel(timezone.now(), tick=False) as clock:
        attempt = services.attempt_start(actor=honest, unit=quiz)
        clock.shift(90)
        services.attempt_submit(actor=honest, attempt=attempt, responses=right)
        attempt = services.attempt_start(actor=faker, unit=quiz)
        clock.shift(3)
        services.attempt_submit(actor=faker, attempt=attempt, responses=right)
    flagged = integrity.course_integrity(world.course)
    assert _rules(flagged, honest) == set()
    assert _rules(flagged, faker) == {"fast_perfect"}


def test_identical_wrong_answers_across_accounts_are_flagged(world: World, settings: Any) -> None:
    settings.LEARNING_INTEGRITY = {"shared_wrong_answers": 2}
    quiz, q1, q2 = world.quiz_unit()
    honest = world.student_user
    copier_a = world._student(world.campus.klass, "Copy A")
    copier_b = world._student(world.campus.klass, "Copy B")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for user, responses in (
            (honest, {q1.pk: 0, q2.pk: [1]}),
            (copier_a, {q1.pk: 0, q2.pk: [2]}),
            (copier_b, {q1.pk: 0, q2.pk: [2]}),
        ):
            attempt = services.attempt_start(actor=user, unit=quiz)
            clock.shift(120)
            services.attempt_submit(actor=user, attempt=attempt, responses=responses)
    flagged = integrity.course_integrity(world.course)
    assert _rules(flagged, honest) == set()
    assert _rules(flagged, copier_a) == {"shared_wrong"}
    assert _rules(flagged, copier_b) == {"shared_wrong"}


def test_many_refused_heartbeats_are_flagged(world: World, settings: Any) -> None:
    settings.LEARNING_INTEGRITY = {"refused_beats": 3}
    video = world.video_unit(seconds=60)
    honest, faker = world.student_user, world._student(world.campus.klass, "Fast")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        services.video_play(actor=honest, unit=video, position=0)
        _watch(honest, video, clock, upto=60)
        services.video_play(actor=faker, unit=video, position=0)
        for _ in range(3):
            clock.shift(1)
            with pytest.raises(services.HeartbeatRefused):
                services.video_heartbeat(actor=faker, unit=video, start=0, end=25)
    flagged = integrity.course_integrity(world.course)
    assert _rules(flagged, honest) == set()
    assert _rules(flagged, faker) == {"refused_beats"}
    assert integrity.max_overlap([]) == 0


# Pages --------------------------------------------------------------------------------------


def test_the_pages_for_teacher_and_student(world: World) -> None:
    text = world.text_unit()
    video = world.video_unit(seconds=30)
    question = _question(world)
    services.unit_open(actor=world.student_user, unit=text)
    teacher = client_for(world.teacher)

    placed = teacher.post(
        reverse("learning:checkpoint-list", args=[video.pk]),
        {"at_seconds": "5", "question_id": str(question.pk)},
    )
    assert placed.status_code == 302
    checkpoint = Checkpoint.objects.get(unit=video)
    refused = teacher.post(
        reverse("learning:checkpoint-list", args=[video.pk]),
        {"at_seconds": "99", "question_id": str(question.pk)},
    )
    assert refused.status_code == 422
    assert 'value="99"' in refused.content.decode()  # the form keeps what was typed

    weights = teacher.post(
        reverse("learning:points-weights", args=[world.course.pk]),
        {"unit": "abc", "video": "10", "quiz": "20", "checkpoint": "2", "live": "2"},
    )
    assert weights.status_code == 422
    page = teacher.get(reverse("learning:points", args=[world.course.pk]))
    assert page.status_code == 200
    assert "平时成绩" in page.content.decode()
    applied = teacher.post(reverse("learning:points-apply", args=[world.course.pk]))
    assert applied.status_code == 302
    assert Grade.objects.filter(sheet__task=world.task).count() == 1
    report = teacher.get(reverse("learning:integrity", args=[world.course.pk]))
    assert report.status_code == 200

    student = client_for(world.student_user)
    unit_page = student.get(reverse("learning:unit-detail", args=[video.pk]))
    assert 'id="checkpoint-data"' in unit_page.content.decode()
    mine = student.get(reverse("learning:points", args=[world.course.pk]))
    assert mine.status_code == 200
    assert student.get(reverse("learning:integrity", args=[world.course.pk])).status_code == 403
    url = reverse("learning:checkpoint-answer", args=[checkpoint.pk])
    empty = student.post(url, "{}", content_type="application/json")
    assert empty.status_code == 422
    assert json.loads(empty.content)["message"]
    answered = student.post(url, json.dumps({"answer": [1]}), content_type="application/json")
    assert answered.status_code == 200
    assert json.loads(answered.content)["correct"] is True
    again = student.post(url, json.dumps({"answer": [0]}), content_type="application/json")
    assert again.status_code == 409


def test_another_school_gets_404_and_changes_nothing(
    world: World, other_world: World, settings: Any
) -> None:
    settings.REQUIRE_ADMIN_TOTP = False
    video = world.video_unit(seconds=30)
    checkpoint = checkpoints.checkpoint_add(
        actor=world.teacher, unit=video, at_seconds=5, question=_question(world)
    )
    gets = [
        reverse("learning:points", args=[world.course.pk]),
        reverse("learning:points-weights", args=[world.course.pk]),
        reverse("learning:integrity", args=[world.course.pk]),
        reverse("learning:checkpoint-list", args=[video.pk]),
    ]
    posts = [
        reverse("learning:points-apply", args=[world.course.pk]),
        reverse("learning:checkpoint-delete", args=[checkpoint.pk]),
    ]
    for user in (other_world.teacher, other_world.admin, other_world.student_user):
        client = client_for(user)
        for url in gets + posts:
            call = client.get if url in gets else client.post
            assert call(url).status_code == 404, (user, url)
        answer = client.post(
            reverse("learning:checkpoint-answer", args=[checkpoint.pk]),
            json.dumps({"answer": [1]}),
            content_type="application/json",
        )
        assert answer.status_code == 404
    with pytest.raises(NotFound):
        checkpoints.checkpoint_get_for(actor=other_world.teacher, checkpoint_id=checkpoint.pk)
    assert Checkpoint.objects.filter(pk=checkpoint.pk).exists()
    assert not CheckpointAnswer.objects.exists()
    assert not GradeSheet.objects.filter(task=world.task).exists()
    assert not PointWeights.objects.exists()
    # The school's administrator follows the course: sees points and report, cannot apply.
    admin = client_for(world.admin)
    assert admin.get(gets[0]).status_code == 200
    assert admin.get(gets[2]).status_code == 200
    assert admin.post(posts[0]).status_code == 403
