"""Clash detection, free of the database: two weekly lectures clash when they share a
teacher, a class or a room on the same weekday, in overlapping periods and overlapping weeks
(an odd-week and an even-week lecture never clash)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from openvet.teaching.calendar import WeekPattern, periods_overlap


@dataclass(frozen=True)
class Slot:
    entry_id: int | None  # None for a lecture not saved yet
    task_id: int
    weekday: int
    period_start: int
    length: int
    room_id: int | None
    pattern: WeekPattern
    teacher_ids: frozenset[int]
    class_ids: frozenset[int]


@dataclass(frozen=True)
class Clash:
    first: Slot
    second: Slot
    teachers: frozenset[int]
    classes: frozenset[int]
    room_id: int | None
    weeks: frozenset[int]


def clash_between(a: Slot, b: Slot) -> Clash | None:
    if a.weekday != b.weekday or not periods_overlap(
        a.period_start, a.length, b.period_start, b.length
    ):
        return None
    weeks = a.pattern.weeks() & b.pattern.weeks()
    if not weeks:
        return None
    teachers = a.teacher_ids & b.teacher_ids
    classes = a.class_ids & b.class_ids
    room = a.room_id if a.room_id is not None and a.room_id == b.room_id else None
    if not teachers and not classes and room is None:
        return None
    return Clash(a, b, teachers, classes, room, frozenset(weeks))


def clashes_with(candidate: Slot, others: Iterable[Slot]) -> list[Clash]:
    found = []
    for other in others:
        if candidate.entry_id is not None and other.entry_id == candidate.entry_id:
            continue
        clash = clash_between(candidate, other)
        if clash is not None:
            found.append(clash)
    return found


def all_clashes(slots: Iterable[Slot]) -> list[Clash]:
    """Every clashing pair; lectures are compared only within one weekday."""
    by_day: dict[int, list[Slot]] = defaultdict(list)
    for slot in slots:
        by_day[slot.weekday].append(slot)
    found = []
    for day_slots in by_day.values():
        for index, a in enumerate(day_slots):
            for b in day_slots[index + 1 :]:
                clash = clash_between(a, b)
                if clash is not None:
                    found.append(clash)
    return found
