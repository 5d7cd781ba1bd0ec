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

from openvet.records.bulk.columns import code_options, columns_of, option_text
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
            code_columns[column.codes] = _write_codes(
                codes, column.codes, len(code_columns) + 1, header=column.header()
            )
        validation = DataValidation(
            type="list", formula1=code_columns[column.codes], allow_blank=not column.required
        )
        validation.error = _("Choose a value from the list.")
        validation.showErrorMessage = True
        sheet.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
    sheet.freeze_panes = "A2"
    return _save(book)


def _write_codes(sheet: Any, table: str, index: int, *, header: str) -> str:
    """One column of choices under the header of the column it serves. National codes are
    shown with their label ("01 汉族"); the platform's own choice values are internal names,
    so only their label is shown (the importer accepts the label alone)."""
    letter = get_column_letter(index)
    options = code_options(table)
    sheet.cell(row=1, column=index, value=header)
    for row, (code, label) in enumerate(options, start=2):
        text = label if _INTERNAL_CODE.fullmatch(code) else option_text(code, label)
        sheet.cell(row=row, column=index, value=text)
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
        cell = sheet.cell(row=row, column=column, value="; ".join(messages))
        if row != 1:
            cell.fill = ERROR_FILL
    sheet.column_dimensions[get_column_letter(column)].width = 60
    return _save(book)


def _save(book: Workbook) -> bytes:
    out = BytesIO()
    book.save(out)
    return out.getvalue()
