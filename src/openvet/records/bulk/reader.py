"""Reading an uploaded workbook safely: .xlsx, .ods (streamed) or .xls, behind the upload
guard of ``core.uploads`` (ADR-0211), and refusing what would silently corrupt data (merged
cells, formulas, ID numbers stored as numbers)."""

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext as _

from openvet.core.uploads import (
    MB,
    SheetLimits,
    UploadLimits,
    UploadRefused,
    guard_size,
    guard_xlsx,
    guard_zip,
)
from openvet.records.bulk import ods, xls
from openvet.records.bulk.columns import Column, header_lookup, normalise_header
from openvet.records.bulk.ods import is_ods
from openvet.records.bulk.xlsx import (
    Cell,
    MergedCellsError,
    NotAWorkbookError,
    first_sheet_path,
    iter_rows,
)

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
# Reading stops at this many empty rows in a row: a sheet "used" down to row 1,048,576
# (a common accident) is then read in a moment instead of minutes.
EMPTY_RUN_LIMIT = 200
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = xls.OLE_MAGIC
# The upload guard's caps for workbooks (ADR-0211): 50,000 rows of the widest template are
# about 60 MB of sheet XML; the template has at most 18 columns.
WORKBOOK_LIMITS = UploadLimits(
    max_bytes=MAX_BYTES, max_members=500, max_member_bytes=150 * MB, max_total_bytes=200 * MB
)
SHEET_LIMITS = SheetLimits(max_rows=1_048_576, max_columns=256, max_cells=2_000_000)
# An .xls sheet is read as a dense grid of about 64 bytes a cell: a million cells (50,000
# rows of the widest template) stay near 64 MB.
XLS_SHEET_LIMITS = SheetLimits(max_rows=65_536, max_columns=256, max_cells=1_000_000)
# Columns whose values are identifiers: a number there has lost leading zeros or an X.
TEXT_KEYS = frozenset(
    {"id_number", "student_number", "staff_number", "guardian_phone", "class_code"}
)


class WorkbookError(Exception):
    """The file as a whole cannot be imported; ``problems`` are (row, column, message)."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        self.problems = problems
        super().__init__("; ".join(p["message"] for p in problems))


def problem(row: int | None, column: str, message: str) -> dict[str, Any]:
    return {"row": row, "column": column, "message": message}


@dataclass
class Sheet:
    columns: list[Column | None]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def workbook_format(handle: IO[bytes]) -> str:
    """ "xlsx", "ods" or "xls" by the file's content (never its name); "" for anything else."""
    handle.seek(0)
    head = handle.read(8)
    handle.seek(0)
    if head == OLE_MAGIC:
        return "xls"
    if head[:4] != ZIP_MAGIC:
        return ""
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return "xlsx"
            return "ods" if is_ods(archive) else ""
    except (zipfile.BadZipFile, OSError, ValueError):
        return ""
    finally:
        handle.seek(0)


def guard_workbook(handle: IO[bytes]) -> None:
    """The upload guard's checks that need no parsing of rows: the file's size, its archive
    (members, sizes, ratio, paths) and the extent the first sheet declares. Raises
    ``UploadRefused``; a file that is no workbook at all is left to ``read_sheet``."""
    guard_size(handle, limits=WORKBOOK_LIMITS)
    fmt = workbook_format(handle)
    if fmt == "xls":
        try:
            xls.guard_xls(handle.read(), limits=XLS_SHEET_LIMITS)
        except (NotAWorkbookError, MergedCellsError):
            pass  # reported by read_sheet
        finally:
            handle.seek(0)
        return
    if handle.read(4) != ZIP_MAGIC:
        handle.seek(0)
        return
    handle.seek(0)
    guard_zip(handle, limits=WORKBOOK_LIMITS)
    if fmt == "xlsx":
        guard_xlsx(handle, limits=WORKBOOK_LIMITS, sheet_limits=SHEET_LIMITS)


def read_sheet(handle: IO[bytes], kind: str) -> Sheet:
    """The data rows of the first sheet (.xlsx, .xls or .ods) as ``(row number, {key:
    value})``; raises WorkbookError when the file itself is unusable. Cell-level problems
    (formulas, numeric IDs) are collected in ``problems`` so that every one is reported."""
    try:
        guard_workbook(handle)
        rows = _open_rows(handle)
        header = next(rows, None)
        result = Sheet(columns=_header_columns(header[1] if header else [], kind))
        _read_rows(rows, result)
    except UploadRefused as exc:
        raise WorkbookError([problem(None, "", str(exc.message))]) from exc
    except MergedCellsError as exc:
        raise WorkbookError([_merged()]) from exc
    except (NotAWorkbookError, zipfile.BadZipFile, ParseError, ValueError, IndexError) as exc:
        raise WorkbookError([problem(None, "", _not_xlsx())]) from exc
    return result


def _open_rows(handle: IO[bytes]) -> Iterator[tuple[int, list[Cell | None]]]:
    fmt = workbook_format(handle)
    if fmt == "xlsx":
        _check_merged_cells(handle)
        handle.seek(0)
        return iter_rows(handle, limits=WORKBOOK_LIMITS, sheet_limits=SHEET_LIMITS)
    if fmt == "ods":
        return ods.iter_rows(handle, limits=WORKBOOK_LIMITS, sheet_limits=SHEET_LIMITS)
    if fmt == "xls":
        return xls.iter_rows(handle, limits=WORKBOOK_LIMITS, sheet_limits=XLS_SHEET_LIMITS)
    raise NotAWorkbookError


