"""Pages and API of bulk import and export, and the role matrix around them."""

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from openvet.core.models import AuditAction, AuditEntry
from openvet.identity.tests.support import sign_in
from openvet.records.bulk.models import ImportJob, ImportStatus
from openvet.records.tests.bulk_helpers import headers, student_row, upload, workbook_bytes
from openvet.records.tests.factories import student

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _client(user: Any) -> Client:
    return sign_in(Client(), user)


def _post_import(client: Client, school: Any, content: bytes, mode: str = "all-or-nothing") -> Any:
    return client.post(
        reverse("records-bulk:import"),
        {"school": school.pk, "kind": "student", "mode": mode, "file": upload(content)},
        **EN,
    )


def test_template_has_chinese_headers_and_dropdowns(people: Any) -> None:
    response = _client(people.admin).get(reverse("records-bulk:template", args=["student"]))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["student"]
    assert [cell.value for cell in sheet[1]] == headers("student", "zh-hans")
    formulas = sorted(v.formula1 for v in sheet.data_validations.dataValidation)
    assert formulas == [
        "'codes'!$A$2:$A$5",
        "'codes'!$B$2:$B$6",
        "'codes'!$C$2:$C$59",
        "'codes'!$D$2:$D$14",
        "'codes'!$E$2:$E$7",
        "'codes'!$F$2:$F$3",
    ]
    assert book["codes"].sheet_state == "hidden"


def test_upload_page_shows_every_bad_row_in_the_users_language(people: Any) -> None:
    client = _client(people.admin)
    content = workbook_bytes("student", [student_row(people.campus, "2024001", gender="X")])
    response = _post_import(client, people.campus.school, content)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("records-bulk:job-detail", args=[job.pk]), **EN).content.decode()
    assert "“X” is not one of the choices of the dropdown." in page
    assert "Nothing was imported because 1 row is bad. Correct it and upload" in page
    assert "bad rows skipped" not in page
    errors = client.get(reverse("records-bulk:job-error-file", args=[job.pk]))
    assert errors.status_code == 200


