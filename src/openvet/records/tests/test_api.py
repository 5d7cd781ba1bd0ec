from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from openvet.core.api.pagination import MAX_LIMIT
from openvet.identity.tests.factories import UserFactory
from openvet.records.models import StatusChange, Student
from openvet.records.tests.conftest import People
from openvet.records.tests.factories import id_number_for, staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_totp(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


def as_user(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_anonymous_gets_401(people: People) -> None:
    response = Client().get("/api/v1/records/students")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("role", "count"),
    [
        ("admin", 1),
        ("head", 1),
        ("counsellor", 1),
        ("student_user", 1),
        ("outsider", 0),
    ],
)
def test_student_list_role_matrix(
    people: People, other_people: People, role: str, count: int
) -> None:
    user = UserFactory() if role == "outsider" else getattr(people, role)
    body = as_user(user).get("/api/v1/records/students").json()
    assert body["count"] == count
    assert [item["id"] for item in body["items"]] == [people.student.pk] * count


def test_id_number_is_masked_for_a_department_head_and_clear_for_a_counsellor_who_asks(
    people: People,
) -> None:
    url = f"/api/v1/records/students/{people.student.pk}"
    masked = as_user(people.head).get(url, {"reveal": "pii"}).json()["id_number"]
    clear = as_user(people.counsellor).get(url, {"reveal": "pii"}).json()["id_number"]
    assert clear == people.student.id_number
    assert masked == clear[:6] + "********" + clear[-4:]


def test_another_schools_admin_gets_404_and_changes_nothing(
    people: People, other_people: People
) -> None:
    client = as_user(other_people.admin)
    url = f"/api/v1/records/students/{people.student.pk}"
    assert client.get(url).status_code == 404
    response = client.patch(url, {"name": "Hacked"}, content_type="application/json")
    assert response.status_code == 404
    apply = client.post(
        "/api/v1/records/status-changes",
        {"student_id": people.student.pk, "change_type": "31"},
        content_type="application/json",
    )
    assert apply.status_code == 404
    assert Student.objects.get(pk=people.student.pk).name == people.student.name
    assert not StatusChange.objects.exists()


def test_create_student_returns_201_and_validation_errors_are_422(people: People) -> None:
    client = as_user(people.admin)
    payload = {
        "student_number": "A1",
        "name": "Han Meimei",
        "gender": "2",
        "id_number": id_number_for(date(2003, 2, 3), male=False),
        "major_id": people.campus.major.pk,
        "class_id": people.campus.klass.pk,
        "grade_year": 2024,
    }
    created = client.post("/api/v1/records/students", payload, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["birth_date"] == "2003-02-03"
    bad = client.post(
        "/api/v1/records/students",
        payload | {"student_number": "A2", "id_number": "110101199003072345"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["details"] == {
        "id_number": "The check digit of this ID number is wrong; check for a typo."
    }


def test_a_student_cannot_create_students(people: People) -> None:
    response = as_user(people.student_user).post(
        "/api/v1/records/students",
        {
            "student_number": "A1",
            "name": "X",
            "gender": "1",
            "id_number": id_number_for(date(2005, 1, 2)),
            "major_id": people.campus.major.pk,
            "grade_year": 2024,
        },
        content_type="application/json",
    )
    assert response.status_code == 403


def test_status_change_through_the_api(people: People) -> None:
    planned = (timezone.localdate() + timedelta(days=100)).isoformat()
    created = as_user(people.student_user).post(
        "/api/v1/records/status-changes",
        {
            "student_id": people.student.pk,
            "change_type": "11",
            "reason": "10",
            "details": {"planned_return_date": planned},
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    change_id = created.json()["id"]

    for user in (people.counsellor, people.head, people.admin):
        decided = as_user(user).post(
            f"/api/v1/records/status-changes/{change_id}/decide",
            {"decision": "approve"},
            content_type="application/json",
        )
        assert decided.status_code == 200
    assert decided.json()["state"] == "approved"
    assert (
        as_user(people.student_user)
        .get(f"/api/v1/records/students/{people.student.pk}")
        .json()["status"]
        == "02"
    )


def test_illegal_transition_is_409_with_a_clear_message(people: People) -> None:
    response = as_user(people.counsellor).post(
        "/api/v1/records/status-changes",
        {"student_id": people.student.pk, "change_type": "12"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["message"].startswith("Only a student on leave")


def test_deciding_without_a_task_is_403(people: People) -> None:
    created = as_user(people.counsellor).post(
        "/api/v1/records/status-changes",
        {"student_id": people.student.pk, "change_type": "31"},
        content_type="application/json",
    )
    response = as_user(people.admin).post(
        f"/api/v1/records/status-changes/{created.json()['id']}/decide",
        {"decision": "approve"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_student_sees_own_changes_only(people: People) -> None:
    from openvet.records.tests.factories import student

    classmate = student(people.campus)
    as_user(people.counsellor).post(
        "/api/v1/records/status-changes",
        {"student_id": classmate.pk, "change_type": "31"},
        content_type="application/json",
    )
    assert as_user(people.student_user).get("/api/v1/records/status-changes").json()["count"] == 0
    assert as_user(people.admin).get("/api/v1/records/status-changes").json()["count"] == 1


def test_staff_api_is_scoped(people: People, other_people: People) -> None:
    mine = staff(people.campus)
    theirs = staff(other_people.campus)
    client = as_user(people.admin)
    assert [s["id"] for s in client.get("/api/v1/records/staff").json()["items"]] == [mine.pk]
    assert client.get(f"/api/v1/records/staff/{theirs.pk}").status_code == 404
    assert as_user(people.student_user).get("/api/v1/records/staff").json()["count"] == 0


def test_create_staff_through_the_api(people: People) -> None:
    response = as_user(people.admin).post(
        "/api/v1/records/staff",
        {
            "staff_number": "T77",
            "name": "Zhou",
            "gender": "1",
            "id_number": id_number_for(date(1980, 3, 4)),
            "department_id": people.campus.department.pk,
            "post_type": "teacher",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["school_id"] == people.campus.school.pk


def test_pagination_is_capped(people: People) -> None:
    client = as_user(people.admin)

    page = client.get(f"/api/v1/records/students?limit={MAX_LIMIT}&offset=0").json()
    above = client.get(f"/api/v1/records/students?limit={MAX_LIMIT + 1}")
    beyond = client.get("/api/v1/records/students?offset=9223372036854775808")

    assert (page["count"], len(page["items"])) == (1, 1)
    assert (above.status_code, above.json()["code"]) == (422, "validation_failed")
    assert (beyond.status_code, list(beyond.json()["details"])) == (422, ["offset"])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("student_user", 201),
        ("counsellor", 201),
        ("head", 201),
        ("admin", 201),
        ("other_admin", 404),
        ("outsider", 404),
    ],
)
def test_status_change_create_role_matrix(
    people: People, other_people: People, role: str, status: int
) -> None:
    users = {"other_admin": other_people.admin, "outsider": UserFactory()}
    user = users.get(role) or getattr(people, role)
    response = as_user(user).post(
        "/api/v1/records/status-changes",
        {"student_id": people.student.pk, "change_type": "31"},
        content_type="application/json",
    )
    assert response.status_code == status
    assert StatusChange.objects.count() == (1 if status == 201 else 0)


@pytest.mark.parametrize(
    "query",
    ["post_type=7%00x", "search=a%00b"],
)
def test_a_nul_byte_in_a_staff_filter_is_refused_not_a_server_error(
    people: People, query: str
) -> None:
    # PostgreSQL refuses NUL in text; the API says so as a 422 before the query is built.
    response = as_user(people.admin).get(f"/api/v1/records/staff?{query}")
    assert response.status_code == 422
