"""Writes of assignments (ADR 0720-0723).

Learners submit text and/or a file (checked by its bytes and size, never its name) until the
deadline, or until the late cut-off with a penalty; they may submit again until the teacher
grades. The teacher defines a rubric, grades each criterion with a comment and an overall
comment. With peer review, once the assignment closes each submitter is handed others'
submissions (never their own, authors hidden) and scores them on the rubric; the teacher
reads those scores and decides the grade. Submissions, grades and reviews are recorded as
xAPI statements; teachers' writes are audited.
"""

import random
import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePosixPath
from typing import Any

import filetype
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.core.policy import Actor
from openvet.core.uploads import UploadLimits, UploadRefused, guard_size
from openvet.learning import permissions as perms
from openvet.learning import selectors
from openvet.learning.assignments.models import (
    Assignment,
    Criterion,
    CriterionGrade,
    PeerReview,
    Submission,
)
from openvet.learning.models import Progress, Unit
from openvet.lrs import services as lrs

MB = 1024 * 1024
# What a learner may hand in, judged by the file's first bytes: the detected type decides the
# stored name's ending, whatever the uploaded name says.
SUBMISSION_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/zip": ".zip",
}
MAX_TEXT = 20_000
MAX_PEER_REVIEWS = 5
MAX_LEVELS = 6


class DeadlinePassed(Conflict):
    code = "deadline_passed"
    default_message = gettext_lazy(
        "The deadline of this assignment has passed: the submission was not accepted."
    )


class AlreadyGraded(Conflict):
    code = "already_graded"
    default_message = gettext_lazy("This submission has been graded: it can no longer be changed.")


def _record(
    user_id: int, verb: str, object_type: str, object_id: Any, result: dict[str, Any]
) -> None:
    lrs.record_learning_event(
        user_id=user_id, verb=verb, object_type=object_type, object_id=object_id, result=result
    )


def _teacher_ids(unit: Unit) -> set[int]:
    return set(unit.course.task.teachers.values_list("pk", flat=True))


# Settings, checked by unit_add ---------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    due_at: datetime | None
    late_until: datetime | None = None
    late_penalty_percent: int = 0
    accepts_text: bool = True
    accepts_file: bool = True
    peer_reviews: int = 0


def settings_errors(values: Settings) -> dict[str, str]:
    errors: dict[str, str] = {}
    if values.due_at is None:
        errors["due_at"] = _("Give the deadline of the assignment.")
    if (
        values.late_until is not None
        and values.due_at is not None
        and values.late_until <= values.due_at
    ):
        errors["late_until"] = _("Late submissions must end after the deadline.")
    if not (0 <= values.late_penalty_percent <= 100):
        errors["late_penalty_percent"] = _("Give a penalty between 0 and 100.")
    if not (values.accepts_text or values.accepts_file):
        errors["accepts_text"] = _("Accept the answer as text, as a file, or both.")
    if not (0 <= values.peer_reviews <= MAX_PEER_REVIEWS):
        errors["peer_reviews"] = _("Give between 0 and %(n)s peer reviews.") % {
            "n": MAX_PEER_REVIEWS
        }
    return errors


def assignment_attach(*, unit: Unit, values: Settings) -> Assignment:
    """Called by ``unit_add`` inside its transaction, once the values are checked."""
    if values.due_at is None:  # checked by settings_errors
        raise ValidationFailed(details={"due_at": _("Give the deadline of the assignment.")})
    return Assignment.objects.create(
        unit=unit,
        due_at=values.due_at,
        late_until=values.late_until,
        late_penalty_percent=values.late_penalty_percent if values.late_until else 0,
        accepts_text=values.accepts_text,
        accepts_file=values.accepts_file,
        peer_reviews=values.peer_reviews,
    )


# Rubric --------------------------------------------------------------------------------------


def criterion_add(
    *, actor: Actor, assignment: Assignment, title: str, levels: list[tuple[str, int]]
) -> Criterion:
    """Add a criterion with its levels (label, points) to the rubric; refused once a
    submission has been graded on the rubric."""
    unit = assignment.unit
    if not perms.can_build_course(actor, _teacher_ids(unit)):
        raise PermissionDenied()
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Name the criterion.")
    cleaned = [(label.strip()[:60], points) for label, points in levels if label.strip()]
    if not (1 <= len(cleaned) <= MAX_LEVELS) or any(not (0 <= p <= 100) for _l, p in cleaned):
        errors["levels"] = _(
            "Give from 1 to %(n)s levels, one per line, each a name and its points (0 to 100), "
            "such as 优秀 10."
        ) % {"n": MAX_LEVELS}
    if errors:
        raise ValidationFailed(details=errors)
    cleaned.sort(key=lambda level: -level[1])
    with transaction.atomic():
        Assignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.submissions.filter(graded_at__isnull=False).exists():
            raise Conflict(
                _("Submissions have been graded on this rubric: it can no longer change.")
            )
        last = assignment.criteria.aggregate(m=Max("position"))["m"]
        criterion = Criterion.objects.create(
            assignment=assignment,
            title=title.strip()[:200],
            position=(last or 0) + 1,
            levels=[{"label": label, "points": points} for label, points in cleaned],
            max_points=cleaned[0][1],
        )
        audit_record(action=AuditAction.CREATE, obj=criterion, org=unit.course.org, actor=actor)
    return criterion


