"""The one guard for uploads that are unpacked: workbooks, photos and packages (ADR-0211).

Every app that opens an uploaded archive or sheet calls these functions first, so a file
built to exhaust the server (a zip bomb, a sheet with a cell at column 16,384, a member
named ``../../settings.py``) is refused with a translated message before it costs memory.

Public surface:

- ``UploadLimits`` / ``SheetLimits``: the caps, with defaults suited to a school's upload.
- ``guard_size(file, limits=...)``: the upload's own size.
- ``guard_zip(file, limits=...) -> list[SafeMember]``: reads only the archive's central
  directory and refuses too many members, too large members or totals, a compression ratio
  no real document has, absolute or ``..`` paths, links and encrypted members.
- ``open_member(archive, member, limits=...)``: a stream of one checked member that stops
  at its declared size (a member lying about its size cannot inflate further).
- ``extract_zip(file, storage=..., prefix=..., limits=...) -> list[str]``: the checked
  members written to a Django storage under ``prefix``; nothing is written if any is refused.
- ``guard_sheet_extent(rows=..., columns=..., limits=...)`` and ``guard_cell(...)``: the
  declared dimension of a sheet and each cell as it is streamed; ``guard_sheet_area`` for
  readers that hold a sheet as a dense grid.
- ``guard_image_pixels(width=..., height=..., max_pixels=...)``: before decoding an image.
- ``guard_xlsx(file, limits=..., sheet_limits=...)``: an .xlsx archive, its first sheet's
  declared extent and every cell reference, before any reader (ours or openpyxl) opens it.

Refusals raise ``UploadRefused`` (a ``ValidationFailed``: 422 on the API, a form error on
pages) with ``details = {field: message}``.
"""

import posixpath
import re
import stat
import zipfile
from dataclasses import dataclass
from typing import IO, Any
from xml.etree.ElementTree import ParseError, iterparse

from django.core.files.base import File
from django.core.files.storage import Storage
from django.utils.translation import gettext as _

from openvet.core.errors import ValidationFailed

MB = 1024 * 1024


class UploadRefused(ValidationFailed):
    code = "upload_refused"

    def __init__(self, message: str, *, field: str = "file") -> None:
        super().__init__(message, details={field: message})


@dataclass(frozen=True)
class UploadLimits:
    """Caps on an upload and on what it unpacks to."""

    max_bytes: int = 20 * MB
    max_members: int = 1_000
    max_member_bytes: int = 100 * MB
    max_total_bytes: int = 200 * MB
    # Office XML compresses about 10 to 30 times; a zip bomb a thousand times or more. The
    # ratio is only checked above ``ratio_floor_bytes``: small files compress oddly.
    max_ratio: int = 100
    ratio_floor_bytes: int = 1 * MB


@dataclass(frozen=True)
class SheetLimits:
    """Caps on a sheet: its extent and how many cells hold something."""

    max_rows: int = 1_048_576
    max_columns: int = 256
    max_cells: int = 2_000_000


@dataclass(frozen=True)
class SafeMember:
    """One checked member of an archive: its normalised name and declared sizes."""

    name: str
    size: int
    compressed_size: int
    info: zipfile.ZipInfo


