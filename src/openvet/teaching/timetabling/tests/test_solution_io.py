from __future__ import annotations

from pathlib import Path

import pytest

from openvet.teaching.timetabling import (
    SolutionError,
    parse_ctt,
    parse_solution,
    read_solution,
    score,
    write_solution,
)
from openvet.teaching.timetabling.tests.util import SOLUTION, TINY


def test_round_trip(tmp_path: Path) -> None:
    problem = parse_ctt(TINY)
    lectures = parse_solution(SOLUTION, problem).assignments
    path = tmp_path / "tiny.sol"
    write_solution(path, lectures)
    assert path.read_text() == SOLUTION
    assert read_solution(path, problem).assignments == lectures


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("c9 rA 0 0", "unknown course c9"),
        ("c1 B 0 0", "unknown room B"),
        ("c1 rA 2 0", "out of range"),
        ("c1 rA 0 3", "out of range"),
        ("c1 rA x 0", "must be integers"),
        ("c1 rA 0", "4 fields"),
    ],
)
def test_wrong_instance_lines(line: str, message: str) -> None:
    problem = parse_ctt(TINY)
    text = SOLUTION + line + "\n"
    with pytest.raises(SolutionError, match=message) as info:
        parse_solution(text, problem, source="s.sol")
    assert info.value.line == 6
    assert str(info.value).startswith("s.sol:6: ")


def test_wrong_lecture_count() -> None:
    problem = parse_ctt(TINY)
    with pytest.raises(SolutionError, match=r"c1 has 1 lectures .* requires 2") as info:
        parse_solution("\n".join(SOLUTION.splitlines()[1:]), problem)
    assert info.value.line == 1
    with pytest.raises(SolutionError, match="already has a lecture"):
        parse_solution(SOLUTION + "c3 rB 1 2\n", problem)


def test_lenient_mode_skips_and_scores_h1() -> None:
    problem = parse_ctt(TINY)
    read = parse_solution(SOLUTION.replace("c2 rB 1 0", "c2 B 1 0"), problem, lenient=True)
    assert read.warnings == ["line 4: unknown room B (solution for another instance?)"]
    assert score(problem, read.assignments).hard["Lectures"] == 1
