"""The platform side of the timetabling solver: build the problem from a term's teaching
tasks, run it as a background job, keep the proposal for review, publish it atomically.

Names in the problem: course ``T<task id>``, room ``R<room id>``, teacher ``U<user id>``
(``N<task id>`` for a task without a teacher), curriculum ``C<class id>`` for each class and
``U<user id>`` for a co-teacher (so a second teacher's lectures never overlap either).
Odd/even-week tasks are solved as weekly ones: a safe over-approximation.
"""

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import pairwise

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core.errors import ValidationFailed
from openvet.core.policy import Actor
from openvet.teaching import selectors
from openvet.teaching import timetabling as tt
from openvet.teaching.models import (
    BellPeriod,
    Room,
    RoomType,
    SolverPhase,
    SolverRun,
    SolverStatus,
    TeacherTime,
    TeachingTask,
    Term,
    TimetableEntry,
)
from openvet.teaching.permissions import MANAGE_TIMETABLE
from openvet.teaching.services.common import record, require

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.5  # seconds between progress writes
MAX_TIME_LIMIT = 3600
# A pause between two bell periods at least this long is a meal break (lunch, dinner) that
# splits the day into sessions; the 20-30 minute morning recess does not.
SESSION_BREAK = timedelta(minutes=40)
# In a re-solve each lecture away from its current cell costs this much: more than any one
# move can gain elsewhere (an isolated lecture costs 2, a missing working day 5), so only
# lectures that must move (a clash, a new unavailability) leave their cell.
PERTURBATION_WEIGHT = 10


@dataclass
class Built:
    problem: tt.Problem
    tasks: dict[str, TeachingTask] = field(default_factory=dict)
    rooms: dict[str, Room] = field(default_factory=dict)


def _task_room_type(task: TeachingTask) -> str | None:
    if task.room_id is not None:
        return f"room:{task.room_id}"
    return None if task.room_type == RoomType.ORDINARY else task.room_type


