"""The teaching calendar, free of the database: weeks, odd/even weeks, holidays, make-up
working days, whole training weeks and approved adjustments.

A weekly timetable entry is expanded into dated lectures ("occurrences"). The rules:

* week ``n`` starts on ``start_date + 7 * (n - 1)``; weekday 1 is the first day of the week;
* an entry is held in the weeks of its range that match its parity;
* a week is suspended for a lecture when every class of its task is in a training week;
* a holiday cancels the lectures of its date; a make-up working day holds the lectures of the
  date it follows (the lectures of that date move there, whether or not it is a holiday);
* an approved cancellation removes one lecture, a reschedule moves it, a make-up adds one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta


@dataclass(frozen=True)
class WeekPattern:
    start: int
    end: int
    parity: str = "all"  # "all", "odd" or "even"

    def weeks(self) -> frozenset[int]:
        return frozenset(w for w in range(self.start, self.end + 1) if _parity_ok(w, self.parity))

    def overlaps(self, other: WeekPattern) -> bool:
        return bool(self.weeks() & other.weeks())


def _parity_ok(week: int, parity: str) -> bool:
    if parity == "odd":
        return week % 2 == 1
    if parity == "even":
        return week % 2 == 0
    return True


def periods_overlap(start_a: int, length_a: int, start_b: int, length_b: int) -> bool:
    return start_a < start_b + length_b and start_b < start_a + length_a


@dataclass(frozen=True)
class Calendar:
    start_date: date
    weeks: int
    holidays: frozenset[date] = frozenset()
    # make-up working day -> the date whose lectures it holds
    moved_to: dict[date, list[date]] = field(default_factory=dict)

    def day_of(self, week: int, weekday: int) -> date:
        return self.start_date + timedelta(days=7 * (week - 1) + weekday - 1)

    def week_of(self, day: date) -> int | None:
        offset = (day - self.start_date).days
        if offset < 0:
            return None
        week = offset // 7 + 1
        return week if week <= self.weeks else None

    def dates_for(self, day: date) -> list[date]:
        """Where the lectures normally held on ``day`` take place (none, itself or moved)."""
        result = [] if day in self.holidays else [day]
        return result + self.moved_to.get(day, [])


def make_calendar(
    start_date: date, weeks: int, holidays: Iterable[date], workdays: Iterable[tuple[date, date]]
) -> Calendar:
    """``workdays`` are (make-up day, date it follows) pairs."""
    moved: dict[date, list[date]] = {}
    for day, follows in workdays:
        moved.setdefault(follows, []).append(day)
    return Calendar(start_date, weeks, frozenset(holidays), moved)


@dataclass(frozen=True)
class Lecture:
    """A weekly entry, as the calendar needs it."""

    entry_id: int
    task_id: int
    weekday: int
    period_start: int
    length: int
    room_id: int | None
    pattern: WeekPattern
    class_ids: frozenset[int]


@dataclass(frozen=True)
class Occurrence:
    """One dated lecture. ``kind``: "normal", "moved" or "makeup"."""

    date: date
    week: int
    task_id: int
    period_start: int
    length: int
    room_id: int | None
    entry_id: int | None
    kind: str = "normal"
    adjustment_id: int | None = None


@dataclass(frozen=True)
class Change:
    """An approved adjustment, as the calendar needs it."""

    id: int
    kind: str  # "reschedule", "cancel", "makeup"
    task_id: int
    original_date: date | None
    original_period_start: int | None
    new_date: date | None
    new_period_start: int | None
    new_length: int | None
    new_room_id: int | None


def expand(
    calendar: Calendar,
    lectures: Iterable[Lecture],
    training: dict[int, frozenset[int]] | None = None,
    changes: Iterable[Change] = (),
    *,
    between: tuple[date, date] | None = None,
) -> list[Occurrence]:
    """Every dated lecture of ``lectures`` in the term, sorted by date and period.

    ``training`` maps a week to the classes in a training week then. ``between`` (first and
    last date, inclusive) keeps the lectures held in that window, and dates only the weeks
    that can hold one: the same lectures as expanding the term and filtering by date.
    """
    training = training or {}
    changes = list(changes)
    weeks = _weeks_reaching(calendar, between, changes) if between is not None else None
    result: list[Occurrence] = []
    for lecture in lectures:
        pattern = lecture.pattern.weeks()
        for week in sorted(pattern if weeks is None else pattern & weeks):
            if week > calendar.weeks or _suspended(lecture, training.get(week, frozenset())):
                continue
            planned = calendar.day_of(week, lecture.weekday)
            for held in calendar.dates_for(planned):
                result.append(
                    Occurrence(
                        date=held,
                        week=calendar.week_of(held) or week,
                        task_id=lecture.task_id,
                        period_start=lecture.period_start,
                        length=lecture.length,
                        room_id=lecture.room_id,
                        entry_id=lecture.entry_id,
                        kind="normal" if held == planned else "moved",
                    )
                )
    result = apply_changes(calendar, result, changes)
    if between is not None:
        result = [o for o in result if between[0] <= o.date <= between[1]]
    return sorted(result, key=lambda o: (o.date, o.period_start, o.task_id))


def _weeks_reaching(
    calendar: Calendar, between: tuple[date, date], changes: list[Change]
) -> frozenset[int]:
    """The weeks whose planned lectures can end up between the two dates: held there, moved
    there by a make-up working day, or the lecture an approved change moves there (which
    lends the moved lecture its room and length)."""
    first, last = between
    held = {first + timedelta(days=n) for n in range((last - first).days + 1)}
    held |= {
        c.original_date
        for c in changes
        if c.original_date is not None and c.new_date is not None and first <= c.new_date <= last
    }
    planned = held | {day for day, moved in calendar.moved_to.items() if held.intersection(moved)}
    return frozenset((day - calendar.start_date).days // 7 + 1 for day in planned)


def _suspended(lecture: Lecture, in_training: frozenset[int]) -> bool:
    return bool(lecture.class_ids) and lecture.class_ids <= in_training


_Key = tuple[int, date | None, int | None]


def apply_changes(
    calendar: Calendar, occurrences: list[Occurrence], changes: Iterable[Change]
) -> list[Occurrence]:
    by_key: dict[_Key, Occurrence] = {(o.task_id, o.date, o.period_start): o for o in occurrences}
    added: list[Occurrence] = []
    for change in changes:
        original = (
            by_key.pop((change.task_id, change.original_date, change.original_period_start), None)
            if change.kind != "makeup"
            else None
        )
        if change.kind == "cancel" or change.new_date is None:
            continue
        template = original or Occurrence(
            date=change.new_date,
            week=0,
            task_id=change.task_id,
            period_start=0,
            length=1,
            room_id=None,
            entry_id=None,
        )
        added.append(
            replace(
                template,
                date=change.new_date,
                week=calendar.week_of(change.new_date) or 0,
                period_start=change.new_period_start or template.period_start,
                length=change.new_length or template.length,
                room_id=change.new_room_id if change.new_room_id is not None else template.room_id,
                kind="makeup" if change.kind == "makeup" else "moved",
                adjustment_id=change.id,
            )
        )
    return [*by_key.values(), *added]
