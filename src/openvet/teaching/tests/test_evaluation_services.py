from datetime import timedelta

import pytest
from django.utils import timezone

from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.teaching.evaluation import selectors, services
from openvet.teaching.evaluation.models import (
    EvaluationReceipt,
    EvaluationResponse,
    EvaluationWindow,
)
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.daily_factories import campus_student, student_in, task_of

pytestmark = pytest.mark.django_db


def _window(campus: Campus, opens_in: int = -1) -> EvaluationWindow:
    questionnaire = services.questionnaire_create(
        actor=campus.admin,
        school=campus.school,
        name="Term survey",
        questions=[("Clear teaching", "rating"), ("Fair grading", "rating"), ("Comment", "text")],
    )
    opens = timezone.now() + timedelta(hours=opens_in)
    return services.window_create(
        actor=campus.admin,
        term=campus.term,
        questionnaire=questionnaire,
        opens_at=opens,
        closes_at=opens + timedelta(days=7),
    )


def _answers(window: EvaluationWindow, rating: int) -> dict[str, object]:
    ids = [str(q.pk) for q in window.questionnaire.questions.all()]
    return {ids[0]: rating, ids[1]: rating, ids[2]: "ok"}


def test_response_is_stored_without_the_student(campus: Campus) -> None:
    campus_student(campus)
    task = task_of(campus, classes=[campus.class_a])
    window = _window(campus)
    services.response_submit(
        actor=campus.student, window=window, task=task, answers=_answers(window, 4)
    )
    response = EvaluationResponse.objects.get()
    assert [f.name for f in response._meta.fields] == ["id", "window", "task", "answers"]
    assert EvaluationReceipt.objects.filter(task=task).count() == 1


def test_second_vote_is_refused(campus: Campus) -> None:
    campus_student(campus)
    task = task_of(campus, classes=[campus.class_a])
    window = _window(campus)
    services.response_submit(
        actor=campus.student, window=window, task=task, answers=_answers(window, 4)
    )
    with pytest.raises(Conflict):
        services.response_submit(
            actor=campus.student, window=window, task=task, answers=_answers(window, 1)
        )
    assert EvaluationResponse.objects.count() == 1


def test_rating_out_of_range_is_refused(campus: Campus) -> None:
    campus_student(campus)
    task = task_of(campus, classes=[campus.class_a])
    window = _window(campus)
    with pytest.raises(ValidationFailed):
        services.response_submit(
            actor=campus.student, window=window, task=task, answers=_answers(window, 6)
        )
    assert not EvaluationReceipt.objects.exists()


def test_evaluation_outside_the_window_is_refused(campus: Campus) -> None:
    campus_student(campus)
    task = task_of(campus, classes=[campus.class_a])
    window = _window(campus, opens_in=2)
    with pytest.raises(ValidationFailed) as caught:
        services.response_submit(
            actor=campus.student, window=window, task=task, answers=_answers(window, 3)
        )
    assert caught.value.code == "outside_window"


def test_student_cannot_rate_a_course_they_do_not_attend(campus: Campus) -> None:
    campus_student(campus)
    task = task_of(campus, classes=[campus.class_b])
    window = _window(campus)
    with pytest.raises(PermissionDenied):
        services.response_submit(
            actor=campus.student, window=window, task=task, answers=_answers(window, 3)
        )


def test_results_hidden_below_five_responses(campus: Campus) -> None:
    task = task_of(campus, classes=[campus.class_a])
    window = _window(campus)
    for _n in range(4):
        services.response_submit(
            actor=student_in(campus).user, window=window, task=task, answers=_answers(window, 5)
        )
    row = selectors.results_for(actor=campus.admin, window=window)[0]
    assert (row.responses, row.shown, row.averages, row.overall) == (4, False, {}, None)


def test_results_shown_from_five_responses(campus: Campus) -> None:
    task = task_of(campus, classes=[campus.class_a])
    window = _window(campus)
    for rating in (5, 5, 4, 4, 2):
        services.response_submit(
            actor=student_in(campus).user,
            window=window,
            task=task,
            answers=_answers(window, rating),
        )
    row = selectors.results_for(actor=campus.admin, window=window, by="teacher")[0]
    assert (row.responses, row.shown, str(row.overall)) == (5, True, "4.00")


def test_teacher_sees_only_own_results(campus: Campus) -> None:
    task_of(campus, classes=[campus.class_a], teachers=[campus.teacher2])
    window = _window(campus)
    assert selectors.results_for(actor=campus.teacher, window=window, by="teacher") == []


def test_window_with_fewer_than_five_minimum_is_refused(campus: Campus) -> None:
    questionnaire = services.questionnaire_create(
        actor=campus.admin, school=campus.school, name="Q", questions=[("A", "rating")]
    )
    now = timezone.now()
    with pytest.raises(ValidationFailed):
        services.window_create(
            actor=campus.admin,
            term=campus.term,
            questionnaire=questionnaire,
            opens_at=now,
            closes_at=now + timedelta(days=1),
            min_responses=2,
        )


def test_admin_of_another_school_cannot_configure(campus: Campus, other: Campus) -> None:
    with pytest.raises(PermissionDenied):
        services.questionnaire_create(
            actor=other.admin, school=campus.school, name="Q", questions=[("A", "rating")]
        )


def test_other_school_sees_no_windows(campus: Campus, other: Campus) -> None:
    window = _window(campus)
    outsider = campus_student(other)
    assert not selectors.window_list_for(actor=outsider.user).filter(pk=window.pk).exists()
    assert not selectors.window_list_for(actor=other.admin).filter(pk=window.pk).exists()
