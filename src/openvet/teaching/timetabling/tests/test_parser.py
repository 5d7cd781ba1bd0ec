from __future__ import annotations

import pytest

from openvet.teaching.timetabling import InstanceError, load_ctt, parse_ctt
from openvet.teaching.timetabling.tests.util import CBCTT, TINY


def test_parses_tiny_instance() -> None:
    problem = parse_ctt(TINY)
    assert problem.name == "Tiny"
    assert (problem.days, problem.periods_per_day, problem.periods) == (2, 3, 6)
    assert [c.name for c in problem.courses] == ["c1", "c2", "c3"]
    assert problem.courses[0].teacher == "t1"
    assert problem.courses[0].students == 20
    assert problem.rooms[1].capacity == 30
    assert problem.curricula[0].courses == ("c1", "c2")
    assert problem.unavailable == {("c2", 1, 2)}
    assert problem.total_lectures == 5


def _error(text: str) -> InstanceError:
    with pytest.raises(InstanceError) as info:
        parse_ctt(text, source="x.ctt")
    return info.value


def test_missing_section_names_line() -> None:
    err = _error(TINY.replace("ROOMS:\n", ""))
    assert "ROOMS" in str(err)
    assert err.line == 14  # the line where "ROOMS:" was expected (first room line)
    assert str(err).startswith("x.ctt:14: ")


def test_fewer_lines_than_announced() -> None:
    err = _error(TINY.replace("Courses: 3", "Courses: 4"))
    assert "COURSES has 3 lines but the header announces 4" in str(err)
    assert err.line == 14


def test_more_lines_than_announced() -> None:
    err = _error(TINY.replace("Constraints: 1", "Constraints: 0"))
    assert err.line == 23
    assert "END." in str(err)


def test_unknown_course_in_curriculum_and_constraint() -> None:
    err = _error(TINY.replace("q1 2 c1 c2", "q1 2 c1 c9"))
    assert (err.line, "unknown course c9" in str(err)) == (19, True)
    err = _error(TINY.replace("c2 1 2", "c7 1 2"))
    assert err.line == 23
    assert "unknown course c7" in str(err)


def test_bad_numbers() -> None:
    err = _error(TINY.replace("c2 t2 2 1 10", "c2 t2 two 1 10"))
    assert err.line == 11
    assert "lectures must be an integer" in str(err)
    assert _error(TINY.replace("Days: 2", "Days: -2")).line == 4
    assert _error(TINY.replace("q1 2 c1 c2", "q1 3 c1 c2")).line == 19
    assert _error(TINY.replace("c2 1 2", "c2 1 3")).line == 23  # period out of range


def test_missing_end_and_header() -> None:
    assert "END." in str(_error(TINY.replace("END.", "")))
    assert _error(TINY.replace("Rooms: 2\n", "")).line == 3


def test_impossible_problem() -> None:
    text = TINY.replace("c3 t1 1 1 5", "c3 t1 9 1 5")
    err = _error(text)
    assert "impossible" in str(err)
    assert "13 lectures but only 12 room-periods" in str(err)


def test_load_missing_file(tmp_path: object) -> None:
    with pytest.raises(InstanceError, match="cannot read"):
        load_ctt("/nonexistent/x.ctt")


@pytest.mark.skipif(not CBCTT.exists(), reason="shared benchmark data not present")
def test_loads_all_itc2007_instances() -> None:
    sizes = {}
    for n in range(1, 22):
        problem = load_ctt(CBCTT / f"comp{n:02d}.ctt")
        sizes[n] = (len(problem.courses), problem.total_lectures, len(problem.rooms))
    assert sizes[1] == (30, 160, 6)
    assert sizes[5] == (54, 152, 9)
    assert sizes[12] == (88, 218, 11)
