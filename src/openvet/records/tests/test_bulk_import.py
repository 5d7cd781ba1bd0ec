"""Importing students and staff from Excel: validation, modes, re-import, audit."""

from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from openvet.core.errors import PermissionDenied
from openvet.core.models import AuditAction, AuditEntry
from openvet.core.pii import decrypt, digest
from openvet.records.bulk.insert import insert_all
from openvet.records.bulk.models import ImportKind, ImportMode, ImportStatus
from openvet.records.bulk.services import import_job_create
from openvet.records.models import Staff, Student, StudentHistory
from openvet.records.tests import factories
from openvet.records.tests.bulk_helpers import (
    coded_class,
    student_row,
    upload,
    workbook_bytes,
)

pytestmark = pytest.mark.django_db


def _import(
    people: Any,
    rows: list[dict[str, Any]],
    *,
    mode: str = ImportMode.ALL_OR_NOTHING,
    kind: str = ImportKind.STUDENT,
    school: Any = None,
) -> Any:
    with translation.override("en"):
        return import_job_create(
            actor=people.admin,
            school=school or people.campus.school,
            kind=kind,
            mode=mode,
            upload=upload(workbook_bytes(kind, rows)),
        )


def test_valid_students_are_created_with_placement(people: Any) -> None:
    campus = people.campus
    klass = coded_class(campus.major, "C01")
    job = _import(
        people, [student_row(campus, "2024001", class_code="C01"), student_row(campus, "2024002")]
    )
    assert (job.status, job.created_count, job.errors) == (ImportStatus.DONE, 2, [])
    first = Student.objects.get(school=campus.school, student_number="2024001")
    assert (first.major_id, first.class_unit_id, first.org_id) == (
        campus.major.pk,
        klass.pk,
        klass.pk,
    )
    assert first.birth_date is not None
    assert first.birth_date.isoformat() == "2004-05-06"


def test_reimporting_the_same_file_updates_instead_of_duplicating(people: Any) -> None:
    campus = people.campus
    rows = [student_row(campus, "2024001")]
    _import(people, rows)
    rows[0]["name"] = "Renamed"
    job = _import(people, rows)
    assert (job.created_count, job.updated_count) == (0, 1)
    assert list(
        Student.objects.filter(student_number="2024001").values_list("name", flat=True)
    ) == ["Renamed"]


def test_reimport_keyed_on_id_number_when_the_number_is_new(people: Any) -> None:
    campus = people.campus
    row = student_row(campus, "2024001")
    _import(people, [row])
    job = _import(people, [{**row, "student_number": "2024009", "name": "Same person"}])
    assert (job.created_count, job.updated_count) == (0, 1)
    numbers = Student.objects.filter(school=campus.school, name="Same person")
    assert list(numbers.values_list("student_number", flat=True)) == ["2024001"]


def test_unchanged_rows_are_counted_and_not_written(people: Any) -> None:
    rows = [student_row(people.campus, "2024001")]
    _import(people, rows)
    job = _import(people, rows)
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 1)


def test_all_or_nothing_writes_nothing_and_lists_every_bad_row(people: Any) -> None:
    campus = people.campus
    job = _import(
        people,
        [
            student_row(campus, "2024001"),
            student_row(campus, "2024002", gender="X"),
            student_row(campus, "2024003", major_code="999999", id_number="110105199001010024"),
        ],
    )
    assert job.status == ImportStatus.REJECTED
    assert not Student.objects.filter(school=campus.school, student_number__startswith="2024")
    assert [(e["row"], e["column"]) for e in job.errors] == [
        (3, "Gender"),
        (4, "ID number"),
        (4, "Major code"),
    ]
    assert job.errors[0]["message"] == "“X” is not one of the choices of the dropdown."
    # Nothing was skipped: the two bad rows stopped the whole file, and the result says so.
    assert (job.bad_row_count, job.skipped_count) == (2, 0)
    with translation.override("en"):
        assert job.summary == (
            "Nothing was imported because 2 rows are bad. Correct them and upload the file "
            "again, or choose to import the valid rows only."
        )
    with translation.override("zh-hans"):
        assert job.summary == (
            "因有 2 行错误，未导入任何数据。请改正后重新上传，或选择只导入正确的行。"
        )


def test_valid_rows_mode_imports_the_good_rows_and_skips_the_bad(people: Any) -> None:
    campus = people.campus
    job = _import(
        people,
        [student_row(campus, "2024001"), student_row(campus, "2024002", name=None)],
        mode=ImportMode.VALID_ROWS,
    )
    assert (job.status, job.created_count, job.skipped_count) == (ImportStatus.DONE, 1, 1)
    assert job.errors == [{"row": 3, "column": "Name", "message": "This column is required."}]
    with translation.override("en"):
        assert job.summary == "1 created, 0 updated, 0 unchanged, 1 bad rows skipped."


