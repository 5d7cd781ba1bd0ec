"""The transcript PDF: a real PDF with the student's locked courses, only the student's own."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from openvet.identity.models import User
from openvet.identity.tests.support import sign_in
from openvet.teaching.tests.conftest import Campus, needs_workflow
from openvet.teaching.tests.daily_factories import campus_student
from openvet.teaching.tests.test_grades_services import _locked

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
