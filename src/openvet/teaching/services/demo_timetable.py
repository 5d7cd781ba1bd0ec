"""A first timetable for the demo term, placed first-fit so that ``openvet demo`` shows this
week's lectures at once.

The solver (``services.solver``) makes the real timetable, but it compiles its kernels and
runs for a time budget: too slow and too machine-dependent for seeding. Here each task's
lectures go, in a fixed order, into the first weekly slot where its classes, teachers and a
room of its type are free, within one session of the bell schedule and, when possible, within
the term's daily maximum per class. A lecture that finds no slot is left out for the
administrator or the solver (at small demo scales a few teachers carry every course). The
lectures are written at once with one audit entry, as a published solver run is. The same
term in the same state gives the same timetable.
"""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from django.db import transaction

from openvet.core.audit import AuditAction
from openvet.core.policy import Actor
from openvet.teaching.models import Room, RoomType, TeachingTask, Term, TimetableEntry
from openvet.teaching.permissions import MANAGE_TIMETABLE
from openvet.teaching.selectors import bell_periods
from openvet.teaching.services.common import record, require
from openvet.teaching.services.solver import session_starts


@dataclass
class _Week:
    """Who and what is busy in which (weekday, period), and each class's periods per day."""

    busy: set[tuple[str, int, int, int]] = field(default_factory=set)
    daily: dict[tuple[int, int], int] = field(default_factory=lambda: defaultdict(int))

    def free(self, keys: Sequence[tuple[str, int]], weekday: int, periods: range) -> bool:
        return not any((*key, weekday, p) in self.busy for key in keys for p in periods)

    def take(self, keys: Sequence[tuple[str, int]], weekday: int, periods: range) -> None:
        self.busy.update((*key, weekday, p) for key in keys for p in periods)


def _sessions(term: Term) -> list[range]:
    """The bell schedule's sessions (morning, afternoon, …) as ranges of period numbers."""
    numbers = sorted(b.number for b in bell_periods(term.org))
    breaks = sorted(session_starts(bell_periods(term.org)))
    edges = [numbers[0], *breaks, numbers[-1] + 1] if numbers else []
    return [range(a, b) for a, b in pairwise(edges)]


def _lengths(task: TeachingTask) -> list[int]:
    """The task's weekly lectures: blocks of ``task.block`` periods, the last one shorter."""
    full, rest = divmod(task.weekly_hours, task.block)
    return [task.block] * full + ([rest] if rest else [])


def _rooms_for(task: TeachingTask, rooms: list[Room]) -> list[Room]:
    """Rooms the task may use: its named room, else rooms of its type (any room for an
    ordinary classroom), large enough ones first, smallest first."""
    if task.room_id is not None:
        return [r for r in rooms if r.pk == task.room_id]
    fitting = [
        r for r in rooms if task.room_type == RoomType.ORDINARY or r.room_type == task.room_type
    ]
    return sorted(fitting, key=lambda r: (r.capacity < task.student_count, r.capacity, r.pk))


def _slots(
    days: int, sessions: list[range], length: int, first_day: int
) -> Iterator[tuple[int, range]]:
    """Candidate (weekday, periods) for a lecture, days starting at ``first_day`` so that a
    task's lectures spread over the week."""
    for offset in range(days):
        weekday = (first_day + offset) % days + 1
        for session in sessions:
            for start in range(session.start, session.stop - length + 1):
                yield weekday, range(start, start + length)


def _place(
    task: TeachingTask, length: int, first_day: int, context: "_Context"
) -> tuple[int, range, Room] | None:
    people = [("c", c.pk) for c in task.classes.all()] + [("t", t.pk) for t in task.teachers.all()]
    rooms = _rooms_for(task, context.rooms)
    for limit in (context.term.max_daily_periods, None):
        for weekday, periods in _slots(context.days, context.sessions, length, first_day):
            if limit is not None and any(
                context.week.daily[(key[1], weekday)] + length > limit
                for key in people
                if key[0] == "c"
            ):
                continue
            if not context.week.free(people, weekday, periods):
                continue
            room = next(
                (r for r in rooms if context.week.free([("r", r.pk)], weekday, periods)), None
            )
            if room is not None:
                context.week.take([*people, ("r", room.pk)], weekday, periods)
                for key in people:
                    if key[0] == "c":
                        context.week.daily[(key[1], weekday)] += length
                return weekday, periods, room
    return None


@dataclass
class _Context:
    term: Term
    days: int
    sessions: list[range]
    rooms: list[Room]
    week: _Week = field(default_factory=_Week)


def _lectures(context: _Context, tasks: Sequence[TeachingTask]) -> Iterator[TimetableEntry]:
    for position, task in enumerate(tasks):  # positions, not ids: the same on any database
        lengths = _lengths(task)
        step = max(1, context.days // len(lengths))
        for index, length in enumerate(lengths):
            slot = _place(task, length, (position + index * step) % context.days, context)
            if slot is not None:
                weekday, periods, room = slot
                yield TimetableEntry(
                    term=context.term,
                    task=task,
                    room=room,
                    weekday=weekday,
                    period_start=periods.start,
                    length=length,
                    week_start=task.week_start,
                    week_end=task.week_end,
                    week_parity=task.week_parity,
                )


@transaction.atomic
def demo_timetable_seed(*, actor: Actor, term: Term) -> int:
    """Place the term's lectures when it has no timetable yet; the number of lectures placed."""
    require(actor, MANAGE_TIMETABLE, term.org)
    if TimetableEntry.objects.filter(term=term).exists():
        return 0
    context = _Context(
        term=term,
        days=term.teaching_days,
        sessions=_sessions(term),
        rooms=list(Room.objects.filter(org=term.org, is_active=True).order_by("pk")),
    )
    tasks = list(
        TeachingTask.objects.filter(term=term, weekly_hours__gt=0)
        .prefetch_related("classes", "teachers")
        .order_by("-block", "-weekly_hours", "pk")  # the hardest to place first
    )
    created = TimetableEntry.objects.bulk_create(_lectures(context, tasks))
    record(
        actor=actor,
        obj=term,
        org=term.org,
        action=AuditAction.UPDATE,
        after={"demo_timetable_entries": len(created)},
    )
    return len(created)