def count_rows(handle: IO[bytes]) -> int:
    """About how many rows the first sheet has, without parsing its XML: a byte scan of
    the row tags (.xlsx, .ods) or the extent of its cell records (.xls)."""
    fmt = workbook_format(handle)
    try:
        if fmt == "xls":
            return xls.scan_first_sheet(handle.read(), limits=XLS_SHEET_LIMITS).rows
        if fmt not in ("xlsx", "ods"):
            return 0
        with zipfile.ZipFile(handle) as archive:
            path = first_sheet_path(archive) if fmt == "xlsx" else "content.xml"
            tag = b"<row " if fmt == "xlsx" else b"<table:table-row"
            count, tail = 0, b""
            with archive.open(path) as stream:
                while chunk := stream.read(1 << 20):
                    count += (tail + chunk).count(tag) - tail.count(tag)
                    tail = chunk[-len(tag) :]
            return count
    except (NotAWorkbookError, MergedCellsError, UploadRefused, zipfile.BadZipFile):
        return 0
    except (KeyError, ParseError, OSError):
        return 0
    finally:
        handle.seek(0)


def _not_xlsx() -> str:
    return _(
        "This file is not a spreadsheet we can read. Download the template, fill it in and "
        "save it as an Excel workbook (.xlsx or .xls) or an OpenDocument spreadsheet (.ods)."
    )


def _merged() -> dict[str, Any]:
    return problem(
        None,
        "",
        _(
            "The sheet has merged cells. Unmerge all cells and fill in every row, then upload "
            "again."
        ),
    )


def _check_merged_cells(handle: IO[bytes]) -> None:
    """Merged cells of an .xlsx are declared after the rows, so the first sheet's XML is
    scanned in chunks for ``<mergeCell``."""
    try:
        with zipfile.ZipFile(handle) as archive, archive.open(first_sheet_path(archive)) as stream:
            tail = b""
            while chunk := stream.read(1 << 20):
                if b"<mergeCell " in tail + chunk:
                    raise MergedCellsError
                tail = chunk[-16:]
    except (zipfile.BadZipFile, KeyError) as exc:
        raise NotAWorkbookError from exc
    finally:
        handle.seek(0)


def _header_columns(header: list[Cell | None], kind: str) -> list[Column | None]:
    lookup = header_lookup(kind)
    cells = [cell.value if cell is not None else None for cell in header]
    columns = [lookup.get(normalise_header(value)) for value in cells]
    problems = [
        problem(1, str(value), _("Unknown column “%(header)s”.") % {"header": value})
        for value, column in zip(cells, columns, strict=True)
        if value not in (None, "") and column is None
    ]
    present = {column.key for column in columns if column is not None}
    for column in (c for c in lookup.values() if c.required and c.key not in present):
        message = _("The required column “%(header)s” is missing.") % {"header": column.header()}
        if problem(1, column.header(), message) not in problems:
            problems.append(problem(1, column.header(), message))
    if problems:
        problems.insert(
            0,
            problem(
                1,
                "",
                _("The first row must hold the column headers of the template for this kind."),
            ),
        )
        raise WorkbookError(problems)
    return columns


def _read_rows(rows: Iterator[Any], result: Sheet) -> None:
    empty_run = 0
    for number, cells in rows:
        values, cell_problems = _row_values(number, cells, result.columns)
        if not values:
            empty_run += 1
            if empty_run >= EMPTY_RUN_LIMIT:
                result.notices.append(
                    _("Reading stopped at row %(row)s after %(n)s empty rows.")
                    % {"row": number, "n": EMPTY_RUN_LIMIT}
                )
                return
            continue
        empty_run = 0
        if len(result.rows) >= MAX_ROWS:
            raise WorkbookError(
                [
                    problem(
                        number,
                        "",
                        _("A file may hold at most %(n)s rows; split it into several files.")
                        % {"n": MAX_ROWS},
                    )
                ]
            )
        result.problems.extend(cell_problems)
        result.rows.append((number, values))


def _row_values(
    number: int, cells: Any, columns: list[Column | None]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    values: dict[str, Any] = {}
    problems: list[dict[str, Any]] = []
    for cell, column in zip(cells, columns, strict=False):
        if cell is None or column is None:
            continue
        value = cell.value
        if cell.is_formula:
            problems.append(problem(number, column.header(), _formula_message()))
            value = ""
        elif value is None or (isinstance(value, str) and not value.strip()):
            continue
        elif column.key in TEXT_KEYS and cell.is_number:
            problems.append(problem(number, column.header(), _numeric_message(column, value)))
        values[column.key] = value
    return values, problems


def _formula_message() -> str:
    return _("This cell holds a formula; paste the values only (Paste Special, Values).")


def _numeric_message(column: Column, value: float) -> str:
    shown = f"{value:.0f}" if isinstance(value, float) else str(value)
    if column.key == "id_number":
        return _(
            "The ID number is stored as a number (%(value)s), so Excel may have dropped a "
            "final X, leading zeros or the last digits. Format the column as Text and type "
            "the number again."
        ) % {"value": shown}
    return _(
        "This value is stored as a number (%(value)s) and may have lost leading zeros; "
        "format the column as Text and type it again."
    ) % {"value": shown}


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
