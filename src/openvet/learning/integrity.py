"""The integrity report of a course (ADR 0733): implausible patterns, each with its reason,
computed on read from the stored evidence. A flag is a question for the teacher, not a
verdict; nothing is changed for the learner.

Rules (thresholds in ``settings.LEARNING_INTEGRITY``, defaults below):
- ``parallel_units``: the learner had this many video or quiz windows open at once (a video
  from its start to its completion, a quiz attempt from start to hand-in);
- ``fast_perfect_seconds_per_question``: a quiz handed in with full marks in less than this
  many seconds per question;
- ``shared_wrong_answers``: the same wrong answers, in the same order, to at least this many
  questions of a quiz as another account;
- ``refused_beats``: at least this many heartbeats of the course's videos refused as faster
  than real time (a player skipping or speeding up).
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from openvet.learning.models import Answer, Attempt, OnlineCourse, Progress, UnitKind
from openvet.learning.selectors import course_learners

DEFAULTS: dict[str, int] = {
    "parallel_units": 3,
    "fast_perfect_seconds_per_question": 5,
    "shared_wrong_answers": 3,
    "refused_beats": 10,
}


def thresholds() -> dict[str, int]:
    configured = getattr(settings, "LEARNING_INTEGRITY", {}) or {}
    return {key: int(configured.get(key, value)) for key, value in DEFAULTS.items()}


@dataclass
class Flag:
    rule: str
    reason: str


@dataclass
class Flagged:
    student: Any
    user_id: int
    flags: list[Flag] = field(default_factory=list)


def max_overlap(windows: list[tuple[datetime, datetime]]) -> int:
    """The largest number of windows open at the same moment (a window closing at the
    moment another opens does not overlap it)."""
    events: list[tuple[datetime, int]] = []
    for start, end in windows:
        if end > start:
            events += [(start, 1), (end, -1)]
    events.sort(key=lambda e: (e[0], e[1]))  # closings before openings at the same time
    open_now = best = 0
    for _at, step in events:
        open_now += step
        best = max(best, open_now)
    return best


def _parallel(
    course: OnlineCourse, user_ids: list[int]
) -> dict[int, list[tuple[datetime, datetime]]]:
    windows: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for user_id, start, end in Progress.objects.filter(
        unit__course=course,
        unit__kind=UnitKind.VIDEO,
        user_id__in=user_ids,
        completed_at__isnull=False,
    ).values_list("user_id", "started_at", "completed_at"):
        if end is not None:
            windows[user_id].append((start, end))
    for user_id, start, end in Attempt.objects.filter(
        unit__course=course, user_id__in=user_ids, submitted_at__isnull=False
    ).values_list("user_id", "started_at", "submitted_at"):
        if end is not None:
            windows[user_id].append((start, end))
    return windows


def course_integrity(course: OnlineCourse) -> list[Flagged]:
    """The course's learners with at least one flag, by student number."""
    limits = thresholds()
    students = [s for s in course_learners(course, roster_only=True) if s.user_id]
    by_user = {s.user_id: Flagged(student=s, user_id=s.user_id) for s in students}
    user_ids = list(by_user)
    names = {s.user_id: f"{s.student_number}" for s in students}

    for user_id, windows in _parallel(course, user_ids).items():
        most = max_overlap(windows)
        if most >= limits["parallel_units"]:
            by_user[user_id].flags.append(
                Flag(
                    "parallel",
                    _("%(n)s videos or quizzes were open at the same time.") % {"n": most},
                )
            )

    attempts = list(
        Attempt.objects.filter(
            unit__course=course,
            user_id__in=user_ids,
            submitted_at__isnull=False,
            needs_grading=False,
            max_score__gt=0,
        )
        .select_related("unit")
        .annotate(questions=Count("answers"))
    )
    for attempt in attempts:
        if attempt.score is None or attempt.score < attempt.max_score or not attempt.questions:
            continue
        handed_in = attempt.submitted_at or attempt.started_at
        seconds = (handed_in - attempt.started_at).total_seconds()
        if seconds < limits["fast_perfect_seconds_per_question"] * attempt.questions:
            by_user[attempt.user_id].flags.append(
                Flag(
                    "fast_perfect",
                    _("Full marks in %(quiz)s after %(s)s seconds for %(n)s questions.")
                    % {"quiz": attempt.unit.title, "s": int(seconds), "n": attempt.questions},
                )
            )

    # Identical wrong answers: per quiz, the sequence of (question, response) of the wrong
    # answers of each attempt, compared across accounts.
    sequences: dict[tuple[int, str], set[int]] = defaultdict(set)
    titles: dict[int, str] = {}
    lengths: dict[str, int] = {}
    wrong = (
        Answer.objects.filter(
            attempt__unit__course=course,
            attempt__user_id__in=user_ids,
            attempt__submitted_at__isnull=False,
            score__isnull=False,
        )
        .select_related("attempt__unit", "question")
        .order_by("attempt_id", "question_id")
    )
    per_attempt: dict[int, list[Answer]] = defaultdict(list)
    for answer in wrong:
        if answer.score is not None and answer.score < answer.question.points:
            per_attempt[answer.attempt_id].append(answer)
    for answers in per_attempt.values():
        if len(answers) < limits["shared_wrong_answers"]:
            continue
        first = answers[0].attempt
        key = json.dumps([[a.question_id, a.response] for a in answers])
        sequences[(first.unit_id, key)].add(first.user_id)
        lengths[key] = len(answers)
        titles[first.unit_id] = first.unit.title
    for (unit_id, key), users in sequences.items():
        if len(users) < 2:
            continue
        count = lengths[key]
        for user_id in sorted(users):
            others = "、".join(names[u] for u in sorted(users) if u != user_id)
            by_user[user_id].flags.append(
                Flag(
                    "shared_wrong",
                    _("The same %(n)s wrong answers in %(quiz)s, in the same order, as %(others)s.")
                    % {"n": count, "quiz": titles[unit_id], "others": others},
                )
            )

    refused = (
        Progress.objects.filter(unit__course=course, user_id__in=user_ids)
        .values("user_id")
        .annotate(n=Sum("refused_beats"))
    )
    for row in refused:
        if (row["n"] or 0) >= limits["refused_beats"]:
            by_user[row["user_id"]].flags.append(
                Flag(
                    "refused_beats",
                    _("%(n)s heartbeats of videos refused as faster than real time.")
                    % {"n": row["n"]},
                )
            )
    return [f for f in by_user.values() if f.flags]
