"""Small real files of each kind the previews handle, made here (no binary fixtures)."""

import io
import zipfile

from openpyxl import Workbook
from PIL import Image

_TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _zip(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def png(width: int = 640, height: int = 360) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


def broken_png() -> bytes:
    return png()[:64] + b"\x00" * 200


def broken_pdf() -> bytes:
    return b"%PDF-1.4\n" + b"\x00garbage" * 100


def docx(*paragraphs: str) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    document = f'<w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>'
    return _zip({"[Content_Types].xml": _TYPES, "word/document.xml": document})


def pptx(*slides: str) -> bytes:
    files = {"[Content_Types].xml": _TYPES}
    for number, text in enumerate(slides, 1):
        files[f"ppt/slides/slide{number}.xml"] = (
            f'<p:sld xmlns:p="urn:p" xmlns:a="{_A}"><a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:sld>'
        )
    return _zip(files)


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "成本核算"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
