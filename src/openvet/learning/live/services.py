"""Writes of the live in-class mode. Every write checks who acts: the course's teachers run
the session, its learners who joined by code answer, comment and raise hands. State lives in
the database, so a phone that reconnects is told the truth (ADR 0711); answers are final and
unique per learner and question, so a retried answer is never counted twice."""

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from openvet.core.policy import Actor
from openvet.learning import selectors as course_selectors
from openvet.learning.live import selectors
from openvet.learning.live.models import (
    LiveAnswer,
    LiveComment,
    LiveParticipant,
    LiveQuestion,
    LiveSession,
)
from openvet.learning.models import OnlineCourse
from openvet.lrs import services as lrs
from openvet.teaching.attendance import services as attendance

CODE_DIGITS = 6
CODE_HOURS = 4  # a join code outlives any class of the day, never the day
MAX_CHOICES = 6
MAX_COMMENT = 60
# Bullet comments: at most COMMENT_BURST in any COMMENT_WINDOW seconds per learner (ADR 0712).
COMMENT_BURST = 3
COMMENT_WINDOW = 10
MAX_BLOCKED_WORDS = 50


class TooFast(DomainError):
    code = "too_fast"
    status = 429


def _record(user_id: int, verb: str, object_type: str, object_id: Any, **extra: Any) -> None:
    lrs.record_learning_event(
        user_id=user_id, verb=verb, object_type=object_type, object_id=object_id, **extra
    )


def _require_teacher(actor: Actor, live: LiveSession) -> None:
    if not selectors.is_teacher(actor, live):
        raise PermissionDenied()


def _require_running(live: LiveSession) -> None:
    if not live.is_running:
        raise ValidationFailed(_("This live class has ended."), code="ended")


def _participant(actor: Actor, live: LiveSession) -> LiveParticipant:
    found = LiveParticipant.objects.filter(session=live, user_id=actor.pk).first()
    if found is None:
        raise PermissionDenied(_("Join the live class with its code first."))
    return found


# The session -----------------------------------------------------------------------------------


def _new_code(now: datetime) -> str:
    """Six digits no running session holds now (the code alone finds the class)."""
    while True:
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        if not LiveSession.objects.filter(
            code=code, ended_at__isnull=True, code_expires_at__gt=now
        ).exists():
            return code


@transaction.atomic
def live_start(*, actor: Actor, course: OnlineCourse, now: datetime | None = None) -> LiveSession:
    """Start the course's live class, or return the one already running."""
    access = course_selectors.access_of(actor=actor, course=course)
    if not access.is_teacher:
        raise PermissionDenied(_("Only a teacher of this course can start a live class."))
    now = now or timezone.now()
    running = selectors.running_of(course=course, now=now)
    if running is not None:
        return running
    live = LiveSession.objects.create(
        course=course,
        org_id=course.org_id,
        teacher_id=actor.pk,
        title=course.title,
        code=_new_code(now),
        code_expires_at=now + timedelta(hours=CODE_HOURS),
        started_at=now,
    )
    audit_record(action=AuditAction.CREATE, obj=live, org=course.org, actor=actor)
    return live


@transaction.atomic
def live_end(*, actor: Actor, live: LiveSession, now: datetime | None = None) -> LiveSession:
    _require_teacher(actor, live)
    live = LiveSession.objects.select_for_update().get(pk=live.pk)
    if live.ended_at is None:
        live.ended_at = now or timezone.now()
        live.save(update_fields=["ended_at"])
        LiveQuestion.objects.filter(session=live, closed_at__isnull=True).update(
            closed_at=live.ended_at
        )
        audit_record(
            action=AuditAction.UPDATE,
            obj=live,
            org=live.org,
            actor=actor,
            changes={"ended": [False, True]},
        )
    return live


def live_join(*, actor: Actor, code: str, now: datetime | None = None) -> LiveSession:
    """Join by the code on the classroom screen. A code that never was, belongs to another
    course, or has expired gets one clear answer and changes nothing."""
    now = now or timezone.now()
    code = "".join(ch for ch in str(code) if ch.isdigit())
    wrong = ValidationFailed(
        _("No live class has this code. Check the code on the classroom screen."),
        code="bad_code",
        details={"code": _("No live class has this code. Check the code on the classroom screen.")},
    )
    if len(code) != CODE_DIGITS:
        raise wrong
    live = LiveSession.objects.filter(code=code).select_related("course").order_by("-id").first()
    if live is None or not selectors.may_join(actor, live):
        raise wrong
    if not live.is_running or live.code_expires_at <= now:
        message = _("This live class has ended; its code is no longer valid.")
        raise ValidationFailed(message, code="stale_code", details={"code": message})
    if selectors.is_teacher(actor, live):
        return live
    _participant_add(actor, live, now)
    return live


