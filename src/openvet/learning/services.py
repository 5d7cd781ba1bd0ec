"""Every write of online learning (ADR 0701, 0702, 0703).

Teachers' writes (courses, chapters, units, questions, grades) are audited; learners' events
(opening a unit, starting, heartbeats, answers) are recorded as xAPI statements through the
learning record store, in the same transaction as the change they describe.
"""

import secrets
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

import filetype
import nh3
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.core.policy import Actor
from openvet.core.uploads import UploadLimits, guard_image_pixels, guard_size
from openvet.learning import (
    checkpoints,
    grading,
    media,
    package_services,
    papers,
    selectors,
    watching,
)
from openvet.learning import permissions as perms
from openvet.learning.assignments import services as assignment_services
from openvet.learning.models import (
    Answer,
    Attempt,
    Chapter,
    OnlineCourse,
    Progress,
    Question,
    QuestionKind,
    Unit,
    UnitKind,
)
from openvet.lrs import services as lrs

MB = 1024 * 1024
# Tags and attributes a teacher's rich text may hold; everything else is removed.
TEXT_TAGS = {
    "p", "br", "strong", "em", "u", "s", "ul", "ol", "li", "h2", "h3", "h4", "blockquote",
    "code", "pre", "a", "table", "thead", "tbody", "tr", "th", "td", "sub", "sup", "hr",
}  # fmt: skip
TEXT_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
VIDEO_TYPES = frozenset({"video/mp4", "video/x-m4v"})
DOCUMENT_TYPES = frozenset({"application/pdf"})
# Raster images only: an SVG can carry scripts.
IMAGE_TYPES = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
}
IMAGE_MAX_PIXELS = 50_000_000
PACKAGE_KINDS = (UnitKind.SCORM, UnitKind.H5)
# Units completed by being opened; a SCORM unit is completed by its SCOs (ADR 0704).
OPENED_IS_DONE = (
    UnitKind.TEXT,
    UnitKind.DOCUMENT,
    UnitKind.LINK,
    UnitKind.IMAGE,
    UnitKind.H5,
    UnitKind.RESOURCE,  # a library resource (ADR 0524)
)
# Seconds after a quiz's time limit during which a submission still counts (the time the
# last request takes on a slow phone network); after it the answers are refused.
SUBMIT_GRACE_SECONDS = 30


class HeartbeatRefused(ValidationFailed):
    code = "heartbeat_refused"
    default_message = gettext_lazy(
        "This stretch of the video was not counted: it was reported faster than it can be "
        "played. Keep watching at normal speed."
    )


class TimeLimitPassed(Conflict):
    code = "time_limit_passed"
    default_message = gettext_lazy(
        "The time limit of this quiz has passed: the answers were not accepted."
    )


class UnitLocked(Conflict):
    code = "unit_locked"
    default_message = gettext_lazy("This unit is not open to you yet.")


def sanitise(html: str) -> str:
    return nh3.clean(
        html, tags=TEXT_TAGS, attributes=TEXT_ATTRIBUTES, url_schemes={"http", "https", "mailto"}
    )


def _teacher_ids(course: OnlineCourse) -> set[int]:
    return set(course.task.teachers.values_list("pk", flat=True))


def _require_builder(actor: Actor, course: OnlineCourse) -> None:
    if not perms.can_build_course(actor, _teacher_ids(course)):
        raise PermissionDenied()


def _record(
    actor: Actor, verb: str, object_type: str, object_id: Any, result: dict[str, Any] | None = None
) -> None:
    lrs.record_learning_event(
        user_id=actor.pk, verb=verb, object_type=object_type, object_id=object_id, result=result
    )


# Courses, chapters, units, questions --------------------------------------------------------


def course_create(*, actor: Actor, task: Any, title: str, description: str = "") -> OnlineCourse:
    teacher_ids = set(task.teachers.values_list("pk", flat=True))
    if not perms.can_build_course(actor, teacher_ids):
        raise PermissionDenied(_("Only a teacher of this teaching task can create its course."))
    title = title.strip()
    if not title:
        raise ValidationFailed(details={"title": _("Give the course a title.")})
    try:
        with transaction.atomic():
            course = OnlineCourse.objects.create(
                org=task.org,
                task=task,
                title=title[:200],
                description=description.strip(),
                created_by_id=actor.pk,
            )
            audit_record(action=AuditAction.CREATE, obj=course, org=course.org, actor=actor)
    except IntegrityError as exc:
        raise Conflict(_("This teaching task already has an online course.")) from exc
    return course


