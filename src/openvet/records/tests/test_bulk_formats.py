"""Legacy .xls and OpenDocument .ods files import like .xlsx, behind the same upload guard."""

import zipfile
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from django.utils import translation

from openvet.core.tests.factories import OrgUnitFactory
from openvet.core.uploads import MB, UploadRefused
from openvet.records.bulk.columns import columns_of
from openvet.records.bulk.models import ImportJob, ImportKind, ImportMode, ImportStatus
from openvet.records.bulk.services import import_job_create
from openvet.records.models import Student
from openvet.records.tests.bulk_helpers import headers, student_row, upload
from openvet.records.tests.factories import id_number_for
from openvet.records.tests.test_bulk_guard import _peak_above_baseline

pytestmark = pytest.mark.django_db
FAR_CORNER = (
    "The sheet's cells span 65536 rows by 256 columns, more than the 1000000 cells a sheet may "
    "have. Delete the rows and columns beyond your data and upload again."
)
DATA = Path(__file__).resolve().parent / "data"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def _import(people: Any, content: bytes, name: str) -> Any:
    with translation.override("en"):
        return import_job_create(
            actor=people.admin,
            school=people.campus.school,
            kind=ImportKind.STUDENT,
            mode=ImportMode.ALL_OR_NOTHING,
            upload=upload(content, name),
        )


def _ods_cell(value: Any, extra: str = "") -> str:
    if value is None:
        return f"<table:table-cell{extra}/>"
    if isinstance(value, int):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}"{extra}>'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"{extra}>'
        f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
    )


def ods_bytes(rows: list[list[Any]], *, tail: str = "") -> bytes:
    """A minimal OpenDocument spreadsheet, as LibreOffice writes one (mimetype first)."""
    body = "".join(
        "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
        for row in rows
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        f'xmlns:office="{OFFICE_NS}" xmlns:table="{TABLE_NS}" xmlns:text="{TEXT_NS}">'
        f'<office:body><office:spreadsheet><table:table table:name="student">'
        f"{body}{tail}</table:table>"
        f'<table:table table:name="second"><table:table-row>{_ods_cell("ignored")}'
        f"</table:table-row></table:table></office:spreadsheet></office:body>"
        f"</office:document-content>"
    )
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", ODS, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _student_rows(people: Any, *rows: dict[str, Any]) -> list[list[Any]]:
    keys = [column.key for column in columns_of("student")]
    with translation.override("en"):
        header = headers("student", "en")
    return [header, *[[row.get(key) for key in keys] for row in rows]]


def test_an_xls_workbook_is_imported_with_labels_and_phones(people: Any) -> None:
    OrgUnitFactory(kind="major", name="Xls major", code="610205", parent=people.campus.department)
    job = _import(people, (DATA / "students.xls").read_bytes(), "students.xls")
    assert (job.status, job.errors, job.created_count) == (ImportStatus.DONE, [], 2)
    one, two = Student.objects.filter(student_number__in=["2024101", "2024102"]).order_by(
        "student_number"
    )
    assert (one.gender, one.study_form, one.id_number) == ("1", "full_time", "330106200405063111")
    assert (two.gender, two.guardian_phone, two.grade_year) == ("2", "0571-88886666", 2024)
    assert job.file.name.endswith(".xls")
    assert not job.has_error_file


def test_an_xls_with_a_far_corner_cell_is_refused_in_bounded_memory(
    people: Any, tmp_path: Path
) -> None:
    """Six kilobytes whose cells span A1:IV65536 would take a gigabyte as calamine's grid."""
    content = (DATA / "far-corner.xls").read_bytes()
    with pytest.raises(UploadRefused) as refused:
        _import(people, content, "far.xls")
    assert refused.value.details == {"file": FAR_CORNER}
    assert not ImportJob.objects.exists()
    path = tmp_path / "far.xls"
    path.write_bytes(content)
    growth, outcome = _peak_above_baseline(path)
    assert outcome == FAR_CORNER
    assert growth < 100 * MB


def test_an_ods_spreadsheet_is_imported(people: Any) -> None:
    rows = _student_rows(
        people,
        student_row(people.campus, "2024001", gender="男", guardian_phone="13812345678"),
        student_row(
            people.campus,
            "2024002",
            id_number=id_number_for(date(2004, 5, 8), male=False),
            gender="2",
        ),
    )
    job = _import(people, ods_bytes(rows), "students.ods")
    assert (job.status, job.errors, job.created_count) == (ImportStatus.DONE, [], 2)
    assert Student.objects.get(student_number="2024001").guardian_phone == "13812345678"
    assert job.file.name.endswith(".ods")


def test_ods_rows_report_every_problem_like_xlsx(people: Any) -> None:
    rows = _student_rows(
        people, student_row(people.campus, "2024001", gender="X", guardian_phone="42")
    )
    job = _import(people, ods_bytes(rows), "students.ods")
    assert [(e["row"], e["column"]) for e in job.errors] == [
        (2, "Gender"),
        (2, "Guardian's phone"),
    ]


def test_ods_trailing_repeated_empty_rows_and_cells_cost_nothing(people: Any) -> None:
    rows = _student_rows(people, student_row(people.campus, "2024001"))
    tail = (
        '<table:table-row table:number-rows-repeated="1048000">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    )
    job = _import(people, ods_bytes(rows, tail=tail), "students.ods")
    assert (job.status, job.created_count) == (ImportStatus.DONE, 1)


def test_an_ods_value_repeated_across_16384_columns_is_refused(people: Any) -> None:
    rows = _student_rows(people, student_row(people.campus, "2024001"))
    tail = (
        '<table:table-row><table:table-cell table:number-columns-repeated="16384" '
        'office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>'
    )
    job = _import(people, ods_bytes(rows, tail=tail), "students.ods")
    assert job.errors == [
        {
            "row": None,
            "column": "",
            "message": "The sheet has a cell in row 3, column 16384, beyond the 256 columns a "
            "sheet may use. Delete the columns right of your data and upload again.",
        }
    ]


def test_ods_merged_cells_are_refused(people: Any) -> None:
    rows = _student_rows(people, student_row(people.campus, "2024001"))
    tail = "<table:table-row><table:covered-table-cell/></table:table-row>"
    job = _import(people, ods_bytes(rows, tail=tail), "students.ods")
    assert [e["message"] for e in job.errors] == [
        "The sheet has merged cells. Unmerge all cells and fill in every row, then upload again."
    ]
