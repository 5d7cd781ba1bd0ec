"""The student's transcript as a PDF (reportlab), laid out like the 成绩单 schools print.

The school's name heads the page, then the student (name, student number, class, major, year
of enrolment), a table per term (course, course type, credits, score, grade point) with the
term's totals, the overall totals, the date of issue and a place for the seal and signature.
Text is set in an embedded subset of Noto Sans SC (``pdf_font``, ADR 0311), so the PDF prints
the same in every reader. Labels come from the translation catalogues like the HTML page.
"""

from datetime import date
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from openvet.teaching.formatting import gpa_text
from openvet.teaching.grades.pdf_font import FONT_NAME, transcript_font, warn_if_missing
from openvet.teaching.grades.selectors import Totals, Transcript, TranscriptTerm

WIDTH = 180 * mm  # A4 less 15 mm margins
GRID = colors.HexColor("#8a8f94")
SHADE = colors.HexColor("#eef0f2")


class _Styles:
    def __init__(self) -> None:
        transcript_font()
        self.title = ParagraphStyle(
            "title", fontName=FONT_NAME, fontSize=18, leading=24, alignment=TA_CENTER
        )
        self.subtitle = ParagraphStyle(
            "subtitle", fontName=FONT_NAME, fontSize=13, leading=18, alignment=TA_CENTER
        )
        self.heading = ParagraphStyle("heading", fontName=FONT_NAME, fontSize=11, leading=16)
        self.body = ParagraphStyle("body", fontName=FONT_NAME, fontSize=10, leading=14)
        self.cell = ParagraphStyle("cell", fontName=FONT_NAME, fontSize=9, leading=12)
        self.right = ParagraphStyle(
            "right", fontName=FONT_NAME, fontSize=10, leading=14, alignment=TA_RIGHT
        )


class _Text:
    """Paragraphs of plain text (reportlab reads ``<`` and ``&`` as markup otherwise); every
    text is remembered so that glyphs the font lacks can be reported once."""

    def __init__(self) -> None:
        self.written: list[str] = []

    def __call__(self, text: str, style: ParagraphStyle) -> Paragraph:
        self.written.append(text)
        return Paragraph(escape(text), style)

    def plain(self, text: str) -> str:
        """A short cell that never wraps: a plain string is far cheaper than a paragraph."""
        self.written.append(text)
        return text


def _grid(rows: list[list[Any]], widths: list[float], header: bool = False) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    table.setStyle(TableStyle(style))
    return table


def _student_block(student: Any, text: _Text, s: _Styles) -> Table:
    class_unit = student.class_unit.name if student.class_unit_id else "—"
    pairs = [
        (_("Student name"), student.name),
        (_("Student number"), student.student_number),
        (_("Class"), class_unit),
        (_("Major"), student.major.name),
        (_("Year of enrolment"), str(student.grade_year)),
        (_("Department"), student.department.name),
    ]
    rows = [
        [text(label, s.cell), text(value, s.cell), text(label2, s.cell), text(value2, s.cell)]
        for (label, value), (label2, value2) in zip(pairs[::2], pairs[1::2], strict=True)
    ]
    table = _grid(rows, [24 * mm, 66 * mm, 24 * mm, 66 * mm])
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (0, -1), SHADE)]))
    table.setStyle(TableStyle([("BACKGROUND", (2, 0), (2, -1), SHADE)]))
    return table


def _totals_text(totals: Totals) -> str:
    return _("Credits earned: %(earned)s / %(attempted)s · GPA: %(gpa)s") % {
        "earned": totals.credits_earned,
        "attempted": totals.credits_attempted,
        "gpa": gpa_text(totals.counted_gpa),
    }


def _score(row: Any) -> str:
    score = f"{row.total}" + (f" ({row.level_label})" if row.level else "")
    return score if row.attempt == "regular" else f"{score} {row.attempt_label}"


def _term_table(term: TranscriptTerm, text: _Text, s: _Styles) -> Table:
    header = [_("Course"), _("Course type"), _("Credits"), _("Score"), _("Grade point")]
    rows: list[list[Any]] = [[text.plain(h) for h in header]]
    for row in term.rows:
        rows.append(
            [
                text(f"{row.course_code} {row.course_name}", s.cell),
                text.plain(row.course_type_label),
                text.plain(str(row.credits)),
                text.plain(_score(row)),
                text.plain(str(row.grade_point)),
            ]
        )
    total = _("Term total: %(totals)s") % {"totals": _totals_text(term.totals)}
    rows.append([text(total, s.cell), "", "", "", ""])
    table = _grid(rows, [70 * mm, 38 * mm, 18 * mm, 34 * mm, 20 * mm], header=True)
    table.setStyle(
        TableStyle([("SPAN", (0, -1), (-1, -1)), ("BACKGROUND", (0, -1), (-1, -1), SHADE)])
    )
    return table


def _terms(transcript: Transcript, text: _Text, s: _Styles) -> list[Flowable]:
    if not transcript.rows:
        return [text(_("No locked grades yet."), s.body)]
    flowables: list[Flowable] = []
    for term in transcript.terms:
        flowables += [text(term.term, s.heading), _term_table(term, text, s), Spacer(1, 3 * mm)]
    return flowables


def _seal(school_name: str, today: date, text: _Text, s: _Styles) -> Table:
    """Signature on the left, the date and a ruled square for the school's seal on the right."""
    issued = _("Issued on %(date)s") % {"date": today.isoformat()}
    left = [text(_("Registrar's signature:") + " ____________", s.body)]
    right = [
        text(school_name, s.right),
        text(issued, s.right),
        Spacer(1, 2 * mm),
        text(_("(Seal)"), s.right),
    ]
    table = Table([[left, right]], colWidths=[WIDTH / 2, WIDTH / 2], rowHeights=[36 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    return table


def transcript_pdf(*, student: Any, transcript: Transcript, school_name: str, today: date) -> bytes:
    """The transcript of ``student`` as PDF bytes (A4, a table per term, totals, seal)."""
    s = _Styles()
    text = _Text()
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Transcript"),
        author=school_name,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    )
    overall = Totals(
        credits_earned=transcript.credits_earned,
        credits_attempted=transcript.credits_attempted,
        gpa=transcript.gpa,
    )
    story: list[Flowable] = [
        text(school_name, s.title),
        text(_("Transcript"), s.subtitle),
        Spacer(1, 4 * mm),
        _student_block(student, text, s),
        Spacer(1, 4 * mm),
        *_terms(transcript, text, s),
        text(_("Overall: %(totals)s") % {"totals": _totals_text(overall)}, s.heading),
        _seal(school_name, today, text, s),
    ]
    warn_if_missing("".join(text.written))
    document.build(story)
    return buffer.getvalue()
