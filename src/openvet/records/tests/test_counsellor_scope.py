"""A counsellor reaches the students of the classes they look after (their role is granted
on those classes), never the rest of the department: list, detail, export and API."""

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openvet.core.roles import Role
from openvet.identity.tests.factories import user_with_role
from openvet.records.models import Student
from openvet.records.tests.conftest import People
from openvet.records.tests.factories import student

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbour(people: People) -> Student:
    """A student of the same department and school, in a class the counsellor does not keep."""
    return student(
        people.campus, major=people.campus.other_major, class_unit=people.campus.other_klass
    )


def _client(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_list_page_shows_only_the_counsellors_class(people: People, neighbour: Student) -> None:
    response = _client(people.counsellor).get(reverse("records:student-list"))
    assert [s.pk for s in response.context["page"]] == [people.student.pk]


def test_the_department_head_still_sees_the_whole_department(
    people: People, neighbour: Student
) -> None:
    response = _client(people.head).get(reverse("records:student-list"))
    assert sorted(s.pk for s in response.context["page"]) == sorted(
        [people.student.pk, neighbour.pk]
    )


def test_another_class_is_not_found_on_the_page_and_over_the_api(
    people: People, neighbour: Student
) -> None:
    client = _client(people.counsellor)
    assert client.get(reverse("records:student-detail", args=[neighbour.pk])).status_code == 404
    assert client.get(f"/api/v1/records/students/{neighbour.pk}").status_code == 404
    response = client.patch(
        f"/api/v1/records/students/{neighbour.pk}",
        {"name": "Moved"},
        content_type="application/json",
    )
    assert response.status_code == 404
    neighbour.refresh_from_db()
    assert neighbour.name != "Moved"
    assert client.get(f"/api/v1/records/students/{people.student.pk}").status_code == 200


def test_the_api_list_holds_only_the_counsellors_class(people: People, neighbour: Student) -> None:
    body = _client(people.counsellor).get("/api/v1/records/students").json()
    assert (body["count"], [item["id"] for item in body["items"]]) == (1, [people.student.pk])


def test_exports_hold_only_the_counsellors_class(people: People, neighbour: Student) -> None:
    client = _client(people.counsellor)
    page = client.get(reverse("records-bulk:export-students"), {"format": "csv"})
    api = client.get("/api/v1/records/exports/students", {"format": "csv"})
    for response in (page, api):
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert [row[0] for row in rows[1:]] == [people.student.student_number]


def test_a_teacher_of_the_department_reads_no_student_records(
    people: People, neighbour: Student
) -> None:
    teacher = user_with_role(Role.TEACHER, people.campus.department)
    client = _client(teacher)
    assert client.get("/api/v1/records/students").json() == {"count": 0, "items": []}
    assert client.get(f"/api/v1/records/students/{people.student.pk}").status_code == 404
    assert client.get(reverse("records:student-detail", args=[neighbour.pk])).status_code == 404
