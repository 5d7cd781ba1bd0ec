"""Small real files for the demo and the tests: a short video browsers play, the smallest MP4
header, a PDF and a SCORM package."""

import io
import zipfile
from html import escape
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


def scorm_package(title: str, description: str, keywords: tuple[str, ...] = ()) -> bytes:
    """A SCORM 1.2 package of one page whose manifest carries LOM ``title``, ``description``
    and ``keywords`` (ADL SCORM 1.2 CAM: ``imsmd`` metadata inline in the manifest)."""
    words = "".join(
        f"<imsmd:keyword><imsmd:langstring>{escape(w)}</imsmd:langstring></imsmd:keyword>"
        for w in keywords
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest identifier="openvet.sample" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"'
        ' xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"'
        ' xmlns:imsmd="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1">'
        "<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion><imsmd:lom>"
        f"<imsmd:general><imsmd:title><imsmd:langstring>{escape(title)}</imsmd:langstring>"
        "</imsmd:title><imsmd:description><imsmd:langstring>"
        f"{escape(description)}</imsmd:langstring></imsmd:description>{words}</imsmd:general>"
        '</imsmd:lom></metadata><organizations default="o1"><organization identifier="o1">'
        f'<title>{escape(title)}</title><item identifier="i1" identifierref="r1">'
        f"<title>{escape(title)}</title></item></organization></organizations>"
        '<resources><resource identifier="r1" type="webcontent" adlcp:scormtype="sco"'
        ' href="index.html"><file href="index.html"/></resource></resources></manifest>'
    )
    page = f'<!doctype html><html lang="zh"><meta charset="utf-8"><h1>{escape(title)}</h1></html>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", manifest)
        archive.writestr("index.html", page)
    return out.getvalue()
