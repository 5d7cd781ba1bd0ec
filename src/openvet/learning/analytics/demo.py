"""Learners at work in the demo's online courses, so that the course dashboard has a spread of
completion and quiz scores to show (ADR 0414). Through the services, as a learner would:
each opening and each quiz leaves its statements. Deterministic (by course and learner) and
idempotent (a course where several learners have started is left alone)."""

import random
from typing import Any

from django.db import transaction

from openvet.core.errors import DomainError
from openvet.learning import selectors, services
from openvet.learning.models import OnlineCourse, Progress, UnitKind

# Share of the class that has reached each unit in course order: most read the first ones,
# fewer go on; a few have not started at all.
REACH = (0.85, 0.7, 0.55, 0.45, 0.4)


def _responses(questions: list[Any], rng: random.Random) -> dict[int, Any]:
    """Right answers for some questions, blanks for the rest (a spread of scores)."""
    found: dict[int, Any] = {}
    for question in questions:
        if rng.random() < 0.3:
            continue
        answer = question.answer
        if question.kind == "true_false":
            found[question.pk] = "true" if answer and answer[0] else "false"
        elif question.kind in ("single", "multiple"):
            found[question.pk] = [str(a) for a in answer]
        elif question.kind == "fill":
            found[question.pk] = str(answer[0]) if answer else ""
    return found


def _learn(course: OnlineCourse, user: Any, rng: random.Random) -> None:
    reach = rng.random()
    for n, unit in enumerate(selectors.course_units(course)):
        if n >= len(REACH) or reach > REACH[n]:
            return
        try:
            if unit.kind == UnitKind.QUIZ:
                attempt = services.attempt_start(actor=user, unit=unit)
                questions = selectors.quiz_questions(unit)
                services.attempt_submit(
                    actor=user, attempt=attempt, responses=_responses(questions, rng)
                )
            else:
                services.unit_open(actor=user, unit=unit)
        except DomainError:
            return  # a locked or timed unit: this learner stops here


def seed_course_activity() -> int:
    """How many learners were set to work; 0 when the courses have their learners already."""
    started = 0
    for course in OnlineCourse.objects.select_related("task").order_by("pk"):
        learners = Progress.objects.filter(unit__course=course).values("user_id").distinct()
        if learners.count() > 1:
            continue
        for student in selectors.course_learners(course, roster_only=True):
            if student.user is None:
                continue
            rng = random.Random(f"{course.pk}:{student.user_id}")  # noqa: S311 - demo data
            with transaction.atomic():
                _learn(course, student.user, rng)
            started += 1
    return started
