"""What publishing a solver run changes, and the notices that tell each person their changes.

One unit throughout: a *lesson* is one timetable entry, a task's consecutive periods in one
room on one weekday (a double period is one lesson of two periods). The run's summary, this
preview, the publish message and the notices count lessons the same way, because all of
them take the run's lessons from :func:`lessons_of_run`, which is what publishing writes.

A lesson is *unchanged* when the current timetable holds the same task on the same weekday,
first period, length and room. Per task the remaining current lessons are paired in order
with the remaining proposed ones as *moved* (old time/room → new time/room); what is left
over is *added* or *removed*.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core.errors import Conflict
from openvet.core.events import publish
from openvet.core.policy import Actor
from openvet.teaching import selectors
from openvet.teaching.events import TimetablePublished
from openvet.teaching.models import (
    Notice,
    Room,
    SolverRun,
    SolverStatus,
    TeachingTask,
    TimetableEntry,
    Weekday,
)
from openvet.teaching.permissions import MANAGE_TIMETABLE
from openvet.teaching.services.adjustments import affected_user_ids
from openvet.teaching.services.common import AuditAction, record, require
from openvet.teaching.services.solver import entries_from_result, session_starts, split_blocks

Lesson = tuple[int, int, int, int, int]  # task, room, weekday, first period, length
Slot = tuple[int, int, int, int | None]  # weekday, first period, length, room


def lessons_of_run(*, run: SolverRun, blocks: dict[int, int]) -> list[Lesson]:
    """The lessons publishing the run writes (``blocks``: each task's block size)."""
    starts = session_starts(selectors.bell_periods(run.term.org))
    return split_blocks(entries_from_result(run.result, starts), blocks)


@dataclass(frozen=True)
class LessonChange:
    """One lesson of a task that moves, appears or disappears (``None`` on the missing side)."""

    task_id: int
    old: Slot | None
    new: Slot | None

    @property
    def kind(self) -> str:
        return "moved" if self.old and self.new else ("added" if self.new else "removed")


@dataclass
class PublishPreview:
    lessons: int  # lessons the run publishes
    periods: int  # periods they fill
    current: int  # lessons in the current timetable
    unchanged: int
    changes: list[LessonChange] = field(default_factory=list)
    tasks: dict[int, TeachingTask] = field(default_factory=dict)
    rooms: dict[int, str] = field(default_factory=dict)

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    @property
    def moved(self) -> int:
        return self.count("moved")

    @property
    def added(self) -> int:
        return self.count("added")

    @property
    def removed(self) -> int:
        return self.count("removed")

    @property
    def classes(self) -> list[str]:
        ids = {c.pk: c.name for ch in self.changes for c in self.tasks[ch.task_id].classes.all()}
        return sorted(ids.values())

    @property
    def teachers(self) -> list[str]:
        ids = {
            u.pk: u.full_name for ch in self.changes for u in self.tasks[ch.task_id].teachers.all()
        }
        return sorted(ids.values())

    def describe(self, change: LessonChange) -> dict[str, object]:
        """The change as a notice stores it: course name, old and new slot with room name."""
        return {
            "course": self.tasks[change.task_id].course.name,
            "old": self._slot(change.old),
            "new": self._slot(change.new),
        }

    def _slot(self, slot: Slot | None) -> list[object] | None:
        if slot is None:
            return None
        weekday, start, length, room = slot
        return [weekday, start, length, self.rooms.get(room, "") if room else ""]


def _pair(task_id: int, old: list[Slot], new: list[Slot]) -> tuple[int, list[LessonChange]]:
    remaining_new = list(new)
    gone = []
    for slot in old:
        if slot in remaining_new:
            remaining_new.remove(slot)
        else:
            gone.append(slot)
    changes = [LessonChange(task_id, a, b) for a, b in zip(gone, remaining_new, strict=False)]
    changes += [LessonChange(task_id, a, None) for a in gone[len(remaining_new) :]]
    changes += [LessonChange(task_id, None, b) for b in remaining_new[len(gone) :]]
    return len(old) - len(gone), changes


def publish_preview(*, run: SolverRun) -> PublishPreview:
    """What publishing ``run`` would change in its term's timetable (read only)."""
    tasks = {
        t.pk: t
        for t in TeachingTask.objects.filter(term=run.term)
        .select_related("course")
        .prefetch_related("classes", "teachers")
    }
    lessons = [
        lesson
        for lesson in lessons_of_run(run=run, blocks={t.pk: t.block for t in tasks.values()})
        if lesson[0] in tasks
    ]
    old: dict[int, list[Slot]] = defaultdict(list)
    current = 0
    for entry in TimetableEntry.objects.filter(term=run.term).order_by(
        "weekday", "period_start", "pk"
    ):
        old[entry.task_id].append((entry.weekday, entry.period_start, entry.length, entry.room_id))
        current += 1
    new: dict[int, list[Slot]] = defaultdict(list)
    for task_id, room_id, weekday, start, length in sorted(lessons, key=lambda x: x[2:]):
        new[task_id].append((weekday, start, length, room_id))
    preview = PublishPreview(
        lessons=len(lessons), periods=sum(x[4] for x in lessons), current=current, unchanged=0
    )
    for task_id in sorted(set(old) | set(new)):
        kept, changes = _pair(task_id, old[task_id], new[task_id])
        preview.unchanged += kept
        preview.changes += changes
    preview.tasks = tasks
    room_ids = {s[3] for ch in preview.changes for s in (ch.old, ch.new) if s}
    preview.rooms = {r.pk: str(r) for r in Room.objects.filter(pk__in=room_ids)}
    return preview


def notices_by_user(preview: PublishPreview) -> dict[int, list[dict[str, object]]]:
    """Each affected student's and teacher's own changes, in the order of the week."""
    by_task: dict[int, list[LessonChange]] = defaultdict(list)
    for change in preview.changes:
        if change.task_id in preview.tasks:
            by_task[change.task_id].append(change)
    result: dict[int, list[dict[str, object]]] = defaultdict(list)
    for task_id, changes in by_task.items():
        for user_id in sorted(affected_user_ids(preview.tasks[task_id])):
            result[user_id] += [preview.describe(change) for change in changes]
    return dict(result)


def change_line(change: dict[str, object]) -> dict[str, str]:
    """A stored change with its slots as text: ``{"course", "old", "new", "text"}``."""
    old, new = change.get("old"), change.get("new")
    line = {
        "course": str(change.get("course", "")),
        "old": slot_text(old if isinstance(old, list) else None),
        "new": slot_text(new if isinstance(new, list) else None),
    }
    if line["old"] and line["new"]:
        text = _("%(course)s: %(old)s → %(new)s") % line
    elif line["new"]:
        text = _("%(course)s: new lesson, %(new)s") % line
    else:
        text = _("%(course)s: lesson removed, was %(old)s") % line
    return {**line, "text": text}


def slot_text(slot: list[Any] | None) -> str:
    """``[weekday, first period, length, room]`` as the notice page shows it."""
    if not slot:
        return ""
    weekday, start, length, room = int(slot[0]), int(slot[1]), int(slot[2]), slot[3]
    periods = (
        _("periods %(first)s–%(last)s") % {"first": start, "last": start + length - 1}
        if length > 1
        else _("period %(n)s") % {"n": start}
    )
    return " ".join(str(part) for part in (Weekday(weekday).label, periods, room) if part)


@dataclass(frozen=True)
class Published:
    lessons: int
    periods: int
    notified: int  # students and teachers sent a notice of their changes


@transaction.atomic
def solver_run_publish(*, actor: Actor, run: SolverRun) -> Published:
    """Replace the term's timetable with the run's proposal, all or nothing, and send each
    affected student and teacher a notice listing their own changes."""
    term = run.term
    require(actor, MANAGE_TIMETABLE, term.org)
    run = SolverRun.objects.select_for_update().select_related("term__org").get(pk=run.pk)
    if run.status != SolverStatus.FINISHED:
        raise Conflict(_("Only a finished run awaiting review can be published."))
    if run.best_hard:
        raise Conflict(_("The proposal still has %(n)s conflicts.") % {"n": run.best_hard})
    preview = publish_preview(run=run)
    tasks = preview.tasks
    lessons = lessons_of_run(run=run, blocks={t.pk: t.block for t in tasks.values()})
    if any(task_id not in tasks for task_id, *_rest in lessons):
        raise Conflict(_("Teaching tasks changed since this run; run the solver again."))
    locked = set(
        TimetableEntry.objects.filter(term=term, is_locked=True).values_list(
            "task_id", "weekday", "period_start"
        )
    )
    TimetableEntry.objects.filter(term=term).delete()
    TimetableEntry.objects.bulk_create(
        TimetableEntry(
            term=term,
            task_id=task_id,
            room_id=room_id,
            weekday=weekday,
            period_start=start,
            length=length,
            week_start=tasks[task_id].week_start,
            week_end=tasks[task_id].week_end,
            week_parity=tasks[task_id].week_parity,
            solver_run=run,
            is_locked=(task_id, weekday, start) in locked,
        )
        for task_id, room_id, weekday, start, length in lessons
    )
    SolverRun.objects.filter(term=term, status=SolverStatus.PUBLISHED).update(
        status=SolverStatus.FINISHED
    )
    run.status, run.published_at = SolverStatus.PUBLISHED, timezone.now()
    run.save(update_fields=["status", "published_at"])
    notices = notices_by_user(preview)
    Notice.objects.bulk_create(
        Notice(user_id=user_id, solver_run=run, changes=changes)
        for user_id, changes in sorted(notices.items())
    )
    record(
        actor=actor,
        obj=run,
        org=term.org,
        action=AuditAction.UPDATE,
        after={
            "published_lessons": preview.lessons,
            "moved": preview.moved,
            "added": preview.added,
            "removed": preview.removed,
            "notified": len(notices),
        },
    )
    publish(TimetablePublished(term_id=term.pk, run_id=run.pk))
    return Published(lessons=preview.lessons, periods=preview.periods, notified=len(notices))