def chapter_add(*, actor: Actor, course: OnlineCourse, title: str) -> Chapter:
    _require_builder(actor, course)
    if not title.strip():
        raise ValidationFailed(details={"title": _("Give the chapter a title.")})
    with transaction.atomic():
        last = course.chapters.aggregate(m=Max("position"))["m"]
        chapter = Chapter.objects.create(
            course=course, title=title.strip()[:200], position=(last or 0) + 1
        )
        audit_record(action=AuditAction.CREATE, obj=chapter, org=course.org, actor=actor)
    return chapter


def _store(course: OnlineCourse, upload: Any, suffix: str) -> str:
    name = f"learning/{course.pk}/{secrets.token_hex(12)}{suffix}"
    upload.seek(0)
    return default_storage.save(name, upload)


def _checked_file(upload: Any, kind: str) -> tuple[str, str, float]:
    """(mime type, name ending, length in seconds for a video) of an upload, or refused."""
    if upload is None:
        raise ValidationFailed(details={"file": _("Choose a file to upload.")})
    cap = int(getattr(settings, "LEARNING_MAX_VIDEO_BYTES", 500 * MB))
    if kind in (UnitKind.DOCUMENT, UnitKind.IMAGE):
        cap = int(getattr(settings, "LEARNING_MAX_DOCUMENT_BYTES", 50 * MB))
    guard_size(upload, limits=UploadLimits(max_bytes=cap))
    upload.seek(0)
    guessed = filetype.guess(upload.read(8192))
    upload.seek(0)
    mime = guessed.mime if guessed is not None else ""
    if kind == UnitKind.VIDEO:
        if mime not in VIDEO_TYPES:
            raise ValidationFailed(details={"file": _("The video must be an MP4 file.")})
        length = media.mp4_duration_seconds(upload)
        upload.seek(0)
        if not length or length <= 0:
            raise ValidationFailed(
                details={"file": _("The length of this video cannot be read; export it again.")}
            )
        return "video/mp4", ".mp4", length
    if kind == UnitKind.IMAGE:
        if mime not in IMAGE_TYPES:
            raise ValidationFailed(
                details={"file": _("The image must be a JPEG, PNG, GIF or WebP file.")}
            )
        _check_pixels(upload)
        return mime, IMAGE_TYPES[mime], 0.0
    if mime not in DOCUMENT_TYPES:
        raise ValidationFailed(details={"file": _("The document must be a PDF file.")})
    return mime, ".pdf", 0.0


def _check_pixels(upload: Any) -> None:
    """Refuse an image whose header claims too many pixels, or that cannot be read."""
    try:
        with Image.open(upload) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationFailed(
            details={"file": _("The file is damaged or is not the kind of file expected.")}
        ) from exc
    finally:
        upload.seek(0)
    guard_image_pixels(width=width, height=height, max_pixels=IMAGE_MAX_PIXELS)