def test_duplicate_numbers_inside_the_file_are_reported(people: Any) -> None:
    campus = people.campus
    job = _import(people, [student_row(campus, "2024001"), student_row(campus, "2024001")])
    assert job.errors == [
        {
            "row": 3,
            "column": "Student number",
            "message": "The same number is already in row 2 of this file.",
        }
    ]


def test_class_of_another_major_is_refused(people: Any) -> None:
    campus = people.campus
    coded_class(campus.other_major, "N01")
    job = _import(people, [student_row(campus, "2024001", class_code="N01")])
    assert job.errors == [
        {"row": 2, "column": "Class code", "message": "No class of this major has this code."}
    ]


def test_coded_cells_accept_dropdown_text_and_labels(people: Any) -> None:
    campus = people.campus
    job = _import(
        people,
        [
            student_row(
                campus,
                "2024001",
                gender="1 Male",
                study_form="Part-time",
                enrolment_source="national_exam",
            )
        ],
    )
    assert job.errors == []
    student = Student.objects.get(student_number="2024001")
    assert (student.gender, student.study_form, student.enrolment_source) == (
        "1",
        "part_time",
        "national_exam",
    )


def test_import_records_history_and_one_summary_audit_entry(people: Any) -> None:
    campus = people.campus
    _import(people, [student_row(campus, "2024001"), student_row(campus, "2024002")])
    assert (
        StudentHistory.objects.filter(
            student__school=campus.school, kind=StudentHistory.Kind.CREATED
        ).count()
        == 2
    )
    entries = AuditEntry.objects.filter(object_label="import student")
    assert [(e.action, e.changes["created"], e.org_id) for e in entries] == [
        (AuditAction.CREATE, 2, campus.school.pk)
    ]


def test_history_never_holds_the_id_number_in_clear(people: Any) -> None:
    row = student_row(people.campus, "2024001")
    _import(people, [row])
    history = StudentHistory.objects.get(student__student_number="2024001")
    assert history.changes["id_number"] == ["***", "***"]


def test_staff_import_creates_and_updates(people: Any) -> None:
    campus = people.campus
    campus.department.code = "D01"
    campus.department.save()
    rows = [
        {
            "staff_number": "T001",
            "name": "Teacher",
            "gender": "2",
            "id_number": factories.id_number_for(date(1985, 2, 3), male=False),
            "post_type": "teacher",
            "department_code": "D01",
        }
    ]
    first = _import(people, rows, kind=ImportKind.STAFF)
    rows[0]["title"] = "Lecturer"
    second = _import(people, rows, kind=ImportKind.STAFF)
    assert (first.created_count, second.updated_count) == (1, 1)
    staff = Staff.objects.get(staff_number="T001")
    assert (staff.title, staff.department_id) == ("Lecturer", campus.department.pk)


def test_a_teacher_without_the_capability_cannot_import(people: Any) -> None:
    with pytest.raises(PermissionDenied):
        import_job_create(
            actor=people.counsellor,
            school=people.campus.school,
            kind=ImportKind.STUDENT,
            mode=ImportMode.ALL_OR_NOTHING,
            upload=upload(workbook_bytes("student", [])),
        )


def test_admin_of_school_a_cannot_import_into_school_b(people: Any, other_people: Any) -> None:
    with pytest.raises(PermissionDenied):
        import_job_create(
            actor=people.admin,
            school=other_people.campus.school,
            kind=ImportKind.STUDENT,
            mode=ImportMode.ALL_OR_NOTHING,
            upload=upload(workbook_bytes("student", [])),
        )
    assert Student.objects.filter(school=other_people.campus.school).count() == 1


def test_imported_rows_are_stored_as_a_save_would_store_them(people: Any) -> None:
    """On PostgreSQL the rows go in by COPY: the same encrypted ID number, digest,
    timestamps and history links as ``save()`` and ``bulk_create`` give (SQLite)."""
    campus = people.campus
    row = student_row(campus, "2024001")
    _import(people, [row, student_row(campus, "2024002")])
    student = Student.objects.get(school=campus.school, student_number="2024001")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, id_number_digest FROM records_student WHERE id = %s", [student.pk]
        )
        stored, stored_digest = cursor.fetchone()
    assert stored != row["id_number"]
    assert decrypt(stored) == row["id_number"] == student.id_number
    assert stored_digest == digest(row["id_number"])
    assert student.created_at is not None
    assert student.updated_at is not None
    history = StudentHistory.objects.filter(student=student).get()
    assert (history.kind, history.actor) == (StudentHistory.Kind.CREATED, people.admin)
    # New records keep taking keys from the same sequence afterwards.
    later = factories.student(campus)
    assert later.pk > student.pk


def test_a_duplicate_written_meanwhile_is_an_integrity_error(people: Any) -> None:
    existing = factories.student(people.campus)
    twin = Student.objects.get(pk=existing.pk)
    twin.pk = None
    twin._state.adding = True
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_all(Student, [twin], batch_size=10)
    assert Student.objects.filter(student_number=existing.student_number).count() == 1
