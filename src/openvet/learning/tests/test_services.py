from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from openvet.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from openvet.learning import selectors, services
from openvet.learning.models import Answer, Attempt, Progress, QuestionKind, UnitKind
from openvet.learning.tests.conftest import World, pdf_file, video_file
from openvet.lrs.models import Statement


def verbs_of(user: object) -> list[str]:
    return [
        s.body["verb"]["display"]["en-US"]
        for s in Statement.objects.filter(actor_key__contains=str(user.pk)).order_by("id")
    ]


def test_text_is_sanitised_and_opening_it_completes_it(world: World) -> None:
    unit = services.unit_add(
        actor=world.teacher,
        chapter=world.chapter,
        kind=UnitKind.TEXT,
        title="Safety",
        body='<p onclick="x()">Wear <script>alert(1)</script>'
        '<a href="javascript:x">goggles</a></p>',
    )
    assert "script" not in unit.body
    assert "onclick" not in unit.body
    assert "javascript" not in unit.body

    progress = services.unit_open(actor=world.student_user, unit=unit)

    assert progress is not None
    assert progress.completed_at is not None
    assert "viewed" in verbs_of(world.student_user)
    assert "completed" in verbs_of(world.student_user)


def test_only_a_teacher_of_the_task_builds_the_course(world: World) -> None:
    for actor in (world.other_teacher, world.student_user, world.admin):
        with pytest.raises(PermissionDenied):
            services.chapter_add(actor=actor, course=world.course, title="Mine")
    with pytest.raises(Conflict):
        services.course_create(actor=world.teacher, task=world.task, title="Again")


def test_another_school_cannot_see_the_course(world: World, other_world: World) -> None:
    for actor in (other_world.teacher, other_world.admin, other_world.student_user):
        with pytest.raises(NotFound):
            selectors.course_get_for(actor=actor, course_id=world.course.pk)
        assert world.course not in selectors.course_list_for(actor=actor)
    with pytest.raises(PermissionDenied):
        services.chapter_add(actor=other_world.teacher, course=world.course, title="Taken")


def test_a_student_of_another_class_is_not_a_learner(world: World) -> None:
    unit = world.text_unit()
    with pytest.raises(NotFound):
        selectors.course_get_for(actor=world.outsider, course_id=world.course.pk)
    assert services.unit_open(actor=world.outsider, unit=unit) is None
    assert not Progress.objects.filter(user=world.outsider).exists()