def unit_add(
    *,
    actor: Actor,
    chapter: Chapter,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    file: Any = None,
    release_at: datetime | None = None,
    requires_previous: bool = False,
    min_watched_percent: int = 90,
    pass_percent: int = 60,
    time_limit_minutes: int = 0,
    max_attempts: int = 1,
    question_ids: list[int] | None = None,
    due_at: datetime | None = None,
    late_until: datetime | None = None,
    late_penalty_percent: int = 0,
    accepts_text: bool = True,
    accepts_file: bool = True,
    peer_reviews: int = 0,
    draws: list[dict[str, Any]] | None = None,
) -> Unit:
    course = chapter.course
    _require_builder(actor, course)
    errors: dict[str, str] = {}
    if kind not in UnitKind.values or kind == UnitKind.RESOURCE:
        errors["kind"] = _("Choose a kind of unit.")
    if not title.strip():
        errors["title"] = _("Give the unit a title.")
    clean_body = sanitise(body) if kind in (UnitKind.TEXT, UnitKind.ASSIGNMENT) else ""
    if kind == UnitKind.TEXT and not clean_body.strip():
        errors["body"] = _("Write the text of the unit.")
    if kind == UnitKind.ASSIGNMENT and not clean_body.strip():
        errors["body"] = _("Write what the students are asked to do.")
    homework = assignment_services.Settings(
        due_at=due_at,
        late_until=late_until,
        late_penalty_percent=late_penalty_percent,
        accepts_text=accepts_text,
        accepts_file=accepts_file,
        peer_reviews=peer_reviews,
    )
    if kind == UnitKind.ASSIGNMENT:
        errors.update(assignment_services.settings_errors(homework))
    if kind == UnitKind.LINK and not url.startswith(("http://", "https://")):
        errors["url"] = _("Give a web address starting with http:// or https://.")
    if not (1 <= min_watched_percent <= 100):
        errors["min_watched_percent"] = _("Give a share between 1 and 100.")
    if not (0 <= pass_percent <= 100):
        errors["pass_percent"] = _("Give a pass mark between 0 and 100.")
    if max_attempts < 1:
        errors["max_attempts"] = _("Allow at least one attempt.")
    questions: list[Question] = []
    if kind == UnitKind.QUIZ:
        questions = list(course.questions.filter(pk__in=question_ids or []))
        if (not questions and not draws) or len(questions) != len(set(question_ids or [])):
            errors["question_ids"] = _("Choose the questions of the quiz from the course's bank.")
        if draws:
            errors.update(papers.draws_checked(course, draws, exclude=question_ids or []))
    if errors:
        raise ValidationFailed(details=errors)
    mime, suffix, length = "", "", 0.0
    if kind in (UnitKind.VIDEO, UnitKind.DOCUMENT, UnitKind.IMAGE):
        mime, suffix, length = _checked_file(file, kind)
    prepared = None
    if kind in PACKAGE_KINDS:
        prepared = package_services.package_prepare(course_id=course.pk, upload=file, kind=kind)
    stored = ""
    try:
        with transaction.atomic():
            if suffix:
                stored = _store(course, file, suffix)
            last = chapter.units.aggregate(m=Max("position"))["m"]
            unit = Unit.objects.create(
                course=course,
                chapter=chapter,
                kind=kind,
                title=title.strip()[:200],
                position=(last or 0) + 1,
                body=clean_body,
                url=url if kind == UnitKind.LINK else "",
                file_name=stored,
                original_name=PurePosixPath(getattr(file, "name", "") or "").name[:200]
                if stored or prepared
                else "",
                mime_type=mime,
                file_size=int(getattr(file, "size", 0) or 0) if stored or prepared else 0,
                duration_seconds=round(length),
                release_at=release_at,
                requires_previous=requires_previous,
                min_watched_percent=min_watched_percent,
                pass_percent=pass_percent,
                time_limit_minutes=time_limit_minutes,
                max_attempts=max_attempts,
            )
            if questions:
                unit.questions.set(questions)
            if kind == UnitKind.QUIZ and draws:
                papers.draws_create(unit, draws)
            if prepared is not None:
                package_services.package_attach(unit=unit, prepared=prepared)
            if kind == UnitKind.ASSIGNMENT:
                assignment_services.assignment_attach(unit=unit, values=homework)
            audit_record(action=AuditAction.CREATE, obj=unit, org=course.org, actor=actor)
    except Exception:
        if stored:
            default_storage.delete(stored)
        if prepared is not None:
            prepared.discard()
        raise
    return unit


def _question_checked(kind: str, text: str, choices: list[str], answer: list[Any]) -> list[Any]:
    errors: dict[str, str] = {}
    if kind not in QuestionKind.values:
        errors["kind"] = _("Choose a kind of question.")
    if not text.strip():
        errors["text"] = _("Write the question.")
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if len(choices) < 2:
            errors["choices"] = _("Give at least two options, one per line.")
        right = [a for a in answer if isinstance(a, int) and 0 <= a < len(choices)]
        if not right or len(right) != len(answer):
            errors["answer"] = _("Give the letters of the right options, such as A, or A, C.")
        if kind == QuestionKind.SINGLE and len(right) > 1:
            errors["answer"] = _("A single-choice question has one right option.")
    elif kind == QuestionKind.TRUE_FALSE:
        if answer not in ([True], [False]):
            errors["answer"] = _("Say whether the statement is true or false.")
    elif kind == QuestionKind.FILL and not [a for a in answer if str(a).strip()]:
        errors["answer"] = _("Give the accepted answers, one per line.")
    elif kind == QuestionKind.MATCHING:
        pairs_ok = len(choices) >= 2 and len(answer) == len(choices)
        if not pairs_ok or not all(isinstance(a, str) and a.strip() for a in answer):
            errors["choices"] = _(
                "Give at least two pairs, one per line, as the left item = its right item."
            )
    if errors:
        raise ValidationFailed(details=errors)
    return answer