def test_upload_page_in_chinese_translates_the_reason(people: Any) -> None:
    client = _client(people.admin)
    content = workbook_bytes("student", [student_row(people.campus, "2024001", name=None)])
    client.post(
        reverse("records-bulk:import"),
        {
            "school": people.campus.school.pk,
            "kind": "student",
            "mode": "all-or-nothing",
            "file": upload(content),
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    job = ImportJob.objects.get()
    assert (job.language, job.errors[0]["column"]) == ("zh-hans", headers("student")[1])
    page = client.get(
        reverse("records-bulk:job-detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "因有 1 行错误，未导入任何数据。请改正后重新上传，或选择只导入正确的行。" in page


def test_progress_fragment_of_a_finished_job_refreshes_the_page(people: Any) -> None:
    client = _client(people.admin)
    _post_import(
        client,
        people.campus.school,
        workbook_bytes("student", [student_row(people.campus, "2024001")]),
    )
    job = ImportJob.objects.get()
    response = client.get(
        reverse("records-bulk:job-progress", args=[job.pk]), HTTP_HX_REQUEST="true"
    )
    assert (response.status_code, response["HX-Refresh"]) == (204, "true")


def test_progress_fragment_of_a_running_job_polls_every_second(people: Any) -> None:
    client = _client(people.admin)
    _post_import(
        client,
        people.campus.school,
        workbook_bytes("student", [student_row(people.campus, "2024001")]),
    )
    ImportJob.objects.update(status=ImportStatus.RUNNING, progress=50, total=200)
    job = ImportJob.objects.get()
    body = client.get(
        reverse("records-bulk:job-progress", args=[job.pk]), HTTP_HX_REQUEST="true", **EN
    ).content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert 'value="25"' in body


def test_admin_of_another_school_cannot_see_a_job(people: Any, other_people: Any) -> None:
    _post_import(
        _client(people.admin),
        people.campus.school,
        workbook_bytes("student", [student_row(people.campus, "2024001")]),
    )
    job = ImportJob.objects.get()
    other = _client(other_people.admin)
    assert other.get(reverse("records-bulk:job-detail", args=[job.pk])).status_code == 404
    assert other.get(reverse("records-bulk:job-error-file", args=[job.pk])).status_code == 404


def test_upload_page_offers_only_the_users_schools(people: Any, other_people: Any) -> None:
    client = _client(people.admin)
    response = _post_import(
        client,
        other_people.campus.school,
        workbook_bytes("student", [student_row(people.campus, "2024001")]),
    )
    assert response.status_code == 200
    assert not ImportJob.objects.exists()


def test_student_cannot_open_the_import_page(people: Any) -> None:
    client = _client(people.student_user)
    assert client.get(reverse("records-bulk:import")).status_code == 404


def test_export_masks_id_numbers_for_roles_without_reveal(people: Any) -> None:
    people.head.forget_grants()
    response = _client(people.head).get(reverse("records-bulk:export-students"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == headers("student")
    id_number = people.student.id_number
    assert rows[1][4] == id_number[:6] + "********" + id_number[-4:]


def test_export_shows_full_id_numbers_to_admins_who_ask_and_is_audited(people: Any) -> None:
    response = _client(people.admin).get(
        reverse("records-bulk:export-students"), {"format": "xlsx", "reveal": "pii"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=5).value == people.student.id_number
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert (entry.changes["rows"], entry.org_id) == (1, people.campus.school.pk)


def test_export_contains_only_the_viewers_school(people: Any, other_people: Any) -> None:
    student(other_people.campus, student_number="B-ONLY")
    response = _client(people.admin).get(reverse("records-bulk:export-students"), {"format": "csv"})
    numbers = [r[0] for r in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))]
    assert numbers == [headers("student")[0], people.student.student_number]


def test_export_then_reimport_changes_nothing(people: Any) -> None:
    client = _client(people.admin)
    exported = client.get(
        reverse("records-bulk:export-students"), {"format": "xlsx", "reveal": "pii"}
    ).content
    _post_import(client, people.campus.school, exported)
    job = ImportJob.objects.get()
    assert (job.errors, job.unchanged_count, job.created_count) == ([], 1, 0)


def test_api_import_answers_with_the_problems(people: Any) -> None:
    client = _client(people.admin)
    content = workbook_bytes("student", [student_row(people.campus, "2024001", gender="X")])
    response = client.post(
        "/api/v1/records/imports",
        {
            "school_id": people.campus.school.pk,
            "kind": "student",
            "mode": "all-or-nothing",
            "file": upload(content),
        },
        **EN,
    )
    body = response.json()
    assert (response.status_code, body["status"], body["errors"]) == (
        201,
        "rejected",
        [
            {
                "row": 2,
                "column": "Gender",
                "message": "“X” is not one of the choices of the dropdown.",
            }
        ],
    )
    assert (body["bad_row_count"], body["skipped_count"], body["created_count"]) == (1, 0, 0)
    assert body["summary"].startswith("Nothing was imported because 1 row is bad.")
    assert client.get(f"/api/v1/records/imports/{body['id']}").json()["id"] == body["id"]


def test_api_import_into_another_school_is_not_found(people: Any, other_people: Any) -> None:
    response = _client(people.admin).post(
        "/api/v1/records/imports",
        {
            "school_id": other_people.campus.school.pk,
            "kind": "student",
            "mode": "all-or-nothing",
            "file": upload(workbook_bytes("student", [])),
        },
    )
    assert response.status_code == 404
    assert not ImportJob.objects.exists()


def test_api_export_of_staff_as_csv(people: Any) -> None:
    response = _client(people.admin).get("/api/v1/records/exports/staff", {"format": "csv"})
    assert (response.status_code, response.content.decode("utf-8-sig").splitlines()) == (
        200,
        [",".join(headers("staff"))],
    )
