"""A streaming reader of the first worksheet of an .xlsx file, for values only.

openpyxl builds a styled cell object per cell even in read-only mode; a school's 20,000 rows
then take most of an import's time. Imports need only values, formulas (to refuse them) and
the type of number cells, so this reads the sheet XML with ``iterparse`` (expat, in C),
clearing each row once read: memory stays flat whatever the file's size.
"""

import posixpath
import zipfile
from collections.abc import Iterator
from datetime import date, timedelta
from typing import IO, Any
from xml.etree.ElementTree import iterparse

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
EXCEL_EPOCH = date(1899, 12, 30)


class NotAWorkbookError(ValueError):
    pass


class Cell:
    """A cell's value and whether it held a formula or a number."""

    __slots__ = ("is_formula", "is_number", "value")

    def __init__(self, value: Any, *, is_formula: bool = False, is_number: bool = False) -> None:
        self.value, self.is_formula, self.is_number = value, is_formula, is_number


def first_sheet_path(archive: zipfile.ZipFile) -> str:
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError as exc:
        raise NotAWorkbookError from exc
    sheet_id = _first(workbook, f"{MAIN}sheet", f"{REL}id")
    for _event, element in iterparse(_bytes(rels)):  # noqa: S314 - see the import
        if element.tag == f"{PKG_REL}Relationship" and element.get("Id") == sheet_id:
            target = element.get("Target", "")
            return (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target))
            )
    raise NotAWorkbookError


def _bytes(data: bytes) -> Any:
    from io import BytesIO

    return BytesIO(data)


def _first(data: bytes, tag: str, attribute: str) -> str:
    for _event, element in iterparse(_bytes(data)):  # noqa: S314 - see the import
        if element.tag == tag:
            return element.get(attribute, "")
    raise NotAWorkbookError


def shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings: list[str] = []
    with archive.open("xl/sharedStrings.xml") as stream:
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


def iter_rows(handle: IO[bytes]) -> Iterator[tuple[int, list[Cell | None]]]:
    """(row number, cells by column index) of the first sheet, row by row."""
    try:
        archive = zipfile.ZipFile(handle)
    except zipfile.BadZipFile as exc:
        raise NotAWorkbookError from exc
    with archive:
        path = first_sheet_path(archive)
        strings = shared_strings(archive)
        try:
            stream = archive.open(path)
        except KeyError as exc:
            raise NotAWorkbookError from exc
        with stream:
            yield from _rows(stream, strings)


def _rows(stream: IO[bytes], strings: list[str]) -> Iterator[tuple[int, list[Cell | None]]]:
    next_number = 1
    for _event, element in iterparse(stream):  # noqa: S314 - see the import
        if element.tag != f"{MAIN}row":
            continue
        number = int(element.get("r") or next_number)
        next_number = number + 1
        cells: list[Cell | None] = []
        for position, cell in enumerate(element.iter(f"{MAIN}c")):
            index = column_index(cell.get("r", "")) if cell.get("r") else position
            cells.extend([None] * (index - len(cells) + 1))
            cells[index] = _cell(cell, strings)
        element.clear()
        yield number, cells


def excel_date(serial: float) -> date:
    return EXCEL_EPOCH + timedelta(days=int(serial))