def question_add(
    *,
    actor: Actor,
    course: OnlineCourse,
    kind: str,
    text: str,
    choices: list[str] | None = None,
    answer: list[Any] | None = None,
    points: int = 1,
    pool: str = "",
    difficulty: int = 2,
    image: Any = None,
    source_id: str = "",
) -> Question:
    _require_builder(actor, course)
    choices = [c.strip() for c in (choices or []) if c.strip()]
    if kind == QuestionKind.MATCHING:
        answer = [str(a).strip() for a in (answer or [])]
    elif kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        choices = []
    answer = _question_checked(kind, text, choices, list(answer or []))
    if not (1 <= points <= 100):
        raise ValidationFailed(details={"points": _("Give between 1 and 100 points.")})
    if difficulty not in (1, 2, 3):
        raise ValidationFailed(details={"difficulty": _("Choose a difficulty.")})
    suffix = ""
    if image is not None:
        try:
            _mime, suffix, _length = _checked_file(image, UnitKind.IMAGE)
        except ValidationFailed as exc:
            raise ValidationFailed(details={"image": exc.details.get("file", "")}) from exc
    stored = ""
    try:
        with transaction.atomic():
            if suffix:
                stored = _store(course, image, suffix)
            question = Question.objects.create(
                course=course,
                kind=kind,
                text=text.strip(),
                choices=choices,
                answer=answer,
                points=points,
                pool=pool.strip()[:60],
                difficulty=difficulty,
                image=stored,
                source_id=source_id[:200],
            )
            audit_record(action=AuditAction.CREATE, obj=question, org=course.org, actor=actor)
    except Exception:
        if stored:
            default_storage.delete(stored)
        raise
    return question


# Learning -----------------------------------------------------------------------------------


def _require_open(actor: Actor, unit: Unit) -> selectors.CourseAccess:
    access = selectors.access_of(actor=actor, course=unit.course)
    if not access.is_learner:
        raise PermissionDenied(_("Only the students of this course learn in it."))
    state = selectors.state_of(actor=actor, unit=unit)
    if not state.available:
        raise UnitLocked()
    return access


def _progress_locked(actor: Actor, unit: Unit) -> tuple[Progress, bool]:
    now = timezone.now()
    progress, created = Progress.objects.get_or_create(
        unit=unit, user_id=actor.pk, defaults={"started_at": now}
    )
    progress = Progress.objects.select_for_update().get(pk=progress.pk)
    return progress, created


def _complete(actor: Actor, unit: Unit, progress: Progress, result: dict[str, Any]) -> None:
    if progress.completed_at is not None:
        return
    progress.completed_at = timezone.now()
    progress.save(update_fields=["completed_at"])
    _record(actor, "completed", "learning.unit", unit.pk, result)


def unit_open(*, actor: Actor, unit: Unit) -> Progress | None:
    """A learner opens a unit: a "viewed" statement; text, document and link units are
    completed by being opened. Teachers and staff previewing leave no trace."""
    access = selectors.access_of(actor=actor, course=unit.course)
    if not access.is_learner:
        return None
    state = selectors.state_of(actor=actor, unit=unit)
    if not state.available:
        raise UnitLocked()
    with transaction.atomic():
        progress, created = _progress_locked(actor, unit)
        _record(actor, "viewed", "learning.unit", unit.pk)
        if created:
            _record(actor, "attempted", "learning.unit", unit.pk)
        if unit.kind in OPENED_IS_DONE or (
            unit.kind == UnitKind.SCORM and not package_services.has_sco(unit)
        ):
            _complete(actor, unit, progress, {})
    return progress


def video_play(*, actor: Actor, unit: Unit, position: float) -> Progress:
    """The player starts (or resumes, or seeks): the server's clock starts for the next
    heartbeat; the position is where the learner now is."""
    _require_open(actor, unit)
    if unit.kind != UnitKind.VIDEO:
        raise ValidationFailed()
    if not (0 <= position <= unit.duration_seconds + watching.SLACK_SECONDS):
        raise ValidationFailed(details={"position": _("This position is outside the video.")})
    with transaction.atomic():
        progress, created = _progress_locked(actor, unit)
        if created:
            _record(actor, "attempted", "learning.video", unit.pk)
        progress.beat_at = timezone.now()
        progress.position = position
        progress.save(update_fields=["beat_at", "position"])
    return progress


