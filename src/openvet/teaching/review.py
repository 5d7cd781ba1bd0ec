"""Review of a solver run's proposal before it is published (the academic-affairs view).

The proposal is read one timetable at a time: the week of one class, teacher or room, with
the lectures that moved away from the term's current timetable marked. "Moved" follows the
solver's perturbation rule (``timetabling.extensions.perturbation_count``): a proposed
lecture period counts as moved unless the current timetable holds the same task in the same
weekday, period and room.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from openvet.core.errors import NotFound
from openvet.teaching import selectors
from openvet.teaching.models import BellPeriod, Room, SolverRun, TeachingTask, Weekday
from openvet.teaching.services.solver import entries_from_result, session_starts, split_blocks

KINDS = ("class", "teacher", "room")
KIND_LABELS = {"class": _("Classes"), "teacher": _("Teachers"), "room": _("Rooms")}

Cell = tuple[int, int, int]  # task, weekday, period


@dataclass(frozen=True)
class Lecture:
    """One proposed lesson: consecutive periods of a task in one room on one day, split into
    the task's blocks (two double periods are two lessons), as publishing writes them."""

    task_id: int
    course: str
    teachers: str
    classes: str
    room: str
    weekday: int
    period_start: int
    length: int
    first: BellPeriod | None
    last: BellPeriod | None
    is_moved: bool
    # Who the lecture belongs to, as picker values ("class-12", "teacher-5", "room-3").
    targets: frozenset[str] = frozenset()

    @property
    def period_end(self) -> int:
        return self.period_start + self.length - 1


@dataclass
class Proposal:
    """A run's lectures with what the picker offers; built once per request."""

    run: SolverRun
    lectures: list[Lecture]
    bells: list[BellPeriod]
    weekdays: list[int]
    choices: dict[str, list[tuple[str, str]]]
    periods: int  # lecture periods proposed
    lessons: int  # timetable entries they make, as publishing writes them
    moved: int  # of which moved from the current timetable
    has_reference: bool  # the term has a current timetable to compare with

    @property
    def choice_groups(self) -> list[tuple[Any, list[tuple[str, str]]]]:
        return [(KIND_LABELS[kind], self.choices[kind]) for kind in KINDS if self.choices[kind]]

    @property
    def weekday_labels(self) -> list[Any]:
        return [Weekday(day).label for day in self.weekdays]

    def label_of(self, value: str) -> str | None:
        return next((label for v, label in self.all_choices() if v == value), None)

    def all_choices(self) -> list[tuple[str, str]]:
        return [choice for kind in KINDS for choice in self.choices[kind]]


@dataclass
class GridCell:
    weekday: int
    lectures: list[Lecture]
    rowspan: int = 1


@dataclass
class Review:
    """The week of one class, teacher or room: grid rows (desktop) and days (phone)."""

    value: str
    kind: str
    label: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    days: list[dict[str, Any]] = field(default_factory=list)
    lectures: int = 0
    moved: int = 0


def _reference(run: SolverRun) -> dict[tuple[int, int, int], int | None]:
    """(task, weekday, period) -> room of the term's current timetable."""
    cells: dict[tuple[int, int, int], int | None] = {}
    for entry in selectors.entries_for(term=run.term):
        for period in range(entry.period_start, entry.period_start + entry.length):
            cells.setdefault((entry.task_id, entry.weekday, period), entry.room_id)
    return cells


def _tasks(run: SolverRun) -> dict[int, TeachingTask]:
    return {
        t.pk: t
        for t in TeachingTask.objects.filter(term=run.term)
        .select_related("course")
        .prefetch_related("classes", "teachers")
    }


def _targets(task: TeachingTask, room_id: int) -> frozenset[str]:
    return frozenset(
        [f"class-{c.pk}" for c in task.classes.all()]
        + [f"teacher-{t.pk}" for t in task.teachers.all()]
        + [f"room-{room_id}"]
    )


def _choices(tasks: list[TeachingTask], rooms: list[Room]) -> dict[str, list[tuple[str, str]]]:
    classes = {c.pk: c.name for t in tasks for c in t.classes.all()}
    teachers = {u.pk: u.full_name for t in tasks for u in t.teachers.all()}
    return {
        "class": [(f"class-{pk}", name) for pk, name in sorted(classes.items(), key=_by_name)],
        "teacher": [(f"teacher-{pk}", name) for pk, name in sorted(teachers.items(), key=_by_name)],
        "room": [(f"room-{r.pk}", str(r)) for r in rooms],
    }


def _by_name(item: tuple[int, str]) -> tuple[str, int]:
    return item[1], item[0]


