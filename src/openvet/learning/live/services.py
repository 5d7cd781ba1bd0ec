"""Writes of the live in-class mode. Every write checks who acts: the course's teachers run
the session, its learners who joined by code answer, comment and raise hands. State lives in
the database, so a phone that reconnects is told the truth (ADR 0711); answers are final and
unique per learner and question, so a retried answer is never counted twice."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from io import BytesIO
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps

from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from openvet.core.policy import Actor
from openvet.core.selectors import org_school_of
from openvet.core.uploads import (
    MB,
    UploadLimits,
    UploadRefused,
    guard_image_pixels,
    guard_size,
    image_too_large,
)
from openvet.identity.models import User
from openvet.learning import selectors as course_selectors
from openvet.learning.live import groups, selectors
from openvet.learning.live.models import (
    LiveAnswer,
    LiveComment,
    LiveConfusion,
    LiveGroup,
    LiveGroupAnswer,
    LiveParticipant,
    LiveQuestion,
    LiveSession,
    LiveSlide,
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
        _close_questions(live, live.ended_at)
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
    _participant_add(actor, live, now, remote=False)
    return live


def live_follow(*, actor: Actor, live: LiveSession, now: datetime | None = None) -> LiveSession:
    """Follow the live class from elsewhere (ADR 0745): a learner of the course, without the
    code, not counted as present (sign-in stays for the room). ``live`` comes from the
    scoped ``selectors.live_get_for``; a teacher goes to the screen instead."""
    now = now or timezone.now()
    if not selectors.may_join(actor, live):
        raise NotFound()
    if not live.is_running or live.code_expires_at <= now:
        raise ValidationFailed(
            _("This live class has ended; it can no longer be followed."), code="stale_code"
        )
    if not selectors.is_teacher(actor, live):
        _participant_add(actor, live, now, remote=True)
    return live


def _participant_add(actor: Actor, live: LiveSession, now: datetime, *, remote: bool) -> None:
    """Add the learner (placed in a group when groups were formed without choice). Joining
    by the room's code after following remotely makes the learner one in the room."""
    try:
        with transaction.atomic():
            participant = LiveParticipant.objects.create(
                session=live, user_id=actor.pk, joined_at=now, remote=remote
            )
            groups.place_late_joiner(live, participant)
            _record(
                actor.pk,
                "joined",
                "learning.live",
                live.pk,
                **({"result": {"remote": True}} if remote else {}),
            )
    except IntegrityError:
        # joined before (a second phone, a reload): one participant
        if not remote:
            LiveParticipant.objects.filter(session=live, user_id=actor.pk).update(remote=False)


# Instant questions --------------------------------------------------------------------------


@transaction.atomic
def question_ask(
    *,
    actor: Actor,
    live: LiveSession,
    text: str,
    choices: list[str],
    for_groups: bool = False,
    now: datetime | None = None,
) -> LiveQuestion:
    """Ask a single-choice question, of each learner or (``for_groups``) of each group; the
    question open before closes."""
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
    if for_groups and not LiveGroup.objects.filter(session=live, round=live.group_round).exists():
        raise ValidationFailed(
            _("Form groups first: a group question is answered by groups."), code="no_groups"
        )
    now = now or timezone.now()
    _close_questions(live, now)
    return LiveQuestion.objects.create(
        session=live,
        text=text[:300],
        choices=[o[:100] for o in options],
        opened_at=now,
        for_groups=bool(for_groups),
    )


@transaction.atomic
def question_close(*, actor: Actor, live: LiveSession, now: datetime | None = None) -> int:
    _require_teacher(actor, live)
    return _close_questions(live, now or timezone.now())


def _close_questions(live: LiveSession, now: datetime) -> int:
    """Close the open questions. A group question's answers are final now: each member of
    each group that answered gets the group's answer as an xAPI statement (ADR 0744)."""
    open_ids = list(
        LiveQuestion.objects.select_for_update()
        .filter(session=live, closed_at__isnull=True)
        .values_list("pk", flat=True)
    )
    closed = LiveQuestion.objects.filter(pk__in=open_ids).update(closed_at=now)
    answers = LiveGroupAnswer.objects.filter(question_id__in=open_ids).select_related(
        "question", "group"
    )
    members: dict[int, list[int]] = {}
    for user_id, group_id in LiveParticipant.objects.filter(
        group_id__in=[a.group_id for a in answers]
    ).values_list("user_id", "group_id"):
        members.setdefault(group_id, []).append(user_id)
    _record_all(
        live,
        [
            {
                "user_id": member,
                "verb": "answered",
                "object_type": "learning.live_question",
                "object_id": answer.question_id,
                "result": {
                    "response": answer.question.choices[answer.choice],
                    "group": answer.group.number,
                    "answered_by": answer.user_id,
                    # a group formed from a course group names it (ADR 0763)
                    **(
                        {"course_group": answer.group.course_group_id}
                        if answer.group.course_group_id
                        else {}
                    ),
                },
            }
            for answer in answers
            for member in members.get(answer.group_id, [])
        ],
    )
    return closed


