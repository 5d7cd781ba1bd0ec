"""Reads of teaching evaluation. Results are aggregates only, and only for groups with at
least ``min_responses`` answers; nobody reads a single response through these functions."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from openvet.core import policy
from openvet.core.errors import NotFound
from openvet.core.policy import Actor
from openvet.teaching.capabilities import VIEW_EVALUATION
from openvet.teaching.evaluation.models import (
    EvaluationReceipt,
    EvaluationResponse,
    EvaluationWindow,
    QuestionKind,
)
from openvet.teaching.models import TeachingTask
from openvet.teaching.permissions import VIEW
from openvet.teaching.students import student_for, student_tasks


def window_list_for(*, actor: Actor) -> QuerySet[EvaluationWindow]:
    queryset = policy.scope(EvaluationWindow.objects.all(), actor, VIEW)
    student = _student(actor)
    if student is not None:
        queryset = EvaluationWindow.objects.filter(
            Q(pk__in=queryset.values("pk")) | Q(org_id=student.school_id)
        )
    return queryset.select_related("term", "questionnaire").order_by("-opens_at", "-id")


def window_get_for(*, actor: Actor, window_id: int) -> EvaluationWindow:
    found = window_list_for(actor=actor).filter(pk=window_id).first()
    if found is None:
        raise NotFound()
    return found


def _student(actor: Actor) -> Any:
    from openvet.core.errors import PermissionDenied

    try:
        return student_for(actor)
    except PermissionDenied:
        return None


def pending_tasks(*, actor: Actor, window: EvaluationWindow) -> list[dict[str, Any]]:
    """The student's courses of the window's term, each with whether they answered."""
    student = _student(actor)
    if student is None:
        return []
    done = set(
        EvaluationReceipt.objects.filter(window=window, student=student).values_list(
            "task_id", flat=True
        )
    )
    return [{"task": t, "done": t.pk in done} for t in student_tasks(student, window.term_id)]


@dataclass(frozen=True)
class ResultRow:
    label: str
    responses: int
    averages: dict[str, Decimal]  # question text -> mean rating
    overall: Decimal | None
    shown: bool


def _group_keys(task: TeachingTask, by: str) -> list[tuple[int, str]]:
    if by == "teacher":
        return [(t.pk, t.get_full_name() or t.get_username()) for t in task.teachers.all()]
    if by == "department":
        return [(task.org_id, str(task.org))]
    return [(task.course_id, str(task.course))]


def results_for(*, actor: Actor, window: EvaluationWindow, by: str = "course") -> list[ResultRow]:
    """Mean ratings per teacher, course or department; a group with fewer than
    ``window.min_responses`` answers shows its count only. Managers see their subtree, a
    teacher sees only the groups of their own tasks."""
    tasks = policy.scope(
        TeachingTask.objects.filter(term=window.term), actor, VIEW_EVALUATION, own=Q(teachers=actor)
    )
    if by == "teacher" and not policy.has_capability(actor, VIEW_EVALUATION, window.org):
        tasks = tasks.filter(teachers=actor.pk)
    tasks = tasks.distinct().select_related("course", "org").prefetch_related("teachers")
    questions = [q for q in window.questionnaire.questions.all() if q.kind == QuestionKind.RATING]
    groups: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
    answers_by_task: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for task_id, answers in EvaluationResponse.objects.filter(
        window=window, task__in=[t.pk for t in tasks]
    ).values_list("task_id", "answers"):
        answers_by_task[task_id].append(answers)
    for task in tasks:
        for key in _group_keys(task, by):
            if (
                by == "teacher"
                and key[0] != actor.pk
                and not policy.has_capability(actor, VIEW_EVALUATION, task.org)
            ):
                continue
            groups[key].extend(answers_by_task[task.pk])
    return [
        _row(label, answers, questions, window.min_responses)
        for (_id, label), answers in sorted(groups.items(), key=lambda kv: kv[0][1])
    ]


def _row(
    label: str, answers: list[dict[str, Any]], questions: list[Any], minimum: int
) -> ResultRow:
    shown = len(answers) >= minimum
    averages: dict[str, Decimal] = {}
    if shown:
        for question in questions:
            values = [int(a[str(question.pk)]) for a in answers if str(question.pk) in a]
            if values:
                averages[question.text] = (Decimal(sum(values)) / len(values)).quantize(
                    Decimal("0.01")
                )
    overall = (
        (sum(averages.values(), Decimal(0)) / len(averages)).quantize(Decimal("0.01"))
        if (averages)
        else None
    )
    return ResultRow(
        label=label, responses=len(answers), averages=averages, overall=overall, shown=shown
    )
