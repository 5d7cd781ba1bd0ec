"""Problem model for curriculum-based course timetabling (CB-CTT).

The model is a superset of ITC-2007 Track 3 (the ``.ctt`` format): the optional fields
carry the extensions a vocational college needs (teacher availability and preferences,
room types, consecutive blocks, fixed lectures, curriculum daily maxima and minimal
perturbation). A ``Problem`` built only from a ``.ctt`` file leaves them empty, and then
the scorer and solver reproduce the ITC-2007 UD2 objective exactly.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from openvet.teaching.timetabling.errors import InstanceError

Slot = tuple[int, int]  # (day, period within the day)


@dataclass(frozen=True)
class Course:
    name: str
    teacher: str
    lectures: int
    min_working_days: int
    students: int
    room_type: str | None = None  # if set, every lecture needs a room of this type
    block: int = 1  # 2 or 3: lectures come in consecutive blocks on one day, same room


@dataclass(frozen=True)
class Room:
    name: str
    capacity: int
    room_type: str | None = None


@dataclass(frozen=True)
class Curriculum:
    name: str
    courses: tuple[str, ...]
    max_daily_lectures: int | None = None  # soft limit per day, None = no limit


@dataclass(frozen=True)
class Assignment:
    """One lecture of ``course`` in ``room`` at (``day``, ``period``)."""

    course: str
    room: str
    day: int
    period: int


@dataclass(frozen=True)
class FixedLecture:
    """A pre-assigned lecture: the course must have a lecture in this slot (and room)."""

    course: str
    day: int
    period: int
    room: str | None = None


@dataclass(frozen=True)
class Weights:
    """Soft constraint weights; the first four are the ITC-2007 UD2 weights."""

    room_capacity: int = 1
    min_working_days: int = 5
    isolated_lectures: int = 2
    room_stability: int = 1
    teacher_preference: int = 1
    curriculum_daily_max: int = 1
    perturbation: int = 1


@dataclass
class Problem:
    name: str
    days: int
    periods_per_day: int
    courses: list[Course]
    rooms: list[Room]
    curricula: list[Curriculum]
    # course unavailability, as in the .ctt UNAVAILABILITY_CONSTRAINTS section
    unavailable: set[tuple[str, int, int]] = field(default_factory=set)
    # extensions ---------------------------------------------------------------
    teacher_unavailable: set[tuple[str, int, int]] = field(default_factory=set)
    teacher_dislikes: dict[tuple[str, int, int], int] = field(default_factory=dict)
    fixed: list[FixedLecture] = field(default_factory=list)
    reference: list[Assignment] | None = None
    # periods (0-based, within the day) that begin a session after a long break (lunch,
    # dinner): a block of consecutive periods may not span such a break
    session_starts: frozenset[int] = frozenset()
    weights: Weights = field(default_factory=Weights)

    @property
    def periods(self) -> int:
        return self.days * self.periods_per_day

    @property
    def total_lectures(self) -> int:
        return sum(c.lectures for c in self.courses)

    def course_index(self) -> dict[str, int]:
        return {c.name: i for i, c in enumerate(self.courses)}

    def room_index(self) -> dict[str, int]:
        return {r.name: i for i, r in enumerate(self.rooms)}

    def teachers(self) -> list[str]:
        return sorted({c.teacher for c in self.courses})

    def validate(self) -> None:
        """Raise :class:`InstanceError` when the problem cannot be solved at all."""
        if self.days <= 0 or self.periods_per_day <= 0:
            raise InstanceError("Days and Periods_per_day must be positive")
        if not self.rooms and self.total_lectures:
            raise InstanceError("there are lectures but no rooms")
        _check_unique("course", [c.name for c in self.courses])
        _check_unique("room", [r.name for r in self.rooms])
        _check_unique("curriculum", [q.name for q in self.curricula])
        capacity = len(self.rooms) * self.periods
        if self.total_lectures > capacity:
            raise InstanceError(
                f"impossible: {self.total_lectures} lectures but only {capacity} room-periods"
            )
        if any(not 0 < s < self.periods_per_day for s in self.session_starts):
            raise InstanceError("a session must start within the day, after its first period")
        courses = self.course_index()
        for c in self.courses:
            if c.lectures > self.periods:
                raise InstanceError(
                    f"impossible: course {c.name} has {c.lectures} lectures "
                    f"but the week has {self.periods} periods"
                )
            if c.block not in (1, 2, 3):
                raise InstanceError(f"course {c.name}: block must be 1, 2 or 3")
        for q in self.curricula:
            for name in q.courses:
                if name not in courses:
                    raise InstanceError(f"curriculum {q.name}: unknown course {name}")
        self._validate_fixed(courses)

    def _validate_fixed(self, courses: dict[str, int]) -> None:
        rooms = self.room_index()
        per_course: Counter[str] = Counter()
        used: set[tuple[str, int, int]] = set()
        for f in self.fixed:
            if f.course not in courses:
                raise InstanceError(f"fixed lecture: unknown course {f.course}")
            if f.room is not None and f.room not in rooms:
                raise InstanceError(f"fixed lecture: unknown room {f.room}")
            if not (0 <= f.day < self.days and 0 <= f.period < self.periods_per_day):
                raise InstanceError(f"fixed lecture of {f.course}: slot out of range")
            if f.room is not None:
                if (f.room, f.day, f.period) in used:
                    raise InstanceError(f"fixed lectures share room {f.room} in one slot")
                used.add((f.room, f.day, f.period))
            per_course[f.course] += 1
        for name, n in per_course.items():
            if n > self.courses[courses[name]].lectures:
                raise InstanceError(f"course {name} has more fixed lectures than lectures")


def _check_unique(kind: str, names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InstanceError(f"duplicate {kind} name {name}")
        seen.add(name)


def conflicting_pairs(problem: Problem) -> set[tuple[int, int]]:
    """Pairs (i < j) of course indices sharing a teacher or a curriculum."""
    index = problem.course_index()
    pairs: set[tuple[int, int]] = set()
    for q in problem.curricula:
        members = sorted({index[n] for n in q.courses})
        for a, i in enumerate(members):
            for j in members[a + 1 :]:
                pairs.add((i, j))
    by_teacher: dict[str, list[int]] = {}
    for i, c in enumerate(problem.courses):
        by_teacher.setdefault(c.teacher, []).append(i)
    for members in by_teacher.values():
        for a, i in enumerate(members):
            for j in members[a + 1 :]:
                pairs.add((i, j))
    return pairs