# Submitting ----------------------------------------------------------------------------------


def _checked_file(upload: Any) -> tuple[str, str]:
    cap = int(getattr(settings, "LEARNING_MAX_SUBMISSION_BYTES", 20 * MB))
    guard_size(upload, limits=UploadLimits(max_bytes=cap))
    upload.seek(0)
    guessed = filetype.guess(upload.read(8192))
    upload.seek(0)
    mime = guessed.mime if guessed is not None else ""
    if mime not in SUBMISSION_TYPES:
        raise UploadRefused(
            _(
                "This kind of file is not accepted: hand in a PDF, a Word, Excel or PowerPoint "
                "file (docx, xlsx, pptx), a JPEG or PNG picture, or a zip file."
            )
        )
    return mime, SUBMISSION_TYPES[mime]


def submission_submit(
    *, actor: Actor, assignment: Assignment, text: str = "", file: Any = None
) -> Submission:
    """Hand in (or hand in again) a learner's answer. Refused after the deadline (or the late
    cut-off), once graded, or when empty; nothing is written on refusal. The unit counts as
    completed."""
    unit = assignment.unit
    access = selectors.access_of(actor=actor, course=unit.course)
    if not access.is_learner:
        raise PermissionDenied(_("Only the students of this course hand in its assignments."))
    if not selectors.state_of(actor=actor, unit=unit).available:
        raise PermissionDenied(_("This unit is not open to you yet."))
    now = timezone.now()
    if now > assignment.closes_at:
        raise DeadlinePassed()
    text = text.strip() if assignment.accepts_text else ""
    if len(text) > MAX_TEXT:
        raise ValidationFailed(
            details={"text": _("Keep the answer under %(n)s characters.") % {"n": MAX_TEXT}}
        )
    if file is not None and not assignment.accepts_file:
        raise ValidationFailed(details={"file": _("This assignment takes no file.")})
    mime, suffix = _checked_file(file) if file is not None else ("", "")
    stored = ""
    old_file = ""
    try:
        with transaction.atomic():
            existing = (
                Submission.objects.select_for_update()
                .filter(assignment=assignment, user_id=actor.pk)
                .first()
            )
            if existing is not None and existing.graded_at is not None:
                raise AlreadyGraded()
            keeps_file = existing is not None and bool(existing.file_name) and file is None
            if not text and file is None and not keeps_file:
                raise ValidationFailed(
                    details={"text": _("Write your answer or choose a file to hand in.")}
                )
            if file is not None:
                name = f"learning/{unit.course_id}/submissions/{secrets.token_hex(12)}{suffix}"
                file.seek(0)
                stored = default_storage.save(name, file)
            late = now > assignment.due_at
            values: dict[str, Any] = {
                "text": text,
                "submitted_at": now,
                "late": late,
                "penalty_percent": assignment.late_penalty_percent if late else 0,
            }
            if file is not None:
                values.update(
                    file_name=stored,
                    original_name=PurePosixPath(getattr(file, "name", "") or "").name[:200],
                    mime_type=mime,
                    file_size=int(getattr(file, "size", 0) or 0),
                )
            if existing is None:
                submission = Submission.objects.create(
                    assignment=assignment, user_id=actor.pk, **values
                )
            else:
                if file is not None:
                    old_file = existing.file_name
                for key, value in values.items():
                    setattr(existing, key, value)
                existing.version += 1
                existing.save()
                submission = existing
            _record(
                actor.pk,
                "submitted",
                "learning.assignment",
                unit.pk,
                {"version": submission.version, "late": late},
            )
            progress, _created = Progress.objects.get_or_create(
                unit=unit, user_id=actor.pk, defaults={"started_at": now}
            )
            if progress.completed_at is None:
                progress.completed_at = now
                progress.save(update_fields=["completed_at"])
                _record(actor.pk, "completed", "learning.unit", unit.pk, {})
    except Exception:
        if stored:
            default_storage.delete(stored)
        raise
    if old_file:
        transaction.on_commit(lambda: default_storage.delete(old_file))
    return submission


# Grading ---------------------------------------------------------------------------------------


def _level_points(criterion: Criterion) -> set[int]:
    return {int(level["points"]) for level in criterion.levels}