def _participant_add(actor: Actor, live: LiveSession, now: datetime) -> None:
    try:
        with transaction.atomic():
            LiveParticipant.objects.create(session=live, user_id=actor.pk, joined_at=now)
            _record(actor.pk, "joined", "learning.live", live.pk)
    except IntegrityError:
        pass  # joined before (a second phone, a reload): one participant


# Instant questions --------------------------------------------------------------------------


@transaction.atomic
def question_ask(
    *, actor: Actor, live: LiveSession, text: str, choices: list[str], now: datetime | None = None
) -> LiveQuestion:
    """Ask a single-choice question; the question open before closes."""
    _require_teacher(actor, live)
    _require_running(live)
    text = str(text or "").strip()
    options = [str(c).strip() for c in (choices or []) if str(c).strip()]
    if not text:
        raise ValidationFailed(details={"text": _("Write the question.")})
    if not 2 <= len(options) <= MAX_CHOICES:
        raise ValidationFailed(
            details={"choices": _("Give from 2 to %(n)s options.") % {"n": MAX_CHOICES}}
        )
    now = now or timezone.now()
    LiveQuestion.objects.filter(session=live, closed_at__isnull=True).update(closed_at=now)
    return LiveQuestion.objects.create(
        session=live, text=text[:300], choices=[o[:100] for o in options], opened_at=now
    )


def question_close(*, actor: Actor, live: LiveSession, now: datetime | None = None) -> int:
    _require_teacher(actor, live)
    return LiveQuestion.objects.filter(session=live, closed_at__isnull=True).update(
        closed_at=now or timezone.now()
    )


def answer_submit(
    *, actor: Actor, live: LiveSession, question_id: Any, choice: Any
) -> tuple[LiveAnswer, bool]:
    """The learner's answer, and whether it is new. A second answer (a retry after a dropped
    connection, a double tap) returns the first one unchanged."""
    _require_running(live)
    _participant(actor, live)
    question = LiveQuestion.objects.filter(session=live, pk=_int(question_id) or 0).first()
    if question is None:
        raise NotFound()
    existing = LiveAnswer.objects.filter(question=question, user_id=actor.pk).first()
    if existing is not None:
        return existing, False
    if question.closed_at is not None:
        raise ValidationFailed(_("This question is closed."), code="closed")
    index = _int(choice)
    if index is None or not 0 <= index < len(question.choices):
        raise ValidationFailed(details={"choice": _("Choose one of the options.")})
    try:
        with transaction.atomic():
            answer = LiveAnswer.objects.create(
                question=question, user_id=actor.pk, choice=index, answered_at=timezone.now()
            )
            _record(
                actor.pk,
                "answered",
                "learning.live_question",
                question.pk,
                result={"response": question.choices[index]},
            )
    except IntegrityError:
        return LiveAnswer.objects.get(question=question, user_id=actor.pk), False
    return answer, True


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# Bullet comments --------------------------------------------------------------------------------


@transaction.atomic
def comment_send(
    *, actor: Actor, live: LiveSession, text: str, now: datetime | None = None
) -> LiveComment:
    """A bullet comment. Held back (``shown`` false) when it holds a word the teacher blocked;
    refused when comments are off or the learner sends faster than the limit."""
    _require_running(live)
    now = now or timezone.now()
    text = " ".join(str(text or "").split())
    if not text:
        raise ValidationFailed(details={"text": _("Write something first.")})
    if len(text) > MAX_COMMENT:
        raise ValidationFailed(
            details={"text": _("At most %(n)s characters.") % {"n": MAX_COMMENT}}
        )
    live = LiveSession.objects.get(pk=live.pk)  # the teacher's switch and words as of now
    if not live.comments_on:
        raise ValidationFailed(_("The teacher has turned bullet comments off."), code="off")
    # The participant row is the learner's lock: two phones of one learner count together.
    participant = (
        LiveParticipant.objects.select_for_update().filter(session=live, user_id=actor.pk).first()
    )
    if participant is None:
        raise PermissionDenied(_("Join the live class with its code first."))
    recent = LiveComment.objects.filter(
        session=live, user_id=actor.pk, sent_at__gt=now - timedelta(seconds=COMMENT_WINDOW)
    ).count()
    if recent >= COMMENT_BURST:
        raise TooFast(_("You are sending too fast; wait a few seconds before the next comment."))
    lowered = text.lower()
    shown = not any(w.lower() in lowered for w in live.blocked_words if w)
    comment = LiveComment.objects.create(
        session=live, user_id=actor.pk, text=text, shown=shown, sent_at=now
    )
    _record(actor.pk, "commented", "learning.live", live.pk, result={"response": text})
    return comment


