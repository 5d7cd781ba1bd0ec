import pytest
from django.test import Client
from django.urls import reverse

from openvet.identity.models import User
from openvet.identity.tests.support import sign_in
from openvet.teaching.grades import services
from openvet.teaching.grades.models import Grade
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.daily_factories import campus_student, task_of

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    return sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), user)


def test_teacher_enters_grades_on_the_page(campus: Campus) -> None:
    student = campus_student(campus)
    sheet = services.sheet_open(
        actor=campus.teacher, task=task_of(campus, classes=[campus.class_a])
    )
    url = reverse("teaching:sheet-detail", args=[sheet.pk])
    _client(campus.teacher).post(
        url, {f"g_{student.pk}_usual": "90", f"g_{student.pk}_final": "70"}
    )
    assert str(Grade.objects.get(student=student).total) == "76.0"


def test_sheet_page_role_matrix(campus: Campus, other: Campus) -> None:
    campus_student(campus)
    sheet = services.sheet_open(
        actor=campus.teacher, task=task_of(campus, classes=[campus.class_a])
    )
    url = reverse("teaching:sheet-detail", args=[sheet.pk])
    assert _client(campus.teacher).get(url).status_code == 200
    assert _client(campus.admin).get(url).status_code == 200
    assert _client(campus.teacher2).get(url).status_code == 404
    assert _client(campus.student).get(url).status_code == 404
    assert _client(other.teacher).get(url).status_code == 404
    assert _client(other.admin).get(url).status_code == 404


def test_transcript_is_the_students_own(campus: Campus) -> None:
    campus_student(campus)
    page = _client(campus.student).get(reverse("teaching:transcript"))
    assert (page.status_code, "transcript.css" in page.content.decode()) == (200, True)
    assert _client(campus.teacher).get(reverse("teaching:transcript")).status_code == 403