def video_heartbeat(*, actor: Actor, unit: Unit, start: float, end: float) -> Progress:
    """Credit ``[start, end]`` if real time allowed it to be played since the last accepted
    heartbeat and it starts where the learner is known to be; else count the refusal, restart
    the clock and refuse (ADR 0702)."""
    _require_open(actor, unit)
    if unit.kind != UnitKind.VIDEO:
        raise ValidationFailed()
    refused: watching.Verdict | None = None
    with transaction.atomic():
        progress, _created = _progress_locked(actor, unit)
        now = timezone.now()
        elapsed = (now - progress.beat_at).total_seconds() if progress.beat_at else None
        verdict = watching.judge(
            start=start, end=end, duration=float(unit.duration_seconds), elapsed=elapsed
        )
        if verdict.accepted and abs(start - progress.position) > watching.SLACK_SECONDS:
            verdict = watching.Verdict(False, "not_from_position")
        limit = checkpoints.limit_for(actor, unit) if verdict.accepted else None
        if limit is not None and end > limit + watching.SLACK_SECONDS:
            verdict = watching.Verdict(False, "checkpoint")  # ADR 0731
        if not verdict.accepted:
            # Stopping at a checkpoint is not a faked play: it is not counted as refused.
            progress.refused_beats += 0 if verdict.reason == "checkpoint" else 1
            progress.beat_at = now if progress.beat_at else None
            progress.save(update_fields=["refused_beats", "beat_at"])
            refused = verdict
        else:
            duration = float(unit.duration_seconds)
            segment = watching.snap_to_edges((start, end), duration)
            intervals = watching.merge([tuple(i) for i in progress.watched], segment)
            progress.watched = [[round(a, 2), round(b, 2)] for a, b in intervals]
            progress.watched_seconds = watching.covered(intervals, duration)
            progress.position = min(end, duration)
            progress.beat_at = now
            progress.save(update_fields=["watched", "watched_seconds", "position", "beat_at"])
            percent = watching.watched_percent(intervals, duration)
            if percent >= unit.min_watched_percent:
                _complete(actor, unit, progress, {"watched_percent": percent})
    if refused is not None and refused.reason == "checkpoint":
        raise checkpoints.CheckpointPending(details={"reason": refused.reason})
    if refused is not None:
        raise HeartbeatRefused(details={"reason": refused.reason})
    return progress


# Quizzes ------------------------------------------------------------------------------------


def attempt_start(*, actor: Actor, unit: Unit) -> Attempt:
    """Start an attempt (or return the one still running); the clock of the time limit runs
    on the server from now."""
    _require_open(actor, unit)
    if unit.kind != UnitKind.QUIZ:
        raise ValidationFailed()
    now = timezone.now()
    with transaction.atomic():
        _progress_locked(actor, unit)
        running = (
            Attempt.objects.filter(unit=unit, user_id=actor.pk, submitted_at__isnull=True)
            .order_by("-number")
            .first()
        )
        if running is not None and (running.deadline is None or running.deadline > now):
            return running
        used = Attempt.objects.filter(unit=unit, user_id=actor.pk).count()
        if used >= unit.max_attempts:
            raise Conflict(_("You have used every attempt at this quiz."), code="no_attempts_left")
        deadline = (
            now + timedelta(minutes=unit.time_limit_minutes) if unit.time_limit_minutes else None
        )
        paper = papers.draw_paper(unit)
        if not paper:
            raise Conflict(_("This quiz has no questions yet."), code="empty_paper")
        total = sum(Question.objects.filter(pk__in=paper).values_list("points", flat=True))
        try:
            attempt = Attempt.objects.create(
                unit=unit,
                user_id=actor.pk,
                number=used + 1,
                started_at=now,
                deadline=deadline,
                max_score=Decimal(total),
                paper=paper,
            )
        except IntegrityError as exc:
            raise Conflict(_("This quiz was just started in another window.")) from exc
        _record(actor, "attempted", "learning.quiz", unit.pk, {"attempt": attempt.number})
    return attempt


