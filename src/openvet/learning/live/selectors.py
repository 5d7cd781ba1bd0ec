"""Scoped reads of the live in-class mode and the state each screen is built from.

A live session is visible to the course's teachers and to its learners; to anyone else it
does not exist (``NotFound``). ``screen_state`` and ``phone_state`` are the whole truth a
screen needs, sent on every (re)connection (ADR 0711)."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone

from openvet.core.errors import NotFound
from openvet.core.policy import Actor
from openvet.learning import selectors as course_selectors
from openvet.learning.live import groups
from openvet.learning.live.models import (
    LiveAnswer,
    LiveComment,
    LiveConfusion,
    LiveParticipant,
    LiveQuestion,
    LiveSession,
    LiveSlide,
)
from openvet.learning.models import OnlineCourse
from openvet.teaching import selectors as teaching
from openvet.teaching.attendance import codes
from openvet.teaching.attendance import selectors as attendance

SCREEN_COMMENTS = 30  # the latest comments a (re)connected screen replays


@dataclass(frozen=True)
class LiveView:
    live: LiveSession
    is_teacher: bool
    is_learner: bool


def is_teacher(actor: Actor, live: LiveSession) -> bool:
    return live.course.task.teachers.filter(pk=getattr(actor, "pk", None)).exists()


def may_join(actor: Actor, live: LiveSession) -> bool:
    """The course's teachers and learners; nobody of another class or school."""
    try:
        course = course_selectors.course_get_for(actor=actor, course_id=live.course_id)
    except NotFound:
        return False
    access = course_selectors.access_of(actor=actor, course=course)
    return access.is_teacher or access.is_learner


def live_get_for(*, actor: Actor, live_id: int) -> LiveView:
    live = (
        LiveSession.objects.filter(pk=live_id)
        .select_related("course", "course__task", "attendance")
        .first()
    )
    if live is None:
        raise NotFound()
    course = course_selectors.course_get_for(actor=actor, course_id=live.course_id)
    access = course_selectors.access_of(actor=actor, course=course)
    if not (access.is_teacher or access.is_learner):
        raise NotFound()
    return LiveView(live=live, is_teacher=access.is_teacher, is_learner=access.is_learner)


def running_of(*, course: OnlineCourse, now: datetime | None = None) -> LiveSession | None:
    now = now or timezone.now()
    return (
        LiveSession.objects.filter(course=course, ended_at__isnull=True, code_expires_at__gt=now)
        .order_by("-id")
        .first()
    )


def participant_of(*, actor: Actor, live: LiveSession) -> LiveParticipant | None:
    return (
        LiveParticipant.objects.filter(session=live, user_id=actor.pk)
        .select_related("group")
        .first()
    )


def has_joined(*, actor: Actor, live: LiveSession) -> bool:
    return LiveParticipant.objects.filter(session=live, user_id=actor.pk).exists()


def joined_count(live: LiveSession) -> int:
    """Phones in the room: remote followers are listed apart (ADR 0745)."""
    return LiveParticipant.objects.filter(session=live, remote=False).count()


def history_of(*, course: OnlineCourse) -> QuerySet[LiveSession]:
    """The course's live classes, newest first, with what happened in each."""
    return (
        LiveSession.objects.filter(course=course)
        .annotate(
            joined=Count("participants", distinct=True),
            asked=Count("questions", distinct=True),
        )
        .order_by("-started_at", "-id")
    )


def lecture_now(*, task: Any, now: datetime) -> tuple[date, int] | None:
    """The date and first period of the task's lecture under way at ``now``, if any."""
    local = timezone.localtime(now)
    term = task.term
    entries = [e for e in teaching.entries_for(term=term) if e.task_id == task.pk]
    bells = {b.number: b for b in teaching.bell_periods(term.org)}
    for lecture in teaching.occurrences(term, entries, [task.pk]):
        if lecture.task_id != task.pk or lecture.date != local.date():
            continue
        first = bells.get(lecture.period_start)
        last = bells.get(lecture.period_start + lecture.length - 1)
        if first and last and first.starts_at <= local.time() <= last.ends_at:
            return lecture.date, lecture.period_start
    return None


