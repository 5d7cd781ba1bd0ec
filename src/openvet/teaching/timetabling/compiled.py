"""Translate a :class:`Problem` into the flat numpy arrays the numba kernels work on.

Every per-lecture cost (unavailability, room type, capacity, teacher preference,
perturbation) is folded into small course x period / course x room tables here, so the
inner loop does table look-ups instead of branching on which extensions are active.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from openvet.teaching.timetabling.extensions import reference_rooms
from openvet.teaching.timetabling.model import Assignment, Problem

IntArray = npt.NDArray[np.int64]

# indexes into the params array (kept in sync with kernels.py)
# From P_SESSION on, one flag per period of the day: 1 where a session starts (in params
# rather than in the problem tuple, whose size every kernel call pays for).
P_PPD, P_DAYS, P_W_MWD, P_W_ISO, P_W_STAB, P_W_MAXDAY, P_W_PERT, P_HARD_W, P_SESSION = range(9)


@dataclass
class Compiled:
    problem: Problem
    arrays: tuple[IntArray, ...]  # the read-only problem tuple passed to kernels
    lecture_course: IntArray
    target_period: IntArray  # fixed period per lecture or -1
    target_room: IntArray  # fixed room per lecture or -1
    hint_period: IntArray  # period in the reference timetable per lecture or -1
    hint_room: IntArray  # room in the reference timetable per lecture or -1
    n_teachers: int

    @property
    def n_lectures(self) -> int:
        return int(self.lecture_course.shape[0])

    def new_state(self) -> tuple[IntArray, ...]:
        """Empty timetable state (no lecture placed)."""
        p = self.problem
        n_c, n_r, n_p, n_q = len(p.courses), len(p.rooms), p.periods, len(p.curricula)

        def zeros(*shape: int) -> IntArray:
            return np.zeros(shape, dtype=np.int64)

        return (
            np.full(self.n_lectures, -1, dtype=np.int64),  # lecture period
            np.full(self.n_lectures, -1, dtype=np.int64),  # lecture room
            np.full((n_r, n_p), -1, dtype=np.int64),  # room x period -> lecture
            zeros(n_c, n_p),  # course x period count
            np.full((n_c, n_p), -1, dtype=np.int64),  # course x period -> a room used
            zeros(n_c, p.days),  # course x day count
            zeros(n_c),  # distinct days per course
            zeros(n_c, n_r),  # course x room count
            zeros(n_c),  # distinct rooms per course
            zeros(n_q, n_p),  # curriculum x period count
            zeros(n_q, p.days),  # curriculum x day count
            zeros(self.n_teachers, n_p),  # teacher x period count
            zeros(n_c),  # unblocked lectures per course
        )

    def assignments(self, periods: IntArray, rooms: IntArray) -> list[Assignment]:
        p = self.problem
        ppd = p.periods_per_day
        return [
            Assignment(p.courses[c].name, p.rooms[r].name, int(t) // ppd, int(t) % ppd)
            for c, t, r in zip(
                self.lecture_course.tolist(), periods.tolist(), rooms.tolist(), strict=True
            )
        ]


def compile_problem(problem: Problem, hard_weight: int) -> Compiled:
    problem.validate()
    courses, rooms = problem.course_index(), problem.room_index()
    n_c, n_r, n_p = len(problem.courses), len(problem.rooms), problem.periods
    ppd, w = problem.periods_per_day, problem.weights
    teachers = {t: i for i, t in enumerate(problem.teachers())}
    lecture_course = np.repeat(np.arange(n_c), [c.lectures for c in problem.courses])
    c_teacher = np.array([teachers[c.teacher] for c in problem.courses], dtype=np.int64)
    memberships: list[list[int]] = [[] for _ in range(n_c)]
    for qi, q in enumerate(problem.curricula):
        for name in sorted(set(q.courses)):
            memberships[courses[name]].append(qi)
    cq_ptr = np.cumsum([0] + [len(m) for m in memberships]).astype(np.int64)
    cq_idx = np.array([q for m in memberships for q in m], dtype=np.int64)
    mwd = np.array([c.min_working_days for c in problem.courses], dtype=np.int64)
    block = np.array([c.block for c in problem.courses], dtype=np.int64)
    allow = np.array([c.lectures % c.block for c in problem.courses], dtype=np.int64)

    hard_cp = np.zeros((n_c, n_p), dtype=np.int64)
    soft_cp = np.zeros((n_c, n_p), dtype=np.int64)
    for name, day, period in problem.unavailable:
        hard_cp[courses[name], day * ppd + period] = 1
    for ci, c in enumerate(problem.courses):
        for day in range(problem.days):
            for period in range(ppd):
                if (c.teacher, day, period) in problem.teacher_unavailable:
                    hard_cp[ci, day * ppd + period] = 1
                dislike = problem.teacher_dislikes.get((c.teacher, day, period), 0)
                soft_cp[ci, day * ppd + period] = dislike * w.teacher_preference

    hard_cr = np.zeros((n_c, n_r), dtype=np.int64)
    soft_cr = np.zeros((n_c, n_r), dtype=np.int64)
    for ci, c in enumerate(problem.courses):
        for ri, r in enumerate(problem.rooms):
            soft_cr[ci, ri] = max(0, c.students - r.capacity) * w.room_capacity
            if c.room_type is not None and r.room_type != c.room_type:
                hard_cr[ci, ri] = 1

    ref_room = np.full((n_c, n_p), -1, dtype=np.int64)
    if problem.reference is not None:
        for (name, day, period), room in reference_rooms(problem.reference).items():
            if name in courses and room in rooms and day < problem.days and period < ppd:
                ref_room[courses[name], day * ppd + period] = rooms[room]
    # -1 = no daily maximum for that curriculum
    maxday = np.array(
        [-1 if q.max_daily_lectures is None else q.max_daily_lectures for q in problem.curricula],
        dtype=np.int64,
    )
    params = np.array(
        [
            ppd,
            problem.days,
            w.min_working_days,
            w.isolated_lectures,
            w.room_stability,
            w.curriculum_daily_max,
            w.perturbation if problem.reference is not None else 0,
            hard_weight,
            *[int(s in problem.session_starts) for s in range(ppd)],
        ],
        dtype=np.int64,
    )
    target_period, target_room = _targets(problem, lecture_course)
    hint_period, hint_room = _hints(problem, lecture_course, target_period, target_room)
    fixed_period = (target_period >= 0).astype(np.int64)
    fixed_room = (target_room >= 0).astype(np.int64)
    arrays = (
        lecture_course.astype(np.int64), c_teacher, cq_ptr, cq_idx, mwd, block, allow,
        hard_cp, hard_cr, soft_cp, soft_cr, ref_room, maxday, fixed_period, fixed_room, params,
    )  # fmt: skip
    return Compiled(problem, arrays, lecture_course.astype(np.int64), target_period,
                    target_room, hint_period, hint_room, len(teachers))  # fmt: skip


def _targets(problem: Problem, lecture_course: IntArray) -> tuple[IntArray, IntArray]:
    """Give each fixed lecture to one lecture slot of its course."""
    courses, rooms = problem.course_index(), problem.room_index()
    first = {c: int(np.searchsorted(lecture_course, c)) for c in range(len(problem.courses))}
    used: dict[int, int] = {}
    target_period = np.full(lecture_course.shape[0], -1, dtype=np.int64)
    target_room = np.full(lecture_course.shape[0], -1, dtype=np.int64)
    for f in problem.fixed:
        c = courses[f.course]
        lecture = first[c] + used.get(c, 0)
        used[c] = used.get(c, 0) + 1
        target_period[lecture] = f.day * problem.periods_per_day + f.period
        if f.room is not None:
            target_room[lecture] = rooms[f.room]
    return target_period, target_room


def _hints(
    problem: Problem, lecture_course: IntArray, target_period: IntArray, target_room: IntArray
) -> tuple[IntArray, IntArray]:
    """Give each cell of the reference timetable to one movable lecture of its course.

    Cells a fixed lecture of the course already takes are skipped; the construction puts
    each hinted lecture into its cell while the cell is free.
    """
    hint_period = np.full(lecture_course.shape[0], -1, dtype=np.int64)
    hint_room = np.full(lecture_course.shape[0], -1, dtype=np.int64)
    if problem.reference is None:
        return hint_period, hint_room
    courses, rooms, ppd = problem.course_index(), problem.room_index(), problem.periods_per_day
    free: dict[int, list[int]] = {}
    for lecture, course in enumerate(lecture_course.tolist()):
        if target_period[lecture] < 0:
            free.setdefault(course, []).append(lecture)
    fixed = {
        (int(lecture_course[i]), int(target_period[i]), int(target_room[i]))
        for i in np.flatnonzero(target_period >= 0)
    }
    for (name, day, period), room in sorted(reference_rooms(problem.reference).items()):
        if name not in courses or room not in rooms or day >= problem.days or period >= ppd:
            continue
        c, t, r = courses[name], day * ppd + period, rooms[room]
        if (c, t, r) in fixed or (c, t, -1) in fixed or not free.get(c):
            continue
        lecture = free[c].pop(0)
        hint_period[lecture], hint_room[lecture] = t, r
    return hint_period, hint_room
