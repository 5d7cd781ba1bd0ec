"""Selections, drops, sign-ins and grades are recorded as xAPI statements in the LRS."""

import pytest
from django.test import Client as HttpClient

from openvet.lrs.models import Statement
from openvet.lrs.services import record_learning_event
from openvet.teaching.selection import services
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.daily_factories import (
    campus_student,
    offering_of,
    round_of,
    student_in,
    task_of,
)

pytestmark = pytest.mark.django_db


def test_a_selection_and_a_drop_are_statements_of_the_students_school(campus: Campus) -> None:
    offering = offering_of(campus)
    round_of(campus)
    student = student_in(campus)
    selection = services.selection_create(actor=student.user, offering=offering)
    services.selection_drop(actor=student.user, selection=selection)
    rows = list(Statement.objects.order_by("pk"))
    assert [row.verb_id for row in rows] == [
        "http://adlnet.gov/expapi/verbs/registered",
        "https://openvet.invalid/xapi/verbs/dropped",
    ]
    first = rows[0]
    assert first.school_id == campus.school.pk
    assert first.body["actor"]["account"]["name"] == str(student.user.pk)
    assert first.body["object"]["id"].endswith(f"/teaching.offering/{offering.pk}")


def test_a_refused_selection_records_nothing(campus: Campus) -> None:
    offering = offering_of(campus, capacity=1)
    round_of(campus)
    services.selection_create(actor=student_in(campus).user, offering=offering)
    with pytest.raises(Exception):  # noqa: B017, PT011 - the refusal itself is tested elsewhere
        services.selection_create(actor=student_in(campus).user, offering=offering)
    assert Statement.objects.count() == 1


def test_a_teacher_reads_the_records_of_their_tasks_students_only(
    campus: Campus, other: Campus
) -> None:
    student = campus_student(campus)
    stranger = student_in(campus, campus.class_b)
    task_of(campus, classes=[campus.class_a], teachers=[campus.teacher])
    for someone in (student, stranger):
        record_learning_event(
            user_id=someone.user_id, verb="attended", object_type="teaching.offering", object_id=1
        )

    def status(user: object, learner_user_id: int) -> int:
        http = HttpClient()
        http.force_login(user)
        return http.get(f"/lrs/learners/{learner_user_id}/").status_code

    assert status(campus.teacher, student.user_id) == 200
    assert status(campus.teacher, stranger.user_id) == 404
    assert status(campus.teacher2, student.user_id) == 404
    assert status(other.teacher, student.user_id) == 404
