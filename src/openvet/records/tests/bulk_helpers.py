"""Helpers of the bulk import tests: workbooks built in memory, uploads, a campus with codes."""

from datetime import date
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from openvet.core.models import OrgKind, OrgUnit
from openvet.core.tests.factories import OrgUnitFactory
from openvet.records.bulk.columns import columns_of
from openvet.records.tests.factories import Campus, id_number_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def coded_class(major: OrgUnit, code: str, grade_year: int = 2024) -> OrgUnit:
    return OrgUnitFactory(
        kind=OrgKind.CLASS, name=f"Class {code}", code=code, parent=major, grade_year=grade_year
    )


def headers(kind: str, language: str = "zh-hans") -> list[str]:
    with translation.override(language):
        return [column.header() for column in columns_of(kind)]


def student_row(campus: Campus, number: str, **overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "student_number": number,
        "name": f"Student {number}",
        "gender": "1",
        "id_number": id_number_for(date(2004, 5, 6), male=True),
        "major_code": campus.major.code,
        "grade_year": 2024,
        "ethnicity": "01",
    }
    row.update(overrides)
    return row


def workbook_bytes(
    kind: str, rows: list[dict[str, Any]], *, header: list[str] | None = None
) -> bytes:
    book = Workbook()
    sheet = book.active
    names = header or headers(kind)
    keys = [column.key for column in columns_of(kind)]
    sheet.append(names)
    for row in rows:
        sheet.append([row.get(key) for key in keys])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def upload(content: bytes, name: str = "students.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)
