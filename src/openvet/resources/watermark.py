"""The watermark stamped on every PDF a reader downloads: who downloaded it and when.

Each page gets the text twice, small along its foot and large and faint across it, drawn by
reportlab in Noto Sans SC (embedded, so names in Chinese print the same everywhere) and merged
onto the page with pypdf. The text is real text in the page's content, so it survives printing
and shows in a text extraction (ADR 0510).
"""

import io
import logging
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

logger = logging.getLogger(__name__)

FONT_NAME = "NotoSansSC-Watermark"
FONT_FILE = Path("@expo-google-fonts") / "noto-sans-sc" / "400Regular" / "NotoSansSC_400Regular.ttf"


class UnreadablePdf(Exception):
    """The stored PDF cannot be parsed, so it cannot be stamped (and is not handed out)."""


@cache
def _font() -> str:
    path = Path(settings.NODE_MODULES) / FONT_FILE
    if not path.is_file():
        raise ImproperlyConfigured(
            f"The watermark font {path} is missing; `make install` (npm ci) installs it."
        )
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(path)))
    return FONT_NAME


def _overlay(width: float, height: float, text: str) -> PdfReader:
    font = _font()
    out = io.BytesIO()
    sheet = canvas.Canvas(out, pagesize=(width, height))
    sheet.setFillGray(0.35)
    sheet.setFont(font, 8)
    sheet.drawString(24, 14, text)
    sheet.saveState()
    sheet.setFillAlpha(0.12)
    sheet.setFont(font, max(12.0, min(width, height) / 18))
    sheet.translate(width / 2, height / 2)
    sheet.rotate(35)
    sheet.drawCentredString(0, 0, text)
    sheet.restoreState()
    sheet.save()
    return PdfReader(io.BytesIO(out.getvalue()))


def stamp_pdf(data: bytes, text: str) -> bytes:
    """``data`` with ``text`` stamped on every page."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnreadablePdf("encrypted")
        writer = PdfWriter(clone_from=reader)
        overlays: dict[tuple[float, float], PdfReader] = {}
        for page in writer.pages:
            size = (float(page.mediabox.width), float(page.mediabox.height))
            if size not in overlays:
                overlays[size] = _overlay(*size, text)
            page.merge_page(overlays[size].pages[0])
        out = io.BytesIO()
        writer.write(out)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        logger.warning("a PDF could not be watermarked: %s", type(exc).__name__)
        raise UnreadablePdf(str(exc)) from exc
    return out.getvalue()
