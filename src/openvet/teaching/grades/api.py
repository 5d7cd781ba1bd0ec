"""Grades over the API: a student's own transcript (locked grades, GPA, credits)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from openvet.core.api.schemas import error_responses
from openvet.teaching.api.schemas import TranscriptOut
from openvet.teaching.grades import selectors
from openvet.teaching.students import student_for

router = Router(tags=["grades"])


@router.get(
    "/transcripts/me",
    response={200: TranscriptOut, **error_responses(401, 403)},
    operation_id="teaching_transcript_get",
    summary="Your own transcript: locked grades, credits and GPA",
)
def transcript_get(request: HttpRequest) -> Any:
    return selectors.transcript_for(student=student_for(request.user))