def test_uploads_are_checked_by_their_bytes(world: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.unit_add(
            actor=world.teacher,
            chapter=world.chapter,
            kind=UnitKind.VIDEO,
            title="Not a video",
            file=pdf_file(),
        )
    assert "MP4" in str(refused.value.details["file"])
    with pytest.raises(ValidationFailed):
        services.unit_add(
            actor=world.teacher,
            chapter=world.chapter,
            kind=UnitKind.DOCUMENT,
            title="Not a PDF",
            file=video_file(),
        )
    unit = world.video_unit(seconds=75)
    assert unit.duration_seconds == 75
    document = services.unit_add(
        actor=world.teacher,
        chapter=world.chapter,
        kind=UnitKind.DOCUMENT,
        title="Handout",
        file=pdf_file(),
    )
    assert document.mime_type == "application/pdf"


def test_video_progress_counts_only_real_time_playing(world: World) -> None:
    unit = world.video_unit(seconds=60, min_watched_percent=90)
    learner = world.student_user
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        services.video_play(actor=learner, unit=unit, position=0)
        clock.shift(10)
        services.video_heartbeat(actor=learner, unit=unit, start=0, end=10)
        # A script replaying heartbeats: 20 s of video claimed 1 s later.
        clock.shift(1)
        with pytest.raises(services.HeartbeatRefused) as refused:
            services.video_heartbeat(actor=learner, unit=unit, start=10, end=30)
        assert refused.value.details == {"reason": "too_fast"}
        # Skipping ahead: a segment that does not start where the learner is.
        clock.shift(10)
        with pytest.raises(services.HeartbeatRefused):
            services.video_heartbeat(actor=learner, unit=unit, start=40, end=50)
        progress = Progress.objects.get(unit=unit, user=learner)
        assert progress.watched == [[0, 10]]
        assert progress.refused_beats == 2
        assert progress.completed_at is None
        # Seeking ahead restarts the clock but credits nothing in between.
        services.video_play(actor=learner, unit=unit, position=40)
        clock.shift(10)
        services.video_heartbeat(actor=learner, unit=unit, start=40, end=50)
        progress.refresh_from_db()
        assert progress.watched == [[0, 10], [40, 50]]
        assert progress.position == 50
        assert progress.completed_at is None


def test_watching_the_whole_video_completes_it_and_resumes_where_left(world: World) -> None:
    unit = world.video_unit(seconds=30, min_watched_percent=90)
    learner = world.student_user
    with time_machine.travel(timezone.now(), tick=False) as clock:
        services.video_play(actor=learner, unit=unit, position=0)
        for second in range(0, 30, 10):
            clock.shift(10)
            services.video_heartbeat(actor=learner, unit=unit, start=second, end=second + 10)
    progress = Progress.objects.get(unit=unit, user=learner)
    assert progress.completed_at is not None
    assert progress.position == 30
    assert selectors.state_of(actor=learner, unit=unit).percent == 100
    assert "completed" in verbs_of(learner)


def test_a_heartbeat_without_play_is_refused(world: World) -> None:
    unit = world.video_unit(seconds=30)
    with pytest.raises(services.HeartbeatRefused):
        services.video_heartbeat(actor=world.student_user, unit=unit, start=0, end=5)


def test_release_rules(world: World) -> None:
    first = world.text_unit()
    later = world.text_unit(release_at=timezone.now() + timedelta(days=2))
    chained = world.text_unit(requires_previous=True)
    learner = world.student_user

    with pytest.raises(services.UnitLocked):
        services.unit_open(actor=learner, unit=later)
    states = {s.unit.pk: s for s in selectors.unit_states(selectors.course_units(world.course), {})}
    assert states[first.pk].available
    assert states[later.pk].locked_reason == "date"
    assert states[chained.pk].locked_reason == "previous"
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        services.unit_open(actor=learner, unit=later)
        services.unit_open(actor=learner, unit=chained)


def test_quiz_is_graded_with_partial_credit(world: World) -> None:
    unit, q1, q2 = world.quiz_unit(pass_percent=50)
    attempt = services.attempt_start(actor=world.student_user, unit=unit)
    # Right single choice (2), one right option of two in the multiple choice (half of 4).
    services.attempt_submit(
        actor=world.student_user, attempt=attempt, responses={q1.pk: ["1"], q2.pk: ["0"]}
    )
    attempt.refresh_from_db()
    assert attempt.score == Decimal("4.00")
    assert attempt.max_score == Decimal(6)
    assert Progress.objects.get(unit=unit, user=world.student_user).completed_at is not None
    assert {"answered", "scored"} <= set(verbs_of(world.student_user))
    with pytest.raises(Conflict):
        services.attempt_start(actor=world.student_user, unit=unit)


def test_answers_after_the_time_limit_are_refused_and_nothing_is_written(world: World) -> None:
    unit, q1, _q2 = world.quiz_unit(time_limit_minutes=10)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        attempt = services.attempt_start(actor=world.student_user, unit=unit)
        clock.shift(11 * 60)
        with pytest.raises(services.TimeLimitPassed) as refused:
            services.attempt_submit(
                actor=world.student_user, attempt=attempt, responses={q1.pk: ["1"]}
            )
    assert refused.value.code == "time_limit_passed"
    assert str(refused.value.message) == str(services.TimeLimitPassed.default_message)
    assert not Answer.objects.filter(attempt=attempt).exists()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_short_answers_are_graded_by_the_teacher(world: World) -> None:
    short = services.question_add(
        actor=world.teacher,
        course=world.course,
        kind=QuestionKind.SHORT,
        text="Why zero the tool?",
        points=5,
    )
    unit = services.unit_add(
        actor=world.teacher,
        chapter=world.chapter,
        kind=UnitKind.QUIZ,
        title="Essay",
        question_ids=[short.pk],
    )
    attempt = services.attempt_start(actor=world.student_user, unit=unit)
    services.attempt_submit(
        actor=world.student_user, attempt=attempt, responses={short.pk: "To know where it is"}
    )
    attempt.refresh_from_db()
    assert attempt.needs_grading
    assert list(selectors.attempts_to_grade(world.course)) == [attempt]
    answer = attempt.answers.get()
    with pytest.raises(PermissionDenied):
        services.answer_grade(actor=world.other_teacher, answer=answer, score=Decimal(5))
    with pytest.raises(ValidationFailed):
        services.answer_grade(actor=world.teacher, answer=answer, score=Decimal(6))
    services.answer_grade(actor=world.teacher, answer=answer, score=Decimal(4), comment="Good")
    attempt = Attempt.objects.get(pk=attempt.pk)
    assert attempt.score == Decimal(4)
    assert not attempt.needs_grading
    assert Progress.objects.get(unit=unit, user=world.student_user).completed_at is not None


def test_the_learning_space_and_the_teachers_report(world: World) -> None:
    text = world.text_unit()
    world.video_unit()
    services.unit_open(actor=world.student_user, unit=text)

    mine = selectors.my_courses(actor=world.student_user)
    assert [(m.course, m.completed, m.total, m.percent) for m in mine] == [(world.course, 1, 2, 50)]
    report = selectors.course_report(world.course)
    assert [row.completed for row in report.learners] == [1]
    assert report.not_started == []
    assert next((u.pk, n) for u, n, _p in report.unit_completion) == (text.pk, 1)
    assert selectors.tasks_without_course(actor=world.teacher) == []
