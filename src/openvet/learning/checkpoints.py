"""Checkpoint questions in a video unit (ADR 0731).

A teacher places questions of the course's bank at seconds of a video. The player stops at
the first checkpoint the learner has not answered and shows its question; the answer is
graded on the server, stored once (final) and recorded as an xAPI ``answered`` statement.
Until it is answered the server credits no heartbeat that reaches past the checkpoint
(``services.video_heartbeat`` asks ``limit_for``), so completion rests on evidence.
"""

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from openvet.core.policy import Actor
from openvet.learning import grading, selectors
from openvet.learning import permissions as perms
from openvet.learning.evidence_models import Checkpoint, CheckpointAnswer
from openvet.learning.models import Question, QuestionKind, Unit, UnitKind
from openvet.lrs import services as lrs

# Questions the server grades by itself: a checkpoint is answered inside the player.
CHECKPOINT_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE)


class CheckpointPending(ValidationFailed):
    code = "checkpoint_pending"
    default_message = gettext_lazy(
        "Answer the question in the video to go on: nothing after it counts until then."
    )


class AlreadyAnswered(Conflict):
    code = "checkpoint_answered"
    default_message = gettext_lazy("You have already answered this question.")


# Reads ---------------------------------------------------------------------------------------


def checkpoints_of(unit: Unit) -> list[Checkpoint]:
    return list(Checkpoint.objects.filter(unit=unit).select_related("question"))


def answered_ids(user: Actor, unit: Unit) -> set[int]:
    return set(
        CheckpointAnswer.objects.filter(checkpoint__unit=unit, user_id=user.pk).values_list(
            "checkpoint_id", flat=True
        )
    )


def limit_for(user: Actor, unit: Unit) -> float | None:
    """The second of the first checkpoint ``user`` has not answered (None: nothing holds the
    learner back)."""
    pending = (
        Checkpoint.objects.filter(unit=unit)
        .exclude(answers__user_id=user.pk)
        .order_by("at_seconds")
        .values_list("at_seconds", flat=True)
        .first()
    )
    return None if pending is None else float(pending)


@dataclass(frozen=True)
class PlayerCheckpoint:
    """What the player needs of a checkpoint (the right answer stays on the server)."""

    id: int
    at: int
    kind: str
    text: str
    choices: list[str]
    answered: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "kind": self.kind,
            "text": self.text,
            "choices": self.choices,
            "answered": self.answered,
        }


def for_player(user: Actor, unit: Unit) -> list[dict[str, Any]]:
    done = answered_ids(user, unit)
    rows = []
    for checkpoint in checkpoints_of(unit):
        question = checkpoint.question
        choices = (
            [_("True"), _("False")]
            if question.kind == QuestionKind.TRUE_FALSE
            else [str(c) for c in question.choices]
        )
        rows.append(
            PlayerCheckpoint(
                id=checkpoint.pk,
                at=checkpoint.at_seconds,
                kind=question.kind,
                text=question.text,
                choices=choices,
                answered=checkpoint.pk in done,
            ).as_json()
        )
    return rows


def checkpoint_get_for(*, actor: Actor, checkpoint_id: int) -> Checkpoint:
    """A checkpoint of a course the actor sees (404 otherwise)."""
    checkpoint = (
        Checkpoint.objects.filter(pk=checkpoint_id).select_related("unit", "question").first()
    )
    if checkpoint is None:
        raise NotFound()
    selectors.unit_get_for(actor=actor, unit_id=checkpoint.unit_id)
    return checkpoint


def answer_counts(unit: Unit) -> dict[int, tuple[int, int]]:
    """Per checkpoint: (answers, right answers)."""
    counts: dict[int, tuple[int, int]] = {}
    for checkpoint_id, correct in CheckpointAnswer.objects.filter(
        checkpoint__unit=unit
    ).values_list("checkpoint_id", "correct"):
        total, right = counts.get(checkpoint_id, (0, 0))
        counts[checkpoint_id] = (total + 1, right + int(correct))
    return counts


# Writes --------------------------------------------------------------------------------------


def _teacher_ids(unit: Unit) -> set[int]:
    return set(unit.course.task.teachers.values_list("pk", flat=True))


