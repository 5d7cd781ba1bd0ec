"""Each school extension on the tiny instance: scored by hand, then honoured by solve()."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from openvet.teaching.timetabling import (
    Assignment,
    FixedLecture,
    InstanceError,
    Problem,
    Weights,
    parse_ctt,
    parse_solution,
    score,
    solve,
)
from openvet.teaching.timetabling.tests.util import SOLUTION, TINY


def _problem() -> Problem:
    return parse_ctt(TINY)


def _solution(problem: Problem) -> list[Assignment]:
    return parse_solution(SOLUTION, problem).assignments


def _solve(problem: Problem) -> list[Assignment]:
    result = solve(problem, max_iterations=60_000, seed=5)
    assert result.report.feasible, result.report.hard
    return result.assignments


def test_teacher_unavailability() -> None:
    problem = _problem()
    problem.teacher_unavailable = {("t1", 0, p) for p in range(3)}
    # SOLUTION teaches c1 (t1) twice on day 0.
    assert score(problem, _solution(problem)).hard["Availability"] == 2
    lectures = _solve(problem)
    assert all(a.day == 1 for a in lectures if a.course in ("c1", "c3"))


def test_teacher_preferences() -> None:
    problem = _problem()
    problem.teacher_dislikes = {("t2", 0, 2): 3}
    report = score(problem, _solution(problem))
    assert (report.soft["TeacherPreference"].raw, report.total_soft) == (3, 21 + 3)
    problem.teacher_dislikes = {("t2", 1, p): 10 for p in range(3)}
    assert all(a.day == 0 for a in _solve(problem) if a.course == "c2")


def test_room_types() -> None:
    problem = _problem()
    problem.rooms = [replace(problem.rooms[0], room_type="lab"), problem.rooms[1]]
    problem.courses[1] = replace(problem.courses[1], room_type="lab")
    # c2 is once in rB, which is not a lab.
    assert score(problem, _solution(problem)).hard["RoomType"] == 1
    assert all(a.room == "rA" for a in _solve(problem) if a.course == "c2")


def test_consecutive_blocks() -> None:
    problem = _problem()
    problem.courses[0] = replace(problem.courses[0], block=2)
    # c1 at (0,0) in rB and (0,1) in rA: consecutive but not in one room -> 2 unblocked.
    assert score(problem, _solution(problem)).hard["Blocks"] == 2
    c1 = sorted((a.day, a.period, a.room) for a in _solve(problem) if a.course == "c1")
    assert c1[0][0] == c1[1][0]
    assert c1[1][1] == c1[0][1] + 1
    assert c1[0][2] == c1[1][2]


def test_fixed_lectures() -> None:
    problem = _problem()
    problem.fixed = [FixedLecture("c3", 0, 1, "rA"), FixedLecture("c2", 1, 1)]
    assert score(problem, _solution(problem)).hard["Fixed"] == 2
    lectures = _solve(problem)
    assert Assignment("c3", "rA", 0, 1) in lectures
    assert any(a.course == "c2" and (a.day, a.period) == (1, 1) for a in lectures)


def test_curriculum_daily_maximum() -> None:
    problem = _problem()
    problem.curricula[0] = replace(problem.curricula[0], max_daily_lectures=1)
    # q1 has c1, c1, c2 on day 0: 2 above the maximum of 1; day 1 has 1.
    assert score(problem, _solution(problem)).soft["CurriculumDailyMax"].raw == 2
    problem.curricula[0] = replace(problem.curricula[0], max_daily_lectures=2)
    problem.weights = Weights(curriculum_daily_max=50)
    q1_days = Counter(a.day for a in _solve(problem) if a.course in ("c1", "c2"))
    assert max(q1_days.values()) <= 2


def test_minimal_perturbation() -> None:
    problem = _problem()
    reference = _solution(problem)
    problem.reference = reference
    moved = [*reference[:-1], Assignment("c3", "rA", 1, 1)]
    report = score(problem, moved)
    assert report.soft["Perturbation"].raw == 1
    # Moving any lecture costs 100, more than the 19 the tiny timetable can gain.
    problem.weights = Weights(perturbation=100)
    assert sorted(_solve(problem), key=str) == sorted(reference, key=str)
    # With a cheap perturbation weight the solver does improve the timetable.
    problem.weights = Weights(perturbation=1)
    result = solve(problem, max_iterations=60_000, seed=5)
    assert result.report.total_soft < 21


def test_blocks_do_not_span_the_lunch_break() -> None:
    problem = _problem()
    problem.courses[0] = replace(problem.courses[0], block=2)
    # c1 twice in rB at periods 1 and 2 of day 0: a block, unless lunch falls between them.
    lectures = [
        Assignment("c1", "rB", 0, 1),
        Assignment("c1", "rB", 0, 2),
        *[a for a in _solution(problem) if a.course != "c1"],
    ]
    assert score(problem, lectures).hard["Blocks"] == 0
    problem.session_starts = frozenset({2})
    assert score(problem, lectures).hard["Blocks"] == 2
    for seed in range(4):
        result = solve(problem, max_iterations=60_000, seed=seed)
        assert result.report.feasible, result.report.hard
        c1 = sorted(a.period for a in result.assignments if a.course == "c1")
        assert c1 == [0, 1]  # periods 0-1 are the only double period of the morning


def test_session_start_outside_the_day_is_refused() -> None:
    problem = _problem()
    problem.session_starts = frozenset({3})
    with pytest.raises(InstanceError, match="session"):
        problem.validate()
