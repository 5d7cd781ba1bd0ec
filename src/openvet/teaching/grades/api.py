"""Grades over the API: a student's own transcript (locked grades, GPA, credits)."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from openvet.teaching.grades import selectors
from openvet.teaching.selection.services import student_for

router = Router(tags=["grades"])


class TranscriptRowOut(Schema):
    term: str
    course_code: str
    course_name: str
    credits: Decimal
    attempt: str
    total: Decimal
    grade_point: Decimal
    passed: bool


class TranscriptOut(Schema):
    rows: list[TranscriptRowOut]
    credits_earned: Decimal
    credits_attempted: Decimal
    gpa: Decimal


@router.get("/transcripts/me", response=TranscriptOut)
def transcript(request: HttpRequest) -> Any:
    return selectors.transcript_for(student=student_for(request.user))
