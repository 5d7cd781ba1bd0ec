"""Office documents (.docx, .pptx, .xlsx) made into a PDF to preview in the page (ADR 0531).

Two converters behind one interface: LibreOffice headless when ``soffice`` is installed (the
layout as the author saw it), run in a scratch folder with a time limit; otherwise the text
of the document, extracted here and set in Noto Sans SC by reportlab, so that a machine without
LibreOffice still shows what the document says. ``RESOURCES_OFFICE_CONVERTER`` names one
("libreoffice", "text") or leaves the choice to what is installed ("auto").
"""

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from django.conf import settings
from django.utils.translation import gettext_noop
from python_calamine import CalamineWorkbook
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from openvet.core.uploads import UploadLimits, UploadRefused, guard_zip
from openvet.resources.watermark import _font

OFFICE_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}
TIMEOUT_SECONDS = 120
MAX_LINES = 2_000
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


class ConversionFailed(Exception):
    """The document could not be made into a PDF; ``reason`` is a message id."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Converted:
    pdf: bytes
    converter: str


class OfficeConverter(Protocol):
    name: str

    def convert(self, data: bytes, suffix: str) -> bytes: ...


class LibreOfficeConverter:
    name = "libreoffice"

    def __init__(self, binary: str) -> None:
        self.binary = binary

    def convert(self, data: bytes, suffix: str) -> bytes:
        with tempfile.TemporaryDirectory(prefix="openvet-office-") as scratch:
            folder = Path(scratch)
            source = folder / f"document{suffix}"
            source.write_bytes(data)
            try:
                subprocess.run(  # noqa: S603 (a fixed program and a file name we chose)
                    [
                        self.binary,
                        f"-env:UserInstallation=file://{folder / 'profile'}",
                        "--headless",
                        "--convert-to",
                        "pdf",
                        "--outdir",
                        str(folder),
                        str(source),
                    ],
                    check=True,
                    capture_output=True,
                    timeout=TIMEOUT_SECONDS,
                )
            except subprocess.TimeoutExpired as exc:
                raise ConversionFailed(
                    gettext_noop("The document took too long to convert.")
                ) from exc
            except (subprocess.CalledProcessError, OSError) as exc:
                raise ConversionFailed(
                    gettext_noop("The document is damaged and cannot be shown.")
                ) from exc
            made = folder / "document.pdf"
            if not made.is_file():
                raise ConversionFailed(gettext_noop("The document is damaged and cannot be shown."))
            return made.read_bytes()


def _texts(root: Element, tag: str, paragraph: str) -> list[str]:
    lines = []
    for para in root.iter(paragraph):
        line = "".join(node.text or "" for node in para.iter(tag)).strip()
        if line:
            lines.append(line)
    return lines


def _slide_number(name: str) -> int:
    found = re.search(r"(\d+)\.xml$", name)
    return int(found.group(1)) if found else 0


def extract_lines(data: bytes, suffix: str) -> list[str]:
    """The text of a .docx, .pptx or .xlsx, line by line (slides and sheets headed)."""
    handle = io.BytesIO(data)
    try:
        members = {m.name for m in guard_zip(handle, limits=UploadLimits(max_bytes=len(data)))}
        with zipfile.ZipFile(handle) as archive:
            if suffix == ".docx":
                root = ElementTree.fromstring(archive.read("word/document.xml"))
                return _texts(root, f"{_W}t", f"{_W}p")
            if suffix == ".pptx":
                lines: list[str] = []
                slides = sorted(
                    (n for n in members if re.match(r"ppt/slides/slide\d+\.xml$", n)),
                    key=_slide_number,
                )
                for number, name in enumerate(slides, 1):
                    lines.append(f"— {number} —")
                    lines.extend(
                        _texts(ElementTree.fromstring(archive.read(name)), f"{_A}t", f"{_A}p")
                    )
                return lines
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        lines = []
        for name in book.sheet_names:
            lines.append(f"【{name}】")
            for row in book.get_sheet_by_name(name).to_python(skip_empty_area=True):
                cells = [str(c) for c in row if c not in ("", None)]
                if cells:
                    lines.append("  ".join(cells))
                if len(lines) > MAX_LINES:
                    break
        return lines
    except UploadRefused as exc:
        raise ConversionFailed(
            gettext_noop("The document is damaged and cannot be shown.")
        ) from exc
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, ValueError, OSError) as exc:
        raise ConversionFailed(
            gettext_noop("The document is damaged and cannot be shown.")
        ) from exc
    except Exception as exc:  # calamine raises its own errors for a damaged workbook
        if type(exc).__module__.startswith("python_calamine"):
            raise ConversionFailed(
                gettext_noop("The document is damaged and cannot be shown.")
            ) from exc
        raise


def _wrapped(line: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    pieces, current = [], ""
    for char in line:
        if stringWidth(current + char, font, size) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    return [*pieces, current]


def lines_to_pdf(lines: list[str]) -> bytes:
    font = _font()
    out = io.BytesIO()
    sheet = canvas.Canvas(out, pagesize=A4)
    width, height = A4
    margin, size, leading = 56, 11, 17
    y = height - margin
    sheet.setFont(font, size)
    for line in lines[:MAX_LINES] or [""]:
        for piece in _wrapped(line, font, size, width - 2 * margin):
            if y < margin:
                sheet.showPage()
                sheet.setFont(font, size)
                y = height - margin
            sheet.drawString(margin, y, piece)
            y -= leading
    sheet.showPage()
    sheet.save()
    return out.getvalue()


class TextConverter:
    name = "text"

    def convert(self, data: bytes, suffix: str) -> bytes:
        return lines_to_pdf(extract_lines(data, suffix))


def converter() -> OfficeConverter:
    choice = getattr(settings, "RESOURCES_OFFICE_CONVERTER", "auto")
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if choice in ("auto", "libreoffice") and binary:
        return LibreOfficeConverter(binary)
    return TextConverter()


def to_pdf(data: bytes, suffix: str) -> Converted:
    """The document as a PDF; LibreOffice failing on a file falls back to its text."""
    chosen = converter()
    try:
        return Converted(chosen.convert(data, suffix), chosen.name)
    except ConversionFailed:
        if chosen.name == TextConverter.name:
            raise
    fallback = TextConverter()
    return Converted(fallback.convert(data, suffix), fallback.name)