# What the screens show ---------------------------------------------------------------------------


def open_question(live: LiveSession) -> LiveQuestion | None:
    return LiveQuestion.objects.filter(session=live, closed_at__isnull=True).order_by("-id").first()


def counts_of(question: LiveQuestion) -> list[int]:
    counts = [0] * len(question.choices)
    rows = (
        LiveAnswer.objects.filter(question=question).values_list("choice").annotate(n=Count("id"))
    )
    for choice, n in rows.order_by():
        if 0 <= choice < len(counts):
            counts[choice] = n
    return counts


def answers_of(question_id: int) -> list[tuple[int, int]]:
    """(learner, choice) of each answer to the question: what a (re)connected screen counts."""
    return list(LiveAnswer.objects.filter(question_id=question_id).values_list("user_id", "choice"))


def question_data(question: LiveQuestion | None) -> dict[str, Any] | None:
    if question is None:
        return None
    return {
        "id": question.pk,
        "text": question.text,
        "choices": list(question.choices),
        "for_groups": question.for_groups,
    }


def hands_of(live: LiveSession) -> list[dict[str, Any]]:
    raised = (
        LiveParticipant.objects.filter(session=live, hand_raised_at__isnull=False)
        .select_related("user")
        .order_by("hand_raised_at", "pk")
    )
    return [{"id": p.user_id, "name": p.user.full_name or p.user.username} for p in raised]


def roster_size(live: LiveSession) -> int:
    return len(course_selectors.course_learners(live.course, roster_only=True))


def signed_count(live: LiveSession) -> int:
    if live.attendance is None:
        return 0
    return sum(1 for line in attendance.live_list(live.attendance) if line.signed_at)


def sign_in_code(live: LiveSession, now: datetime | None = None) -> dict[str, Any] | None:
    """The attendance code to show on the screen and the seconds it has left."""
    session = live.attendance
    if session is None or session.is_closed:
        return None
    code, left = codes.current_code(session.pk, now or timezone.now())
    return {"code": code, "left": left}


def slide_url(live_id: int, number: int) -> str:
    return reverse("learning:live-slide", kwargs={"live_id": live_id, "number": number})


def slide_message(live: LiveSession, total: int | None = None) -> dict[str, Any]:
    """What phones and the screen are told when a slide is shown."""
    total = LiveSlide.objects.filter(session=live).count() if total is None else total
    number = live.slide if 1 <= live.slide <= total else 0
    return {
        "type": "slide",
        "number": number,
        "total": total,
        "url": slide_url(live.pk, number) if number else None,
    }


