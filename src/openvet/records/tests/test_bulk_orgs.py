"""Importing majors and classes through the core org services."""

from typing import Any

import pytest
from django.utils import translation

from openvet.core.models import OrgKind, OrgUnit
from openvet.records.bulk.models import ImportKind, ImportMode, ImportStatus
from openvet.records.bulk.services import import_job_create
from openvet.records.tests.bulk_helpers import upload, workbook_bytes

pytestmark = pytest.mark.django_db


def _import(
    people: Any, kind: str, rows: list[dict[str, Any]], mode: str = ImportMode.ALL_OR_NOTHING
) -> Any:
    with translation.override("en"):
        return import_job_create(
            actor=people.admin,
            school=people.campus.school,
            kind=kind,
            mode=mode,
            upload=upload(workbook_bytes(kind, rows)),
        )


def test_majors_import_creates_the_department_when_named(people: Any) -> None:
    job = _import(
        people,
        ImportKind.MAJOR,
        [
            {
                "major_code": "510301",
                "name": "Computer applications",
                "department_code": "D9",
                "department_name": "Computing",
            }
        ],
    )
    assert (job.status, job.created_count) == (ImportStatus.DONE, 1)
    major = OrgUnit.objects.get(
        kind=OrgKind.MAJOR, code="510301", path__startswith=people.campus.school.path
    )
    assert (major.parent.kind, major.parent.code, major.parent.name) == (
        OrgKind.DEPARTMENT,
        "D9",
        "Computing",
    )


def test_a_bad_major_row_rolls_back_the_whole_file(people: Any) -> None:
    job = _import(
        people,
        ImportKind.MAJOR,
        [
            {
                "major_code": "510301",
                "name": "Good",
                "department_code": "D9",
                "department_name": "Computing",
            },
            {"major_code": "12", "name": "Bad", "department_code": "D9"},
        ],
    )
    assert job.status == ImportStatus.REJECTED
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "Major code")]
    assert not OrgUnit.objects.filter(
        code__in=["D9", "510301"], path__startswith=people.campus.school.path
    ).exists()


def test_classes_import_creates_then_updates(people: Any) -> None:
    rows = [
        {
            "class_code": "C1",
            "name": "Software 2024-1",
            "major_code": people.campus.major.code,
            "grade_year": 2024,
        }
    ]
    first = _import(people, ImportKind.CLASS, rows)
    rows[0]["name"] = "Software 2024 (1)"
    second = _import(people, ImportKind.CLASS, rows)
    assert (first.created_count, second.updated_count) == (1, 1)
    klass = OrgUnit.objects.get(kind=OrgKind.CLASS, code="C1")
    assert (klass.name, klass.parent_id, klass.grade_year) == (
        "Software 2024 (1)",
        people.campus.major.pk,
        2024,
    )


def test_class_of_an_unknown_major_is_reported(people: Any) -> None:
    job = _import(
        people,
        ImportKind.CLASS,
        [{"class_code": "C1", "name": "X", "major_code": "000000", "grade_year": 2024}],
    )
    assert job.errors == [
        {"row": 2, "column": "Major code", "message": "No major of this school has this code."}
    ]
