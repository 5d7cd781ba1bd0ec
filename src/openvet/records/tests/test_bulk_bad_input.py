"""Malformed workbooks: each gets a clear report, and nothing is written."""

import re
import zipfile
from io import BytesIO
from typing import Any

import pytest
from django.utils import translation
from openpyxl import load_workbook

from openvet.records.bulk.models import ImportKind, ImportMode, ImportStatus
from openvet.records.bulk.reader import EMPTY_RUN_LIMIT
from openvet.records.bulk.services import import_job_create
from openvet.records.bulk.workbook import error_workbook
from openvet.records.models import Student
from openvet.records.tests.bulk_helpers import headers, student_row, upload, workbook_bytes

pytestmark = pytest.mark.django_db
NOT_XLSX = (
    "This file is not a spreadsheet we can read. Download the template, fill it in and save "
    "it as an Excel workbook (.xlsx or .xls) or an OpenDocument spreadsheet (.ods)."
)


def _run(
    people: Any, content: bytes, name: str = "students.xlsx", mode: str = ImportMode.ALL_OR_NOTHING
) -> Any:
    with translation.override("en"):
        return import_job_create(
            actor=people.admin,
            school=people.campus.school,
            kind=ImportKind.STUDENT,
            mode=mode,
            upload=upload(content, name),
        )


def _imported(people: Any) -> int:
    return Student.objects.filter(
        school=people.campus.school, student_number__startswith="2024"
    ).count()


def _book_with(people: Any, edit: Any) -> bytes:
    book = load_workbook(
        BytesIO(
            workbook_bytes(
                "student",
                [student_row(people.campus, "2024001"), student_row(people.campus, "2024002")],
            )
        )
    )
    edit(book.active)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_csv_file_is_refused_as_not_xlsx(people: Any) -> None:
    job = _run(people, "学号,姓名\n2024001,Li\n".encode(), "students.csv")
    assert (job.status, job.errors) == (
        ImportStatus.REJECTED,
        [{"row": None, "column": "", "message": NOT_XLSX}],
    )
    assert _imported(people) == 0


def test_a_renamed_text_file_is_refused_as_not_xlsx(people: Any) -> None:
    job = _run(people, b"just some text, renamed to .xlsx")
    assert job.errors == [{"row": None, "column": "", "message": NOT_XLSX}]


def test_a_zip_that_is_not_a_workbook_is_refused(people: Any) -> None:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    job = _run(people, out.getvalue())
    assert job.errors == [{"row": None, "column": "", "message": NOT_XLSX}]


def test_wrong_headers_are_named_one_by_one(people: Any) -> None:
    header = [*headers("student", "en")[:2], "Shoe size", *headers("student", "en")[3:]]
    job = _run(
        people, workbook_bytes("student", [student_row(people.campus, "2024001")], header=header)
    )
    assert [e["message"] for e in job.errors] == [
        "The first row must hold the column headers of the template for this kind.",
        "Unknown column “Shoe size”.",
        "The required column “Gender” is missing.",
    ]
    assert _imported(people) == 0


def test_english_headers_are_accepted_too(people: Any) -> None:
    content = workbook_bytes(
        "student", [student_row(people.campus, "2024001")], header=headers("student", "en")
    )
    assert _run(people, content).created_count == 1


def test_merged_cells_are_refused(people: Any) -> None:
    job = _run(people, _book_with(people, lambda sheet: sheet.merge_cells("B2:B3")))
    assert job.errors == [
        {
            "row": None,
            "column": "",
            "message": (
                "The sheet has merged cells. Unmerge all cells and fill in every row, then "
                "upload again."
            ),
        }
    ]
    assert _imported(people) == 0


def test_formulas_are_reported_per_cell_and_nothing_is_written(people: Any) -> None:
    def add_formula(sheet: Any) -> None:
        sheet["B3"] = '=CONCATENATE("Li", "Lei")'

    job = _run(people, _book_with(people, add_formula))
    assert job.status == ImportStatus.REJECTED
    assert job.errors == [
        {
            "row": 3,
            "column": "Name",
            "message": (
                "This cell holds a formula; paste the values only (Paste Special, Values)."
            ),
        }
    ]
    assert _imported(people) == 0