@transaction.atomic
def checkpoint_add(*, actor: Actor, unit: Unit, at_seconds: int, question: Question) -> Checkpoint:
    """Place ``question`` at ``at_seconds`` of a video unit (a teacher of the course)."""
    if not perms.can_build_course(actor, _teacher_ids(unit)):
        raise PermissionDenied()
    errors: dict[str, str] = {}
    if unit.kind != UnitKind.VIDEO:
        errors["at_seconds"] = _("Checkpoint questions go into video units only.")
    elif not (1 <= at_seconds < max(unit.duration_seconds, 1)):
        errors["at_seconds"] = _("Choose a second inside the video (1 to %(end)s).") % {
            "end": max(unit.duration_seconds - 1, 1)
        }
    if question.course_id != unit.course_id:
        raise NotFound()
    if question.kind not in CHECKPOINT_KINDS:
        errors["question"] = _(
            "A checkpoint asks a single choice, multiple choice or true-or-false question."
        )
    if errors:
        raise ValidationFailed(details=errors)
    try:
        with transaction.atomic():
            checkpoint = Checkpoint.objects.create(
                unit=unit, at_seconds=at_seconds, question=question
            )
    except IntegrityError as exc:
        raise ValidationFailed(
            details={"at_seconds": _("There is already a question at this second.")}
        ) from exc
    audit_record(
        action=AuditAction.CREATE,
        obj=checkpoint,
        org=unit.course.org,
        actor=actor,
        changes={"at_seconds": [None, at_seconds], "question": [None, question.pk]},
        object_label=f"{unit.title} @ {at_seconds}s",
    )
    return checkpoint


@transaction.atomic
def checkpoint_remove(*, actor: Actor, checkpoint: Checkpoint) -> None:
    unit = checkpoint.unit
    if not perms.can_build_course(actor, _teacher_ids(unit)):
        raise PermissionDenied()
    audit_record(
        action=AuditAction.DELETE,
        obj=checkpoint,
        org=unit.course.org,
        actor=actor,
        changes={"at_seconds": [checkpoint.at_seconds, None]},
        object_label=f"{unit.title} @ {checkpoint.at_seconds}s",
    )
    checkpoint.delete()


def _response_of(question: Question, raw: Any) -> list[Any]:
    values = raw if isinstance(raw, list) else [raw]
    if question.kind == QuestionKind.TRUE_FALSE:
        # The player offers 对 / 错 as options 0 and 1.
        if values and str(values[0]) in ("0", "1"):
            return [str(values[0]) == "0"]
        return []
    indexes = sorted({int(v) for v in values if str(v).isdigit()})
    indexes = [i for i in indexes if i < len(question.choices)]
    return indexes[:1] if question.kind == QuestionKind.SINGLE else indexes


def checkpoint_answer(*, actor: Actor, checkpoint: Checkpoint, raw: Any) -> CheckpointAnswer:
    """A learner answers a checkpoint of a unit open to them; the answer is final. Recorded as
    an ``answered`` statement with its response and whether it was right."""
    unit = checkpoint.unit
    access = selectors.access_of(actor=actor, course=unit.course)
    if not access.is_learner:
        raise PermissionDenied(_("Only the students of this course learn in it."))
    if not selectors.state_of(actor=actor, unit=unit).available:
        raise PermissionDenied()
    question = checkpoint.question
    response = _response_of(question, raw)
    if not response:
        raise ValidationFailed(details={"answer": _("Choose an answer.")})
    earned = grading.auto_score(
        kind=question.kind, answer=question.answer, response=response, points=question.points
    )
    correct = earned is not None and earned >= question.points
    try:
        with transaction.atomic():
            answer = CheckpointAnswer.objects.create(
                checkpoint=checkpoint,
                user_id=actor.pk,
                response=response,
                correct=correct,
                answered_at=timezone.now(),
            )
            lrs.record_learning_event(
                user_id=actor.pk,
                verb="answered",
                object_type="learning.checkpoint",
                object_id=checkpoint.pk,
                result={
                    "response": response,
                    "correct": correct,
                    "unit": unit.pk,
                    "at_seconds": checkpoint.at_seconds,
                },
            )
    except IntegrityError as exc:
        raise AlreadyAnswered() from exc
    return answer