def _course_of(task: TeachingTask, teachers: list[int], days: int) -> tt.Course:
    lectures = task.weekly_hours
    return tt.Course(
        name=f"T{task.pk}",
        teacher=f"U{teachers[0]}" if teachers else f"N{task.pk}",
        lectures=lectures,
        min_working_days=max(1, min(days, lectures // task.block)),
        students=task.student_count,
        room_type=_task_room_type(task),
        block=task.block,
    )


def _rooms(term: Term, tasks: list[TeachingTask]) -> list[Room]:
    return list(Room.objects.filter(org=term.org, is_active=True).order_by("building", "number"))


def _solver_room(room: Room, named: set[int]) -> tt.Room:
    kind = f"room:{room.pk}" if room.pk in named else room.room_type
    return tt.Room(name=f"R{room.pk}", capacity=room.capacity, room_type=kind)


def _curricula(term: Term, tasks: list[TeachingTask]) -> list[tt.Curriculum]:
    by_class: dict[int, list[str]] = defaultdict(list)
    by_co_teacher: dict[int, list[str]] = defaultdict(list)
    for task in tasks:
        for klass in task.classes.all():
            by_class[klass.pk].append(f"T{task.pk}")
        for teacher in sorted(t.pk for t in task.teachers.all())[1:]:
            by_co_teacher[teacher].append(f"T{task.pk}")
    curricula = [
        tt.Curriculum(f"C{k}", tuple(v), term.max_daily_periods)
        for k, v in sorted(by_class.items())
    ]
    for teacher, names in sorted(by_co_teacher.items()):
        primary = [
            f"T{t.pk}" for t in tasks if sorted(u.pk for u in t.teachers.all())[:1] == [teacher]
        ]
        curricula.append(tt.Curriculum(f"U{teacher}", tuple(names + primary)))
    return curricula


def _check_rooms(tasks: list[TeachingTask], rooms: list[tt.Room]) -> None:
    kinds = {r.room_type for r in rooms}
    for task in tasks:
        needed = _task_room_type(task)
        if needed is not None and needed not in kinds:
            message = _("No room fits %(course)s: add a room of the type it needs.") % {
                "course": task.course.name
            }
            raise ValidationFailed(message, details={"rooms": message})


def _teacher_times(term: Term, problem: tt.Problem, periods: int) -> None:
    for teacher_id, weekday, period, level in TeacherTime.objects.filter(term=term).values_list(
        "teacher_id", "weekday", "period", "level"
    ):
        if not (1 <= weekday <= problem.days and 1 <= period <= periods):
            continue
        key = (f"U{teacher_id}", weekday - 1, period - 1)
        if level == TeacherTime.Level.UNAVAILABLE:
            problem.teacher_unavailable.add(key)
        else:
            problem.teacher_dislikes[key] = 1


def session_starts(bells: Sequence[BellPeriod]) -> frozenset[int]:
    """Numbers of the periods that follow a meal break in the bell schedule."""
    ordered = sorted(bells, key=lambda b: b.number)
    day = date.min
    return frozenset(
        later.number
        for earlier, later in pairwise(ordered)
        if datetime.combine(day, later.starts_at) - datetime.combine(day, earlier.ends_at)
        >= SESSION_BREAK
    )


def _fixed_and_reference(term: Term, problem: tt.Problem, minimal_perturbation: bool) -> None:
    known = {c.name for c in problem.courses}
    reference: list[tt.Assignment] = []
    for entry in TimetableEntry.objects.filter(term=term).order_by("pk"):
        name = f"T{entry.task_id}"
        if name not in known or entry.room_id is None:
            continue
        for offset in range(entry.length):
            slot = (entry.weekday - 1, entry.period_start - 1 + offset)
            reference.append(tt.Assignment(name, f"R{entry.room_id}", *slot))
            if entry.is_locked:
                problem.fixed.append(tt.FixedLecture(name, *slot, room=f"R{entry.room_id}"))
    if minimal_perturbation:
        problem.reference = reference
        problem.weights = tt.Weights(perturbation=PERTURBATION_WEIGHT)


def problem_build(*, term: Term, minimal_perturbation: bool = False) -> Built:
    """The solver's problem for a term (tasks with periods every week; rooms of the school)."""
    bells = selectors.bell_periods(term.org)
    periods = len(bells)
    if not periods:
        message = _("The school has no bell schedule yet.")
        raise ValidationFailed(message, details={"periods": message})
    tasks = list(
        TeachingTask.objects.filter(term=term, weekly_hours__gt=0)
        .select_related("course")
        .prefetch_related("classes", "teachers")
        .order_by("pk")
    )
    rooms = _rooms(term, tasks)
    named = {t.room_id for t in tasks if t.room_id is not None}
    solver_rooms = [_solver_room(r, named) for r in rooms]
    _check_rooms(tasks, solver_rooms)
    problem = tt.Problem(
        name=f"term{term.pk}",
        days=term.teaching_days,
        periods_per_day=periods,
        courses=[
            _course_of(t, sorted(u.pk for u in t.teachers.all()), term.teaching_days) for t in tasks
        ],
        rooms=solver_rooms,
        curricula=_curricula(term, tasks),
        session_starts=frozenset(number - 1 for number in session_starts(bells)),
    )
    _teacher_times(term, problem, periods)
    _fixed_and_reference(term, problem, minimal_perturbation)
    try:
        problem.validate()
    except tt.InstanceError as exc:
        raise ValidationFailed(exc.message, details={"problem": exc.message}) from None
    return Built(problem, {f"T{t.pk}": t for t in tasks}, {f"R{r.pk}": r for r in rooms})


# Runs ---------------------------------------------------------------------------------------


@transaction.atomic
def solver_run_start(
    *,
    actor: Actor,
    term: Term,
    seed: int = 0,
    time_limit: int = 30,
    minimal_perturbation: bool = False,
) -> SolverRun:
    """Record a run and queue it; the problem is checked now so bad input fails here."""
    require(actor, MANAGE_TIMETABLE, term.org)
    if not 1 <= time_limit <= MAX_TIME_LIMIT:
        message = _("The time limit is 1 to %(max)s seconds.") % {"max": MAX_TIME_LIMIT}
        raise ValidationFailed(message, details={"time_limit": message})
    problem_build(term=term, minimal_perturbation=minimal_perturbation)
    run = SolverRun.objects.create(
        term=term,
        seed=seed,
        time_limit=time_limit,
        minimal_perturbation=minimal_perturbation,
        created_by_id=actor.pk,
    )
    record(actor=actor, obj=run, org=term.org, after={"seed": seed, "time_limit": time_limit})
    transaction.on_commit(lambda: dispatch(run.pk))
    return run


def dispatch(run_id: int) -> None:
    """Queue the job; with an eager (embedded) Celery, run it in a thread instead so the
    request returns and the page can poll its progress."""
    from openvet.teaching.tasks import run_solver

    if settings.CELERY_TASK_ALWAYS_EAGER and not getattr(settings, "TEACHING_SOLVER_INLINE", False):
        threading.Thread(target=_run_in_thread, args=(run_id,), daemon=True).start()
    else:
        run_solver.delay(run_id)


def _run_in_thread(run_id: int) -> None:
    try:
        solver_execute(run_id=run_id)
    finally:
        connection.close()


class _Progress:
    def __init__(self, run_id: int) -> None:
        self.run_id, self.last = run_id, 0.0

    def __call__(self, fraction: float, hard: int, soft: int) -> bool:
        """Write the search's progress (a fraction of the time limit) and its phase: removing
        conflicts while any remain, then improving the arrangement."""
        now = time.monotonic()
        if now - self.last >= PROGRESS_INTERVAL:
            self.last = now
            SolverRun.objects.filter(pk=self.run_id).update(
                progress=round(fraction, 3),
                best_hard=hard,
                best_soft=soft,
                phase=SolverPhase.CONFLICTS if hard else SolverPhase.IMPROVING,
            )
        return True


def solver_execute(*, run_id: int) -> SolverRun:
    """The job: solve and store the proposal (idempotent: a finished run is left alone)."""
    run = SolverRun.objects.select_related("term__org").get(pk=run_id)
    if run.status not in (SolverStatus.QUEUED, SolverStatus.RUNNING):
        return run
    # Building the problem and, in a fresh process, compiling the solver's kernels take a
    # while before the search reports its first progress: the page says so meanwhile.
    SolverRun.objects.filter(pk=run_id).update(
        status=SolverStatus.RUNNING, phase=SolverPhase.PREPARING
    )
    try:
        built = problem_build(term=run.term, minimal_perturbation=run.minimal_perturbation)
        result = tt.solve(
            built.problem, time_limit=run.time_limit, seed=run.seed, progress=_Progress(run_id)
        )
    except ValidationFailed as exc:
        return _fail(run, str(exc.message))
    except Exception:
        # Any other failure is a defect: the run must not stay "running" for ever.
        logger.exception("solver run %s failed", run_id)
        _fail(run, _("The solver stopped on an internal error."))
        raise
    _store(run, built, result.assignments, result.report)
    return run


def _fail(run: SolverRun, message: str) -> SolverRun:
    run.status, run.message, run.finished_at = SolverStatus.FAILED, message[:500], timezone.now()
    run.save(update_fields=["status", "message", "finished_at"])
    return run


def _store(
    run: SolverRun, built: Built, assignments: list[tt.Assignment], report: tt.Report
) -> None:
    run.result = [
        [built.tasks[a.course].pk, built.rooms[a.room].pk, a.day + 1, a.period + 1]
        for a in assignments
    ]
    run.best_hard, run.best_soft = report.total_hard, report.total_soft
    run.hard = dict(report.hard)
    run.soft = {name: c.penalty for name, c in report.soft.items()}
    run.status, run.progress, run.finished_at = SolverStatus.FINISHED, 1.0, timezone.now()
    run.phase = ""
    run.save()


# Publishing ---------------------------------------------------------------------------------


def entries_from_result(
    rows: list[list[int]], starts: Collection[int] = ()
) -> list[tuple[int, int, int, int, int]]:
    """Merge per-period rows into lectures: (task, room, weekday, first period, length).

    A lecture never runs on across a meal break: a period in ``starts`` (see
    :func:`session_starts`) begins a new one.
    """
    cells: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for task_id, room_id, weekday, period in rows:
        cells[(task_id, room_id, weekday)].append(period)
    merged = []
    for key, periods in sorted(cells.items()):
        ordered = sorted(periods)
        start = previous = ordered[0]
        for period in ordered[1:]:
            if period != previous + 1 or period in starts:
                merged.append((*key, start, previous - start + 1))
                start = period
            previous = period
        merged.append((*key, start, previous - start + 1))
    return merged


def split_blocks(
    merged: list[tuple[int, int, int, int, int]], blocks: dict[int, int]
) -> list[tuple[int, int, int, int, int]]:
    """A run longer than its task's block is several lectures (two double periods)."""
    result = []
    for task_id, room_id, weekday, start, length in merged:
        size = blocks.get(task_id, 1)
        offset = 0
        while offset < length:
            part = min(size, length - offset) if size > 1 else length
            result.append((task_id, room_id, weekday, start + offset, part))
            offset += part
    return result
