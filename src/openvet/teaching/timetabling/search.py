"""Solver driver: construction, then simulated annealing in short kernel chunks.

The numba kernel runs a fixed number of iterations per call; between calls Python checks
the time limit, the stop flag and the progress callback. The temperature follows a
geometric schedule over the run's progress fraction, which is the iteration fraction when
``max_iterations`` is given (so a seed gives the same result on any machine as long as the
time limit is not reached first) and the wall-clock fraction otherwise.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from openvet.teaching.timetabling.compiled import Compiled, compile_problem
from openvet.teaching.timetabling.model import Assignment, Problem
from openvet.teaching.timetabling.score import Report, score

# progress(fraction done, best hard, best soft) -> False to stop
ProgressCallback = Callable[[float, int, int], bool | None]


@dataclass(frozen=True)
class SearchParams:
    hard_weight: int = 1000
    t_start: float = 4.0
    t_end: float = 0.02
    t_start_reference: float = 1.0  # a re-solve improves the reference, it does not rebuild it
    feasibility_share: float = 0.5  # at most this share of the budget for hard-only search
    t_feasibility: float = 0.1  # temperature of the hard-only phase (unit hard weight)
    p_room_only: float = 0.1  # share of moves that only change the room
    p_keep_room: float = 0.5  # share of time moves that keep the room (room stability)
    p_block: float = 0.5  # share of moves of a block course's lecture that move its block
    p_kempe: float = 0.3  # share of moves that swap two periods for a Kempe chain
    chunk: int = 20_000  # iterations per kernel call: ~10 ms, keeps stopping responsive


@dataclass
class SolveResult:
    assignments: list[Assignment]
    report: Report
    iterations: int
    seconds: float
    stopped: str  # "completed", "time", "callback", "stop", "interrupted"


def solve(
    problem: Problem,
    *,
    time_limit: float | None = None,
    max_iterations: int | None = None,
    seed: int = 0,
    progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
    params: SearchParams | None = None,
) -> SolveResult:
    """Find a timetable; return the best one seen when any limit or stop request hits."""
    if time_limit is None and max_iterations is None:
        raise ValueError("give time_limit or max_iterations (or both)")
    params = params or SearchParams()
    compiled = compile_problem(problem, params.hard_weight)
    _warm_up(compiled, params)
    started = time.monotonic()
    runner = _Runner(compiled, params, seed)
    stopped = runner.run(started, time_limit, max_iterations, progress, stop)
    assignments = compiled.assignments(runner.best_p, runner.best_r)
    return SolveResult(
        assignments=assignments,
        report=score(problem, assignments),
        iterations=runner.iterations,
        seconds=time.monotonic() - started,
        stopped=stopped,
    )


_warmed = threading.Event()
_warming = threading.Lock()


def _warm_up(compiled: Compiled, params: SearchParams) -> None:
    """Run each kernel once per process, so that numba's compilation (seconds, minutes on
    a busy machine without a cache) is not taken from the caller's time limit."""
    if _warmed.is_set():
        return
    with _warming:
        if not _warmed.is_set():
            _Runner(compiled, params, seed=0).run(time.monotonic(), None, 1, None, None)
            _warmed.set()


class _Runner:
    def __init__(self, compiled: Compiled, params: SearchParams, seed: int):
        # numba takes seconds to import: processes that never solve (web workers) skip it.
        from openvet.teaching.timetabling.kernels import construct, full_cost

        self.compiled = compiled
        self.params = params
        # 0 is a fixed point of xorshift, so mix the seed into a non-zero state
        self.rng = np.array([(seed * 0x9E3779B97F4A7C15 + 0x2545F4914F6CDD1D) % 2**64 or 1],
                            dtype=np.uint64)  # fmt: skip
        self.state = compiled.new_state()
        construct(compiled.arrays, self.state, compiled.target_period, compiled.target_room,
                  compiled.hint_period, compiled.hint_room, self.rng)  # fmt: skip
        hard, soft = full_cost(compiled.arrays, self.state)
        self.cur = np.array([hard, soft, hard, soft], dtype=np.int64)
        self.best_p = self.state[0].copy()
        self.best_r = self.state[1].copy()
        fixed = (compiled.arrays[13] == 1) & (compiled.arrays[14] == 1)
        self.movable = np.flatnonzero(~fixed).astype(np.int64)
        self.group = np.zeros(3, dtype=np.int64)  # scratch of the block move
        self.undo = np.zeros((3, 6), dtype=np.int64)
        self.chain = np.zeros(
            (2 * len(compiled.problem.rooms) + 1, 4), dtype=np.int64
        )  # Kempe scratch
        self.iterations = 0
        self.switch: float | None = None  # progress fraction when soft optimisation began
        # A re-solve starts from the reference timetable: its repair phase must not wander
        # (a hard-only walk accepts every sideways move and would shuffle the whole week).
        self.keep_reference = compiled.problem.reference is not None

    def temperature(self, fraction: float) -> tuple[float, int]:
        """Temperature and soft factor for the current progress fraction."""
        p = self.params
        if self.switch is None:
            if self.cur[0] > 0 and fraction < p.feasibility_share:
                return p.t_feasibility, int(self.keep_reference)
            self.switch = fraction
        rest = (fraction - self.switch) / max(1e-9, 1.0 - self.switch)
        t_start = p.t_start_reference if self.keep_reference else p.t_start
        return t_start * math.exp(math.log(p.t_end / t_start) * min(1.0, rest)), 1

    def run(
        self,
        started: float,
        time_limit: float | None,
        max_iterations: int | None,
        progress: ProgressCallback | None,
        stop: threading.Event | None,
    ) -> str:
        try:
            while True:
                elapsed = time.monotonic() - started
                if max_iterations is not None:
                    fraction = self.iterations / max(1, max_iterations)
                else:
                    fraction = elapsed / time_limit if time_limit else 1.0
                if time_limit is not None and elapsed >= time_limit:
                    return "time"
                if max_iterations is not None and self.iterations >= max_iterations:
                    return "completed"
                if stop is not None and stop.is_set():
                    return "stop"
                if (
                    progress is not None
                    and progress(min(1.0, fraction), int(self.cur[2]), int(self.cur[3])) is False
                ):
                    return "callback"
                n = self.params.chunk
                if max_iterations is not None:
                    n = min(n, max_iterations - self.iterations)
                self._step(n, *self.temperature(fraction))
        except KeyboardInterrupt:
            return "interrupted"

    def _step(self, n: int, temperature: float, soft_factor: int) -> None:
        from openvet.teaching.timetabling.anneal import anneal

        p = self.params
        anneal(self.compiled.arrays, self.state, self.movable, self.best_p, self.best_r,
               self.cur, self.rng, n, temperature, p.p_room_only, p.p_keep_room,
               soft_factor, p.p_block, self.group, self.undo, p.p_kempe, self.chain)  # fmt: skip
        self.iterations += n