@dataclass(frozen=True)
class AnswerIn:
    """One learner's answer as it arrived: question and choice as sent, unchecked."""

    actor: Actor
    question_id: Any
    choice: Any
    group: Any = None  # the group the phone answers for (group questions): checked


def answer_submit(
    *, actor: Actor, live: LiveSession, question_id: Any, choice: Any
) -> tuple[LiveAnswer, bool]:
    """The learner's answer, and whether it is new. A second answer (a retry after a dropped
    connection, a double tap) returns the first one unchanged."""
    result: tuple[LiveAnswer, bool] = _one(
        answers_submit(live=live, answers=[AnswerIn(actor, question_id, choice)])
    )
    return result


def _one(results: list[Any]) -> Any:
    if isinstance(results[0], DomainError):
        raise results[0]
    return results[0]


def _ended_refusal() -> ValidationFailed:
    return ValidationFailed(gettext_lazy("This live class has ended."), code="ended")


def answers_submit(
    *, live: LiveSession, answers: list[AnswerIn]
) -> list[tuple[LiveAnswer | LiveGroupAnswer, bool] | DomainError]:
    """Answers of several learners in one transaction (ADR 0740): for each, in order, the
    answer and whether it is new, or the refusal. The same checks as one by one: the class
    runs, the learner joined, the question is of this class and open, the choice is one of
    its options; the first answer of a learner to a question is final (the unique row
    decides even against another process). A group question's answer is the group's, and
    the last one stands (ADR 0744). Messages are lazy: each sender's language."""
    if not answers:
        return []
    now = timezone.now()
    results: list[Any] = [None] * len(answers)
    with transaction.atomic():
        running = LiveSession.objects.filter(pk=live.pk, ended_at__isnull=True).exists()
        user_ids = {a.actor.pk for a in answers}
        joined: dict[int, int | None] = dict(
            LiveParticipant.objects.filter(session=live, user_id__in=user_ids).values_list(
                "user_id", "group_id"
            )
        )
        question_ids = {_int(a.question_id) or 0 for a in answers}
        questions = {
            q.pk: q for q in LiveQuestion.objects.filter(session=live, pk__in=question_ids)
        }
        solo = [pk for pk, q in questions.items() if not q.for_groups]
        given = {
            (a.question_id, a.user_id): a
            for a in LiveAnswer.objects.filter(question_id__in=solo, user_id__in=user_ids)
        }
        fresh: dict[tuple[int, int], LiveAnswer] = {}
        groups = _GroupBatch(live, [pk for pk in questions if pk not in solo], now)
        for n, item in enumerate(answers):
            try:
                question = _check_question(item, running, joined, questions)
                if question.for_groups:
                    results[n] = groups.take(item, question, joined[item.actor.pk])
                    continue
                key = _check_answer(item, question, given, fresh, now)
            except DomainError as exc:
                results[n] = exc
                continue
            results[n] = key
        created = _insert_answers(list(fresh.values()), given)
        groups.write()
        _record_all(
            live,
            [
                {
                    "user_id": answer.user_id,
                    "verb": "answered",
                    "object_type": "learning.live_question",
                    "object_id": answer.question_id,
                    "result": {"response": questions[answer.question_id].choices[answer.choice]},
                }
                for answer in created
            ],
        )
    ids = {id(answer) for answer in created}
    first_seen: set[tuple[int, int]] = set()
    for n, key in enumerate(results):
        if isinstance(key, DomainError) or not isinstance(key, tuple) or len(key) != 2:
            continue
        if isinstance(key[0], LiveGroupAnswer):
            results[n] = (groups.final[(key[0].question_id, key[0].group_id)], True)
            continue
        mine = fresh.get(key)
        answer = mine if mine is not None and id(mine) in ids else given[key]
        is_new = answer is mine and key not in first_seen
        first_seen.add(key)
        results[n] = (answer, is_new)
    return results


