from __future__ import annotations

import threading
from dataclasses import replace

import numpy as np
import pytest

from openvet.teaching.timetabling import (
    Problem,
    load_ctt,
    parse_ctt,
    parse_solution,
    score,
    solve,
)
from openvet.teaching.timetabling.anneal import anneal
from openvet.teaching.timetabling.compiled import compile_problem
from openvet.teaching.timetabling.kernels import construct, full_cost
from openvet.teaching.timetabling.tests.util import CBCTT, SOLUTION, TINY


def _with_extensions() -> Problem:
    """TINY with a double-period course split by a lunch break, a reference timetable to
    keep and a disliked period: every extension table of the kernels is in play."""
    problem = parse_ctt(TINY)
    problem.courses[0] = replace(problem.courses[0], block=2)
    problem.session_starts = frozenset({2})
    problem.reference = parse_solution(SOLUTION, problem).assignments
    problem.teacher_dislikes = {("t2", 0, 0): 2}
    return problem


@pytest.mark.parametrize("problem", [parse_ctt(TINY), _with_extensions()], ids=["ud2", "ext"])
def test_incremental_cost_matches_full_recomputation(problem: Problem) -> None:
    compiled = compile_problem(problem, hard_weight=10)
    state = compiled.new_state()
    rng = np.array([7], dtype=np.uint64)
    construct(compiled.arrays, state, compiled.target_period, compiled.target_room,
              compiled.hint_period, compiled.hint_room, rng)  # fmt: skip
    hard, soft = full_cost(compiled.arrays, state)
    cur = np.array([hard, soft, hard, soft], dtype=np.int64)
    best_p, best_r = state[0].copy(), state[1].copy()
    movable = np.arange(compiled.n_lectures, dtype=np.int64)
    kempe = (0.2, np.zeros((2 * len(problem.rooms) + 1, 4), dtype=np.int64))
    scratch = (0.5, np.zeros(3, dtype=np.int64), np.zeros((3, 6), dtype=np.int64), *kempe)
    for temperature in (50.0, 5.0, 0.5):  # hot: many accepted moves, incl. clashes
        anneal(compiled.arrays, state, movable, best_p, best_r, cur, rng, 2000, temperature,
               0.1, 0.5, 0, *scratch)  # fmt: skip
        assert tuple(cur[:2]) == full_cost(compiled.arrays, state)
        anneal(compiled.arrays, state, movable, best_p, best_r, cur, rng, 2000, temperature,
               0.1, 0.5, 1, *scratch)  # fmt: skip
        assert tuple(cur[:2]) == full_cost(compiled.arrays, state)
    report = score(problem, compiled.assignments(best_p, best_r))
    assert (report.total_hard == 0) == (cur[2] == 0)
    assert report.total_soft == cur[3]


def test_tiny_instance_solved_to_optimum() -> None:
    problem = parse_ctt(TINY)
    result = solve(problem, max_iterations=50_000, seed=3)
    assert result.report.feasible
    # lower bound: c1 (20 students) fits only rB, so no capacity cost is forced; q2 = {c3}
    # has one lecture, which is always isolated (2). 2 is reachable.
    assert result.report.total_soft == 2
    assert result.stopped == "completed"


def test_same_seed_same_result() -> None:
    problem = parse_ctt(TINY)
    a = solve(problem, max_iterations=20_000, seed=11)
    b = solve(problem, max_iterations=20_000, seed=11)
    assert a.assignments == b.assignments
    assert a.iterations == b.iterations == 20_000


def test_callback_stop_returns_best_so_far() -> None:
    problem = parse_ctt(TINY)
    seen: list[float] = []

    def progress(fraction: float, hard: int, soft: int) -> bool:
        seen.append(fraction)
        return len(seen) < 3

    result = solve(problem, max_iterations=10**9, seed=1, progress=progress)
    assert result.stopped == "callback"
    assert len(result.assignments) == problem.total_lectures
    assert result.report.hard["Lectures"] == 0
    assert seen == sorted(seen)


def test_stop_event_and_time_limit() -> None:
    problem = parse_ctt(TINY)
    event = threading.Event()
    event.set()
    assert solve(problem, time_limit=60, seed=1, stop=event).stopped == "stop"
    result = solve(problem, time_limit=0.3, seed=1)
    assert result.stopped == "time"
    assert result.seconds < 5


def test_needs_a_limit() -> None:
    with pytest.raises(ValueError, match="time_limit"):
        solve(parse_ctt(TINY))


@pytest.mark.skipif(not CBCTT.exists(), reason="shared benchmark data not present")
def test_comp01_feasible_quickly() -> None:
    problem = load_ctt(CBCTT / "comp01.ctt")
    result = solve(problem, max_iterations=300_000, seed=1)
    assert result.report.feasible
    assert result.report.total_soft < 100  # best known 5; construction alone gives ~600