def proposal_of(run: SolverRun) -> Proposal:
    """The run's proposal, merged into lectures as publishing would merge it."""
    term = run.term
    tasks = _tasks(run)
    bells = selectors.bell_periods(term.org)
    by_number = {b.number: b for b in bells}
    reference = _reference(run)
    rows = [row for row in run.result if row[0] in tasks]
    room_ids = {row[1] for row in rows}
    rooms = list(Room.objects.filter(org=term.org, pk__in=room_ids).order_by("building", "number"))
    room_names = {r.pk: str(r) for r in rooms}
    lectures = []
    blocks = {t.pk: t.block for t in tasks.values()}
    for task_id, room_id, weekday, start, length in split_blocks(
        entries_from_result(rows, session_starts(bells)), blocks
    ):
        task = tasks[task_id]
        span = range(start, start + length)
        lectures.append(
            Lecture(
                task_id=task_id,
                course=task.course.name,
                teachers=", ".join(t.full_name for t in task.teachers.all()),
                classes=", ".join(c.name for c in task.classes.all()),
                room=room_names.get(room_id, ""),
                weekday=weekday,
                period_start=start,
                length=length,
                first=by_number.get(start),
                last=by_number.get(start + length - 1),
                is_moved=bool(reference)
                and any(reference.get((task_id, weekday, p)) != room_id for p in span),
                targets=_targets(task, room_id),
            )
        )
    used = {t for t, *_rest in rows}
    moved = sum(1 for t, room, day, period in rows if reference.get((t, day, period)) != room)
    used_days = {row[2] for row in rows}
    return Proposal(
        run=run,
        lectures=lectures,
        bells=bells,
        weekdays=[d for d in range(1, 8) if d <= term.teaching_days or d in used_days],
        choices=_choices([tasks[t] for t in sorted(used)], rooms),
        periods=len(rows),
        lessons=len(lectures),
        moved=moved if reference else 0,
        has_reference=bool(reference),
    )


def _clusters(lectures: list[Lecture]) -> list[GridCell]:
    """Lectures of one day grouped into cells: overlapping lectures share one cell, which
    spans the periods from the first start to the last end (so a clash stays visible)."""
    cells: list[GridCell] = []
    end = 0
    for lecture in sorted(lectures, key=lambda x: (x.period_start, x.period_end)):
        if cells and lecture.period_start <= end:
            cells[-1].lectures.append(lecture)
            end = max(end, lecture.period_end)
            cells[-1].rowspan = end - cells[-1].lectures[0].period_start + 1
        else:
            cells.append(GridCell(lecture.weekday, [lecture], lecture.length))
            end = lecture.period_end
    return cells


def _grid(proposal: Proposal, lectures: list[Lecture]) -> list[dict[str, Any]]:
    """Rows of the week grid, one per bell period; a cell a lecture above spans is left out."""
    starts = session_starts(proposal.bells)
    by_day: dict[int, list[Lecture]] = defaultdict(list)
    for lecture in lectures:
        by_day[lecture.weekday].append(lecture)
    placed: dict[tuple[int, int], GridCell] = {}
    covered: set[tuple[int, int]] = set()
    for day, day_lectures in by_day.items():
        for cell in _clusters(day_lectures):
            start = cell.lectures[0].period_start
            placed[(start, day)] = cell
            covered.update((start + offset, day) for offset in range(1, cell.rowspan))
    return [
        {
            "bell": bell,
            "is_session_start": bell.number in starts,
            "cells": [
                placed.get((bell.number, day), GridCell(day, []))
                for day in proposal.weekdays
                if (bell.number, day) not in covered
            ],
        }
        for bell in proposal.bells
    ]


def review_for(proposal: Proposal, value: str) -> Review | None:
    """The week of the picked class, teacher or room (the first class when none is picked,
    None when the proposal holds no lecture); ``NotFound`` for a value it does not offer."""
    choices = proposal.all_choices()
    if not choices:
        return None
    value = value or choices[0][0]
    label = proposal.label_of(value)
    if label is None:
        raise NotFound()
    lectures = [lecture for lecture in proposal.lectures if value in lecture.targets]
    review = Review(value=value, kind=value.split("-", 1)[0], label=label)
    review.rows = _grid(proposal, lectures)
    review.days = [
        {
            "label": Weekday(day).label,
            "lectures": sorted(
                (x for x in lectures if x.weekday == day), key=lambda x: x.period_start
            ),
        }
        for day in proposal.weekdays
    ]
    review.lectures = len(lectures)
    review.moved = sum(1 for lecture in lectures if lecture.is_moved)
    return review
