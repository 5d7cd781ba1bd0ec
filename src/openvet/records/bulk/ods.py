"""A streaming reader of the first table of an OpenDocument spreadsheet (.ods), for values.

Like ``xlsx.py``: the archive goes through the upload guard, ``content.xml`` is read with
``iterparse`` and each row is dropped once read. Repeated rows and cells
(``number-rows-repeated``, ``number-columns-repeated``) are counted, never expanded while
empty, so a row "repeated" down to row 1,048,576 costs nothing; a filled cell past the
sheet's caps is refused as it opens (OASIS OpenDocument 1.2, part 1, section 9.1).
"""

import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.etree.ElementTree import iterparse

from openvet.core.uploads import SheetLimits, UploadLimits, guard_cell, guard_zip, open_member
from openvet.records.bulk.xlsx import Cell, MergedCellsError, NotAWorkbookError

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CELLS = (f"{TABLE}table-cell", f"{TABLE}covered-table-cell")
_NUMERIC = ("float", "percentage", "currency")


def is_ods(archive: zipfile.ZipFile) -> bool:
    try:
        with archive.open("mimetype") as stream:
            return stream.read(len(MIMETYPE) + 1).strip() == MIMETYPE
    except KeyError:
        return False


def iter_rows(
    handle: IO[bytes], *, limits: UploadLimits, sheet_limits: SheetLimits
) -> Iterator[tuple[int, list[Cell | None]]]:
    """(row number, cells by column index) of the first table, row by row."""
    members = {member.name: member for member in guard_zip(handle, limits=limits)}
    try:
        archive = zipfile.ZipFile(handle)
    except zipfile.BadZipFile as exc:
        raise NotAWorkbookError from exc
    with archive:
        if not is_ods(archive) or "content.xml" not in members:
            raise NotAWorkbookError
        with open_member(archive, members["content.xml"], limits=limits) as stream:
            yield from _rows(stream, sheet_limits)


class _State:
    def __init__(self, limits: SheetLimits) -> None:
        self.limits, self.number, self.column, self.count, self.tables = limits, 0, 0, 0, 0

    def open_cell(self, element: Any) -> None:
        """Counts a cell as it opens; a filled one is checked against the caps first."""
        if element.tag == f"{TABLE}covered-table-cell":
            raise MergedCellsError
        repeat = int(element.get(f"{TABLE}number-columns-repeated") or 1)
        if element.get(f"{OFFICE}value-type") or element.get(f"{TABLE}formula"):
            self.count += repeat
            guard_cell(
                row=self.number,
                column=self.column + repeat,
                count=self.count,
                limits=self.limits,
            )
        self.column += repeat


def _rows(stream: IO[bytes], limits: SheetLimits) -> Iterator[tuple[int, list[Cell | None]]]:
    state, table = _State(limits), None
    for event, element in iterparse(stream, events=("start", "end")):  # noqa: S314
        tag = element.tag
        if event == "start":
            if tag == f"{TABLE}table":
                state.tables += 1
                table = element
            elif state.tables == 1 and tag == f"{TABLE}table-row":
                state.number, state.column = state.number + 1, 0
            elif state.tables == 1 and tag in _CELLS:
                state.open_cell(element)
            continue
        if tag == f"{TABLE}table" and state.tables == 1:
            return
        if tag != f"{TABLE}table-row" or state.tables != 1:
            continue
        cells = _row_cells(element)
        repeat = int(element.get(f"{TABLE}number-rows-repeated") or 1)
        if table is not None:
            table.clear()  # rows read so far
        first = state.number
        if repeat > 1:
            state.number += repeat - 1
            if cells:
                guard_cell(row=state.number, column=1, count=state.count, limits=limits)
        for offset in range(repeat):
            yield first + offset, list(cells)


def _row_cells(row: Any) -> list[Cell | None]:
    cells: list[Cell | None] = []
    position = 0
    for element in row:
        if element.tag not in _CELLS:
            continue
        repeat = int(element.get(f"{TABLE}number-columns-repeated") or 1)
        cell = _cell(element)
        if cell is not None:
            cells.extend([None] * (position - len(cells)))
            cells.extend(cell for _ in range(repeat))
        position += repeat
    return cells


def _cell(element: Any) -> Cell | None:
    kind = element.get(f"{OFFICE}value-type")
    is_formula = element.get(f"{TABLE}formula") is not None
    if kind is None:
        return Cell(None, is_formula=True) if is_formula else None
    if element.get(f"{TABLE}number-columns-spanned") or element.get(f"{TABLE}number-rows-spanned"):
        spans = (
            element.get(f"{TABLE}number-columns-spanned") or "1",
            element.get(f"{TABLE}number-rows-spanned") or "1",
        )
        if spans != ("1", "1"):
            raise MergedCellsError
    if kind in _NUMERIC:
        raw = element.get(f"{OFFICE}value") or ""
        number: Any = int(raw) if raw.lstrip("-").isdigit() else float(raw)
        return Cell(number, is_formula=is_formula, is_number=True)
    if kind == "date":
        return Cell((element.get(f"{OFFICE}date-value") or "")[:10], is_formula=is_formula)
    if kind == "boolean":
        return Cell(element.get(f"{OFFICE}boolean-value") == "true", is_formula=is_formula)
    text = "\n".join("".join(p.itertext()) for p in element.iter(f"{TEXT}p"))
    return Cell(text, is_formula=is_formula)
