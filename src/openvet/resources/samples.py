"""Small real files for the demo and the tests: a short video browsers play, the smallest MP4
header, and a PDF."""

import io
from pathlib import Path

from reportlab.pdfgen import canvas

# The smallest MP4 a browser and a type sniffer recognise: an ``ftyp`` box then free space.
TINY_MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free" * 64

# A 12-second H.264 video that browsers play (how it was made: sample_files/README.md).
LESSON_VIDEO = Path(__file__).parent / "sample_files" / "lesson.mp4"


def lesson_video() -> bytes:
    return LESSON_VIDEO.read_bytes()


def pdf_document(text: str) -> bytes:
    """A one-page PDF with ``text`` (Latin letters: the built-in font has no Chinese)."""
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return out.getvalue()
