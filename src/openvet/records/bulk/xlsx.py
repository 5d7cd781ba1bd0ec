"""A streaming reader of the first worksheet of an .xlsx file, for values only.

openpyxl builds a styled cell object per cell even in read-only mode; a school's 20,000 rows
then take most of an import's time. Imports need only values, formulas (to refuse them) and
the type of number cells, so this reads the sheet XML with ``iterparse`` (expat, in C),
clearing each row once read: memory stays flat whatever the file's size.
"""

import posixpath
import re
import zipfile
from collections.abc import Iterator
from datetime import date, timedelta
from typing import IO, Any
from xml.etree.ElementTree import iterparse

from openvet.core.uploads import (
    SafeMember,
    SheetLimits,
    UploadLimits,
    guard_cell,
    guard_zip,
    open_member,
    parse_reference,
)

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
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
    """The first sheet's part, from the workbook and its relationships (both streamed)."""
    try:
        with archive.open("xl/workbook.xml") as workbook:
            sheet_id = _first(workbook, f"{MAIN}sheet", f"{REL}id")
        with archive.open("xl/_rels/workbook.xml.rels") as rels:
            for _event, element in iterparse(rels):  # noqa: S314 - see the import
                if element.tag == f"{PKG_REL}Relationship" and element.get("Id") == sheet_id:
                    target = element.get("Target", "")
                    return (
                        target.lstrip("/")
                        if target.startswith("/")
                        else posixpath.normpath(posixpath.join("xl", target))
                    )
                element.clear()
    except KeyError as exc:
        raise NotAWorkbookError from exc
    raise NotAWorkbookError


def _first(stream: IO[bytes], tag: str, attribute: str) -> str:
    for _event, element in iterparse(stream):  # noqa: S314 - see the import
        if element.tag == tag:
            return element.get(attribute, "")
    raise NotAWorkbookError


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


def declared_extent(handle: IO[bytes], *, limits: UploadLimits) -> tuple[int, int] | None:
    """(rows, columns) the first sheet declares in ``<dimension ref="A1:R20">``, read from
    the start of its XML without reading the rows; None when it declares none."""
    members = {member.name: member for member in guard_zip(handle, limits=limits)}
    try:
        with zipfile.ZipFile(handle) as archive:
            path = first_sheet_path(archive)
            if path not in members:
                raise NotAWorkbookError
            with open_member(archive, members[path], limits=limits) as stream:
                for _event, element in iterparse(stream, events=("start",)):  # noqa: S314
                    if element.tag == f"{MAIN}dimension":
                        last = element.get("ref", "").split(":")[-1]
                        return parse_reference(last) if last else None
                    if element.tag == f"{MAIN}sheetData":
                        return None
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise NotAWorkbookError from exc
    finally:
        handle.seek(0)
    return None


_CELL_REFERENCE = re.compile(rb'<c\b[^>]*?\br="([A-Za-z]+)([0-9]+)"')


def guard_cell_references(
    handle: IO[bytes], *, limits: UploadLimits, sheet_limits: SheetLimits
) -> None:
    """Checks every cell reference of the first sheet by a byte scan (no XML tree), so a
    cell past the caps is refused before a job is even stored."""
    members = {member.name: member for member in guard_zip(handle, limits=limits)}
    try:
        with zipfile.ZipFile(handle) as archive:
            path = first_sheet_path(archive)
            if path not in members:
                return
            count, tail = 0, b""
            with open_member(archive, members[path], limits=limits) as stream:
                while chunk := stream.read(1 << 20):
                    data = tail + chunk
                    cut = data.rfind(b"<")  # a tag cut by the chunk waits for the next one
                    cut = cut if cut > 0 else len(data)
                    for match in _CELL_REFERENCE.finditer(data, 0, cut):
                        count += 1
                        column = column_index(match[1].decode()) + 1
                        guard_cell(
                            row=int(match[2]), column=column, count=count, limits=sheet_limits
                        )
                    tail = data[cut:]
    finally:
        handle.seek(0)


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
