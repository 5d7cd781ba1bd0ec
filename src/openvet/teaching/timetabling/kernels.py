"""numba kernels: incremental timetable state, greedy construction, simulated annealing.

State invariants (kept by every operation): each placed lecture occupies one room-period
cell of ``occ`` (so H1 and H2 hold by construction); the count tables mirror the
placement. Course/teacher/curriculum clashes and availability are counted as a "hard"
proxy (zero exactly when H3 and H4 are zero) and weighted by ``params[P_HARD_W]``.

All functions take ``pa`` (problem tuple, see ``compiled.py``) and ``st`` (state tuple,
see ``Compiled.new_state``) and are compiled with ``cache=True`` so that only the first
run on a machine pays the compile time.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

_MUL = np.uint64(2685821657736338717)
_S12, _S25, _S27, _S11 = np.uint64(12), np.uint64(25), np.uint64(27), np.uint64(11)


@njit(cache=True, inline="always")  # type: ignore[misc]  # numba decorators are untyped
def _next(rng: Any) -> Any:
    """xorshift64*: a tiny deterministic RNG whose state is one uint64 array cell."""
    x = rng[0]
    x ^= x >> _S12
    x ^= x << _S25
    x ^= x >> _S27
    rng[0] = x
    return x * _MUL


@njit(cache=True, _nrt=False, inline="always")  # type: ignore[misc]
def rand_int(rng: Any, n: int) -> int:
    return np.int64(_next(rng) >> _S11) % n  # type: ignore[return-value]  # a numba int64


@njit(cache=True, _nrt=False, inline="always")  # type: ignore[misc]
def rand_float(rng: Any) -> float:
    return np.float64(_next(rng) >> _S11) * (1.0 / 9007199254740992.0)


@njit(cache=True, _nrt=False, inline="always")  # type: ignore[misc]
def _iso_local(qp: Any, q: int, p: int, s: int, ppd: int) -> int:
    """Isolated lectures of curriculum q in the slots s-1..s+1 of the day of period p."""
    total = 0
    for k in range(-1, 2):
        ss = s + k
        if ss < 0 or ss >= ppd:
            continue
        n = qp[q, p + k]
        if n == 0:
            continue
        if (ss == 0 or qp[q, p + k - 1] == 0) and (ss == ppd - 1 or qp[q, p + k + 1] == 0):
            total += n
    return total


@njit(cache=True, _nrt=False, inline="always")  # type: ignore[misc]
def _block_day(c: int, d: int, cp_count: Any, cp_room: Any, ppd: int, b: int, params: Any) -> int:
    """Lectures of course c on day d outside runs of b consecutive periods in one room.

    A run ends where a session starts (after the lunch or evening break): a block may not
    span the break even though the periods are numbered consecutively. The session starts
    are flags in ``params`` from ``P_SESSION`` on (see ``compiled.py``).
    """
    total = 0
    run = 0
    prev_room = -1
    base = d * ppd
    for s in range(ppd):
        n = cp_count[c, base + s]
        if n == 0:
            total += run % b
            run = 0
            prev_room = -1
            continue
        total += n - 1  # a clash: the extra lectures cannot be in the block
        r = cp_room[c, base + s]
        if run > 0 and r == prev_room and params[8 + s] == 0:
            run += 1
        else:
            total += run % b
            run = 1
        prev_room = r
    return total + run % b


@njit(cache=True, _nrt=False)  # type: ignore[misc]
def add_lecture(lec: int, r: int, p: int, pa: Any, st: Any) -> tuple[int, int]:
    """Place lecture lec in room r at period p; return the (hard, soft) cost change."""
    (lec_course, c_teacher, cq_ptr, cq_idx, mwd, block, allow,
     hard_cp, hard_cr, soft_cp, soft_cr, ref_room, maxday, _fp, _fr, params) = pa  # fmt: skip
    (lec_period, lec_room, occ, cp_count, cp_room, cd_count, c_days,
     cr_count, c_rooms, qp, qd, tp, blk_sum) = st  # fmt: skip
    ppd = params[0]
    c = lec_course[lec]
    d = p // ppd
    s = p - d * ppd
    b = block[c]
    before_blk = _block_day(c, d, cp_count, cp_room, ppd, b, params) if b > 1 else 0
    occ[r, p] = lec
    lec_period[lec] = p
    lec_room[lec] = r
    dh = hard_cp[c, p] + hard_cr[c, r]
    ds = soft_cp[c, p] + soft_cr[c, r]
    if params[6] != 0 and ref_room[c, p] != r:
        ds += params[6]
    if cp_count[c, p] >= 1:
        dh += 1
    cp_count[c, p] += 1
    cp_room[c, p] = r
    t = c_teacher[c]
    if tp[t, p] >= 1:
        dh += 1
    tp[t, p] += 1
    for k in range(cq_ptr[c], cq_ptr[c + 1]):
        q = cq_idx[k]
        if qp[q, p] >= 1:
            dh += 1
        before = _iso_local(qp, q, p, s, ppd)
        qp[q, p] += 1
        ds += params[3] * (_iso_local(qp, q, p, s, ppd) - before)
        if maxday[q] >= 0 and qd[q, d] >= maxday[q]:
            ds += params[5]
        qd[q, d] += 1
    if cd_count[c, d] == 0:
        c_days[c] += 1
        if c_days[c] <= mwd[c]:
            ds -= params[2]
    cd_count[c, d] += 1
    if cr_count[c, r] == 0:
        c_rooms[c] += 1
        if c_rooms[c] >= 2:
            ds += params[4]
    cr_count[c, r] += 1
    if b > 1:
        old = blk_sum[c]
        blk_sum[c] += _block_day(c, d, cp_count, cp_room, ppd, b, params) - before_blk
        dh += max(0, blk_sum[c] - allow[c]) - max(0, old - allow[c])
    return dh, ds


@njit(cache=True, _nrt=False)  # type: ignore[misc]
def remove_lecture(lec: int, pa: Any, st: Any) -> tuple[int, int]:
    """Take lecture lec out of the timetable; return the (hard, soft) cost change."""
    (lec_course, c_teacher, cq_ptr, cq_idx, mwd, block, allow,
     hard_cp, hard_cr, soft_cp, soft_cr, ref_room, maxday, _fp, _fr, params) = pa  # fmt: skip
    (lec_period, lec_room, occ, cp_count, cp_room, cd_count, c_days,
     cr_count, c_rooms, qp, qd, tp, blk_sum) = st  # fmt: skip
    ppd = params[0]
    c = lec_course[lec]
    p = lec_period[lec]
    r = lec_room[lec]
    d = p // ppd
    s = p - d * ppd
    b = block[c]
    before_blk = _block_day(c, d, cp_count, cp_room, ppd, b, params) if b > 1 else 0
    occ[r, p] = -1
    lec_period[lec] = -1
    lec_room[lec] = -1
    dh = -(hard_cp[c, p] + hard_cr[c, r])
    ds = -(soft_cp[c, p] + soft_cr[c, r])
    if params[6] != 0 and ref_room[c, p] != r:
        ds -= params[6]
    cp_count[c, p] -= 1
    if cp_count[c, p] >= 1:
        dh -= 1
        if cp_room[c, p] == r:  # another lecture of c remains here: find its room
            for rr in range(occ.shape[0]):
                other = occ[rr, p]
                if other >= 0 and lec_course[other] == c:
                    cp_room[c, p] = rr
                    break
    else:
        cp_room[c, p] = -1
    t = c_teacher[c]
    tp[t, p] -= 1
    if tp[t, p] >= 1:
        dh -= 1
    for k in range(cq_ptr[c], cq_ptr[c + 1]):
        q = cq_idx[k]
        before = _iso_local(qp, q, p, s, ppd)
        qp[q, p] -= 1
        if qp[q, p] >= 1:
            dh -= 1
        ds += params[3] * (_iso_local(qp, q, p, s, ppd) - before)
        qd[q, d] -= 1
        if maxday[q] >= 0 and qd[q, d] >= maxday[q]:
            ds -= params[5]
    cd_count[c, d] -= 1
    if cd_count[c, d] == 0:
        c_days[c] -= 1
        if c_days[c] < mwd[c]:
            ds += params[2]
    cr_count[c, r] -= 1
    if cr_count[c, r] == 0:
        c_rooms[c] -= 1
        if c_rooms[c] >= 1:
            ds -= params[4]
    if b > 1:
        old = blk_sum[c]
        blk_sum[c] += _block_day(c, d, cp_count, cp_room, ppd, b, params) - before_blk
        dh += max(0, blk_sum[c] - allow[c]) - max(0, old - allow[c])
    return dh, ds


@njit(cache=True, _nrt=False)  # type: ignore[misc]
def full_cost(pa: Any, st: Any) -> tuple[int, int]:
    """(hard proxy, soft) of the whole state, recomputed from scratch (for checks)."""
    (lec_course, _c_teacher, _cq_ptr, _cq_idx, mwd, block, allow,
     hard_cp, hard_cr, soft_cp, soft_cr, ref_room, maxday, _fp, _fr, params) = pa  # fmt: skip
    (lec_period, lec_room, _occ, cp_count, cp_room, _cd_count, c_days,
     _cr_count, c_rooms, qp, qd, tp, _blk_sum) = st  # fmt: skip
    ppd = params[0]
    days = params[1]
    hard = 0
    soft = 0
    for lec in range(lec_course.shape[0]):
        c = lec_course[lec]
        p = lec_period[lec]
        r = lec_room[lec]
        if p < 0:
            continue
        hard += hard_cp[c, p] + hard_cr[c, r]
        soft += soft_cp[c, p] + soft_cr[c, r]
        if params[6] != 0 and ref_room[c, p] != r:
            soft += params[6]
    for table in (cp_count, tp, qp):
        for i in range(table.shape[0]):
            for p in range(table.shape[1]):
                if table[i, p] > 1:
                    hard += table[i, p] - 1
    for q in range(qp.shape[0]):
        for p in range(qp.shape[1]):
            s = p % ppd
            n = qp[q, p]
            if n and (s == 0 or qp[q, p - 1] == 0) and (s == ppd - 1 or qp[q, p + 1] == 0):
                soft += params[3] * n
        for d in range(days):
            if maxday[q] >= 0 and qd[q, d] > maxday[q]:
                soft += params[5] * (qd[q, d] - maxday[q])
    for c in range(mwd.shape[0]):
        soft += params[2] * max(0, mwd[c] - c_days[c])
        soft += params[4] * max(0, c_rooms[c] - 1)
        if block[c] > 1:
            unblocked = 0
            for d in range(days):
                unblocked += _block_day(c, d, cp_count, cp_room, ppd, block[c], params)
            hard += max(0, unblocked - allow[c])
    return hard, soft


@njit(cache=True, _nrt=False)  # type: ignore[misc]
def _free_periods(c: int, pa: Any, st: Any, free_rooms: Any) -> int:
    """Periods where course c could go now without any hard violation (saturation)."""
    _lec_course, c_teacher, cq_ptr, cq_idx = pa[0], pa[1], pa[2], pa[3]
    hard_cp = pa[7]
    cp_count, qp, tp = st[3], st[9], st[11]
    count = 0
    for p in range(hard_cp.shape[1]):
        if free_rooms[p] == 0 or hard_cp[c, p] or cp_count[c, p] or tp[c_teacher[c], p]:
            continue
        ok = True
        for k in range(cq_ptr[c], cq_ptr[c + 1]):
            if qp[cq_idx[k], p]:
                ok = False
                break
        if ok:
            count += 1
    return count


@njit(cache=True)  # type: ignore[misc]
def _place_best(lec: int, pa: Any, st: Any, rng: Any, only_p: int, only_r: int) -> None:
    """Put lecture lec in the free cell with the lowest weighted cost change."""
    occ = st[2]
    hard_w = pa[15][7]
    n_r, n_p = occ.shape
    best = np.int64(1) << 62
    best_p = -1
    best_r = -1
    offset = rand_int(rng, n_p)  # random scan start breaks ties differently per seed
    for i in range(n_p):
        p = (i + offset) % n_p
        if only_p >= 0 and p != only_p:
            continue
        for r in range(n_r):
            if occ[r, p] >= 0 or (only_r >= 0 and r != only_r):
                continue
            dh, ds = add_lecture(lec, r, p, pa, st)
            remove_lecture(lec, pa, st)
            cost = hard_w * dh + ds
            if cost < best:
                best, best_p, best_r = cost, p, r
    add_lecture(lec, best_r, best_p, pa, st)


@njit(cache=True)  # type: ignore[misc]
def construct(
    pa: Any, st: Any, target_p: Any, target_r: Any, hint_p: Any, hint_r: Any, rng: Any
) -> None:
    """Greedy construction with saturation ordering (fewest conflict-free periods first).

    Fixed lectures go first, then lectures with a hint (their cell in the reference
    timetable) into that cell while it is free, so a re-solve starts from the timetable it
    should keep. The caller has checked that every fixed lecture has a free cell and that
    there are enough cells overall, so every lecture gets placed.
    """
    lec_course = pa[0]
    occ = st[2]
    n_l = lec_course.shape[0]
    n_r, n_p = occ.shape
    n_c = pa[1].shape[0]
    free_rooms = np.full(n_p, n_r, dtype=np.int64)
    placed = np.zeros(n_l, dtype=np.bool_)
    for lec in range(n_l):
        if target_p[lec] >= 0 and target_r[lec] >= 0:
            add_lecture(lec, target_r[lec], target_p[lec], pa, st)
            placed[lec] = True
            free_rooms[target_p[lec]] -= 1
    for lec in range(n_l):
        if target_p[lec] >= 0 and not placed[lec]:
            _place_best(lec, pa, st, rng, target_p[lec], -1)
            placed[lec] = True
            free_rooms[target_p[lec]] -= 1
    for lec in range(n_l):
        if not placed[lec] and hint_p[lec] >= 0 and occ[hint_r[lec], hint_p[lec]] < 0:
            add_lecture(lec, hint_r[lec], hint_p[lec], pa, st)
            placed[lec] = True
            free_rooms[hint_p[lec]] -= 1
    remaining = np.zeros(n_c, dtype=np.int64)
    for lec in range(n_l):
        if not placed[lec]:
            remaining[lec_course[lec]] += 1
    for _ in range(n_l):
        best_c = -1
        best_key = np.int64(1) << 62
        for c in range(n_c):
            if remaining[c] == 0:
                continue
            key = (_free_periods(c, pa, st, free_rooms) - remaining[c]) * 1024 - remaining[c]
            if key < best_key:
                best_key, best_c = key, c
        if best_c < 0:
            break
        for lec in range(n_l):
            if not placed[lec] and lec_course[lec] == best_c:
                _place_best(lec, pa, st, rng, -1, -1)
                placed[lec] = True
                remaining[best_c] -= 1
                free_rooms[st[0][lec]] -= 1
                break