@transaction.atomic
def comments_set(
    *, actor: Actor, live: LiveSession, on: bool, blocked_words: list[str]
) -> LiveSession:
    """The teacher's filter: comments on or off, and the words that keep a comment off screen."""
    _require_teacher(actor, live)
    words = []
    for word in blocked_words or []:
        word = str(word).strip()[:20]
        if word and word not in words:
            words.append(word)
    live = LiveSession.objects.select_for_update().get(pk=live.pk)
    live.comments_on = bool(on)
    live.blocked_words = words[:MAX_BLOCKED_WORDS]
    live.save(update_fields=["comments_on", "blocked_words"])
    return live


# Hands and random call ---------------------------------------------------------------------------


def hand_set(*, actor: Actor, live: LiveSession, raised: bool, now: datetime | None = None) -> None:
    _require_running(live)
    participant = _participant(actor, live)
    at = (now or timezone.now()) if raised else None
    LiveParticipant.objects.filter(pk=participant.pk).update(hand_raised_at=at)
    if raised:
        _record(actor.pk, "raised_hand", "learning.live", live.pk)


def hand_lower(*, actor: Actor, live: LiveSession, user_id: Any) -> None:
    """The teacher lowers a learner's hand (the question was taken)."""
    _require_teacher(actor, live)
    LiveParticipant.objects.filter(session=live, user_id=_int(user_id) or 0).update(
        hand_raised_at=None
    )


@transaction.atomic
def random_call(*, actor: Actor, live: LiveSession) -> LiveParticipant:
    """随机点名: a learner who joined, drawn among those called least so far, so that a class
    is gone round before anyone is called twice."""
    _require_teacher(actor, live)
    _require_running(live)
    joined = list(LiveParticipant.objects.select_for_update().filter(session=live).order_by("pk"))
    if not joined:
        raise ValidationFailed(_("Nobody has joined yet."), code="nobody")
    fewest = min(p.called for p in joined)
    chosen = secrets.choice([p for p in joined if p.called == fewest])
    LiveParticipant.objects.filter(pk=chosen.pk).update(called=F("called") + 1)
    _record(chosen.user_id, "called_on", "learning.live", live.pk)
    return LiveParticipant.objects.select_related("user").get(pk=chosen.pk)


# Sign-in: the attendance session of the lecture under way ---------------------------------------


def sign_in_open(*, actor: Actor, live: LiveSession, now: datetime | None = None) -> Any:
    """Open (or reuse) the attendance session of the course's lecture under way now; sign-in
    stays the attendance module's own (ADR 0713)."""
    _require_teacher(actor, live)
    _require_running(live)
    now = now or timezone.now()
    lecture = selectors.lecture_now(task=live.course.task, now=now)
    if lecture is None:
        raise ValidationFailed(
            _("No lecture of this course is under way now, so there is no sign-in to open."),
            code="no_lecture",
        )
    session = attendance.session_open(
        actor=actor, task=live.course.task, day=lecture[0], period_start=lecture[1]
    )
    LiveSession.objects.filter(pk=live.pk).update(attendance=session)
    live.attendance = session
    return session


def sign_in(*, actor: Actor, live: LiveSession, code: str) -> Any:
    _require_running(live)
    _participant(actor, live)
    if live.attendance is None:
        raise ValidationFailed(_("The teacher has not opened sign-in yet."), code="no_sign_in")
    return attendance.sign_in(actor=actor, session=live.attendance, code=str(code or ""))