def submission_grade(
    *,
    actor: Actor,
    submission: Submission,
    points: dict[int, int],
    comments: dict[int, str] | None = None,
    comment: str = "",
) -> Submission:
    """A teacher of the course grades a submission on every criterion of the rubric (points of
    one of its levels) with a comment per criterion and overall; the late penalty is taken
    off. Grading again replaces the grade."""
    assignment = submission.assignment
    unit = assignment.unit
    if not perms.can_grade(actor, _teacher_ids(unit)):
        raise PermissionDenied()
    criteria = list(assignment.criteria.all())
    if not criteria:
        raise ValidationFailed(_("Define the rubric before grading."))
    errors: dict[str, str] = {}
    for criterion in criteria:
        if points.get(criterion.pk) not in _level_points(criterion):
            errors[f"c{criterion.pk}"] = _("Choose a level for %(criterion)s.") % {
                "criterion": criterion.title
            }
    if errors:
        raise ValidationFailed(details=errors)
    comments = comments or {}
    raw = Decimal(sum(points[c.pk] for c in criteria))
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        final = (raw * (100 - submission.penalty_percent) / 100).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        for criterion in criteria:
            CriterionGrade.objects.update_or_create(
                submission=submission,
                criterion=criterion,
                defaults={
                    "points": points[criterion.pk],
                    "comment": comments.get(criterion.pk, "").strip()[:2000],
                },
            )
        submission.raw_score = raw
        submission.score = final
        submission.comment = comment.strip()[:5000]
        submission.graded_at = timezone.now()
        submission.graded_by_id = actor.pk
        submission.save(update_fields=["raw_score", "score", "comment", "graded_at", "graded_by"])
        audit_record(
            action=AuditAction.UPDATE,
            obj=submission,
            org=unit.course.org,
            actor=actor,
            changes={"score": str(final)},
            object_label=unit.title,
        )
        maximum = sum(c.max_points for c in criteria)
        _record(
            submission.user_id,
            "scored",
            "learning.assignment",
            unit.pk,
            {"total": str(final), "max": str(maximum), "late": submission.late},
        )
    return submission


# Peer review ---------------------------------------------------------------------------------


def peer_pairs(user_ids: list[int], per_reviewer: int) -> list[tuple[int, int]]:
    """(reviewer, author) pairs: the learners in the given order each review the next
    ``per_reviewer`` learners round the circle, so nobody reviews their own work, every
    reviewer gets as many as every other and every submission is reviewed as often."""
    n = len(user_ids)
    k = min(per_reviewer, n - 1)
    return [(user_ids[i], user_ids[(i + step) % n]) for i in range(n) for step in range(1, k + 1)]


def peers_allocate(
    *, actor: Actor, assignment: Assignment, rng: random.Random | None = None
) -> int:
    """Once the assignment has closed, hand each submitter others' submissions to review (in
    a shuffled circle); returns how many reviews were handed out. Done once."""
    unit = assignment.unit
    if not perms.can_grade(actor, _teacher_ids(unit)):
        raise PermissionDenied()
    if assignment.peer_reviews == 0:
        raise ValidationFailed(_("This assignment has no peer review."))
    if timezone.now() <= assignment.closes_at:
        raise Conflict(_("Peer reviews are handed out once the assignment has closed."))
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.peers_allocated_at is not None:
            raise Conflict(_("The peer reviews were already handed out."))
        submissions = {s.user_id: s for s in assignment.submissions.all()}
        if len(submissions) < 2:
            raise Conflict(_("Peer review needs at least two submissions."))
        order = sorted(submissions)
        (rng or random.SystemRandom()).shuffle(order)
        pairs = peer_pairs(order, assignment.peer_reviews)
        PeerReview.objects.bulk_create(
            PeerReview(submission=submissions[author], reviewer_id=reviewer)
            for reviewer, author in pairs
        )
        assignment.peers_allocated_at = timezone.now()
        assignment.save(update_fields=["peers_allocated_at"])
        audit_record(
            action=AuditAction.UPDATE,
            obj=assignment,
            org=unit.course.org,
            actor=actor,
            changes={"peer_reviews": len(pairs)},
            object_label=unit.title,
        )
    return len(pairs)


def peer_review_submit(
    *, actor: Actor, review: PeerReview, points: dict[int, int], comment: str = ""
) -> PeerReview:
    """A learner scores the submission handed to them on the rubric; they may change it
    until the teacher grades the submission."""
    if review.reviewer_id != actor.pk:
        raise PermissionDenied()
    submission = review.submission
    criteria = list(submission.assignment.criteria.all())
    errors: dict[str, str] = {}
    for criterion in criteria:
        if points.get(criterion.pk) not in _level_points(criterion):
            errors[f"c{criterion.pk}"] = _("Choose a level for %(criterion)s.") % {
                "criterion": criterion.title
            }
    if errors:
        raise ValidationFailed(details=errors)
    with transaction.atomic():
        review = PeerReview.objects.select_for_update().get(pk=review.pk)
        if Submission.objects.filter(pk=submission.pk, graded_at__isnull=False).exists():
            raise AlreadyGraded()
        review.scores = {str(c.pk): points[c.pk] for c in criteria}
        review.total = Decimal(sum(points[c.pk] for c in criteria))
        review.comment = comment.strip()[:5000]
        review.done_at = timezone.now()
        review.save(update_fields=["scores", "total", "comment", "done_at"])
        _record(
            actor.pk,
            "reviewed",
            "learning.assignment",
            submission.assignment.unit_id,
            {"total": str(review.total)},
        )
    return review
