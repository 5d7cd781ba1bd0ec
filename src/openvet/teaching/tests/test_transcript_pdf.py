"""The transcript PDF: a real PDF with the student's locked courses, only the student's own,
set in an embedded subset of Noto Sans SC and laid out like a school's 成绩单."""

import io
import logging
import re

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from openvet.identity.models import User
from openvet.identity.tests.support import sign_in
from openvet.teaching.grades import services
from openvet.teaching.grades.pdf_font import missing_characters
from openvet.teaching.models import TeachingTask
from openvet.teaching.tests.conftest import Campus, needs_workflow
from openvet.teaching.tests.daily_factories import campus_student
from openvet.teaching.tests.factories import TermFactory
from openvet.teaching.tests.test_grades_services import _approve_all, _locked, _sheet

pytestmark = [pytest.mark.django_db, needs_workflow]
URL = "teaching:transcript-pdf"


def _client(user: User, language: str = "zh-hans") -> Client:
    return sign_in(Client(HTTP_ACCEPT_LANGUAGE=language), user)


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_transcript_pdf_lists_the_students_locked_courses(campus: Campus) -> None:
    sheet, student = _locked(campus, score=86, code="ZX101")
    course = sheet.task.course

    response = _client(campus.student).get(reverse(URL))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")
    text = _text(response.content)
    assert "ZX101" in text
    assert course.name in text
    assert student.student_number in text
    assert "86" in text


def test_transcript_pdf_speaks_the_request_language(campus: Campus) -> None:
    _locked(campus, code="ZX102")

    chinese = _text(_client(campus.student).get(reverse(URL)).content)
    english = _text(_client(campus.student, "en").get(reverse(URL)).content)

    assert "Transcript" in english
    assert "Transcript" not in chinese
    assert "GPA" in english


def test_another_schools_student_gets_only_their_own_transcript(
    campus: Campus, other: Campus
) -> None:
    _locked(campus, code="ZX103")
    stranger = campus_student(other)

    response = _client(other.student).get(reverse(URL))

    assert response.status_code == 200
    text = _text(response.content)
    assert "ZX103" not in text
    assert stranger.student_number in text


def test_staff_without_a_student_record_cannot_fetch_a_transcript(
    campus: Campus, other: Campus
) -> None:
    _locked(campus, code="ZX104")

    assert _client(other.admin).get(reverse(URL)).status_code == 403
    assert _client(campus.teacher).get(reverse(URL)).status_code == 403


def _fonts(content: bytes) -> list[dict]:  # type: ignore[type-arg]
    reader = PdfReader(io.BytesIO(content))
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            fonts.append(
                {
                    "name": str(font["/BaseFont"]),
                    "embedded": bool(
                        descriptor
                        and {"/FontFile2", "/FontFile3"} & set(descriptor.get_object().keys())
                    ),
                }
            )
    return fonts


def test_transcript_pdf_embeds_a_subset_of_noto_sans_sc(campus: Campus) -> None:
    _locked(campus, code="ZX105")

    fonts = _fonts(_client(campus.student).get(reverse(URL)).content)

    noto = [f for f in fonts if re.fullmatch(r"/[A-Z]{6}\+NotoSansSC-Regular", f["name"])]
    assert noto, fonts
    assert all(f["embedded"] for f in noto)
    assert not [f for f in fonts if "STSong" in f["name"]]


def test_a_name_with_a_middle_dot_reads_back_with_every_glyph_in_the_font(
    campus: Campus,
) -> None:
    _sheet, student = _locked(campus, code="ZX106")
    student.name = "买买提·艾力"
    student.save(update_fields=["name"])

    text = _text(_client(campus.student).get(reverse(URL)).content)

    assert "买买提·艾力" in text
    assert missing_characters(text) == set()


def test_a_character_the_font_lacks_is_reported(
    campus: Campus, caplog: pytest.LogCaptureFixture
) -> None:
    _sheet, student = _locked(campus, code="ZX107")
    student.name = "王\ue000"  # a private-use character: no font has a glyph for it
    student.save(update_fields=["name"])

    with caplog.at_level(logging.WARNING, logger="openvet.teaching.grades.pdf_font"):
        response = _client(campus.student).get(reverse(URL))

    assert response.status_code == 200
    assert missing_characters("王\ue000·") == {"\ue000"}
    assert "\ue000" in caplog.text


def test_transcript_pdf_is_laid_out_term_by_term_with_totals_and_a_seal(
    campus: Campus,
) -> None:
    first, student = _locked(campus, score=91, code="ZX108")
    second = _sheet(campus, code="ZX109")
    services.grades_enter(
        actor=campus.teacher, sheet=second, rows={student.pk: {"usual": 55, "final": 55}}
    )
    services.sheet_submit(actor=campus.teacher, sheet=second)
    _approve_all(campus)
    earlier = TermFactory(org=campus.school, academic_year=2024, number=2)
    TeachingTask.objects.filter(pk=second.task_id).update(term=earlier)

    content = _client(campus.student).get(reverse(URL)).content
    text = _text(content)

    assert campus.school.name in text
    for value in (student.name, student.student_number, campus.class_a.name, campus.major.name):
        assert value in text
    assert str(student.grade_year) in text
    assert first.task.course.get_course_type_display() in text
    # The earlier term comes first, each term with its own totals, then the overall totals.
    assert text.index(str(earlier)) < text.index(str(campus.term))
    assert "本学期合计：已获学分：0.0 / 3.0 · 平均学分绩点：0.00" in text
    assert "本学期合计：已获学分：3.0 / 3.0 · 平均学分绩点：4.00" in text
    assert "总计：已获学分：3.0 / 6.0 · 平均学分绩点：2.00" in text
    assert "（盖章）" in text
    assert "教务处负责人签字" in text
