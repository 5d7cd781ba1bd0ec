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
) -> int:
    """Run ``n_iter`` annealing steps at a fixed temperature; return accepted moves.

    ``soft_factor`` 0 ignores the soft cost (feasibility phase), 1 uses it.
    ``cur`` holds [hard, soft, best_hard, best_soft]; the best state (lexicographic on
    hard then soft) is copied into ``best_p``/``best_r`` whenever it improves.
    """
    lec_course, fixed_p, fixed_r, params = pa[0], pa[13], pa[14], pa[15]
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
        delta = hard_w * dh + soft_factor * ds
        # In the soft phase a move may never add hard violations: single soft deltas
        # (e.g. a big course leaving a small room) can outweigh any fixed hard weight.
        if soft_factor and dh > 0:
            _swap(lec, r1, p1, l2, r2, p2, pa, st)
        elif delta <= 0 or (temperature > 0 and rand_float(rng) < np.exp(-delta / temperature)):
            accepted += 1
            cur[0] += dh
            cur[1] += ds
            if cur[0] < cur[2] or (cur[0] == cur[2] and cur[1] < cur[3]):
                cur[2] = cur[0]
                cur[3] = cur[1]
                for i in range(lec_period.shape[0]):
                    best_p[i] = lec_period[i]
                    best_r[i] = lec_room[i]
        else:
            _swap(lec, r1, p1, l2, r2, p2, pa, st)
    return accepted
