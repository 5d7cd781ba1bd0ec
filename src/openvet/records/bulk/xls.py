"""Reading the first sheet of a legacy Excel 97-2003 workbook (.xls, BIFF8 in an OLE2 file).

An .xls is not a zip, so the upload guard's archive checks do not apply; its risk is another
one: calamine holds a sheet as a dense grid from the first to the last used cell, about
64 bytes a cell, so a 6 KB file with one value in A1 and one in IV65536 takes a gigabyte.
Before calamine sees the file, the sheet's records are therefore walked (MS-XLS 2.4: every
cell record starts with its row and column) to find its real extent and count its cells,
and the guard refuses what is too large (ADR-0211). Formula records are noted so that
formula cells are reported as they are for .xlsx.
"""

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from io import BytesIO
from typing import IO, Any

import olefile
from python_calamine import CalamineError, CalamineWorkbook

from openvet.core.uploads import (
    SheetLimits,
    UploadLimits,
    guard_cell,
    guard_sheet_area,
    guard_size,
)
from openvet.records.bulk.xlsx import Cell, MergedCellsError, NotAWorkbookError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BOF, _EOF, _BOUNDSHEET, _MERGED = 0x0809, 0x000A, 0x0085, 0x00E5
_FORMULA = 0x0006
# Cell records whose body starts with row, column (MS-XLS 2.4.x): FORMULA, BLANK, NUMBER,
# LABEL, BOOLERR, RK, LABELSST, RSTRING; and those spanning columns: MULRK, MULBLANK.
_CELL = frozenset({0x0006, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x00D6})
_MULTI = frozenset({0x00BD, 0x00BE})


@dataclass
class SheetScan:
    """What the first sheet's records say: its extent, cell count and formula cells."""

    rows: int = 0
    columns: int = 0
    cells: int = 0
    formulas: set[tuple[int, int]] = field(default_factory=set)


def _workbook_stream(data: bytes) -> bytes:
    try:
        with olefile.OleFileIO(BytesIO(data)) as ole:
            name = "Workbook" if ole.exists("Workbook") else "Book"
            if not ole.exists(name):
                raise NotAWorkbookError
            return bytes(ole.openstream(name).read())
    except OSError as exc:  # olefile reports a damaged container as OSError
        raise NotAWorkbookError from exc


def _records(stream: bytes, start: int) -> Iterator[tuple[int, bytes]]:
    position = start
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        yield kind, stream[position + 4 : position + 4 + length]
        position += 4 + length


def _first_sheet_offset(stream: bytes) -> int:
    for kind, body in _records(stream, 0):
        if kind == _BOUNDSHEET and len(body) >= 6:
            offset, sheet_type = struct.unpack_from("<I", body)[0], body[5]
            if sheet_type != 0:  # a chart or macro sheet first: not a data sheet
                raise NotAWorkbookError
            return int(offset)
        if kind == _EOF:
            break
    raise NotAWorkbookError


def scan_first_sheet(data: bytes, *, limits: SheetLimits) -> SheetScan:
    """Walks the first sheet's records; every cell is checked by the guard as it is met."""
    stream = _workbook_stream(data)
    scan, depth = SheetScan(), 0
    for kind, body in _records(stream, _first_sheet_offset(stream)):
        # A chart inside the sheet is a nested BOF ... EOF block.
        depth += 1 if kind == _BOF else -1 if kind == _EOF else 0
        if depth <= 0:
            break
        if kind == _MERGED and len(body) >= 2 and struct.unpack_from("<H", body)[0]:
            raise MergedCellsError
        if (kind in _CELL or kind in _MULTI) and len(body) >= 6:
            row, first = struct.unpack_from("<HH", body)
            last = struct.unpack_from("<H", body, len(body) - 2)[0] if kind in _MULTI else first
            scan.cells += max(last - first + 1, 1)
            guard_cell(row=row + 1, column=last + 1, count=scan.cells, limits=limits)
            scan.rows, scan.columns = max(scan.rows, row + 1), max(scan.columns, last + 1)
            if kind == _FORMULA:
                scan.formulas.add((row, first))
    return scan


def guard_xls(data: bytes, *, limits: SheetLimits) -> SheetScan:
    """The scan of the first sheet, refused when calamine's dense grid for it (its area, not
    the cells in it) would pass the cell cap."""
    scan = scan_first_sheet(data, limits=limits)
    guard_sheet_area(rows=scan.rows, columns=scan.columns, limits=limits)
    return scan


def iter_rows(
    handle: IO[bytes], *, limits: UploadLimits, sheet_limits: SheetLimits
) -> Iterator[tuple[int, list[Cell | None]]]:
    """(row number, cells by column index) of the first sheet, once its extent is allowed."""
    guard_size(handle, limits=limits)
    handle.seek(0)
    data = handle.read()
    scan = guard_xls(data, limits=sheet_limits)
    try:
        sheet = CalamineWorkbook.from_filelike(BytesIO(data)).get_sheet_by_index(0)
        first_row, first_column = sheet.start or (0, 0)
        for offset, values in enumerate(sheet.iter_rows()):
            row = first_row + offset
            cells: list[Cell | None] = [None] * first_column
            for column, value in enumerate(values, start=first_column):
                formula = (row, column) in scan.formulas
                cells.append(_cell(value, formula) if value != "" or formula else None)
            yield row + 1, cells
    except CalamineError as exc:
        raise NotAWorkbookError from exc


def _cell(value: Any, formula: bool) -> Cell:
    if isinstance(value, bool):
        return Cell(value, is_formula=formula)
    if isinstance(value, float) and value.is_integer():
        return Cell(int(value), is_formula=formula, is_number=True)
    if isinstance(value, (int, float)):
        return Cell(value, is_formula=formula, is_number=True)
    if isinstance(value, (date, datetime)):
        return Cell(value, is_formula=formula)
    if isinstance(value, (time, timedelta)):
        return Cell(str(value), is_formula=formula)
    return Cell(value, is_formula=formula)
