"""Random papers drawn from the course's question pools (ADR 0751).

A quiz holds its fixed questions (``Unit.questions``) and any number of draws: ``count``
questions of a pool, at a difficulty or any. Each attempt's paper is drawn when the attempt
starts and kept in ``Attempt.paper``, so the learner answers, and is graded against, exactly
what was drawn even if the bank changes later.
"""

import random
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from openvet.learning.models import Attempt, OnlineCourse, PaperDraw, Question, Unit

MAX_DRAW = 200
_random = random.SystemRandom()


def _candidates(course_id: int, pool: str, difficulty: int | None) -> QuerySet[Question]:
    found = Question.objects.filter(course_id=course_id)
    if pool:
        found = found.filter(pool=pool)
    if difficulty:
        found = found.filter(difficulty=difficulty)
    return found


def _normalised(draw: dict[str, Any]) -> tuple[str, int | None, int]:
    pool = str(draw.get("pool") or "").strip()[:60]
    raw = draw.get("difficulty")
    difficulty = int(str(raw)) if raw not in (None, "", 0, "0") else None
    count = int(draw.get("count") or 0)
    return pool, difficulty, count


def draws_checked(
    course: OnlineCourse, draws: list[dict[str, Any]], *, exclude: list[int]
) -> dict[str, str]:
    """Errors of a quiz's draws: each asks for 1 to 200 questions, no more than its pool
    holds besides the fixed questions."""
    for draw in draws:
        try:
            pool, difficulty, count = _normalised(draw)
        except (TypeError, ValueError):
            return {"draws": _("Give the number of questions to draw as a whole number.")}
        if difficulty not in (None, 1, 2, 3):
            return {"draws": _("Choose a difficulty.")}
        if not (1 <= count <= MAX_DRAW):
            return {"draws": _("Draw between 1 and 200 questions from a pool.")}
        held = _candidates(course.pk, pool, difficulty).exclude(pk__in=exclude).count()
        if held < count:
            return {
                "draws": _(
                    "The pool “%(pool)s” holds %(held)s matching questions; %(count)s were "
                    "asked for."
                )
                % {"pool": pool or _("all questions"), "held": held, "count": count}
            }
    return {}


def draws_create(unit: Unit, draws: list[dict[str, Any]]) -> None:
    for draw in draws:
        pool, difficulty, count = _normalised(draw)
        PaperDraw.objects.create(unit=unit, pool=pool, difficulty=difficulty, count=count)


def draw_paper(unit: Unit, rng: random.Random | None = None) -> list[int]:
    """The question ids of a new paper: the fixed questions, then each draw's sample of the
    questions not yet on the paper, in bank order."""
    rng = rng or _random
    chosen = set(unit.questions.values_list("pk", flat=True))
    for draw in unit.draws.all():
        pool = _candidates(unit.course_id, draw.pool, draw.difficulty)
        left = sorted(set(pool.values_list("pk", flat=True)) - chosen)
        chosen.update(rng.sample(left, min(draw.count, len(left))))
    return sorted(chosen)


def paper_questions(attempt: Attempt) -> list[Question]:
    """The questions of an attempt's paper, in order."""
    if attempt.paper:
        return list(Question.objects.filter(pk__in=attempt.paper).order_by("id"))
    return list(attempt.unit.questions.order_by("id"))


def draws_of(unit: Unit) -> list[PaperDraw]:
    return list(unit.draws.all())


def paper_size(unit: Unit) -> int:
    """How many questions a paper of the unit holds (fixed plus drawn)."""
    return unit.questions.count() + sum(d.count for d in unit.draws.all())


def graded_papers(course: OnlineCourse) -> list[Any]:
    """Each learner's first fully graded paper of the course's quizzes, per quiz, for item
    statistics (a learner counts once per quiz; later attempts have seen the questions)."""
    from openvet.learning.item_stats import Paper

    attempts = (
        Attempt.objects.filter(
            unit__course=course,
            submitted_at__isnull=False,
            needs_grading=False,
            score__isnull=False,
            max_score__gt=0,
        )
        .order_by("unit_id", "user_id", "number")
        .prefetch_related("answers__question")
    )
    seen: set[tuple[int, int]] = set()
    found = []
    for attempt in attempts:
        key = (attempt.unit_id, attempt.user_id)
        if key in seen:
            continue
        seen.add(key)
        items = {
            a.question_id: (a.score, a.question.points)
            for a in attempt.answers.all()
            if a.score is not None
        }
        share = (attempt.score or 0) / attempt.max_score
        found.append(Paper(total_share=share, items=items))
    return found
