"""Imports report every problem of every row in one pass, accept the labels people type, check
phone numbers, and link to the students they wrote."""

import io
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from openvet.identity.tests.support import sign_in
from openvet.records.bulk.models import (
    ERROR_FILE_MAX_ROWS,
    ImportJob,
    ImportKind,
    ImportMode,
    ImportStatus,
)
from openvet.records.bulk.services import import_job_create
from openvet.records.models import Student, StudentHistory
from openvet.records.tests.bulk_helpers import coded_class, student_row, upload, workbook_bytes
from openvet.records.tests.factories import id_number_for

pytestmark = pytest.mark.django_db
PHONE_MESSAGE = (
    "Guardian's phone: enter an 11-digit mobile number, or a landline with its area code "
    "such as 0571-87654321."
)


def _import(
    people: Any,
    rows: list[dict[str, Any]],
    mode: str = ImportMode.ALL_OR_NOTHING,
    language: str = "en",
) -> Any:
    with translation.override(language):
        return import_job_create(
            actor=people.admin,
            school=people.campus.school,
            kind=ImportKind.STUDENT,
            mode=mode,
            upload=upload(workbook_bytes("student", rows)),
        )


def _bad_id(male: bool = True) -> str:
    good = id_number_for(date(2004, 5, 6), male=male)
    return good[:17] + ("0" if good[17] != "0" else "1")


def test_every_problem_of_a_row_is_reported_in_one_pass(people: Any) -> None:
    """The first upload used to flag only the gender; the second the class and check digit."""
    row = student_row(
        people.campus,
        "2024001",
        gender="X",
        class_code="NOPE",
        id_number=_bad_id(),
        guardian_phone="12345",
    )
    job = _import(people, [row])
    assert job.status == ImportStatus.REJECTED
    assert job.errors == [
        {"row": 2, "column": "Class code", "message": "No class of this major has this code."},
        {"row": 2, "column": "Gender", "message": "“X” is not one of the choices of the dropdown."},
        {"row": 2, "column": "Guardian's phone", "message": PHONE_MESSAGE},
        {
            "row": 2,
            "column": "ID number",
            "message": "The check digit of this ID number is wrong; check for a typo.",
        },
    ]
    assert not Student.objects.filter(student_number="2024001").exists()


def test_a_bad_major_still_lets_every_other_column_be_checked(people: Any) -> None:
    row = student_row(
        people.campus, "2024001", major_code="999999", class_code="NOPE", grade_year="soon"
    )
    job = _import(people, [row])
    assert job.errors == [
        {"row": 2, "column": "Class code", "message": "No class of this school has this code."},
        {"row": 2, "column": "Grade year", "message": "Enter a whole number."},
        {"row": 2, "column": "Major code", "message": "No major of this school has this code."},
    ]


def test_every_row_is_reported_in_valid_rows_mode_and_good_rows_are_written(
    people: Any,
) -> None:
    rows = [
        student_row(people.campus, "2024001"),
        student_row(people.campus, "2024002", gender="X", id_number=_bad_id()),
        student_row(
            people.campus,
            "2024003",
            id_number=id_number_for(date(2004, 5, 7), male=True),
            guardian_phone="555",
        ),
    ]
    job = _import(people, rows, mode=ImportMode.VALID_ROWS)
    assert (job.status, job.created_count, job.skipped_count) == (ImportStatus.DONE, 1, 2)
    assert [(e["row"], e["column"]) for e in job.errors] == [
        (3, "Gender"),
        (3, "ID number"),
        (4, "Guardian's phone"),
    ]
    assert list(
        Student.objects.filter(student_number__startswith="2024").values_list(
            "student_number", flat=True
        )
    ) == ["2024001"]


def test_chinese_labels_are_accepted_from_an_english_upload_and_back(people: Any) -> None:
    row = student_row(
        people.campus,
        "2024001",
        gender="男",
        study_form="全日制",
        enrolment_source="普通高考",
        ethnicity="汉族",
    )
    job = _import(people, [row], language="en")
    assert job.errors == []
    student = Student.objects.get(student_number="2024001")
    assert (student.gender, student.study_form, student.enrolment_source, student.ethnicity) == (
        "1",
        "full_time",
        "national_exam",
        "01",
    )
    other = student_row(
        people.campus,
        "2024002",
        id_number=id_number_for(date(2004, 5, 8), male=False),
        gender="Female",
        study_form="Part-time",
    )
    assert _import(people, [other], language="zh-hans").errors == []
    assert Student.objects.get(student_number="2024002").study_form == "part_time"