def test_id_number_that_lost_its_final_x_is_reported_precisely(people: Any) -> None:
    def as_number(sheet: Any) -> None:
        # 110105199001010018 typed into a number cell: Excel keeps 15 significant digits.
        sheet["E2"] = 110105199001010018

    job = _run(people, _book_with(people, as_number))
    assert job.errors == [
        {
            "row": 2,
            "column": "ID number",
            "message": (
                "The ID number is stored as a number (110105199001010000), so Excel may have "
                "dropped a "
                "final X, leading zeros or the last digits. Format the column as Text and type the "
                "number again."
            ),
        }
    ]
    assert _imported(people) == 0


def test_id_number_in_scientific_notation_is_reported(people: Any) -> None:
    def as_float(sheet: Any) -> None:
        sheet["E3"] = 1.10105199001011e17

    job = _run(people, _book_with(people, as_float))
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "ID number")]
    assert "(110105199001011008)" in job.errors[0]["message"]


def test_valid_rows_mode_still_skips_a_row_with_a_numeric_id(people: Any) -> None:
    def as_number(sheet: Any) -> None:
        sheet["E2"] = 11010519900101001

    job = _run(people, _book_with(people, as_number), mode=ImportMode.VALID_ROWS)
    assert (job.created_count, job.skipped_count) == (1, 1)


def _empty_rows_workbook(people: Any, empty_rows: int) -> bytes:
    """One data row, then ``empty_rows`` rows of formatted but empty cells, written straight
    into the sheet XML (openpyxl would take minutes to write them)."""
    content = workbook_bytes("student", [student_row(people.campus, "2024001")])
    cells = "".join(f'<c r="{col}{{n}}" s="0"/>' for col in "ABCDEFGH")
    rows = "".join(
        f'<row r="{n}">' + cells.replace("{n}", str(n)) + "</row>" for n in range(3, 3 + empty_rows)
    )
    out = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", rows.encode() + b"</sheetData>")
                # The used range then claims every row, as Excel writes it.
                data = re.sub(
                    rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:R1048576"/>', data
                )
            target.writestr(item, data)
    return out.getvalue()


def test_ten_megabytes_of_empty_rows_stop_reading_early(
    people: Any, django_capture_on_commit_callbacks: Any
) -> None:
    content = _empty_rows_workbook(people, 60_000)
    with zipfile.ZipFile(BytesIO(content)) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 10 * 1024 * 1024
    # The used range claims a million rows, so the job goes to the background task.
    with django_capture_on_commit_callbacks(execute=True):
        job = _run(people, content)
    job.refresh_from_db()
    assert (job.status, job.created_count, job.total) == (ImportStatus.DONE, 1, 1)
    assert job.notices == [
        f"Reading stopped at row {2 + EMPTY_RUN_LIMIT} after {EMPTY_RUN_LIMIT} empty rows."
    ]


def test_a_file_without_data_rows_is_reported(people: Any) -> None:
    job = _run(people, workbook_bytes("student", []))
    assert job.errors == [
        {"row": None, "column": "", "message": "The file has no data rows below the headers."}
    ]


def test_error_file_adds_an_errors_column_beside_bad_rows(people: Any) -> None:
    content = workbook_bytes(
        "student",
        [student_row(people.campus, "2024001"), student_row(people.campus, "2024002", gender="X")],
    )
    job = _run(people, content)
    with translation.override("en"):
        annotated = load_workbook(BytesIO(error_workbook(BytesIO(content), job.errors))).active
    last = annotated.max_column
    assert [annotated.cell(row=r, column=last).value for r in (1, 2, 3)] == [
        "Errors",
        None,
        "Gender: “X” is not one of the choices of the dropdown.",
    ]
