"""The student's transcript as a PDF (reportlab).

Chinese text is set in reportlab's built-in CID font ``STSong-Light`` (Adobe's Song font
that every PDF reader provides), so no font file ships with the application and the PDF
stays small. Labels come from the translation catalogues like the HTML page.
"""

from datetime import date
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from openvet.teaching.formatting import gpa_text
from openvet.teaching.grades.selectors import Transcript

FONT = "STSong-Light"
_registered: set[str] = set()


def _font() -> str:
    if FONT not in _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered.add(FONT)
    return FONT


def _styles() -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    font = _font()
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, spaceAfter=4)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=14)
    cell = ParagraphStyle("cell", fontName=font, fontSize=9, leading=12)
    return title, body, cell


def _text(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: reportlab reads ``<`` and ``&`` as markup otherwise."""
    return Paragraph(escape(text), style)


def _table(transcript: Transcript, cell: ParagraphStyle) -> Table:
    header = [
        _("Term"),
        _("Course"),
        _("Credits"),
        _("Attempt"),
        _("Score"),
        _("Grade point"),
    ]
    rows: list[list[Any]] = [[_text(h, cell) for h in header]]
    for row in transcript.rows:
        score = f"{row.total}" + (f" ({row.level_label})" if row.level else "")
        rows.append(
            [
                _text(row.term, cell),
                _text(f"{row.course_code} {row.course_name}", cell),
                _text(str(row.credits), cell),
                _text(row.attempt_label, cell),
                _text(score, cell),
                _text(str(row.grade_point), cell),
            ]
        )
    if not transcript.rows:
        rows.append([_text(_("No locked grades yet."), cell), "", "", "", "", ""])
    widths = [28 * mm, 62 * mm, 16 * mm, 22 * mm, 24 * mm, 20 * mm]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def transcript_pdf(*, student: Any, transcript: Transcript, school_name: str, today: date) -> bytes:
    """The transcript of ``student`` as PDF bytes (A4, one table, totals underneath)."""
    title, body, cell = _styles()
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Transcript"),
        author=school_name,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    totals = _("Credits earned: %(earned)s / %(attempted)s · GPA: %(gpa)s") % {
        "earned": transcript.credits_earned,
        "attempted": transcript.credits_attempted,
        "gpa": gpa_text(transcript.counted_gpa),
    }
    document.build(
        [
            _text(f"{school_name} {_('Transcript')}", title),
            _text(f"{student.name} · {student.student_number}", body),
            Spacer(1, 4 * mm),
            _table(transcript, cell),
            Spacer(1, 4 * mm),
            _text(totals, body),
            _text(_("Issued on %(date)s") % {"date": today.isoformat()}, body),
        ]
    )
    return buffer.getvalue()
