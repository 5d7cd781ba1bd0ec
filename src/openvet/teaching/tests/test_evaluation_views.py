from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openvet.identity.models import User
from openvet.identity.tests.support import sign_in
from openvet.teaching.evaluation import services
from openvet.teaching.evaluation.models import EvaluationResponse
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.daily_factories import campus_student, task_of
from openvet.teaching.tests.html_support import by_id

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    return sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), user)


def test_student_evaluates_on_the_page(campus: Campus) -> None:
    campus_student(campus)
    task = task_of(campus, classes=[campus.class_a])
    questionnaire = services.questionnaire_create(
        actor=campus.admin, school=campus.school, name="Q", questions=[("Clear", "rating")]
    )
    now = timezone.now()
    window = services.window_create(
        actor=campus.admin,
        term=campus.term,
        questionnaire=questionnaire,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
    )
    question = questionnaire.questions.get()
    client = _client(campus.student)
    home = client.get(reverse("teaching:evaluation-home"))
    assert task.course.name in home.content.decode()
    client.post(reverse("teaching:evaluate", args=[window.pk, task.pk]), {f"q{question.pk}": "4"})
    assert EvaluationResponse.objects.get().answers == {str(question.pk): 4}


def test_evaluation_home_renders_for_admin_and_teacher(campus: Campus) -> None:
    assert _client(campus.admin).get(reverse("teaching:evaluation-home")).status_code == 200
    assert _client(campus.teacher).get(reverse("teaching:evaluation-home")).status_code == 200


def test_a_missing_rating_keeps_the_other_answers_and_marks_that_question(
    campus: Campus,
) -> None:
    campus_student(campus)
    task = task_of(campus, classes=[campus.class_a])
    questionnaire = services.questionnaire_create(
        actor=campus.admin,
        school=campus.school,
        name="Q",
        questions=[("Clear", "rating"), ("Pace", "rating"), ("Comments", "text")],
    )
    now = timezone.now()
    window = services.window_create(
        actor=campus.admin,
        term=campus.term,
        questionnaire=questionnaire,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
    )
    clear, pace, comments = questionnaire.questions.order_by("pk")
    response = _client(campus.student).post(
        reverse("teaching:evaluate", args=[window.pk, task.pk]),
        {f"q{clear.pk}": "4", f"q{comments.pk}": "Good labs"},
    )
    page = by_id(response.content)
    assert (
        "checked" in page[f"q{clear.pk}-4"].attrs,
        page[f"q{comments.pk}"].text,
        page[f"q{pace.pk}-error"].text,
        f"q{clear.pk}-error" in page,
        EvaluationResponse.objects.count(),
    ) == (True, "Good labs", "Choose a rating from 1 to 5.", False, 0)
