"""Simulated annealing kernel over the incremental state of ``kernels.py``.

Neighbourhood: pick a movable lecture and a target cell (new period, and either the same
room or a random one; sometimes only a new room). If the cell is taken, the occupant
moves to the freed cell (a swap), so rooms never double-book. The move is applied, its
cost change read off the incremental updates, and undone when rejected.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from openvet.teaching.timetabling.kempe import kempe_move, undo_kempe
from openvet.teaching.timetabling.kernels import add_lecture, rand_float, rand_int, remove_lecture


@njit(cache=True, _nrt=False, inline="always")  # type: ignore[misc]
def _in_conflict(lec: int, pa: Any, st: Any) -> bool:
    """Whether lecture lec takes part in a hard violation (clash or forbidden slot/room)."""
    c = pa[0][lec]
    p = st[0][lec]
    cq_ptr, cq_idx, qp = pa[2], pa[3], st[9]
    if pa[7][c, p] or pa[8][c, st[1][lec]] or st[3][c, p] > 1 or st[11][pa[1][c], p] > 1:
        return True
    for k in range(cq_ptr[c], cq_ptr[c + 1]):  # noqa: SIM110  (numba: no generators)
        if qp[cq_idx[k], p] > 1:
            return True
    return False


@njit(cache=True, _nrt=False)  # type: ignore[misc]
def _swap(
    lec: int, r2: int, p2: int, l2: int, r1: int, p1: int, pa: Any, st: Any
) -> tuple[int, int]:
    dh, ds = remove_lecture(lec, pa, st)
    if l2 >= 0:
        a, b = remove_lecture(l2, pa, st)
        dh += a
        ds += b
    a, b = add_lecture(lec, r2, p2, pa, st)
    dh += a
    ds += b
    if l2 >= 0:
        a, b = add_lecture(l2, r1, p1, pa, st)
        dh += a
        ds += b
    return dh, ds


@njit(cache=True, _nrt=False)  # type: ignore[misc]
def _block_group(lec: int, b: int, pa: Any, st: Any, rng: Any, group: Any) -> int:
    """Fill ``group`` with lec and b-1 other lectures of its course: first the ones right
    after it in the same room (its current block), then random others; return the size."""
    lec_course, lec_period, occ = pa[0], st[0], st[2]
    c = lec_course[lec]
    first = lec
    while first > 0 and lec_course[first - 1] == c:
        first -= 1
    last = lec
    while last + 1 < lec_course.shape[0] and lec_course[last + 1] == c:
        last += 1
    group[0] = lec
    size = 1
    p, r = lec_period[lec], st[1][lec]
    params = pa[15]
    ppd = params[0]
    for k in range(1, b):  # the run that follows lec in its room, in the same session
        if (p + k) % ppd == 0 or params[8 + (p + k) % ppd]:
            break
        other = occ[r, p + k]
        if other < 0 or lec_course[other] != c:
            break
        group[size] = other
        size += 1
    for _try in range(4 * b):  # complete with random lectures of the course
        if size == b or size == last - first + 1:
            break
        other = first + rand_int(rng, last - first + 1)
        taken = False
        for i in range(size):
            if group[i] == other:
                taken = True
        if not taken:
            group[size] = other
            size += 1
    return size


@njit(cache=True, _nrt=False)  # type: ignore[misc]
def _block_move(
    lec: int, b: int, pa: Any, st: Any, rng: Any, group: Any, undo: Any, p_keep_room: float
) -> tuple[int, int, int]:
    """Move a block of lectures of lec's course to b consecutive periods of one session in
    one room, each swapping with the cell's occupant. Return (swaps, hard, soft change);
    the swaps are recorded in ``undo`` for :func:`_undo`; -1 swaps when the target is not
    allowed (then nothing changed)."""
    fixed_p, fixed_r, params = pa[13], pa[14], pa[15]
    lec_period, lec_room, occ = st[0], st[1], st[2]
    ppd = params[0]
    size = _block_group(lec, b, pa, st, rng, group)
    day = rand_int(rng, params[1])
    start = rand_int(rng, ppd - size + 1)
    for k in range(1, size):
        if params[8 + start + k]:  # a session starts inside the block
            return -1, 0, 0
    r2 = lec_room[lec] if rand_float(rng) < p_keep_room else rand_int(rng, occ.shape[0])
    for k in range(size):
        if fixed_p[group[k]] or fixed_r[group[k]]:
            return -1, 0, 0
        other = occ[r2, day * ppd + start + k]
        if other >= 0 and (fixed_p[other] or fixed_r[other]):
            return -1, 0, 0
    n = dh = ds = 0
    for k in range(size):
        lecture = group[k]
        p2 = day * ppd + start + k
        p1, r1 = lec_period[lecture], lec_room[lecture]
        if p1 == p2 and r1 == r2:
            continue
        l2 = occ[r2, p2]
        a, c = _swap(lecture, r2, p2, l2, r1, p1, pa, st)
        dh += a
        ds += c
        undo[n, 0], undo[n, 1], undo[n, 2] = lecture, r1, p1
        undo[n, 3], undo[n, 4], undo[n, 5] = l2, r2, p2
        n += 1
    return n, dh, ds


@njit(cache=True, _nrt=False)  # type: ignore[misc]
def _undo(n: int, undo: Any, pa: Any, st: Any) -> None:
    for i in range(n - 1, -1, -1):
        _swap(undo[i, 0], undo[i, 1], undo[i, 2], undo[i, 3], undo[i, 4], undo[i, 5], pa, st)


@njit(cache=True, _nrt=False, inline="always")  # type: ignore[misc]
def _accepted(
    dh: int, ds: int, hard_w: int, soft_factor: int, temperature: float, rng: Any
) -> bool:
    # In the soft phase a move may never add hard violations: single soft deltas
    # (e.g. a big course leaving a small room) can outweigh any fixed hard weight.
    if soft_factor and dh > 0:
        return False
    delta = hard_w * dh + soft_factor * ds
    return delta <= 0 or (temperature > 0 and rand_float(rng) < np.exp(-delta / temperature))


@njit(cache=True, _nrt=False, inline="always")  # type: ignore[misc]
def _record(dh: int, ds: int, cur: Any, best_p: Any, best_r: Any, st: Any) -> None:
    """Book an accepted move; copy the state when it is the best seen (hard, then soft)."""
    cur[0] += dh
    cur[1] += ds
    if cur[0] < cur[2] or (cur[0] == cur[2] and cur[1] < cur[3]):
        cur[2] = cur[0]
        cur[3] = cur[1]
        for i in range(st[0].shape[0]):
            best_p[i] = st[0][i]
            best_r[i] = st[1][i]


# _nrt=False: no reference counting of the many array arguments (3x faster calls)
@njit(cache=True, _nrt=False)  # type: ignore[misc]
def anneal(
    pa: Any,
    st: Any,
    movable: Any,
    best_p: Any,
    best_r: Any,
    cur: Any,
    rng: Any,
    n_iter: int,
    temperature: float,
    p_room_only: float,
    p_keep_room: float,
    soft_factor: int,
    p_block: float,
    group: Any,
    undo: Any,
    p_kempe: float,
    chain: Any,
) -> int:
    """Run ``n_iter`` annealing steps at a fixed temperature; return accepted moves.

    ``soft_factor`` 0 ignores the soft cost (feasibility phase), 1 uses it.
    ``cur`` holds [hard, soft, best_hard, best_soft]; the best state (lexicographic on
    hard then soft) is copied into ``best_p``/``best_r`` whenever it improves.
    A lecture of a block course moves with its block (b consecutive periods) with
    probability ``p_block``; ``group`` (3) and ``undo`` (3 x 6) are scratch arrays for it.
    With probability ``p_kempe`` the move is a Kempe-chain period swap (``kempe.py``;
    ``chain`` is its scratch array, 2 x rooms by 4).
    """
    lec_course, block, fixed_p, fixed_r, params = pa[0], pa[5], pa[13], pa[14], pa[15]
    lec_period, lec_room, occ = st[0], st[1], st[2]
    hard_w = params[7] if soft_factor else 1
    n_r, n_p = occ.shape
    n_m = movable.shape[0]
    accepted = 0
    if n_m == 0:
        return 0
    for _ in range(n_iter):
        lec = movable[rand_int(rng, n_m)]
        if cur[0] > 0:  # focus on violations: resample a few times for a clashing lecture
            for _try in range(8):
                if _in_conflict(lec, pa, st):
                    break
                lec = movable[rand_int(rng, n_m)]
        # not from a block course's lecture: alone, it would split the block (hard)
        if p_kempe > 0 and block[lec_course[lec]] == 1 and rand_float(rng) < p_kempe:
            n, dh, ds = kempe_move(lec, rand_int(rng, n_p), pa, st, chain)
            if n <= 0:
                continue
            if _accepted(dh, ds, hard_w, soft_factor, temperature, rng):
                accepted += 1
                _record(dh, ds, cur, best_p, best_r, st)
            else:
                undo_kempe(n, pa, st, chain)
            continue
        b = block[lec_course[lec]]
        if b > 1 and rand_float(rng) < p_block:
            n, dh, ds = _block_move(lec, b, pa, st, rng, group, undo, p_keep_room)
            if n <= 0:
                continue
            if _accepted(dh, ds, hard_w, soft_factor, temperature, rng):
                accepted += 1
                _record(dh, ds, cur, best_p, best_r, st)
            else:
                _undo(n, undo, pa, st)
            continue
        p1 = lec_period[lec]
        r1 = lec_room[lec]
        if fixed_p[lec] or rand_float(rng) < p_room_only:
            p2 = p1
            r2 = rand_int(rng, n_r)
        else:
            p2 = rand_int(rng, n_p)
            r2 = r1 if rand_float(rng) < p_keep_room else rand_int(rng, n_r)
        if fixed_r[lec]:
            r2 = r1
        if p2 == p1 and r2 == r1:
            continue
        l2 = occ[r2, p2]
        if l2 >= 0:
            if lec_course[l2] == lec_course[lec]:
                continue
            if (fixed_p[l2] and p2 != p1) or (fixed_r[l2] and r2 != r1):
                continue
        dh, ds = _swap(lec, r2, p2, l2, r1, p1, pa, st)
        if _accepted(dh, ds, hard_w, soft_factor, temperature, rng):
            accepted += 1
            _record(dh, ds, cur, best_p, best_r, st)
        else:
            _swap(lec, r1, p1, l2, r2, p2, pa, st)
    return accepted
