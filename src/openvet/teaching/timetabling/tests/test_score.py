"""Scorer checks on hand-made timetables; every expected number is derived in comments."""

from __future__ import annotations

from openvet.teaching.timetabling import Assignment, parse_ctt, parse_solution, score
from openvet.teaching.timetabling.tests.util import SOLUTION, TINY


def _lines(text: str) -> list[Assignment]:
    result = []
    for line in text.strip().splitlines():
        course, room, day, period = line.split()
        result.append(Assignment(course, room, int(day), int(period)))
    return result


def test_feasible_solution_soft_components() -> None:
    problem = parse_ctt(TINY)
    report = score(problem, parse_solution(SOLUTION, problem).assignments)
    assert report.hard == {"Lectures": 0, "RoomOccupancy": 0, "Conflicts": 0, "Availability": 0}
    soft = {name: (c.raw, c.penalty) for name, c in report.soft.items()}
    # c1 (20 students) in rA (10 seats) once: 10 over; c2 (10) in rA fits exactly.
    assert soft["RoomCapacity"] == (10, 10)
    # c1 needs 2 days but is taught on day 0 only: 1 day short x 5.
    assert soft["MinWorkingDays"] == (1, 5)
    # q1 on day 0 fills periods 0,1,2 (none isolated); on day 1 only c2 at period 0 is
    # alone (1); q2 has c3 alone at day 1 period 2 (1). 2 lectures x 2.
    assert soft["IsolatedLectures"] == (2, 4)
    # c1 uses rB and rA, c2 uses rA and rB: one extra room each.
    assert soft["RoomStability"] == (2, 2)
    assert report.total_soft == 21
    assert report.feasible


def test_hard_violations_by_kind() -> None:
    problem = parse_ctt(TINY)
    lectures = _lines(
        """
        c1 rA 0 0
        c1 rA 0 0
        c2 rA 0 0
        c2 rB 1 2
        c3 rB 0 0
        """
    )
    report = score(problem, lectures)
    # second c1 line repeats the period: skipped like the validator -> c1 is one short.
    assert report.hard["Lectures"] == 1
    assert len(report.warnings) == 1
    # rA at (0,0) holds c1 and c2.
    assert report.hard["RoomOccupancy"] == 1
    # (c1,c2) share q1 at (0,0); (c1,c3) share teacher t1 at (0,0).
    assert report.hard["Conflicts"] == 2
    # c2 may not be taught at day 1 period 2.
    assert report.hard["Availability"] == 1
    assert report.total_hard == 5
    assert not report.feasible


def test_pair_sharing_teacher_and_curricula_counts_once_per_period() -> None:
    text = TINY.replace("Curricula: 2", "Curricula: 3").replace(
        "q2 1 c3\n", "q2 1 c3\nq3 2 c1 c3\n"
    )
    problem = parse_ctt(text)
    lectures = _lines("c1 rA 0 0\nc1 rA 1 0\nc2 rB 0 1\nc2 rB 1 1\nc3 rB 0 0")
    # c1 and c3 share teacher t1 and curriculum q3, clash at (0,0): one violation.
    assert score(problem, lectures).hard["Conflicts"] == 1


def test_isolated_lectures_count_per_curriculum() -> None:
    text = TINY.replace("q2 1 c3", "q2 2 c3 c2")
    problem = parse_ctt(text)
    lectures = _lines("c1 rB 0 0\nc1 rB 1 0\nc2 rA 0 2\nc2 rA 1 2\nc3 rA 0 1")
    report = score(problem, lectures)
    # q1 = {c1, c2}: day 0 has periods 0 and 2 (both isolated), day 1 too -> 4.
    # q2 = {c3, c2}: day 0 periods 1 and 2 adjacent (0); day 1 period 2 alone -> 1.
    # The c2 lecture at (1,2) is thus counted in both curricula.
    assert report.soft["IsolatedLectures"].raw == 5
    assert report.soft["IsolatedLectures"].penalty == 10


def test_missing_and_extra_lectures_are_hard() -> None:
    problem = parse_ctt(TINY)
    lectures = [*_lines(SOLUTION)[1:], Assignment("c3", "rB", 0, 0)]
    # c1 one short, c3 one extra.
    assert score(problem, lectures).hard["Lectures"] == 2


def test_report_format_lists_components() -> None:
    problem = parse_ctt(TINY)
    text = score(problem, _lines(SOLUTION)).format()
    assert "Hard violations: 0" in text
    assert "Soft penalty: 21" in text
    assert "MinWorkingDays" in text
    assert "(1 x 5)" in text
