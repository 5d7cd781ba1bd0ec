"""The whole school-admin journey over the API: load students from Excel, fix the reported
rows, a change of major and a leave of absence through approval, the history, the export."""

from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from openvet.core.roles import Role
from openvet.identity.tests.factories import user_with_role
from openvet.identity.tests.support import sign_in
from openvet.records.bulk.columns import columns_of
from openvet.records.codes import ChangeType, StudentStatus
from openvet.records.models import Student, StudentHistory
from openvet.records.tests.bulk_helpers import coded_class, headers, student_row, workbook_bytes
from openvet.records.tests.conftest import People
from openvet.records.tests.factories import id_number_for, intake_plan

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NUMBERS = [f"J2024{n:03d}" for n in range(1, 6)]


def client_of(user: Any) -> Client:
    return sign_in(Client(), user)


def rows(people: People, *, broken: bool) -> list[dict[str, Any]]:
    campus = people.campus
    result = [
        student_row(
            campus,
            number,
            id_number=id_number_for(date(2004, 1, n), male=True),
            class_code="A1",
        )
        for n, number in enumerate(NUMBERS, start=1)
    ]
    if broken:
        good = result[2]["id_number"]
        result[2]["id_number"] = good[:-1] + ("0" if good[-1] != "0" else "1")
        result[3]["major_code"] = "999999"
    return result


def post_import(client: Client, people: People, content: bytes) -> dict[str, Any]:
    response = client.post(
        "/api/v1/records/imports",
        {
            "school_id": people.campus.school.pk,
            "kind": "student",
            "mode": "all-or-nothing",
            "file": BytesIOFile(content),
        },
        **EN,
    )
    assert response.status_code == 201
    body: dict[str, Any] = response.json()
    return body


class BytesIOFile(BytesIO):
    name = "students.xlsx"


def apply(client: Client, student: Student, change_type: str, details: dict[str, Any]) -> int:
    response = client.post(
        "/api/v1/records/status-changes",
        {"student_id": student.pk, "change_type": change_type, "details": details},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    change_id: int = response.json()["id"]
    return change_id


def approve(users: list[Any], change_id: int) -> str:
    state = ""
    for user in users:
        response = client_of(user).post(
            f"/api/v1/records/status-changes/{change_id}/decide",
            {"decision": "approve"},
            content_type="application/json",
        )
        assert response.status_code == 200, response.json()
        state = response.json()["state"]
    return state


def test_load_fix_change_major_suspend_and_export_over_the_api(
    people: People, other_people: People
) -> None:
    campus = people.campus
    coded_class(campus.major, "A1")
    target_class = coded_class(campus.other_major, "B1")
    intake_plan(campus.other_major, capacity=3)
    # The department's counsellor, so the students stay in reach after the change of major.
    counsellor = user_with_role(Role.COUNSELLOR, campus.department, full_name="Dept counsellor")
    admin = client_of(people.admin)

    template = admin.get("/api/v1/records/import-templates/student", **EN)
    sheet = load_workbook(BytesIO(template.content)).active
    assert [cell.value for cell in sheet[1]] == headers("student", "en")

    rejected = post_import(admin, people, workbook_bytes("student", rows(people, broken=True)))
    assert (rejected["status"], rejected["created_count"]) == ("rejected", 0)
    assert rejected["errors"] == [
        {
            "row": 4,
            "column": "ID number",
            "message": "The check digit of this ID number is wrong; check for a typo.",
        },
        {"row": 5, "column": "Major code", "message": "No major of this school has this code."},
    ]
    assert not Student.objects.filter(student_number__in=NUMBERS).exists()

    fixed = workbook_bytes("student", rows(people, broken=False))
    loaded = post_import(admin, people, fixed)
    assert (loaded["status"], loaded["created_count"], loaded["errors"]) == ("done", 5, [])
    again = post_import(admin, people, fixed)
    assert (again["created_count"], again["unchanged_count"]) == (0, 5)
    assert Student.objects.filter(student_number__in=NUMBERS).count() == 5

    record = Student.objects.get(student_number=NUMBERS[0])
    change_major = apply(
        client_of(counsellor),
        record,
        ChangeType.CHANGE_MAJOR,
        {"target_major_id": campus.other_major.pk, "target_class_id": target_class.pk},
    )
    assert approve([people.head, people.admin], change_major) == "approved"
    moved = admin.get(f"/api/v1/records/students/{record.pk}").json()
    assert (moved["major_id"], moved["class_id"]) == (campus.other_major.pk, target_class.pk)

    planned = (timezone.localdate() + timedelta(days=120)).isoformat()
    suspend = apply(admin, record, ChangeType.SUSPEND, {"planned_return_date": planned})
    # Academic affairs applied, so their own step counts as approved by them.
    assert approve([counsellor, people.head], suspend) == "approved"
    assert (
        admin.get(f"/api/v1/records/students/{record.pk}").json()["status"]
        == StudentStatus.SUSPENDED
    )

    changes = admin.get(f"/api/v1/records/status-changes?student_id={record.pk}").json()
    assert sorted((c["change_type"], c["state"]) for c in changes["items"]) == [
        (ChangeType.SUSPEND, "approved"),
        (ChangeType.CHANGE_MAJOR, "approved"),
    ]
    history = StudentHistory.objects.filter(student=record).order_by("at", "id")
    assert [(h.kind, h.change.change_type if h.change else None) for h in history] == [
        (StudentHistory.Kind.CREATED, None),
        (StudentHistory.Kind.STATUS_CHANGE, ChangeType.CHANGE_MAJOR),
        (StudentHistory.Kind.STATUS_CHANGE, ChangeType.SUSPEND),
    ]

    exported = admin.get("/api/v1/records/exports/students?format=xlsx&search=J2024")
    table = list(load_workbook(BytesIO(exported.content)).active.iter_rows(values_only=True))
    keys = [column.key for column in columns_of("student")]
    by_number = {row[keys.index("student_number")]: row for row in table[1:]}
    assert sorted(by_number) == NUMBERS
    assert by_number[NUMBERS[0]][keys.index("major_code")] == campus.other_major.code
    assert by_number[NUMBERS[0]][keys.index("class_code")] == "B1"

    # Another school sees none of it and changes nothing.
    stranger = client_of(other_people.admin)
    assert stranger.get(f"/api/v1/records/students/{record.pk}").status_code == 404
    foreign = stranger.get("/api/v1/records/exports/students?format=xlsx&search=J2024")
    foreign_rows = list(load_workbook(BytesIO(foreign.content)).active.iter_rows(values_only=True))
    assert foreign_rows[1:] == []
    refused = stranger.post(
        f"/api/v1/records/status-changes/{suspend}/withdraw", content_type="application/json"
    )
    assert refused.status_code == 404
    record.refresh_from_db()
    assert record.status == StudentStatus.SUSPENDED
