from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from openvet.identity.models import User
from openvet.identity.tests.support import sign_in
from openvet.teaching.attendance import codes, services
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.daily_factories import campus_student, task_of
from openvet.teaching.tests.html_support import by_id
from openvet.teaching.tests.test_attendance_services import _at

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


def test_a_student_is_offered_no_lecture_to_open_and_a_teacher_is(campus: Campus) -> None:
    campus_student(campus)
    task_of(campus, classes=[campus.class_a], weekday=1, period=1)
    url = reverse("teaching:attendance-home")
    for user, offered in ((campus.student, False), (campus.teacher, True)):
        body = _client(user).get(url).content.decode()
        assert ('id="take-attendance"' in body) is offered


def test_sign_in_page_has_no_latitude_or_longitude_labels(campus: Campus) -> None:
    campus_student(campus)
    session = _session(campus)
    session.require_location = True
    session.save(update_fields=["require_location"])
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="zh-hans"), campus.student)
    body = client.get(reverse("teaching:sign-in", args=[session.pk])).content.decode()
    assert ("Latitude" in body, "Longitude" in body, 'type="hidden" name="latitude"' in body) == (
        False,
        False,
        True,
    )
    assert "签到时手机会请求共享一次位置" in body


def test_after_signing_in_the_button_says_so(campus: Campus) -> None:
    campus_student(campus)
    session = _session(campus)
    now = _at(8, 3)
    client = _client(campus.student)
    with time_machine.travel(now, tick=False):
        response = client.post(
            reverse("teaching:sign-in", args=[session.pk]),
            {"code": codes.current_code(session.pk, now)[0]},
        )
        home = client.get(reverse("teaching:attendance-home")).content.decode()
        again = client.get(reverse("teaching:sign-in", args=[session.pk])).content.decode()
    assert response.status_code == 302
    assert by_id(home)[f"signed-{session.pk}"].text == "Signed in at 08:03 (Present)"
    assert by_id(again)["signed-in"].text == "Signed in at 08:03 (Present)"
    assert 'id="sign-in-form"' not in again


def test_teacher_starts_attendance_from_a_lecture_in_the_timetable(campus: Campus) -> None:
    task = task_of(campus, classes=[campus.class_a], weekday=1, period=1)
    client = _client(campus.teacher)
    timetable = client.get(reverse("teaching:my-timetable") + "?week=2").content.decode()
    link = (
        f"{reverse('teaching:attendance-home')}?task={task.pk}&amp;day=2025-09-08&amp;period=1"
        "#take-attendance"
    )
    home = client.get(
        reverse("teaching:attendance-home"), {"task": task.pk, "day": "2025-09-08", "period": 1}
    )
    fields = by_id(home.content)
    assert timetable.count(link) == 1  # each lecture is drawn once, for phones and desktops alike
    assert (
        fields["id_day"].attrs["value"],
        fields["id_period_start"].attrs["value"],
        f'<option value="{task.pk}" selected>' in home.content.decode(),
    ) == ("2025-09-08", "1", True)


def test_opening_sign_in_far_from_the_lecture_warns(campus: Campus) -> None:
    session = _session(campus)
    url = reverse("teaching:session-detail", args=[session.pk])
    pages = []
    for now in (_at(8, 20), _at(14, 0)):
        with time_machine.travel(now, tick=False):
            response = _client(campus.teacher).get(url)
            pages.append((response.status_code, response.content.decode()))
    warning = "This lecture is on 2025-09-08 from 08:00 to 09:40, not now."
    assert [(status, warning in body) for status, body in pages] == [(200, False), (200, True)]
