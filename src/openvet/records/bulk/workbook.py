"""Workbooks we hand out: the blank template with dropdowns, and an upload returned with a
column of errors beside every bad row."""

import re
from io import BytesIO
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from openvet.core.exports import xlsx_set
from openvet.records.bulk.columns import (
    CODE_ITEM_TABLES,
    Column,
    code_options,
    columns_of,
    option_text,
)
from openvet.records.bulk.reader import MAX_ROWS

CODES_SHEET = "codes"
_INTERNAL_CODE = re.compile(r"[a-z][a-z_]*")
TEMPLATE_ROWS = MAX_ROWS + 1
REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")
ERROR_FILL = PatternFill("solid", fgColor="F8D7DA")


def template_workbook(kind: str) -> bytes:
    """A template for ``kind``: headers in the active language (Chinese by default),
    required headers highlighted, text format for identifiers and a dropdown per coded
    column, its choices on a hidden sheet (Excel caps inline lists at 255 characters)."""
    book = Workbook()
    sheet = book.active
    sheet.title = kind
    codes = book.create_sheet(CODES_SHEET)
    codes.sheet_state = "hidden"
    code_columns: dict[str, str] = {}
    for index, column in enumerate(columns_of(kind), start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.header())
        cell.font = Font(bold=True)
        if column.required:
            cell.fill = REQUIRED_FILL
        sheet.column_dimensions[letter].width = max(12, len(column.header()) * 2 + 2)
        if not column.codes:
            sheet.column_dimensions[letter].number_format = "@"
            continue
        if column.codes not in code_columns:
            code_columns[column.codes] = _write_codes(codes, column, len(code_columns) + 1)
        validation = DataValidation(
            type="list", formula1=code_columns[column.codes], allow_blank=not column.required
        )
        validation.error = _("Choose a value from the list.")
        validation.showErrorMessage = True
        sheet.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
    sheet.freeze_panes = "A2"
    return _save(book)


def _write_codes(sheet: Any, column: Column, index: int) -> str:
    """The choices of a coded column, headed by the column's header in the user's language.
    National code tables (gender, ethnicity, political status) show "code label", as the
    code means something there; the platform's own choices show their label only."""
    letter = get_column_letter(index)
    options = code_options(column.codes)
    national = column.codes in CODE_ITEM_TABLES
    sheet.cell(row=1, column=index, value=column.header())
    for row, (code, label) in enumerate(options, start=2):
        sheet.cell(row=row, column=index, value=option_text(code, label) if national else label)
    return f"'{CODES_SHEET}'!${letter}$2:${letter}${len(options) + 1}"


def error_workbook(handle: IO[bytes], errors: list[dict[str, Any]]) -> bytes:
    """The uploaded workbook with an errors column after the last one, filled on every bad
    row; problems of the whole file go in the header row's cell."""
    book = load_workbook(handle)
    sheet = book.worksheets[0]
    column = (sheet.max_column or 0) + 1
    by_row: dict[int, list[str]] = {}
    for problem in errors:
        text = (
            f"{problem['column']}: {problem['message']}"
            if problem["column"]
            else problem["message"]
        )
        by_row.setdefault(problem["row"] or 1, []).append(text)
    header = sheet.cell(row=1, column=column, value=_("Errors"))
    header.font = Font(bold=True, color="9C0006")
    for row, messages in by_row.items():
        cell = xlsx_set(sheet.cell(row=row, column=column), "; ".join(messages))
        if row != 1:
            cell.fill = ERROR_FILL
    sheet.column_dimensions[get_column_letter(column)].width = 60
    return _save(book)


def _save(book: Workbook) -> bytes:
    out = BytesIO()
    book.save(out)
    return out.getvalue()