def _check_question(
    item: AnswerIn,
    running: bool,
    joined: dict[int, int | None],
    questions: dict[int, LiveQuestion],
) -> LiveQuestion:
    if not running:
        raise _ended_refusal()
    if item.actor.pk not in joined:
        raise PermissionDenied(gettext_lazy("Join the live class with its code first."))
    question = questions.get(_int(item.question_id) or 0)
    if question is None:
        raise NotFound()
    return question


def _check_choice(item: AnswerIn, question: LiveQuestion) -> int:
    if question.closed_at is not None:
        raise ValidationFailed(gettext_lazy("This question is closed."), code="closed")
    index = _int(item.choice)
    if index is None or not 0 <= index < len(question.choices):
        raise ValidationFailed(details={"choice": gettext_lazy("Choose one of the options.")})
    return index


def _check_answer(
    item: AnswerIn,
    question: LiveQuestion,
    given: dict[tuple[int, int], LiveAnswer],
    fresh: dict[tuple[int, int], LiveAnswer],
    now: datetime,
) -> tuple[int, int]:
    key = (question.pk, item.actor.pk)
    if key in given or key in fresh:
        return key
    index = _check_choice(item, question)
    fresh[key] = LiveAnswer(question=question, user_id=item.actor.pk, choice=index, answered_at=now)
    return key


class _GroupBatch:
    """The group answers of a batch (ADR 0744): one row per group and question, the last
    answer of the batch standing; existing rows updated, new ones inserted, in one query
    each. ``final`` holds each group's answer after the batch."""

    def __init__(self, live: LiveSession, question_ids: list[int], now: datetime) -> None:
        self.now = now
        self.final: dict[tuple[int, int], LiveGroupAnswer] = {}
        self.existing: dict[tuple[int, int], LiveGroupAnswer] = {}
        if question_ids:
            self.existing = {
                (a.question_id, a.group_id): a
                for a in LiveGroupAnswer.objects.filter(question_id__in=question_ids)
            }

    def take(self, item: AnswerIn, question: LiveQuestion, group_id: int | None) -> tuple[Any, int]:
        if group_id is None:
            raise ValidationFailed(
                gettext_lazy("You are not in a group yet; a group question is answered by groups."),
                code="no_group",
            )
        claimed = item.group
        if claimed is not None and _int(claimed) != group_id:
            raise PermissionDenied(gettext_lazy("You can only answer for your own group."))
        index = _check_choice(item, question)
        key = (question.pk, group_id)
        row = self.final.get(key) or self.existing.get(key)
        if row is None:
            row = LiveGroupAnswer(question=question, group_id=group_id)
        row.user_id, row.choice, row.answered_at = item.actor.pk, index, self.now
        self.final[key] = row
        return row, group_id

    def write(self) -> None:
        if not self.final:
            return
        old = [row for key, row in self.final.items() if key in self.existing]
        new = [row for key, row in self.final.items() if key not in self.existing]
        LiveGroupAnswer.objects.bulk_update(old, ["user", "choice", "answered_at"])
        try:
            with transaction.atomic():
                LiveGroupAnswer.objects.bulk_create(new)
        except IntegrityError:
            # another process stored a group's first answer: this one replaces it
            for row in new:
                stored, _created = LiveGroupAnswer.objects.update_or_create(
                    question_id=row.question_id,
                    group_id=row.group_id,
                    defaults={
                        "user_id": row.user_id,
                        "choice": row.choice,
                        "answered_at": self.now,
                    },
                )
                self.final[(row.question_id, row.group_id)] = stored
        self._name_them()

    def _name_them(self) -> None:
        """Group numbers and who answered, loaded here: the screen and phones are told on
        the event loop, where no query may run."""
        rows = list(self.final.values())
        numbered = LiveGroup.objects.in_bulk({r.group_id for r in rows})
        names = {
            pk: full or username
            for pk, full, username in User.objects.filter(
                pk__in={r.user_id for r in rows}
            ).values_list("pk", "full_name", "username")
        }
        for row in rows:
            row.group = numbered[row.group_id]
            row.by_name = names.get(row.user_id, "")


def _insert_answers(
    rows: list[LiveAnswer], given: dict[tuple[int, int], LiveAnswer]
) -> list[LiveAnswer]:
    """Insert ``rows`` in one statement; when another process stored one of them first (the
    unique answer per learner), one by one, and what was there is the answer (``given``)."""
    if not rows:
        return []
    try:
        with transaction.atomic():
            LiveAnswer.objects.bulk_create(rows)
        return rows
    except IntegrityError:
        pass
    created = []
    for row in rows:
        try:
            with transaction.atomic():
                row.save(force_insert=True)
            created.append(row)
        except IntegrityError:
            key = (row.question_id, row.user_id)
            given[key] = LiveAnswer.objects.get(question_id=key[0], user_id=key[1])
    return created


