"""Writes of teaching evaluation: questionnaires, windows and anonymous responses.

A response is written without the student; the receipt (student, task, window) is written in
the same transaction and its unique constraint refuses a second vote.
"""

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.teaching.capabilities import MANAGE_EVALUATION
from openvet.teaching.evaluation.models import (
    EvaluationReceipt,
    EvaluationResponse,
    EvaluationWindow,
    Question,
    QuestionKind,
    Questionnaire,
)
from openvet.teaching.models import TeachingTask, Term
from openvet.teaching.services.common import require
from openvet.teaching.students import student_for, student_tasks

MIN_RESPONSES = 5
COMMENT_LENGTH = 500


@transaction.atomic
def questionnaire_create(
    *, actor: Actor, school: OrgUnit, name: str, questions: list[tuple[str, str]]
) -> Questionnaire:
    require(actor, MANAGE_EVALUATION, school)
    errors: dict[str, str] = {}
    if school.kind != OrgKind.SCHOOL:
        errors["school"] = _("Choose a school.")
    if not name.strip():
        errors["name"] = _("A name is required.")
    if not questions or any(not t.strip() or k not in QuestionKind.values for t, k in questions):
        errors["questions"] = _("Add at least one question, each with its text and kind.")
    if errors:
        raise ValidationFailed(details=errors)
    questionnaire = Questionnaire.objects.create(org=school, name=name.strip())
    Question.objects.bulk_create(
        Question(questionnaire=questionnaire, order=n, text=t.strip()[:200], kind=k)
        for n, (t, k) in enumerate(questions, start=1)
    )
    audit_record(
        action=AuditAction.CREATE,
        obj=questionnaire,
        org=school,
        actor=actor,
        changes={"questions": [None, len(questions)]},
    )
    return questionnaire


@transaction.atomic
def window_create(
    *,
    actor: Actor,
    term: Term,
    questionnaire: Questionnaire,
    opens_at: datetime,
    closes_at: datetime,
    min_responses: int = MIN_RESPONSES,
) -> EvaluationWindow:
    require(actor, MANAGE_EVALUATION, term.org)
    errors: dict[str, str] = {}
    if questionnaire.org_id != term.org_id:
        errors["questionnaire"] = _("Choose a questionnaire of the term's school.")
    if closes_at <= opens_at:
        errors["closes_at"] = _("The window must close after it opens.")
    if min_responses < MIN_RESPONSES:
        errors["min_responses"] = _("Results need at least 5 responses to stay anonymous.")
    if errors:
        raise ValidationFailed(details=errors)
    window = EvaluationWindow.objects.create(
        term=term,
        org=term.org,
        questionnaire=questionnaire,
        opens_at=opens_at,
        closes_at=closes_at,
        min_responses=min_responses,
    )
    audit_record(
        action=AuditAction.CREATE,
        obj=window,
        org=term.org,
        actor=actor,
        changes={"opens_at": [None, str(opens_at)], "closes_at": [None, str(closes_at)]},
    )
    return window


def _clean_answers(window: EvaluationWindow, answers: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in window.questionnaire.questions.all():
        key = str(question.pk)
        value = answers.get(key)
        if question.kind == QuestionKind.TEXT:
            text = str(value or "").strip()
            if len(text) > COMMENT_LENGTH:
                errors[key] = _("Keep the comment under 500 characters.")
            elif text:
                cleaned[key] = text
            continue
        try:
            rating = int(str(value))
        except ValueError:
            rating = 0
        if not 1 <= rating <= 5:
            errors[key] = _("Choose a rating from 1 to 5.")
        cleaned[key] = rating
    if errors:
        raise ValidationFailed(details=errors)
    return cleaned


def response_submit(
    *,
    actor: Actor,
    window: EvaluationWindow,
    task: TeachingTask,
    answers: dict[str, Any],
    now: datetime | None = None,
) -> None:
    """Record a student's anonymous answers for a task; once per student, task and window."""
    student = student_for(actor)
    now = now or timezone.now()
    if not window.opens_at <= now < window.closes_at:
        message = _("Teaching evaluation is not open now.")
        raise ValidationFailed(message, code="outside_window", details={"window": message})
    if not student_tasks(student, window.term_id).filter(pk=task.pk).exists():
        raise PermissionDenied(_("You can only evaluate courses you attend."))
    cleaned = _clean_answers(window, answers)
    try:
        with transaction.atomic():
            receipt = EvaluationReceipt.objects.create(window=window, task=task, student=student)
            EvaluationResponse.objects.create(window=window, task=task, answers=cleaned)
            # The audit names the receipt only: who voted, never what they answered.
            audit_record(action=AuditAction.CREATE, obj=receipt, org=window.org, actor=actor)
    except IntegrityError as exc:
        raise Conflict(
            _("You have already evaluated this course."), code="already_evaluated"
        ) from exc
