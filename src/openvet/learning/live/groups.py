"""Groups of a live class (ADR 0743) and what the screen and phones are told of them.

The teacher forms groups on the screen: at random with a size, a number of groups that the
learners choose from on their phones, the groups of the course's last live class, or the
course's own groups (ADR 0763), so that group answers line up with the groups' documents. Each
grouping is a new round; a learner's group now is ``LiveParticipant.group``, a row, so a
phone that reconnects keeps it and a learner who joins late is placed (random and reused
groupings: in the smallest group; course groupings: in their course group's, else the
smallest; chosen groupings: the learner chooses)."""

import math
import secrets
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import PermissionDenied, ValidationFailed
from openvet.core.policy import Actor
from openvet.learning.collab import selectors as collab
from openvet.learning.live.models import (
    LiveGroup,
    LiveGroupAnswer,
    LiveParticipant,
    LiveQuestion,
    LiveSession,
)

RANDOM, CHOICE, REUSE, COURSE = "random", "choice", "reuse", "course"
PLACED = (RANDOM, REUSE, COURSE)  # groupings where a late joiner is placed, not asked to choose
MAX_GROUP_SIZE = 20
MAX_GROUPS = 30


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _refuse_while_group_question(live: LiveSession) -> None:
    if LiveQuestion.objects.filter(session=live, closed_at__isnull=True, for_groups=True).exists():
        raise ValidationFailed(
            _("Close the group question before forming new groups."), code="group_question_open"
        )


@transaction.atomic
def groups_form(
    *, actor: Actor, live: LiveSession, mode: Any, size: Any = None, count: Any = None
) -> LiveSession:
    """A new round of groups: ``random`` (groups of ``size``, sizes differing by one at most),
    ``choice`` (``count`` empty groups the learners choose from), ``reuse`` (the groups of
    the course's last live class that had groups; others placed in the smallest) or
    ``course`` (one group per course group, named after it; others placed in the smallest)."""
    if not live.course.task.teachers.filter(pk=actor.pk).exists():
        raise PermissionDenied()
    live = LiveSession.objects.select_for_update().get(pk=live.pk)
    if not live.is_running:
        raise ValidationFailed(_("This live class has ended."), code="ended")
    _refuse_while_group_question(live)
    joined = list(LiveParticipant.objects.select_for_update().filter(session=live).order_by("pk"))
    mode = str(mode or "")
    sources: list[collab.GroupInfo] = []  # the course's groups, for a course grouping
    if mode == RANDOM:
        plan = _random_plan(joined, _int(size))
    elif mode == CHOICE:
        plan = _choice_plan(_int(count))
    elif mode == REUSE:
        plan = _reuse_plan(live, joined)
    elif mode == COURSE:
        sources = collab.groups_of(course_id=live.course_id)
        plan = _course_plan(sources, joined)
    else:
        raise ValidationFailed(_("Choose how to form the groups."), code="bad_mode")
    number_of_groups, placed = plan
    live.group_round += 1
    live.grouping = mode
    live.save(update_fields=["group_round", "grouping"])
    groups = LiveGroup.objects.bulk_create(
        [
            LiveGroup(
                session=live,
                round=live.group_round,
                number=n,
                course_group_id=sources[n - 1].id if sources else None,
                name=sources[n - 1].name if sources else "",
            )
            for n in range(1, number_of_groups + 1)
        ]
    )
    by_number = {g.number: g for g in groups}
    for participant in joined:
        number = placed.get(participant.user_id)
        participant.group = by_number[number] if number else None
    LiveParticipant.objects.bulk_update(joined, ["group"])
    if mode in (REUSE, COURSE):
        for participant in joined:
            if participant.group is None:
                participant.group = _smallest(live)
                participant.save(update_fields=["group"])
    audit_record(
        action=AuditAction.UPDATE,
        obj=live,
        org=live.org,
        actor=actor,
        changes={"groups": [mode, number_of_groups]},
    )
    return live


def _random_plan(joined: list[LiveParticipant], size: int | None) -> tuple[int, dict[int, int]]:
    if size is None or not 2 <= size <= MAX_GROUP_SIZE:
        raise ValidationFailed(
            details={"size": _("A group has from 2 to %(n)s members.") % {"n": MAX_GROUP_SIZE}}
        )
    if not joined:
        raise ValidationFailed(_("Nobody has joined yet."), code="nobody")
    shuffled = [p.user_id for p in joined]
    secrets.SystemRandom().shuffle(shuffled)
    count = math.ceil(len(shuffled) / size)
    return count, {user_id: n % count + 1 for n, user_id in enumerate(shuffled)}


def _choice_plan(count: int | None) -> tuple[int, dict[int, int]]:
    if count is None or not 2 <= count <= MAX_GROUPS:
        raise ValidationFailed(
            details={"count": _("Form from 2 to %(n)s groups.") % {"n": MAX_GROUPS}}
        )
    return count, {}


def _reuse_plan(live: LiveSession, joined: list[LiveParticipant]) -> tuple[int, dict[int, int]]:
    """The groups the course's learners had at the end of its last other live class."""
    last = (
        LiveSession.objects.filter(course_id=live.course_id, group_round__gt=0)
        .exclude(pk=live.pk)
        .order_by("-started_at", "-id")
        .first()
    )
    if last is None:
        raise ValidationFailed(
            _("No earlier live class of this course had groups."), code="no_groups_before"
        )
    earlier = dict(
        LiveParticipant.objects.filter(
            session=last, group__isnull=False, group__round=last.group_round
        ).values_list("user_id", "group__number")
    )
    count = LiveGroup.objects.filter(session=last, round=last.group_round).count()
    return max(count, 1), {p.user_id: earlier[p.user_id] for p in joined if p.user_id in earlier}


