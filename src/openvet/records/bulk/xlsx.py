"""A streaming reader of the first worksheet of an .xlsx file, for values only.

openpyxl builds a styled cell object per cell even in read-only mode; a school's 20,000 rows
then take most of an import's time. Imports need only values, formulas (to refuse them) and
the type of number cells, so this reads the sheet XML with ``iterparse`` (expat, in C),
clearing each row once read: memory stays flat whatever the file's size.
"""

import zipfile
from collections.abc import Iterator
from datetime import date, timedelta
from typing import IO, Any
from xml.etree.ElementTree import iterparse

from openvet.core.uploads import (
    NotASpreadsheetError,
    SafeMember,
    SheetLimits,
    UploadLimits,
    guard_cell,
    guard_zip,
    open_member,
    xlsx_first_sheet,
)

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
EXCEL_EPOCH = date(1899, 12, 30)


class NotAWorkbookError(ValueError):
    pass


class MergedCellsError(ValueError):
    """The sheet has merged cells (they hide values in all but their first cell)."""


class Cell:
    """A cell's value and whether it held a formula or a number."""

    __slots__ = ("is_formula", "is_number", "value")

    def __init__(self, value: Any, *, is_formula: bool = False, is_number: bool = False) -> None:
        self.value, self.is_formula, self.is_number = value, is_formula, is_number


def first_sheet_path(archive: zipfile.ZipFile) -> str:
    """The first sheet's part (found by the upload guard's own reading of the workbook)."""
    try:
        return xlsx_first_sheet(archive)
    except NotASpreadsheetError as exc:
        raise NotAWorkbookError from exc


def shared_strings(
    archive: zipfile.ZipFile, member: SafeMember | None, limits: UploadLimits
) -> list[str]:
    if member is None:
        return []
    strings: list[str] = []
    with open_member(archive, member, limits=limits) as stream:
        for _event, element in iterparse(stream):  # noqa: S314 - see the import
            if element.tag == f"{MAIN}si":
                strings.append("".join(t.text or "" for t in element.iter(f"{MAIN}t")))
                element.clear()
    return strings


def column_index(reference: str) -> int:
    """ "AB12" -> 27 (0-based)."""
    index = 0
    for char in reference:
        if not char.isalpha():
            break
        index = index * 26 + (ord(char.upper()) - 64)
        if index > 1 << 40:
            break  # far past any sheet's last column (XFD); the guard refuses it
    return index - 1


def _cell(element: Any, strings: list[str]) -> Cell:
    kind = element.get("t", "n")
    formula = element.find(f"{MAIN}f") is not None
    raw = element.findtext(f"{MAIN}v")
    if kind == "inlineStr":
        text = "".join(t.text or "" for t in element.iter(f"{MAIN}t"))
        return Cell(text, is_formula=formula)
    if raw is None or raw == "":
        return Cell(None, is_formula=formula)
    if kind == "s":
        return Cell(strings[int(raw)], is_formula=formula)
    if kind in ("str", "e", "d"):
        return Cell(raw, is_formula=formula)
    if kind == "b":
        return Cell(raw == "1", is_formula=formula)
    if raw.lstrip("-").isdigit():
        return Cell(int(raw), is_formula=formula, is_number=True)
    return Cell(float(raw), is_formula=formula, is_number=True)


def iter_rows(
    handle: IO[bytes], *, limits: UploadLimits, sheet_limits: SheetLimits
) -> Iterator[tuple[int, list[Cell | None]]]:
    """(row number, cells by column index) of the first sheet, row by row. Every part is
    read through the upload guard: a member inflating past its declared size or a cell past
    the sheet's caps is refused (``UploadRefused``) before it is stored."""
    members = {member.name: member for member in guard_zip(handle, limits=limits)}
    try:
        archive = zipfile.ZipFile(handle)
    except zipfile.BadZipFile as exc:
        raise NotAWorkbookError from exc
    with archive:
        path = first_sheet_path(archive)
        if path not in members:
            raise NotAWorkbookError
        strings = shared_strings(archive, members.get("xl/sharedStrings.xml"), limits)
        with open_member(archive, members[path], limits=limits) as stream:
            yield from _rows(stream, strings, sheet_limits)


def _rows(
    stream: IO[bytes], strings: list[str], limits: SheetLimits
) -> Iterator[tuple[int, list[Cell | None]]]:
    row_tag, cell_tag = f"{MAIN}row", f"{MAIN}c"
    number, count, in_row, sheet_data = 0, 0, 0, None
    for event, element in iterparse(stream, events=("start", "end")):  # noqa: S314
        if event == "start":
            if element.tag == cell_tag:
                # Checked as each cell opens, before the cell or the row's list exists: a
                # cell at column 16,384 or a row of a million cells costs nothing.
                count, in_row = count + 1, in_row + 1
                ref = element.get("r")
                column = column_index(ref) + 1 if ref else in_row
                guard_cell(row=number, column=max(column, in_row), count=count, limits=limits)
            elif element.tag == row_tag:
                number, in_row = int(element.get("r") or number + 1), 0
            elif element.tag == f"{MAIN}sheetData":
                sheet_data = element
            continue
        if element.tag != row_tag:
            continue
        cells: list[Cell | None] = []
        for position, cell in enumerate(element.iter(cell_tag)):
            index = column_index(cell.get("r", "")) if cell.get("r") else position
            cells.extend([None] * (index - len(cells) + 1))
            cells[index] = _cell(cell, strings)
        if sheet_data is not None:
            sheet_data.clear()  # rows read so far, so the tree never grows with the sheet
        yield number, cells


def excel_date(serial: float) -> date:
    return EXCEL_EPOCH + timedelta(days=int(serial))
