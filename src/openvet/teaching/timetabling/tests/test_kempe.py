"""The Kempe-chain move: its cost change equals a full recomputation, undo restores the
timetable, and a chain never creates a clash in a clash-free timetable."""

from __future__ import annotations

import numpy as np
import pytest

from openvet.teaching.timetabling import Problem, load_ctt, parse_ctt
from openvet.teaching.timetabling.compiled import Compiled, compile_problem
from openvet.teaching.timetabling.kempe import build_chain, kempe_move, undo_kempe
from openvet.teaching.timetabling.kernels import construct, full_cost
from openvet.teaching.timetabling.tests.util import CBCTT, TINY


def _built(problem: Problem) -> tuple[Compiled, tuple[np.ndarray, ...], np.ndarray]:
    compiled = compile_problem(problem, hard_weight=10)
    state = compiled.new_state()
    rng = np.array([5], dtype=np.uint64)
    construct(compiled.arrays, state, compiled.target_period, compiled.target_room,
              compiled.hint_period, compiled.hint_room, rng)  # fmt: skip
    chain = np.zeros((2 * len(problem.rooms) + 1, 4), dtype=np.int64)
    return compiled, state, chain


def _problems() -> list[Problem]:
    problems = [parse_ctt(TINY)]
    if (CBCTT / "comp01.ctt").exists():
        problems.append(load_ctt(CBCTT / "comp01.ctt"))
    return problems


@pytest.mark.parametrize("problem", _problems(), ids=lambda p: p.name)
def test_kempe_delta_equals_full_recomputation_and_undo_restores(problem: Problem) -> None:
    compiled, state, chain = _built(problem)
    pa = compiled.arrays
    cost = full_cost(pa, state)
    pick = np.random.default_rng(3)
    moved = 0
    for _ in range(600):
        lecture = int(pick.integers(compiled.n_lectures))
        size, dh, ds = kempe_move(lecture, int(pick.integers(problem.periods)), pa, state, chain)
        if size <= 0:
            assert full_cost(pa, state) == cost  # a refused move changes nothing
            continue
        after = full_cost(pa, state)
        assert after == (cost[0] + dh, cost[1] + ds)
        assert np.count_nonzero(state[2] >= 0) == compiled.n_lectures  # no lecture lost
        if pick.random() < 0.5:
            undo_kempe(size, pa, state, chain)
            assert full_cost(pa, state) == cost
        else:
            cost = after
            moved += 1
    assert moved > 20


def test_chain_swap_adds_no_clash() -> None:
    """TINY's q1 holds c1 and c2: moving a c1 lecture onto a c2 period takes c2 along."""
    problem = parse_ctt(TINY)
    compiled, state, chain = _built(problem)
    pa = compiled.arrays
    c1 = [lec for lec in range(compiled.n_lectures) if compiled.lecture_course[lec] == 0]
    c2 = [lec for lec in range(compiled.n_lectures) if compiled.lecture_course[lec] == 1]
    lecture, target = c1[0], int(state[0][c2[0]])
    assert full_cost(pa, state)[0] == 0
    size = build_chain(lecture, target, pa, state, chain)
    assert c2[0] in chain[:size, 0].tolist()
    old_period = int(state[0][lecture])
    size, dh, _ds = kempe_move(lecture, target, pa, state, chain)
    assert size >= 2
    assert dh == 0
    assert state[0][lecture] == target
    assert state[0][c2[0]] == old_period
