"""Cells of the files we hand out (CSV and xlsx), written as inert values.

A spreadsheet program treats a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula: a student named ``=HYPERLINK(...)`` would become a live link
in the export a registrar opens (CSV injection, OWASP "CSV Injection"). Every exporter writes
through this module:

- CSV: such text cells get a leading single quote, as OWASP recommends, so the program
  shows the text instead of evaluating it;
- xlsx: every text cell is stored with the string data type, so it is never a formula, and
  its text is kept as it is.

Numbers (``int``, ``float``, ``Decimal``) are written as numbers: a negative score stays a
negative number in a numeric column. Dates and booleans keep their types too.
"""

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_ESCAPE = "'"


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_cell(value: Any) -> Any:
    """``value`` as a CSV cell that a spreadsheet program will not evaluate."""
    return CSV_ESCAPE + value if is_formula_like(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(value) for value in values]


class SafeCsvWriter:
    """``csv.writer`` whose every text cell is neutralised."""

    def __init__(self, handle: IO[str], **options: Any) -> None:
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow(csv_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter(csv.DictWriter):  # type: ignore[type-arg]  # typeshed's generic is str
    """``csv.DictWriter`` whose every text cell is neutralised (the header is ours)."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({key: csv_cell(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)


def csv_bytes(headers: Sequence[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """A UTF-8 CSV file with a byte order mark, so that Excel opens its Chinese intact."""
    text = io.StringIO()
    writer = SafeCsvWriter(text)
    writer.writerow(headers)
    writer.writerows(rows)
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def xlsx_set(cell: Any, value: Any) -> Any:
    """Put ``value`` in an openpyxl cell; text is stored as a string, never as a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def xlsx_row(sheet: Any, values: Iterable[Any]) -> list[WriteOnlyCell]:
    """Cells of a write-only sheet's row (``sheet.append(xlsx_row(sheet, values))``)."""
    return [xlsx_set(WriteOnlyCell(sheet), value) for value in values]


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """A one-sheet workbook, written row by row (memory stays flat)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(xlsx_row(sheet, headers))
    for row in rows:
        sheet.append(xlsx_row(sheet, row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