def _response_of(question: Question, raw: Any) -> list[Any]:
    """A learner's answer as stored: indexes, ``[true]``/``[false]`` or one text."""
    values = raw if isinstance(raw, list) else [raw]
    values = [v for v in values if v not in (None, "")]
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        indexes = sorted({int(v) for v in values if str(v).isdigit()})
        indexes = [i for i in indexes if i < len(question.choices)]
        return indexes[:1] if question.kind == QuestionKind.SINGLE else indexes
    if question.kind == QuestionKind.MATCHING:
        given = raw if isinstance(raw, list) else []
        return [str(g or "")[:200] for g in given[: len(question.choices)]]
    if question.kind == QuestionKind.TRUE_FALSE:
        if values and str(values[0]).lower() in ("true", "false"):
            return [str(values[0]).lower() == "true"]
        return []
    return [str(values[0])[:5000]] if values else []


def attempt_submit(*, actor: Actor, attempt: Attempt, responses: dict[int, Any]) -> Attempt:
    """Grade and store the answers of an attempt, all or nothing; refused once the time limit
    (and its grace) has passed."""
    if attempt.user_id != actor.pk:
        raise PermissionDenied()
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.submitted_at is not None:
            raise Conflict(_("This attempt was already handed in."), code="already_submitted")
        now = timezone.now()
        if attempt.deadline is not None and now > attempt.deadline + timedelta(
            seconds=SUBMIT_GRACE_SECONDS
        ):
            raise TimeLimitPassed()
        score = Decimal(0)
        pending = False
        for question in papers.paper_questions(attempt):
            response = _response_of(question, responses.get(question.pk))
            earned = grading.auto_score(
                kind=question.kind,
                answer=question.answer,
                response=response,
                points=question.points,
            )
            if earned is None:
                pending = True
            else:
                score += earned
            Answer.objects.create(
                attempt=attempt, question=question, response=response, score=earned
            )
            result: dict[str, Any] = {"response": response}
            if earned is not None:
                result["total"] = str(earned)
            _record(actor, "answered", "learning.question", question.pk, result)
        attempt.submitted_at = now
        attempt.score = score
        attempt.needs_grading = pending
        attempt.save(update_fields=["submitted_at", "score", "needs_grading"])
        if not pending:
            _scored(actor, attempt)
    return attempt


def _scored(learner: Actor, attempt: Attempt) -> None:
    unit = attempt.unit
    score = attempt.score or Decimal(0)
    _record(
        learner,
        "scored",
        "learning.quiz",
        unit.pk,
        {"total": str(score), "attempt": attempt.number},
    )
    passed = attempt.max_score == 0 or score * 100 >= attempt.max_score * unit.pass_percent
    if passed:
        progress, _created = _progress_locked(learner, unit)
        _complete(learner, unit, progress, {"total": str(score)})


def answer_grade(*, actor: Actor, answer: Answer, score: Decimal, comment: str = "") -> Answer:
    """A teacher of the course grades a short answer; when the attempt has no answer left to
    grade its score is recorded and the unit completed if it passes."""
    attempt = answer.attempt
    course = attempt.unit.course
    if not perms.can_grade(actor, _teacher_ids(course)):
        raise PermissionDenied()
    if not (Decimal(0) <= score <= Decimal(answer.question.points)):
        raise ValidationFailed(
            details={
                "score": _("Give between 0 and %(points)s points.")
                % {"points": answer.question.points}
            }
        )
    with transaction.atomic():
        answer = (
            Answer.objects.select_for_update().select_related("attempt__unit").get(pk=answer.pk)
        )
        answer.score = score
        answer.comment = comment.strip()
        answer.graded_by_id = actor.pk
        answer.save(update_fields=["score", "comment", "graded_by"])
        audit_record(
            action=AuditAction.UPDATE,
            obj=answer,
            org=course.org,
            actor=actor,
            changes={"score": str(score)},
            object_label=str(attempt),
        )
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        scores = list(attempt.answers.values_list("score", flat=True))
        if attempt.needs_grading and all(s is not None for s in scores):
            attempt.score = sum((s for s in scores if s is not None), Decimal(0))
            attempt.needs_grading = False
            attempt.save(update_fields=["score", "needs_grading"])
            learner = attempt.user
            _scored(learner, attempt)
    return answer