def _megabytes(size: int) -> int:
    return max(1, size // MB)


def guard_size(file: IO[bytes] | Any, *, limits: UploadLimits, field: str = "file") -> int:
    """The size of ``file`` (an open binary file or an ``UploadedFile``); refused above the cap."""
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        file.seek(0, 2)
        size = file.tell()
        file.seek(position)
    if size > limits.max_bytes:
        raise UploadRefused(
            _("The file is larger than %(mb)s MB.") % {"mb": _megabytes(limits.max_bytes)},
            field=field,
        )
    return int(size)


def _damaged() -> str:
    return _("The file is damaged or is not the kind of file expected.")


def guard_zip(
    file: IO[bytes] | Any, *, limits: UploadLimits, field: str = "file"
) -> list[SafeMember]:
    """The members of the zip archive ``file`` after every check; reads only its directory."""
    guard_size(file, limits=limits, field=field)
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise UploadRefused(_damaged(), field=field) from exc
    finally:
        file.seek(0)
    if len(infos) > limits.max_members:
        raise UploadRefused(
            _("The archive holds more than %(count)s files.") % {"count": limits.max_members},
            field=field,
        )
    members = [_member(info, limits=limits, field=field) for info in infos]
    total = sum(member.size for member in members)
    if total > limits.max_total_bytes:
        raise UploadRefused(
            _("The archive unpacks to more than %(mb)s MB in all.")
            % {"mb": _megabytes(limits.max_total_bytes)},
            field=field,
        )
    return [member for member in members if not member.info.is_dir()]


def _member(info: zipfile.ZipInfo, *, limits: UploadLimits, field: str) -> SafeMember:
    name = _safe_name(info, field=field)
    if info.flag_bits & 0x1:
        raise UploadRefused(
            _("“%(name)s” in the archive is encrypted.") % {"name": name}, field=field
        )
    if info.file_size > limits.max_member_bytes:
        raise UploadRefused(
            _("“%(name)s” in the archive unpacks to more than %(mb)s MB.")
            % {"name": name, "mb": _megabytes(limits.max_member_bytes)},
            field=field,
        )
    if info.file_size > limits.ratio_floor_bytes and info.file_size > limits.max_ratio * max(
        info.compress_size, 1
    ):
        raise UploadRefused(
            _(
                "“%(name)s” in the archive is compressed more than %(ratio)s times, as only a "
                "file built to exhaust the server is."
            )
            % {"name": name, "ratio": limits.max_ratio},
            field=field,
        )
    return SafeMember(name=name, size=info.file_size, compressed_size=info.compress_size, info=info)


def _safe_name(info: zipfile.ZipInfo, *, field: str) -> str:
    raw = info.filename
    shown = raw[:120]
    mode = info.external_attr >> 16
    if info.create_system == 3 and mode and stat.S_ISLNK(mode):
        raise UploadRefused(
            _("“%(name)s” in the archive is a link; archives with links are refused.")
            % {"name": shown},
            field=field,
        )
    name = raw.replace("\\", "/")
    parts = name.split("/")
    if (
        name.startswith("/")
        or (len(name) > 1 and name[1] == ":")
        or ".." in parts
        or "\x00" in name
        or not name.strip("/")
    ):
        raise UploadRefused(
            _("“%(name)s” in the archive points outside it (an absolute path or “..”).")
            % {"name": shown},
            field=field,
        )
    return posixpath.normpath(name) + ("/" if name.endswith("/") else "")


class _BoundedStream:
    """A member's stream that refuses to yield more than ``limit`` bytes."""

    def __init__(self, stream: IO[bytes], *, name: str, limit: int, field: str) -> None:
        self._stream, self._name, self._left, self._field = stream, name, limit, field

    def read(self, size: int = -1) -> bytes:
        want = self._left + 1 if size < 0 else min(size, self._left + 1)
        data = self._stream.read(want)
        self._left -= len(data)
        if self._left < 0:
            raise UploadRefused(
                _("“%(name)s” in the archive unpacks to more than it declares.")
                % {"name": self._name},
                field=self._field,
            )
        return data

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> "_BoundedStream":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_member(
    archive: zipfile.ZipFile, member: SafeMember, *, limits: UploadLimits, field: str = "file"
) -> Any:
    """A read-only stream of ``member`` (from ``guard_zip``) that stops at its declared size."""
    limit = min(member.size, limits.max_member_bytes)
    return _BoundedStream(archive.open(member.info), name=member.name, limit=limit, field=field)


def extract_zip(
    file: IO[bytes] | Any,
    *,
    storage: Storage,
    prefix: str,
    limits: UploadLimits,
    field: str = "file",
) -> list[str]:
    """Every member of the archive saved to ``storage`` under ``prefix``; the stored names.

    Everything is checked before the first write, and what was written is deleted again if a
    member turns out to be damaged while it is unpacked."""
    members = guard_zip(file, limits=limits, field=field)
    stored: list[str] = []
    try:
        with zipfile.ZipFile(file) as archive:
            for member in members:
                with open_member(archive, member, limits=limits, field=field) as stream:
                    target = posixpath.join(prefix.rstrip("/"), member.name)
                    stored.append(storage.save(target, File(stream, name=member.name)))
    except (UploadRefused, zipfile.BadZipFile, OSError, EOFError) as exc:
        for name in stored:
            storage.delete(name)
        if isinstance(exc, UploadRefused):
            raise
        raise UploadRefused(_damaged(), field=field) from exc
    finally:
        file.seek(0)
    return stored


def column_number(letters: str) -> int:
    """``"A"`` -> 1, ``"XFD"`` -> 16384: the 1-based column of a cell reference's letters."""
    number = 0
    for char in letters:
        number = number * 26 + (ord(char.upper()) - 64)
    return number


def parse_reference(reference: str) -> tuple[int, int]:
    """``"AB12"`` -> (12, 28): the 1-based row and column of a cell reference."""
    letters = "".join(c for c in reference if c.isalpha())
    digits = "".join(c for c in reference if c.isdigit())
    if not letters or not digits or letters + digits != reference.replace("$", ""):
        raise ValueError(reference)
    return int(digits), column_number(letters)


def guard_sheet_extent(
    *, rows: int, columns: int, limits: SheetLimits, field: str = "file"
) -> None:
    """Refuses a sheet whose declared extent (e.g. ``<dimension ref="A1:R20">``) is too big."""
    if columns > limits.max_columns:
        raise UploadRefused(
            _("The sheet uses %(columns)s columns; at most %(max)s are allowed.")
            % {"columns": columns, "max": limits.max_columns},
            field=field,
        )
    if rows > limits.max_rows:
        raise UploadRefused(
            _("The sheet uses %(rows)s rows; at most %(max)s are allowed.")
            % {"rows": rows, "max": limits.max_rows},
            field=field,
        )


def guard_sheet_area(*, rows: int, columns: int, limits: SheetLimits, field: str = "file") -> None:
    """Refuses a sheet whose used area (rows by columns, filled or not) passes the cell cap:
    for readers that hold a sheet as a dense grid."""
    if rows * columns > limits.max_cells:
        raise UploadRefused(
            _(
                "The sheet's cells span %(rows)s rows by %(columns)s columns, more than the "
                "%(max)s cells a sheet may have. Delete the rows and columns beyond your data "
                "and upload again."
            )
            % {"rows": rows, "columns": columns, "max": limits.max_cells},
            field=field,
        )


def guard_cell(
    *, row: int, column: int, count: int, limits: SheetLimits, field: str = "file"
) -> None:
    """Checks one streamed cell (1-based ``row``, ``column``; ``count`` cells so far) before
    it is stored anywhere."""
    if column > limits.max_columns or row > limits.max_rows:
        raise UploadRefused(
            _(
                "The sheet has a cell in row %(row)s, column %(column)s, beyond the %(max)s "
                "columns a sheet may use. Delete the columns right of your data and upload "
                "again."
            )
            % {"row": row, "column": column, "max": limits.max_columns},
            field=field,
        )
    if count > limits.max_cells:
        raise UploadRefused(
            _("The sheet has more than %(max)s filled cells; split it into several files.")
            % {"max": limits.max_cells},
            field=field,
        )


def guard_image_pixels(*, width: int, height: int, max_pixels: int, field: str = "file") -> None:
    """Refuses an image whose header claims more pixels than ``max_pixels``, before decoding."""
    if width * height > max_pixels:
        raise image_too_large(max_pixels=max_pixels, field=field)


def image_too_large(*, max_pixels: int, field: str = "file") -> UploadRefused:
    """The refusal of an image over ``max_pixels`` (also for a decoder's own bomb check)."""
    return UploadRefused(
        _("The image has more than %(megapixels)s megapixels; scale it down and upload it again.")
        % {"megapixels": max_pixels // 1_000_000},
        field=field,
    )


# Office Open XML spreadsheets (ECMA-376 part 1, SpreadsheetML): the first sheet is found
# through the workbook's relationships; its ``<dimension ref>`` comes before its rows.
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REFERENCE = re.compile(rb'<c\b[^>]*?\br="([A-Za-z]+)([0-9]+)"')


class NotASpreadsheetError(ValueError):
    """The archive is not the .xlsx expected (no workbook, no first sheet)."""


def xlsx_first_sheet(archive: zipfile.ZipFile) -> str:
    """The member name of an .xlsx archive's first sheet (workbook and relationships streamed)."""
    try:
        with archive.open("xl/workbook.xml") as workbook:
            sheet_id = _first_sheet_id(workbook)
        with archive.open("xl/_rels/workbook.xml.rels") as rels:
            for _event, element in iterparse(rels):  # noqa: S314 - expat, no entity expansion
                if element.tag == f"{_PKG_REL}Relationship" and element.get("Id") == sheet_id:
                    target = element.get("Target", "")
                    if target.startswith("/"):
                        return target.lstrip("/")
                    return posixpath.normpath(posixpath.join("xl", target))
    except (KeyError, ParseError) as exc:
        raise NotASpreadsheetError from exc
    raise NotASpreadsheetError


def _first_sheet_id(workbook: IO[bytes]) -> str:
    for _event, element in iterparse(workbook):  # noqa: S314 - expat, no entity expansion
        if element.tag == f"{_MAIN}sheet":
            return str(element.get(f"{_REL}id", ""))
    raise NotASpreadsheetError


def guard_xlsx(
    file: IO[bytes] | Any, *, limits: UploadLimits, sheet_limits: SheetLimits, field: str = "file"
) -> None:
    """``guard_zip``, then the first sheet's declared extent and every cell reference in it
    (a byte scan, no XML tree), so a cell at column 16,384 is refused before anything
    parses the sheet. A zip that is no .xlsx is left to the caller's own reader."""
    members = {member.name: member for member in guard_zip(file, limits=limits, field=field)}
    try:
        with zipfile.ZipFile(file) as archive:
            try:
                member = members.get(xlsx_first_sheet(archive))
            except NotASpreadsheetError:
                return
            if member is None:
                return
            with open_member(archive, member, limits=limits, field=field) as stream:
                _guard_dimension(stream, sheet_limits, field)
            with open_member(archive, member, limits=limits, field=field) as stream:
                _guard_references(stream, sheet_limits, field)
    finally:
        file.seek(0)


def read_first_sheet(
    upload: IO[bytes], *, limits: UploadLimits, sheet_limits: SheetLimits
) -> list[tuple[Any, ...]]:
    """The rows of an uploaded workbook's first sheet, as values. A zip goes through
    ``guard_xlsx`` first (a zip bomb or a cell at column 16,384 is refused before openpyxl
    opens the file); anything openpyxl cannot open is refused as not an .xlsx file."""
    from openpyxl import load_workbook

    if upload.read(4) == b"PK\x03\x04":
        guard_xlsx(upload, limits=limits, sheet_limits=sheet_limits)
    upload.seek(0)
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise ValidationFailed(details={"file": _("This is not an Excel (.xlsx) file.")}) from exc
    return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def _guard_dimension(stream: Any, limits: SheetLimits, field: str) -> None:
    try:
        for _event, element in iterparse(stream, events=("start",)):  # noqa: S314
            if element.tag == f"{_MAIN}dimension":
                last = element.get("ref", "").split(":")[-1]
                if last:
                    rows, columns = parse_reference(last)
                    guard_sheet_extent(rows=rows, columns=columns, limits=limits, field=field)
                return
            if element.tag == f"{_MAIN}sheetData":
                return
    except (ParseError, ValueError):
        return  # a damaged sheet is the reader's to report


def _guard_references(stream: Any, limits: SheetLimits, field: str) -> None:
    count, tail = 0, b""
    while chunk := stream.read(1 << 20):
        data = tail + chunk
        cut = data.rfind(b"<")  # a tag cut by the chunk waits for the next one
        cut = cut if cut > 0 else len(data)
        for match in _CELL_REFERENCE.finditer(data, 0, cut):
            count += 1
            row, column = int(match[2]), column_number(match[1][:8].decode())
            guard_cell(row=row, column=column, count=count, limits=limits, field=field)
        tail = data[cut:]
