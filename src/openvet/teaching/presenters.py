"""View models of timetables: a week grid (desktop) and a day list (phone)."""

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
    rows: list[dict[str, Any]] = field(default_factory=list)
    days: list[dict[str, Any]] = field(default_factory=list)
    notes: dict[date, Any] = field(default_factory=dict)  # holidays and make-up days shown
    headers: list[dict[str, Any]] = field(default_factory=list)

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


def _grid_rows(
    bells: dict[int, BellPeriod], items: list[Item], dates: list[date], today: date | None
) -> list[dict[str, Any]]:
    """Rows of the desktop grid, one per bell period. A lecture of several periods is one cell
    spanning its rows (``rowspan``); the rows it covers have no cell of that day. A lecture
    starting inside a covered row (a clash) joins the covering cell, which then reaches its end."""
    numbers = sorted(bells)
    starting: dict[tuple[int, date], list[Item]] = defaultdict(list)
    for item in items:
        starting[(item.occurrence.period_start, item.occurrence.date)].append(item)
    rows: list[dict[str, Any]] = [{"bell": bells[n], "cells": []} for n in numbers]
    for day in dates:
        cell: dict[str, Any] | None = None
        for index, number in enumerate(numbers):
            here = starting.get((number, day), [])
            if cell is not None and number <= cell["end"]:
                cell["items"] += here
                cell["end"] = max([cell["end"], *(i.period_end for i in here)])
                cell["rowspan"] = sum(1 for n in numbers[cell["row"] :] if n <= cell["end"])
                continue
            cell = {
                "items": list(here),
                "end": max([number, *(i.period_end for i in here)]),
                "row": index,
                "is_today": day == today,
            }
            cell["rowspan"] = sum(1 for n in numbers[index:] if n <= cell["end"])
            rows[index]["cells"].append(cell)
    return rows


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
    in_week = [
        o
        for o in selectors.occurrences(term, entries, calendar=calendar)
        if dates[0] <= o.date <= dates[-1]
    ]
    tasks = _tasks(entries, in_week)
    bells = {b.number: b for b in selectors.bell_periods(term.org)}
    rooms = {r.pk: r for r in Room.objects.filter(org=term.org)}
    items = [_item(o, tasks[o.task_id], rooms, bells, clash_ids or set()) for o in in_week]
    used_days = {o.date.isoweekday() for o in in_week}
    weekdays = [d for d in range(1, 8) if d <= term.teaching_days or d in used_days]
    view = Week(term, week, [dates[d - 1] for d in weekdays])
    view.notes = {d.date: d for d in days if d.date in dates}
    view.rows = _grid_rows(bells, items, view.dates, today)
    by_date: dict[date, list[Item]] = defaultdict(list)
    for item in items:
        by_date[item.occurrence.date].append(item)
    view.days = [
        {"date": d, "items": by_date.get(d, []), "note": view.notes.get(d), "is_today": d == today}
        for d in view.dates
    ]
    view.headers = [
        {"date": d, "note": view.notes.get(d), "is_today": d == today} for d in view.dates
    ]
    return view


def current_week(term: Term, today: date) -> int:
    offset = (today - term.start_date).days
    return min(max(1, offset // 7 + 1), term.weeks)
