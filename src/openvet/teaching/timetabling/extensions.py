"""Scoring of the school extensions that go beyond ITC-2007 (see ``model.Problem``)."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from openvet.teaching.timetabling.model import Assignment, Problem

if TYPE_CHECKING:
    from openvet.teaching.timetabling.score import Report


def score_extensions(problem: Problem, lectures: list[Assignment], report: Report) -> None:
    from openvet.teaching.timetabling.score import SoftComponent, curriculum_counts

    w = problem.weights
    courses = {c.name: c for c in problem.courses}
    if any(c.room_type is not None for c in problem.courses):
        room_type = {r.name: r.room_type for r in problem.rooms}
        report.hard["RoomType"] = sum(
            1 for a in lectures if courses[a.course].room_type not in (None, room_type[a.room])
        )
    if problem.fixed:
        report.hard["Fixed"] = _fixed_missing(problem, lectures)
    if any(c.block > 1 for c in problem.courses):
        report.hard["Blocks"] = sum(
            _unblocked(problem, c.name, c.block, lectures) for c in problem.courses if c.block > 1
        )
    if problem.teacher_dislikes:
        raw = sum(
            problem.teacher_dislikes.get((courses[a.course].teacher, a.day, a.period), 0)
            for a in lectures
        )
        report.soft["TeacherPreference"] = SoftComponent(raw, w.teacher_preference)
    if any(q.max_daily_lectures is not None for q in problem.curricula):
        excess = 0
        for q, counts in zip(problem.curricula, curriculum_counts(problem, lectures), strict=True):
            if q.max_daily_lectures is None:
                continue
            per_day: Counter[int] = Counter()
            for (day, _period), n in counts.items():
                per_day[day] += n
            excess += sum(max(0, n - q.max_daily_lectures) for n in per_day.values())
        report.soft["CurriculumDailyMax"] = SoftComponent(excess, w.curriculum_daily_max)
    if problem.reference is not None:
        report.soft["Perturbation"] = SoftComponent(
            perturbation_count(problem.reference, lectures), w.perturbation
        )


def reference_rooms(reference: list[Assignment]) -> dict[tuple[str, int, int], str]:
    """(course, day, period) -> room of the reference timetable (first one if repeated)."""
    result: dict[tuple[str, int, int], str] = {}
    for a in reference:
        result.setdefault((a.course, a.day, a.period), a.room)
    return result


def perturbation_count(reference: list[Assignment], lectures: list[Assignment]) -> int:
    """Lectures not found at the same period and room in the reference timetable."""
    ref = reference_rooms(reference)
    return sum(1 for a in lectures if ref.get((a.course, a.day, a.period)) != a.room)


def _fixed_missing(problem: Problem, lectures: list[Assignment]) -> int:
    where = {(a.course, a.day, a.period): a.room for a in lectures}
    missing = 0
    for f in problem.fixed:
        room = where.get((f.course, f.day, f.period))
        if room is None or (f.room is not None and room != f.room):
            missing += 1
    return missing


def _unblocked(problem: Problem, course: str, block: int, lectures: list[Assignment]) -> int:
    """Lectures not in a run of ``block`` consecutive periods (same day, same room, one
    session: a run ends at a break in ``problem.session_starts``).

    A run of length L leaves ``L mod block`` lectures unblocked; a course whose lecture
    count is not a multiple of ``block`` is allowed that remainder.
    """
    room_at: dict[int, dict[int, str]] = defaultdict(dict)
    total_lectures = 0
    for a in lectures:
        if a.course == course:
            room_at[a.day][a.period] = a.room
            total_lectures += 1
    unblocked = 0
    for slots in room_at.values():
        run, previous_room, previous_period = 0, "", -2
        for period in sorted(slots):
            if (
                run
                and period == previous_period + 1
                and slots[period] == previous_room
                and period not in problem.session_starts
            ):
                run += 1
            else:
                unblocked += run % block
                run = 1
            previous_room, previous_period = slots[period], period
        unblocked += run % block
    return max(0, unblocked - total_lectures % block)