def _record_all(live: LiveSession, events: list[dict[str, Any]]) -> None:
    """The learning events of a batch, filed under the school of the class (its learners'
    school) in one write (ADR 0405)."""
    if not events:
        return
    school = org_school_of(live.org)
    if school is None:
        return
    lrs.record_learning_events(school_id=school.pk, events=events)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# Bullet comments --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommentIn:
    """One bullet comment as it arrived."""

    actor: Actor
    text: Any


def comment_send(
    *, actor: Actor, live: LiveSession, text: str, now: datetime | None = None
) -> LiveComment:
    """A bullet comment. Held back (``shown`` false) when it holds a word the teacher blocked;
    refused when comments are off or the learner sends faster than the limit."""
    comment: LiveComment = _one(
        comments_send(live=live, comments=[CommentIn(actor, text)], now=now)
    )
    return comment


def _at_most(n: int) -> str:
    return _("At most %(n)s characters.") % {"n": n}


_at_most_lazy = lazy(_at_most, str)


def comments_send(
    *, live: LiveSession, comments: list[CommentIn], now: datetime | None = None
) -> list[LiveComment | DomainError]:
    """Bullet comments of several learners in one transaction (ADR 0740), each the comment
    or its refusal, with the checks of one by one in the same order. The participant rows
    are locked, so two phones of one learner (on two processes) count together against the
    limit (ADR 0712). Messages are lazy: each sender's language."""
    if not comments:
        return []
    now = now or timezone.now()
    results: list[Any] = [None] * len(comments)
    with transaction.atomic():
        fresh = LiveSession.objects.get(pk=live.pk)  # the teacher's switch and words as of now
        user_ids = {c.actor.pk for c in comments}
        joined = set(
            LiveParticipant.objects.select_for_update()
            .filter(session=live, user_id__in=user_ids)
            .order_by("pk")
            .values_list("user_id", flat=True)
        )
        recent: dict[int, int] = dict(
            LiveComment.objects.filter(
                session=live,
                user_id__in=user_ids,
                sent_at__gt=now - timedelta(seconds=COMMENT_WINDOW),
            )
            .values_list("user_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        rows: list[LiveComment] = []
        for n, item in enumerate(comments):
            try:
                row = _check_comment(item, fresh, joined, recent, now)
            except DomainError as exc:
                results[n] = exc
                continue
            rows.append(row)
            results[n] = row
        LiveComment.objects.bulk_create(rows)
        _record_all(
            fresh,
            [
                {
                    "user_id": row.user_id,
                    "verb": "commented",
                    "object_type": "learning.live",
                    "object_id": live.pk,
                    "result": {"response": row.text},
                }
                for row in rows
            ],
        )
    return results


def _check_comment(
    item: CommentIn, live: LiveSession, joined: set[int], recent: dict[int, int], now: datetime
) -> LiveComment:
    if not live.is_running:
        raise _ended_refusal()
    text = " ".join(str(item.text or "").split())
    if not text:
        raise ValidationFailed(details={"text": gettext_lazy("Write something first.")})
    if len(text) > MAX_COMMENT:
        raise ValidationFailed(details={"text": _at_most_lazy(MAX_COMMENT)})
    if not live.comments_on:
        raise ValidationFailed(
            gettext_lazy("The teacher has turned bullet comments off."), code="off"
        )
    user_id = item.actor.pk
    if user_id not in joined:
        raise PermissionDenied(gettext_lazy("Join the live class with its code first."))
    if recent.get(user_id, 0) >= COMMENT_BURST:
        raise TooFast(
            gettext_lazy("You are sending too fast; wait a few seconds before the next comment.")
        )
    recent[user_id] = recent.get(user_id, 0) + 1
    lowered = text.lower()
    shown = not any(w.lower() in lowered for w in live.blocked_words if w)
    return LiveComment(session=live, user_id=user_id, text=text, shown=shown, sent_at=now)


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
    if _participant(actor, live).remote:
        raise ValidationFailed(
            _("You follow this class remotely: sign-in is for the students in the classroom."),
            code="remote",
        )
    if live.attendance is None:
        raise ValidationFailed(_("The teacher has not opened sign-in yet."), code="no_sign_in")
    return attendance.sign_in(actor=actor, session=live.attendance, code=str(code or ""))


# Slides and 不懂 (ADR 0741, 0742) --------------------------------------------------------------

MAX_SLIDES = 80
SLIDE_LIMITS = UploadLimits(max_bytes=8 * MB)
SLIDE_MAX_PIXELS = 40_000_000
SLIDE_MAX_SIDE = 1920


def _slide_refused(message: str) -> UploadRefused:
    return UploadRefused(message, field="slides")


def _slide_image(upload: Any) -> bytes:
    """The upload as a clean JPEG (at most ``SLIDE_MAX_SIDE`` wide or high, no metadata), or
    a refusal: only PNG and JPEG, within the size and pixel caps (``core.uploads``)."""
    guard_size(upload, limits=SLIDE_LIMITS, field="slides")
    data = upload.read()
    damaged = _("Slides must be PNG or JPEG images; one of the files is not.")
    try:
        with Image.open(BytesIO(data), formats=["PNG", "JPEG"]) as probe:
            width, height = probe.size
            probe.verify()
        guard_image_pixels(width=width, height=height, max_pixels=SLIDE_MAX_PIXELS, field="slides")
        opened = Image.open(BytesIO(data), formats=["PNG", "JPEG"])
        opened.draft("RGB", (SLIDE_MAX_SIDE, SLIDE_MAX_SIDE))
        opened.load()
        image = ImageOps.exif_transpose(opened).convert("RGB")
    except Image.DecompressionBombError as exc:
        raise image_too_large(max_pixels=SLIDE_MAX_PIXELS, field="slides") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise _slide_refused(damaged) from exc
    image.thumbnail((SLIDE_MAX_SIDE, SLIDE_MAX_SIDE), Image.Resampling.LANCZOS)
    out = BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def slides_upload(*, actor: Actor, live: LiveSession, files: list[Any]) -> int:
    """The deck of the session, replacing the one before: images in the order given (their
    names sorted, as a file chooser lists them). Every file is checked before any is kept;
    the screen goes back to the first slide."""
    _require_teacher(actor, live)
    _require_running(live)
    if not files:
        raise _slide_refused(_("Choose the slide images to upload."))
    if len(files) > MAX_SLIDES:
        raise _slide_refused(_("At most %(n)s slides.") % {"n": MAX_SLIDES})
    ordered = sorted(files, key=lambda f: str(getattr(f, "name", "")))
    images = [_slide_image(f) for f in ordered]
    with transaction.atomic():
        live = LiveSession.objects.select_for_update().get(pk=live.pk)
        old = list(LiveSlide.objects.filter(session=live))
        LiveSlide.objects.filter(session=live).delete()
        for number, content in enumerate(images, start=1):
            slide = LiveSlide(session=live, number=number, content_type="image/jpeg")
            slide.image.save(f"{secrets.token_hex(8)}.jpg", ContentFile(content), save=False)
            slide.save()
        live.slide = 1
        live.save(update_fields=["slide"])
        audit_record(
            action=AuditAction.UPDATE,
            obj=live,
            org=live.org,
            actor=actor,
            changes={"slides": [len(old), len(images)]},
        )
        transaction.on_commit(lambda: [s.image.delete(save=False) for s in old])
    return len(images)


def slide_show(*, actor: Actor, live: LiveSession, number: Any) -> int:
    """The screen shows slide ``number`` (phones follow); numbers outside the deck refused."""
    _require_teacher(actor, live)
    _require_running(live)
    wanted = _int(number)
    total = LiveSlide.objects.filter(session=live).count()
    if wanted is None or not 1 <= wanted <= total:
        raise ValidationFailed(_("There is no such slide."), code="no_slide")
    LiveSession.objects.filter(pk=live.pk).update(slide=wanted)
    live.slide = wanted
    return wanted


def slide_confused(*, actor: Actor, live: LiveSession, number: Any) -> tuple[int, bool]:
    """不懂 on a slide, anonymous to the teacher; once per learner and slide. The slide's
    number and whether the press is new."""
    _require_running(live)
    _participant(actor, live)
    slide = LiveSlide.objects.filter(session=live, number=_int(number) or 0).first()
    if slide is None:
        raise ValidationFailed(_("There is no such slide."), code="no_slide")
    try:
        with transaction.atomic():
            LiveConfusion.objects.create(slide=slide, user_id=actor.pk, at=timezone.now())
    except IntegrityError:
        return slide.number, False
    return slide.number, True
