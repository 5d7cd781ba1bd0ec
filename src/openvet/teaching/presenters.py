"""View models of timetables: a week of days, each with its lectures in blocks of periods.

The page draws each lecture once: on a phone the days are a list, on a wider screen the same
markup is laid out as a grid of days by bell periods (``teaching/timetable.css``)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from openvet.teaching import selectors
from openvet.teaching.calendar import Occurrence
from openvet.teaching.models import BellPeriod, Room, TeachingTask, Term, TimetableEntry


@dataclass
class Item:
    occurrence: Occurrence
    course: str
    room: str
    teachers: str
    classes: str
    first: BellPeriod | None
    last: BellPeriod | None
    is_clash: bool = False

    @property
    def period_end(self) -> int:
        return self.occurrence.period_start + self.occurrence.length - 1


@dataclass
class Week:
    term: Term
    number: int
    dates: list[date]
    bells: list[BellPeriod] = field(default_factory=list)  # the grid's rows, in order
    days: list[dict[str, Any]] = field(default_factory=list)  # its columns, with their blocks
    notes: dict[date, Any] = field(default_factory=dict)  # holidays and make-up days shown

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.term.weeks else None


def _tasks(entries: list[TimetableEntry], occurrences: list[Occurrence]) -> dict[int, Any]:
    tasks: dict[int, Any] = {e.task_id: e.task for e in entries}
    missing = {o.task_id for o in occurrences} - tasks.keys()
    if missing:
        tasks.update(
            {
                t.pk: t
                for t in TeachingTask.objects.filter(pk__in=missing)
                .select_related("course")
                .prefetch_related("classes", "teachers")
            }
        )
    return tasks


def _item(
    o: Occurrence,
    task: Any,
    rooms: dict[int, Room],
    bells: dict[int, BellPeriod],
    clash_ids: set[int],
) -> Item:
    room = rooms.get(o.room_id or 0)
    return Item(
        occurrence=o,
        course=task.course.name,
        room=str(room) if room else "",
        teachers=", ".join(t.full_name for t in task.teachers.all()),
        classes=", ".join(c.name for c in task.classes.all()),
        first=bells.get(o.period_start),
        last=bells.get(o.period_start + o.length - 1),
        is_clash=o.entry_id in clash_ids and o.kind == "normal",
    )


def _blocks(numbers: list[int], items: list[Item]) -> list[dict[str, Any]]:
    """One day's lectures as blocks of the week grid, in period order. A lecture of several
    periods is one block spanning its rows; a lecture starting inside a block (a clash) joins
    it, which then reaches its end. ``row`` counts bell periods from 1; a lecture starting at
    a period the bell schedule no longer has is kept, in the last row."""
    last = numbers[-1] if numbers else 0
    starting: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        start = item.occurrence.period_start
        starting[start if start in numbers else last].append(item)
    blocks: list[dict[str, Any]] = []
    block: dict[str, Any] | None = None
    for index, number in enumerate(numbers or [0]):
        here = starting.get(number, [])
        if block is not None and number <= block["end"]:
            block["items"] += here
            block["end"] = max([block["end"], *(i.period_end for i in here)])
        elif here:
            block = {"items": list(here), "end": max(i.period_end for i in here), "row": index}
            blocks.append(block)
    for block in blocks:
        later = numbers[block["row"] :]
        block["span"] = max(1, sum(1 for n in later if n <= block["end"]))
        block["row"] += 1
    return blocks


def week_view(
    term: Term,
    entries: list[TimetableEntry],
    week: int,
    clash_ids: set[int] | None = None,
    *,
    today: date | None = None,
) -> Week:
    """The lectures of ``entries`` in week ``week``, laid out by weekday and period; weekends
    appear when they hold a lecture, and ``today`` is marked."""
    week = min(max(1, week), term.weeks)
    days = selectors.calendar_days(term)  # read once: the dates, lectures and notes need them
    calendar = selectors.term_calendar(term, days)
    dates = selectors.week_dates(term, week, calendar)
    in_week = selectors.occurrences(term, entries, calendar=calendar, between=(dates[0], dates[-1]))
    tasks = _tasks(entries, in_week)
    bells = {b.number: b for b in selectors.bell_periods(term.org)}
    used = {o.room_id for o in in_week if o.room_id}
    rooms = {r.pk: r for r in Room.objects.filter(org=term.org, pk__in=used)} if used else {}
    items = [_item(o, tasks[o.task_id], rooms, bells, clash_ids or set()) for o in in_week]
    used_days = {o.date.isoweekday() for o in in_week}
    weekdays = [d for d in range(1, 8) if d <= term.teaching_days or d in used_days]
    view = Week(term, week, [dates[d - 1] for d in weekdays])
    view.notes = {d.date: d for d in days if d.date in dates}
    view.bells = [bells[n] for n in sorted(bells)]
    by_date: dict[date, list[Item]] = defaultdict(list)
    for item in items:
        by_date[item.occurrence.date].append(item)
    numbers = [b.number for b in view.bells]
    view.days = [
        {
            "date": d,
            "blocks": _blocks(numbers, by_date.get(d, [])),
            "note": view.notes.get(d),
            "is_today": d == today,
        }
        for d in view.dates
    ]
    return view


def current_week(term: Term, today: date) -> int:
    offset = (today - term.start_date).days
    return min(max(1, offset // 7 + 1), term.weeks)
