"""Kempe-chain move: exchange two periods for a connected group of conflicting lectures.

Start from one lecture at period p1 and a target period p2. Every lecture at p2 that
conflicts with it (same course, teacher or curriculum) must leave p2 for p1, every lecture
at p1 that conflicts with one of those must follow to p2, and so on: the closure is the
Kempe chain, and swapping the periods of the whole chain creates no clash that was not
there before. This lets the soft phase, which refuses moves that add hard violations,
make large changes through feasible timetables only (Lü & Hao 2010, "Adaptive tabu search
for course timetabling", EJOR 200(1); Bellio, Ceschia, Di Gaspero, Schaerf, Urli 2016,
"Feature-based tuning of simulated annealing applied to the curriculum-based course
timetabling problem", C&OR 65).

Rooms: a moved lecture keeps its room when that cell is free after the chain left it,
otherwise it takes the free room of the target period that costs least (capacity, room
stability, room type); the move is refused when the target period has too few rooms.
"""

from __future__ import annotations

from typing import Any

from numba import njit

from openvet.teaching.timetabling.kernels import add_lecture, remove_lecture

# columns of the ``chain`` scratch array
_LEC, _OLD_R, _OLD_P, _NEW_R = range(4)


@njit(cache=True, _nrt=False, inline="always")  # type: ignore[call-overload, untyped-decorator, unused-ignore]
def _conflict(c1: int, c2: int, pa: Any) -> bool:
    """Whether courses c1 and c2 may not share a period (same course, teacher, curriculum)."""
    if c1 == c2 or pa[1][c1] == pa[1][c2]:
        return True
    cq_ptr, cq_idx = pa[2], pa[3]
    for i in range(cq_ptr[c1], cq_ptr[c1 + 1]):
        for j in range(cq_ptr[c2], cq_ptr[c2 + 1]):
            if cq_idx[i] == cq_idx[j]:
                return True
    return False


@njit(cache=True, _nrt=False)  # type: ignore[call-overload, untyped-decorator, unused-ignore]
def build_chain(lec: int, p2: int, pa: Any, st: Any, chain: Any) -> int:
    """Fill ``chain`` with the Kempe chain of lec between its period and p2; return its
    size, or -1 when a fixed lecture belongs to it (the chain may not move)."""
    lec_course, fixed_p = pa[0], pa[13]
    lec_period, lec_room, occ = st[0], st[1], st[2]
    p1 = lec_period[lec]
    n_r = occ.shape[0]
    chain[0, _LEC] = lec
    size = 1
    head = 0
    while head < size:
        x = chain[head, _LEC]
        head += 1
        if fixed_p[x]:
            return -1
        other = p2 if lec_period[x] == p1 else p1
        for r in range(n_r):
            y = occ[r, other]
            if y < 0 or not _conflict(lec_course[x], lec_course[y], pa):
                continue
            known = False
            for i in range(size):
                if chain[i, _LEC] == y:
                    known = True
                    break
            if not known:
                chain[size, _LEC] = y
                size += 1
    for i in range(size):
        x = chain[i, _LEC]
        chain[i, _OLD_R] = lec_room[x]
        chain[i, _OLD_P] = lec_period[x]
    return size


@njit(cache=True, _nrt=False, inline="always")  # type: ignore[call-overload, untyped-decorator, unused-ignore]
def _room_cost(c: int, r: int, pa: Any, st: Any) -> int:
    """What putting course c in room r costs beyond the period: type, capacity, stability."""
    cost = pa[10][c, r] + pa[8][c, r] * pa[15][7]
    if st[7][c, r] == 0:
        cost += pa[15][4]
    return int(cost)


@njit(cache=True, _nrt=False)  # type: ignore[call-overload, untyped-decorator, unused-ignore]
def _assign_rooms(size: int, p1: int, p2: int, pa: Any, st: Any, chain: Any) -> bool:
    """Choose the room of every chain lecture in its new period (see the module doc).

    Called while the chain is still in place: a cell counts as free when it is empty or
    its lecture belongs to the chain (it leaves), and it was not given to another lecture.
    """
    fixed_r, occ, lec_course = pa[14], st[2], pa[0]
    n_r = occ.shape[0]
    for i in range(size):
        chain[i, _NEW_R] = -1
    for i in range(size):  # first pass: keep the room where the cell will be free
        r = chain[i, _OLD_R]
        target = p2 if chain[i, _OLD_P] == p1 else p1
        if _cell_free(r, target, size, chain, occ) and not _given(
            r, target, i, size, chain, p1, p2
        ):
            chain[i, _NEW_R] = r
        elif fixed_r[chain[i, _LEC]]:
            return False
    for i in range(size):  # second pass: the cheapest free room for the others
        if chain[i, _NEW_R] >= 0:
            continue
        target = p2 if chain[i, _OLD_P] == p1 else p1
        c = lec_course[chain[i, _LEC]]
        best_r = -1
        best = 0
        for r in range(n_r):
            if not _cell_free(r, target, size, chain, occ) or _given(
                r, target, i, size, chain, p1, p2
            ):
                continue
            cost = _room_cost(c, r, pa, st)
            if best_r < 0 or cost < best:
                best_r, best = r, cost
        if best_r < 0:
            return False
        chain[i, _NEW_R] = best_r
    return True


@njit(cache=True, _nrt=False, inline="always")  # type: ignore[call-overload, untyped-decorator, unused-ignore]
def _cell_free(r: int, p: int, size: int, chain: Any, occ: Any) -> bool:
    occupant = occ[r, p]
    if occupant < 0:
        return True
    for i in range(size):  # noqa: SIM110  (numba: no generators)
        if chain[i, _LEC] == occupant:
            return True
    return False


@njit(cache=True, _nrt=False, inline="always")  # type: ignore[call-overload, untyped-decorator, unused-ignore]
def _given(r: int, p: int, me: int, size: int, chain: Any, p1: int, p2: int) -> bool:
    """Whether room r at period p was already given to another chain lecture."""
    for j in range(size):
        if j != me and chain[j, _NEW_R] == r and (p2 if chain[j, _OLD_P] == p1 else p1) == p:
            return True
    return False


@njit(cache=True, _nrt=False)  # type: ignore[call-overload, untyped-decorator, unused-ignore]
def kempe_move(lec: int, p2: int, pa: Any, st: Any, chain: Any) -> tuple[int, int, int]:
    """Swap the periods of lec's Kempe chain towards p2. Return (size, hard, soft change);
    size -1 when the move is not possible (then nothing changed). :func:`undo_kempe`
    restores the timetable from ``chain``."""
    p1 = st[0][lec]
    if p1 == p2:
        return -1, 0, 0
    size = build_chain(lec, p2, pa, st, chain)
    if size < 0 or not _assign_rooms(size, p1, p2, pa, st, chain):
        return -1, 0, 0
    dh = ds = 0
    for i in range(size):
        a, b = remove_lecture(chain[i, _LEC], pa, st)
        dh += a
        ds += b
    for i in range(size):
        target = p2 if chain[i, _OLD_P] == p1 else p1
        a, b = add_lecture(chain[i, _LEC], chain[i, _NEW_R], target, pa, st)
        dh += a
        ds += b
    return size, dh, ds


@njit(cache=True, _nrt=False)  # type: ignore[call-overload, untyped-decorator, unused-ignore]
def undo_kempe(size: int, pa: Any, st: Any, chain: Any) -> None:
    for i in range(size):
        remove_lecture(chain[i, _LEC], pa, st)
    for i in range(size):
        add_lecture(chain[i, _LEC], chain[i, _OLD_R], chain[i, _OLD_P], pa, st)