@pytest.mark.parametrize("phone", ["13812345678", "138 1234 5678", "0571-88886666", "010 62345678"])
def test_mobile_and_landline_phones_are_accepted(people: Any, phone: str) -> None:
    job = _import(people, [student_row(people.campus, "2024001", guardian_phone=phone)])
    assert job.errors == []
    assert Student.objects.get(student_number="2024001").guardian_phone == phone


def test_the_phone_message_is_translated(people: Any) -> None:
    job = _import(
        people, [student_row(people.campus, "2024001", guardian_phone="123")], language="zh-hans"
    )
    assert job.errors == [
        {
            "row": 2,
            "column": "监护人电话",
            "message": "监护人电话：请填写11位手机号码，或带区号的固定电话号码，如 0571-87654321。",
        }
    ]


def _students_page(client: Client, job: Any) -> Any:
    return client.get(
        reverse("records-bulk:job-students", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )


def test_a_successful_import_links_to_the_students_it_wrote(people: Any) -> None:
    coded_class(people.campus.major, "C01")
    before = student_row(
        people.campus, "2024009", id_number=id_number_for(date(2004, 1, 2), male=True)
    )
    _import(people, [before])
    rows = [
        student_row(people.campus, "2024001"),
        student_row(people.campus, "2024002", id_number=id_number_for(date(2004, 5, 8), male=True)),
        before,  # unchanged: not part of this import's list
    ]
    job = _import(people, rows)
    assert (job.created_count, job.unchanged_count) == (2, 1)
    assert StudentHistory.objects.filter(import_job=job).count() == 2
    client = sign_in(Client(), people.admin)
    detail = client.get(
        reverse("records-bulk:job-detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    link = reverse("records-bulk:job-students", args=[job.pk])
    assert f'href="{link}"' in detail.content.decode()
    page = _students_page(client, job)
    assert page.status_code == 200
    numbers = [s.student_number for s in page.context["page"]]
    assert numbers == ["2024001", "2024002"]
    assert "2 students created or updated by this import" in page.content.decode()


def test_a_rejected_import_has_no_link(people: Any) -> None:
    job = _import(people, [student_row(people.campus, "2024001", gender="X")])
    client = sign_in(Client(), people.admin)
    detail = client.get(
        reverse("records-bulk:job-detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert reverse("records-bulk:job-students", args=[job.pk]) not in detail.content.decode()


def test_another_schools_admin_cannot_list_an_imports_students(
    people: Any, other_people: Any
) -> None:
    job = _import(people, [student_row(people.campus, "2024001")])
    response = _students_page(sign_in(Client(), other_people.admin), job)
    assert response.status_code == 404


def test_template_code_sheet_speaks_the_users_language(people: Any) -> None:
    client = sign_in(Client(), people.admin)
    response = client.get(
        reverse("records-bulk:template", args=["student"]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    codes = load_workbook(io.BytesIO(response.content))["codes"]
    columns = {cell.value: cell.column_letter for cell in codes[1]}
    assert list(columns) == ["性别", "身份证件类型", "民族", "政治面貌", "入学方式", "学习形式"]
    sources = [c.value for c in codes[columns["入学方式"]][1:] if c.value]
    assert "national_exam" not in " ".join(sources)
    assert sources[0] == "普通高考"
    assert [c.value for c in codes[columns["学习形式"]][1:] if c.value] == ["全日制", "非全日制"]
    assert codes[columns["性别"]][2].value == "1 男性"


def test_the_error_file_is_offered_for_small_xlsx_uploads_only(people: Any) -> None:
    job = _import(people, [student_row(people.campus, "2024001", gender="X")])
    assert job.has_error_file
    client = sign_in(Client(), people.admin)
    url = reverse("records-bulk:job-error-file", args=[job.pk])
    assert client.get(url).status_code == 200
    ImportJob.objects.filter(pk=job.pk).update(total=ERROR_FILE_MAX_ROWS + 1)
    job.refresh_from_db()
    assert not job.has_error_file
    assert client.get(url).status_code == 404
