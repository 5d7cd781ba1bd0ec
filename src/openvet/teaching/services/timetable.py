"""Manual timetable edits: each one is checked against the term's other lectures and refused
with a message naming the clash (teacher, class or room double-booked in the same weeks)."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from openvet.core.errors import Conflict
from openvet.core.policy import Actor
from openvet.teaching import selectors
from openvet.teaching.calendar import WeekPattern
from openvet.teaching.clashes import Clash, Slot, clashes_with
from openvet.teaching.models import Room, TeachingTask, Term, TimetableEntry, WeekParity
from openvet.teaching.permissions import MANAGE_TIMETABLE
from openvet.teaching.services.common import AuditAction, check, record, require

ENTRY_FIELDS = (
    "weekday",
    "period_start",
    "length",
    "week_start",
    "week_end",
    "week_parity",
    "is_locked",
)


def describe_clash(clash: Clash, names: dict[str, dict[int, str]]) -> str:
    """One sentence naming what is double-booked, for the refusal message."""
    if clash.teachers:
        what = _("teacher %(name)s") % {"name": names["teacher"].get(min(clash.teachers), "")}
    elif clash.classes:
        what = _("class %(name)s") % {"name": names["class"].get(min(clash.classes), "")}
    else:
        what = _("room %(name)s") % {"name": names["room"].get(clash.room_id or 0, "")}
    weeks = ", ".join(str(w) for w in sorted(clash.weeks)[:6])
    return _(
        "%(what)s is already booked for %(course)s on that day and period (weeks %(weeks)s)."
    ) % {"what": what, "course": names["task"].get(clash.second.task_id, ""), "weeks": weeks}


def _names(term: Term) -> dict[str, dict[int, str]]:
    names: dict[str, dict[int, str]] = {"teacher": {}, "class": {}, "room": {}, "task": {}}
    for entry in selectors.entries_for(term=term):
        names["task"][entry.task_id] = entry.task.course.name
        if entry.room is not None:
            names["room"][entry.room_id or 0] = str(entry.room)
        names["teacher"].update({t.pk: t.full_name for t in entry.task.teachers.all()})
        names["class"].update({c.pk: c.name for c in entry.task.classes.all()})
    return names


def refuse_clashes(term: Term, candidate: Slot) -> None:
    found = clashes_with(candidate, selectors.term_slots(term))
    if found:
        message = describe_clash(found[0], _names(term))
        raise Conflict(message, code="timetable_clash", details={"weekday": message})


def _entry_errors(entry: TimetableEntry, term: Term, periods: int) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not 1 <= entry.weekday <= term.teaching_days:
        errors["weekday"] = _("Choose a teaching day of the week.")
    if not periods:
        errors["period_start"] = _("The school has no bell schedule yet.")
    elif entry.period_start < 1 or entry.period_start + entry.length - 1 > periods:
        errors["period_start"] = _("The lecture must lie within periods 1 to %(n)s.") % {
            "n": periods
        }
    if not 1 <= entry.week_start <= entry.week_end <= term.weeks:
        errors["week_end"] = _("Weeks run from 1 to %(weeks)s, the first before the last.") % {
            "weeks": term.weeks
        }
    if entry.week_parity not in WeekParity.values:
        errors["week_parity"] = _("Choose every, odd or even weeks.")
    if entry.room is not None and entry.room.org_id != term.org_id:
        errors["room"] = _("Choose a room of this school.")
    return errors


def _candidate(entry: TimetableEntry, task: TeachingTask) -> Slot:
    return Slot(
        entry_id=entry.pk,
        task_id=task.pk,
        weekday=entry.weekday,
        period_start=entry.period_start,
        length=entry.length,
        room_id=entry.room_id,
        pattern=WeekPattern(entry.week_start, entry.week_end, entry.week_parity),
        teacher_ids=frozenset(task.teachers.values_list("pk", flat=True)),
        class_ids=frozenset(task.classes.values_list("pk", flat=True)),
    )


def _validate_and_save(entry: TimetableEntry, task: TeachingTask) -> None:
    term = task.term
    check(_entry_errors(entry, term, len(selectors.bell_periods(term.org))))
    TimetableEntry.objects.select_for_update().filter(term=term).exists()  # serialize edits
    refuse_clashes(term, _candidate(entry, task))
    entry.save()


def _snapshot(entry: TimetableEntry) -> dict[str, Any]:
    values = {name: getattr(entry, name) for name in ENTRY_FIELDS}
    values["room"] = entry.room_id
    return values


@transaction.atomic
def entry_create(
    *, actor: Actor, task: TeachingTask, room: Room | None = None, **values: Any
) -> TimetableEntry:
    require(actor, MANAGE_TIMETABLE, task.term.org)
    values.setdefault("week_start", task.week_start)
    values.setdefault("week_end", task.week_end)
    values.setdefault("week_parity", task.week_parity)
    entry = TimetableEntry(
        term=task.term,
        task=task,
        room=room,
        **{k: v for k, v in values.items() if k in ENTRY_FIELDS},
    )
    _validate_and_save(entry, task)
    record(actor=actor, obj=entry, org=task.org, after=_snapshot(entry))
    return entry


@transaction.atomic
def entry_update(
    *, actor: Actor, entry: TimetableEntry, room: Room | None = None, **values: Any
) -> TimetableEntry:
    task = entry.task
    require(actor, MANAGE_TIMETABLE, task.term.org)
    before = _snapshot(entry)
    for name, value in values.items():
        if name in ENTRY_FIELDS:
            setattr(entry, name, value)
    entry.room = room
    _validate_and_save(entry, task)
    record(
        actor=actor,
        obj=entry,
        org=task.org,
        action=AuditAction.UPDATE,
        before=before,
        after=_snapshot(entry),
    )
    return entry


@transaction.atomic
def entry_delete(*, actor: Actor, entry: TimetableEntry) -> None:
    require(actor, MANAGE_TIMETABLE, entry.term.org)
    record(actor=actor, obj=entry, org=entry.task.org, action=AuditAction.DELETE)
    entry.delete()
