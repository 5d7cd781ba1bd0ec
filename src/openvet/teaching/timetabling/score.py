"""Scorer: hard violations by kind and soft penalty by component.

The four hard kinds and four soft components follow the ITC-2007 Track 3 validator
(UD2): see ``/shared/benchmarks/cbctt/README.md``. Extension components are reported only
when the problem uses the extension, so plain ``.ctt`` problems give the UD2 report.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from openvet.teaching.timetabling.model import Assignment, Problem, conflicting_pairs


@dataclass(frozen=True)
class SoftComponent:
    raw: int  # violations counted (students over, days missing, ...)
    weight: int

    @property
    def penalty(self) -> int:
        return self.raw * self.weight


@dataclass
class Report:
    hard: dict[str, int]
    soft: dict[str, SoftComponent]
    warnings: list[str] = field(default_factory=list)

    @property
    def total_hard(self) -> int:
        return sum(self.hard.values())

    @property
    def total_soft(self) -> int:
        return sum(c.penalty for c in self.soft.values())

    @property
    def feasible(self) -> bool:
        return self.total_hard == 0

    def format(self) -> str:
        lines = [f"Hard violations: {self.total_hard}"]
        lines += [f"  {kind:<20} {n}" for kind, n in self.hard.items()]
        lines.append(f"Soft penalty: {self.total_soft}")
        lines += [
            f"  {name:<20} {c.penalty:>6}  ({c.raw} x {c.weight})" for name, c in self.soft.items()
        ]
        return "\n".join(lines)


def _clean(
    problem: Problem, assignments: Iterable[Assignment]
) -> tuple[list[Assignment], list[str]]:
    """Drop lectures the validator would skip: unknown names, bad slots, course repeats."""
    courses, rooms = problem.course_index(), problem.room_index()
    kept: list[Assignment] = []
    warnings: list[str] = []
    seen: set[tuple[str, int, int]] = set()
    for a in assignments:
        if a.course not in courses or a.room not in rooms:
            warnings.append(f"skipped {a}: unknown course or room")
        elif not (0 <= a.day < problem.days and 0 <= a.period < problem.periods_per_day):
            warnings.append(f"skipped {a}: slot out of range")
        elif (a.course, a.day, a.period) in seen:
            warnings.append(f"skipped {a}: course already taught in that period")
        else:
            seen.add((a.course, a.day, a.period))
            kept.append(a)
    return kept, warnings


def score(problem: Problem, assignments: Iterable[Assignment]) -> Report:
    """Score a timetable given as a list of lectures."""
    lectures, warnings = _clean(problem, assignments)
    report = Report(hard=_hard(problem, lectures), soft=_soft(problem, lectures), warnings=warnings)
    _extensions(problem, lectures, report)
    return report


def _hard(problem: Problem, lectures: list[Assignment]) -> dict[str, int]:
    placed = Counter(a.course for a in lectures)
    missing = sum(abs(placed[c.name] - c.lectures) for c in problem.courses)
    occupancy = Counter((a.room, a.day, a.period) for a in lectures)
    room_clash = sum(n - 1 for n in occupancy.values() if n > 1)
    index = problem.course_index()
    slots_of: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for a in lectures:
        slots_of[index[a.course]].add((a.day, a.period))
    conflicts = sum(len(slots_of[i] & slots_of[j]) for i, j in conflicting_pairs(problem))
    teacher = {c.name: c.teacher for c in problem.courses}
    availability = sum(
        1
        for a in lectures
        if (a.course, a.day, a.period) in problem.unavailable
        or (teacher[a.course], a.day, a.period) in problem.teacher_unavailable
    )
    return {
        "Lectures": missing,
        "RoomOccupancy": room_clash,
        "Conflicts": conflicts,
        "Availability": availability,
    }


def _soft(problem: Problem, lectures: list[Assignment]) -> dict[str, SoftComponent]:
    w = problem.weights
    courses = {c.name: c for c in problem.courses}
    capacity = {r.name: r.capacity for r in problem.rooms}
    over = sum(max(0, courses[a.course].students - capacity[a.room]) for a in lectures)
    days: dict[str, set[int]] = defaultdict(set)
    rooms: dict[str, set[str]] = defaultdict(set)
    for a in lectures:
        days[a.course].add(a.day)
        rooms[a.course].add(a.room)
    short = sum(max(0, c.min_working_days - len(days[c.name])) for c in problem.courses)
    extra_rooms = sum(max(0, len(rooms[c.name]) - 1) for c in problem.courses)
    return {
        "RoomCapacity": SoftComponent(over, w.room_capacity),
        "MinWorkingDays": SoftComponent(short, w.min_working_days),
        "IsolatedLectures": SoftComponent(_isolated(problem, lectures), w.isolated_lectures),
        "RoomStability": SoftComponent(extra_rooms, w.room_stability),
    }


def curriculum_counts(
    problem: Problem, lectures: list[Assignment]
) -> list[Counter[tuple[int, int]]]:
    """Per curriculum, the number of its lectures in each (day, period)."""
    per_course: dict[str, Counter[tuple[int, int]]] = defaultdict(Counter)
    for a in lectures:
        per_course[a.course][(a.day, a.period)] += 1
    result = []
    for q in problem.curricula:
        total: Counter[tuple[int, int]] = Counter()
        for name in set(q.courses):
            total.update(per_course[name])
        result.append(total)
    return result


def _isolated(problem: Problem, lectures: list[Assignment]) -> int:
    # Counted per curriculum: a lecture shared by three curricula can count three times.
    isolated = 0
    for counts in curriculum_counts(problem, lectures):
        for (day, period), n in counts.items():
            if n and counts[(day, period - 1)] == 0 and counts[(day, period + 1)] == 0:
                isolated += n
    return isolated


def _extensions(problem: Problem, lectures: list[Assignment], report: Report) -> None:
    # Imported here to keep this module focused on the ITC-2007 definition.
    from openvet.teaching.timetabling.extensions import score_extensions

    score_extensions(problem, lectures, report)
