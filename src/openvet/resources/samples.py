"""Small real files for the demo and the tests: a playable-looking MP4 header and a PDF."""

import io

from reportlab.pdfgen import canvas

# The smallest MP4 a browser and a type sniffer recognise: an ``ftyp`` box then free space.
TINY_MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free" * 64


def pdf_document(text: str) -> bytes:
    """A one-page PDF with ``text`` (Latin letters: the built-in font has no Chinese)."""
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return out.getvalue()
