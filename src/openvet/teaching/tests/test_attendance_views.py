from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from openvet.identity.models import User
from openvet.identity.tests.support import sign_in
from openvet.teaching.attendance import services
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.daily_factories import campus_student, task_of

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    return sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), user)


def _session(campus: Campus):  # type: ignore[no-untyped-def]
    task = task_of(campus, classes=[campus.class_a], weekday=1, period=1)
    return services.session_open(
        actor=campus.teacher, task=task, day=date(2025, 9, 8), period_start=1
    )


def test_teacher_sees_code_qr_and_live_list(campus: Campus) -> None:
    student = campus_student(campus)
    session = _session(campus)
    page = _client(campus.teacher).get(reverse("teaching:session-detail", args=[session.pk]))
    body = page.content.decode()
    assert (page.status_code, "<svg" in body, student.name in body) == (200, True, True)


def test_live_fragment_role_matrix(campus: Campus, other: Campus) -> None:
    campus_student(campus)
    session = _session(campus)
    url = reverse("teaching:session-live", args=[session.pk])
    assert _client(campus.teacher).get(url).status_code == 200
    assert _client(campus.student).get(url).status_code == 404
    assert _client(campus.teacher2).get(url).status_code == 404
    assert _client(other.teacher).get(url).status_code == 404


def test_student_gets_the_sign_in_page(campus: Campus) -> None:
    campus_student(campus)
    session = _session(campus)
    page = _client(campus.student).get(reverse("teaching:sign-in", args=[session.pk]))
    assert page.status_code == 200


def test_attendance_home_renders_for_every_role(campus: Campus) -> None:
    campus_student(campus)
    for user in (campus.student, campus.teacher, campus.admin, campus.head):
        assert _client(user).get(reverse("teaching:attendance-home")).status_code == 200