def confused_counts(live: LiveSession) -> dict[int, int]:
    """不懂 presses per slide number (counts only: who pressed is never shown)."""
    rows = (
        LiveConfusion.objects.filter(slide__session=live)
        .values_list("slide__number")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {int(number): int(n) for number, n in rows.iterator()}


def confused_of(live: LiveSession, number: int) -> int:
    return LiveConfusion.objects.filter(slide__session=live, slide__number=number).count()


def slide_get_for(*, actor: Actor, live_id: int, number: int) -> LiveSlide:
    """A slide's image: for the course's teachers and the learners who joined."""
    view = live_get_for(actor=actor, live_id=live_id)
    if not view.is_teacher and not has_joined(actor=actor, live=view.live):
        raise NotFound()
    slide = LiveSlide.objects.filter(session=view.live, number=number).first()
    if slide is None:
        raise NotFound()
    return slide


def screen_state(live: LiveSession) -> dict[str, Any]:
    question = open_question(live)
    comments = LiveComment.objects.filter(session=live, shown=True).order_by("-sent_at", "-id")
    return {
        "type": "state",
        "running": live.is_running,
        "code": live.code,
        "roster": roster_size(live),
        "joined": joined_count(live),
        "question": question_data(question),
        "counts": counts_of(question) if question else [],
        "hands": hands_of(live),
        "comments": [c.text for c in reversed(comments[:SCREEN_COMMENTS])],
        "comments_on": live.comments_on,
        "blocked_words": list(live.blocked_words),
        "sign_in": sign_in_code(live),
        "signed": signed_count(live),
        "slide": slide_message(live),
        "confused": confused_counts(live),
        "grouping": live.grouping,
        "groups": groups.groups_of(live) if live.group_round else [],
        "group_answers": (
            groups.group_answers_of(question.pk) if question and question.for_groups else []
        ),
        "remote": groups.remote_of(live),
    }


def phone_state(live: LiveSession, user: Any) -> dict[str, Any]:
    user_id = user.pk
    question = open_question(live)
    mine = (
        LiveAnswer.objects.filter(question=question, user_id=user_id).first() if question else None
    )
    participant = (
        LiveParticipant.objects.filter(session=live, user_id=user_id)
        .select_related("group")
        .first()
    )
    group = participant.group if participant else None
    group_answer = None
    if question and question.for_groups and group is not None:
        group_answer = next(
            (a for a in groups.group_answers_of(question.pk) if a["group"] == group.pk), None
        )
    signed = (
        live.attendance_id is not None
        and attendance.my_records(actor=user)
        .filter(session_id=live.attendance_id, signed_at__isnull=False)
        .exists()
    )
    return {
        "type": "state",
        "running": live.is_running,
        "question": question_data(question),
        "my_choice": mine.choice if mine else None,
        "hand": bool(participant and participant.hand_raised_at),
        "comments_on": live.comments_on,
        "sign_in_open": live.attendance is not None and not live.attendance.is_closed,
        "signed": signed,
        "slide": slide_message(live),
        "my_confused": sorted(
            LiveConfusion.objects.filter(slide__session=live, user_id=user_id).values_list(
                "slide__number", flat=True
            )
        ),
        "remote": bool(participant and participant.remote),
        "grouping": live.grouping,
        "group": groups.group_data(group),
        "groups": groups.groups_of(live) if live.grouping == groups.CHOICE else [],
        "group_answer": group_answer,
    }


@dataclass(frozen=True)
class QuestionRecord:
    question: LiveQuestion
    rows: list[tuple[str, int, bool]]  # option, answers, is the right one
    answered: int
    groups: list[dict[str, Any]]  # a group question's answer per group (ADR 0744)


@dataclass(frozen=True)
class LiveRecord:
    joined: list[Any]
    remote: list[str]  # who followed remotely (ADR 0745)
    questions: list[QuestionRecord]
    comments: list[LiveComment]
    held: int
    slides: list[tuple[int, int]]  # slide number, 不懂 presses


def record_of(live: LiveSession) -> LiveRecord:
    """The record of a class kept with the course, for its teachers."""
    joined = [
        p.user
        for p in LiveParticipant.objects.filter(session=live)
        .select_related("user")
        .order_by("joined_at", "pk")
    ]
    questions = []
    for question in LiveQuestion.objects.filter(session=live).order_by("opened_at", "pk"):
        by_group = groups.group_answers_of(question.pk) if question.for_groups else []
        counts = counts_of(question)
        for answer in by_group:
            answer["text"] = question.choices[answer["choice"]]
            counts[answer["choice"]] += 1
        rows = [(text, counts[i], question.answer == i) for i, text in enumerate(question.choices)]
        questions.append(QuestionRecord(question, rows, sum(counts), by_group))
    comments = list(LiveComment.objects.filter(session=live, shown=True).order_by("sent_at", "pk"))
    held = LiveComment.objects.filter(session=live, shown=False).count()
    confused = confused_counts(live)
    slides = [
        (number, confused.get(number, 0))
        for number in LiveSlide.objects.filter(session=live).values_list("number", flat=True)
    ]
    return LiveRecord(
        joined=joined,
        remote=groups.remote_of(live),
        questions=questions,
        comments=comments,
        held=held,
        slides=slides,
    )
