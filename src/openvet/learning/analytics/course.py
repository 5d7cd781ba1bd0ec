"""The teacher's course dashboard of one teaching task (ADR 0409, 0411).

Weekly activity of the task's learners (statements, grouped in SQL by ``lrs.analytics``),
attendance (``teaching``'s rates of the task), completion of the task's online course,
the distribution of its grades and quiz scores, and who has not started.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count

from openvet.core.errors import NotFound
from openvet.core.policy import Actor
from openvet.learning.models import Attempt, OnlineCourse, Progress, Unit
from openvet.learning.selectors import course_learners
from openvet.lrs import analytics as lrs
from openvet.teaching import selectors as teaching
from openvet.teaching.attendance.selectors import task_rates
from openvet.teaching.grades.selectors import sheet_grades, sheet_list_for

WEEKS = 16
# Score bands (a hundred-point scale): 不及格 below 60, then by tens (GB/T-free, the
# usual banding of Chinese vocational-school grade reports).
BANDS = ((0, 60), (60, 70), (70, 80), (80, 90), (90, 101))


@dataclass(frozen=True)
class LearnerLine:
    user_id: int | None
    number: str
    name: str
    class_name: str
    statements: int
    active_weeks: int
    attendance: Decimal | None
    completed: int
    grade: Decimal | None
    warnings: int
    started: bool


@dataclass(frozen=True)
class WeekLine:
    week: date
    active: int
    statements: int


@dataclass(frozen=True)
class CourseDashboard:
    task: Any
    course: OnlineCourse | None
    total_units: int
    learners: list[LearnerLine]
    weeks: list[WeekLine]
    attendance: Decimal | None
    completion: int | None  # percent of (learner, unit) pairs completed
    grade_bands: list[int]
    quiz_bands: list[int]

    @property
    def not_started(self) -> list[LearnerLine]:
        return [line for line in self.learners if not line.started]

    @property
    def active_last_week(self) -> int:
        return self.weeks[-1].active if self.weeks else 0


def task_for_analytics(*, actor: Actor, task_id: int) -> Any:
    """A task whose dashboard ``actor`` may read: its teachers, and whoever reads learning
    analytics where the task or one of its classes lies (a department head's grant sits on
    the department, the task may be filed at the school); NotFound for anyone else."""
    task = teaching.task_get_within(task_id=task_id, paths=lrs.analytics_paths(actor))
    if task is not None:
        return task
    task = teaching.task_get_for(actor=actor, task_id=task_id)
    if not task.teachers.filter(pk=actor.pk).exists():
        raise NotFound()
    return task


def band_counts(values: list[float]) -> list[int]:
    return [sum(1 for v in values if low <= v < high) for low, high in BANDS]


def _weeks(rows: list[lrs.LearnerWeek], mondays: list[date]) -> list[WeekLine]:
    learners: dict[date, set[int]] = defaultdict(set)
    counts: dict[date, int] = defaultdict(int)
    for row in rows:
        learners[row.week].add(row.user_id)
        counts[row.week] += row.statements
    return [WeekLine(week, len(learners[week]), counts[week]) for week in mondays]


def _grades(actor: Actor, task: Any) -> dict[int, Decimal]:
    """Each student's total on the task's grade sheets (the latest sheet wins)."""
    found: dict[int, Decimal] = {}
    for sheet in sheet_list_for(actor=actor, term=task.term).filter(task=task):
        for grade in sheet_grades(sheet):
            if grade.total is not None:
                found[grade.student_id] = grade.total
    return found


def _completion(
    course: OnlineCourse | None, user_ids: list[int]
) -> tuple[int, dict[int, int], set[int]]:
    """Units of the course, units completed per learner, learners who started any."""
    if course is None:
        return 0, {}, set()
    total = Unit.objects.filter(course=course).count()
    done: dict[int, int] = {}
    started: set[int] = set()
    rows = (
        Progress.objects.filter(unit__course=course, user_id__in=user_ids)
        .values("user_id")
        .annotate(n=Count("id"), done=Count("completed_at"))
        .order_by()
        .values_list("user_id", "n", "done")
    )
    for user_id, n, finished in rows:
        if n:
            started.add(user_id)
        done[user_id] = finished
    return total, done, started


def _quiz_percents(course: OnlineCourse | None) -> list[float]:
    if course is None:
        return []
    rows = Attempt.objects.filter(
        unit__course=course, submitted_at__isnull=False, score__isnull=False, max_score__gt=0
    ).values_list("score", "max_score")
    return [float(score) * 100 / float(top) for score, top in rows if score is not None]


def course_dashboard(*, actor: Actor, task_id: int, today: date | None = None) -> CourseDashboard:
    task = task_for_analytics(actor=actor, task_id=task_id)
    course = OnlineCourse.objects.filter(task=task).first()
    # The task's students (electives' selected students included, ADR 0766), and the
    # learners who enrolled themselves (ADR 0760).
    roster = course_learners(course) if course is not None else teaching.task_students(task)
    user_ids = [s.user_id for s in roster if s.user_id is not None]
    mondays = lrs.weeks_back(WEEKS, today)
    school = task.term.org
    rows = lrs.learner_weeks(school_ids=[school.pk], user_ids=user_ids, since=mondays[0])
    per_learner: dict[int, list[lrs.LearnerWeek]] = defaultdict(list)
    for row in rows:
        per_learner[row.user_id].append(row)
    rates = {line.label: line for line in task_rates(task=task)}
    total, done, started = _completion(course, user_ids)
    grades = _grades(actor, task)
    warnings = lrs.open_warnings_by_learner(user_ids=user_ids)
    lines = []
    for s in roster:
        mine = per_learner.get(s.user_id or 0, [])
        rate = rates.get(f"{s.student_number} {s.name}")
        lines.append(
            LearnerLine(
                user_id=s.user_id,
                number=s.student_number,
                name=s.name,
                class_name=s.class_unit.name if s.class_unit_id else "",
                statements=sum(r.statements for r in mine),
                active_weeks=len({r.week for r in mine}),
                attendance=rate.rate if rate is not None else None,
                completed=done.get(s.user_id or 0, 0),
                grade=grades.get(s.pk),
                warnings=warnings.get(s.user_id or 0, 0),
                started=(s.user_id in started) if course is not None else bool(mine),
            )
        )
    attended = sum(r.attended for r in rates.values())
    counted = sum(r.sessions - r.leave for r in rates.values())
    pairs = total * len(roster)
    return CourseDashboard(
        task=task,
        course=course,
        total_units=total,
        learners=lines,
        weeks=_weeks(rows, mondays),
        attendance=(Decimal(100) * attended / counted).quantize(Decimal("0.1"))
        if counted
        else None,
        completion=(sum(done.values()) * 100 // pairs) if pairs else None,
        grade_bands=band_counts([float(g) for g in grades.values()]),
        quiz_bands=band_counts(_quiz_percents(course)),
    )
