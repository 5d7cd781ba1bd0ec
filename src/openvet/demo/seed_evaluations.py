"""Teaching evaluation (评教) answered at the end of an earlier demo term.

The school's questionnaire is created once through ``questionnaire_create`` and each earlier
term gets a window in its last two weeks through ``window_create``; the answers are
bulk-inserted as ``response_submit`` stores them: an anonymous response (random key, in an
order unrelated to the receipts) and a receipt per student and task. Most students answer,
with ratings mostly 4 and 5 and now and then a comment (``data/evaluation.json``).
"""

import random
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from openvet.core.models import OrgUnit
from openvet.demo import sources
from openvet.records.models import Student
from openvet.teaching.evaluation import services as evaluation
from openvet.teaching.evaluation.models import (
    EvaluationReceipt,
    EvaluationResponse,
    Question,
    QuestionKind,
    Questionnaire,
)
from openvet.teaching.models import TeachingTask, Term

ANSWER_SHARE = 0.85
_RATINGS = (5, 5, 5, 4, 4, 4, 4, 3, 3, 2)
_BATCH = 1000


def _questionnaire(actor: Any, school: OrgUnit) -> Questionnaire:
    data = sources.read_data("evaluation.json")
    existing = Questionnaire.objects.filter(org=school, name=data["name"]).first()
    return existing or evaluation.questionnaire_create(
        actor=actor,
        school=school,
        name=data["name"],
        questions=[(text, kind) for text, kind in data["questions"]],
    )


def _answers(questions: list[Question], comments: list[str], rng: random.Random) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in questions:
        if question.kind == QuestionKind.RATING:
            answers[str(question.pk)] = rng.choice(_RATINGS)
        elif rng.random() < 0.15:
            answers[str(question.pk)] = rng.choice(comments)
    return answers


def evaluations_seed(
    *,
    actor: Any,
    school: OrgUnit,
    term: Term,
    roster: list[tuple[TeachingTask, list[Student]]],
    rng: random.Random,
) -> int:
    """A closed window of the term with the answers of most students; the responses made."""
    closes = timezone.make_aware(
        datetime.combine(term.start_date + timedelta(weeks=term.weeks, days=-2), time(22, 0))
    )
    window = evaluation.window_create(
        actor=actor,
        term=term,
        questionnaire=_questionnaire(actor, school),
        opens_at=closes - timedelta(days=12),
        closes_at=closes,
    )
    questions = list(window.questionnaire.questions.order_by("order"))
    comments = list(sources.read_data("evaluation.json")["comments"])
    receipts, responses = [], []
    for task, students in roster:
        for student in students:
            if rng.random() >= ANSWER_SHARE:
                continue
            receipts.append(EvaluationReceipt(window=window, task=task, student=student))
            responses.append(
                EvaluationResponse(
                    window=window, task=task, answers=_answers(questions, comments, rng)
                )
            )
    rng.shuffle(responses)  # stored in an order that says nothing of who answered
    EvaluationReceipt.objects.bulk_create(receipts, batch_size=_BATCH)
    EvaluationResponse.objects.bulk_create(responses, batch_size=_BATCH)
    return len(responses)