def _course_plan(
    course_groups: list[collab.GroupInfo], joined: list[LiveParticipant]
) -> tuple[int, dict[int, int]]:
    """One live group per course group, in the course groups' order; members keep theirs."""
    if not course_groups:
        raise ValidationFailed(
            _("This course has no groups yet: make them on the course's groups page."),
            code="no_course_groups",
        )
    if len(course_groups) > MAX_GROUPS:
        raise ValidationFailed(
            _("A live class has at most %(n)s groups.") % {"n": MAX_GROUPS}, code="too_many"
        )
    number_of = {
        user_id: n for n, g in enumerate(course_groups, start=1) for user_id in g.member_ids
    }
    placed = {p.user_id: number_of[p.user_id] for p in joined if p.user_id in number_of}
    return len(course_groups), placed


def _smallest(live: LiveSession) -> LiveGroup | None:
    return (
        LiveGroup.objects.filter(session=live, round=live.group_round)
        .annotate(size=Count("members"))
        .order_by("size", "number")
        .first()
    )


def place_late_joiner(live: LiveSession, participant: LiveParticipant) -> LiveGroup | None:
    """A learner who joins after random or reused groups were formed goes to the smallest."""
    if participant.group_id is not None or live.grouping not in PLACED:
        return None
    group = _course_group_of(live, participant) if live.grouping == COURSE else None
    group = group or _smallest(live)
    if group is not None:
        LiveParticipant.objects.filter(pk=participant.pk).update(group=group)
        participant.group = group
    return group


def _course_group_of(live: LiveSession, participant: LiveParticipant) -> LiveGroup | None:
    """The live group of the round made from the learner's course group, if any."""
    mine = collab.group_of(course_id=live.course_id, user_id=participant.user_id)
    if mine is None:
        return None
    return LiveGroup.objects.filter(
        session=live, round=live.group_round, course_group_id=mine.id
    ).first()


@transaction.atomic
def group_choose(*, actor: Actor, live: LiveSession, group_id: Any) -> LiveGroup:
    """A learner chooses a group from the list (chosen groupings only). A group of an earlier
    round (the teacher formed new groups meanwhile) is refused: choose again."""
    if not live.is_running:
        raise ValidationFailed(_("This live class has ended."), code="ended")
    participant = (
        LiveParticipant.objects.select_for_update().filter(session=live, user_id=actor.pk).first()
    )
    if participant is None:
        raise PermissionDenied(_("Join the live class with its code first."))
    if live.grouping != CHOICE:
        raise ValidationFailed(_("The teacher forms the groups in this class."), code="not_choice")
    _refuse_while_group_question(live)
    group = LiveGroup.objects.filter(
        session=live, round=live.group_round, pk=_int(group_id) or 0
    ).first()
    if group is None:
        raise ValidationFailed(
            _("This group no longer exists; choose one of the groups shown."), code="stale_group"
        )
    participant.group = group
    participant.save(update_fields=["group"])
    return group


# What the screens are told -------------------------------------------------------------------


def _name(user: Any) -> str:
    return str(user.full_name or user.username)


def group_data(group: LiveGroup | None) -> dict[str, Any] | None:
    """A group as a phone shows it: its number and its members' names."""
    if group is None:
        return None
    members = (
        LiveParticipant.objects.filter(group=group).select_related("user").order_by("joined_at")
    )
    return {
        "id": group.pk,
        "number": group.number,
        "name": group.name,
        "members": [_name(p.user) for p in members],
    }


def groups_of(live: LiveSession) -> list[dict[str, Any]]:
    """The current round's groups with their members, for the screen."""
    members: dict[int, list[str]] = defaultdict(list)
    rows = (
        LiveParticipant.objects.filter(session=live, group__round=live.group_round)
        .select_related("user")
        .order_by("joined_at", "pk")
    )
    for participant in rows:
        if participant.group_id is not None:
            members[participant.group_id].append(_name(participant.user))
    return [
        {"id": g.pk, "number": g.number, "name": g.name, "members": members.get(g.pk, [])}
        for g in LiveGroup.objects.filter(session=live, round=live.group_round)
    ]


def group_answers_of(question_id: int) -> list[dict[str, Any]]:
    """Each group's answer to a group question: group, its number, choice, who answered."""
    rows = (
        LiveGroupAnswer.objects.filter(question_id=question_id)
        .select_related("group", "user")
        .order_by("group__number")
    )
    return [group_answer_data(a, _name(a.user)) for a in rows]


def group_answer_data(answer: LiveGroupAnswer, by: str) -> dict[str, Any]:
    return {
        "question": answer.question_id,
        "group": answer.group_id,
        "number": answer.group.number,
        "name": answer.group.name,
        "course_group": answer.group.course_group_id,
        "choice": answer.choice,
        "by": by,
        "at": answer.answered_at.isoformat(),
    }


def remote_of(live: LiveSession) -> list[str]:
    """Who follows the class remotely (the teacher sees them; ADR 0745)."""
    rows = (
        LiveParticipant.objects.filter(session=live, remote=True)
        .select_related("user")
        .order_by("joined_at", "pk")
    )
    return [_name(p.user) for p in rows]


def assignments_of(live: LiveSession) -> dict[int, int | None]:
    """Each learner's group now (learner → group), for the consumers after a new round."""
    return dict(LiveParticipant.objects.filter(session=live).values_list("user_id", "group_id"))


def grouped_message(live: LiveSession) -> dict[str, Any]:
    """Told to every consumer after a new round; each phone keeps only its own group."""
    return {
        "type": "grouped",
        "grouping": live.grouping,
        "groups": groups_of(live),
        "assignments": {str(k): v for k, v in assignments_of(live).items()},
    }
