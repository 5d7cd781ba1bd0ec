"""Scoped reads of online learning.

A course is visible to the teachers of its task, to the students of the task (its classes'
and, for an elective, those holding a seat in its offering: ADR 0766), to the
learners who enrolled themselves (ADR 0759) and to staff holding ``learning.view_onlinecourse``
over the task; to anyone else it does not exist (``NotFound``). Pages learn what the actor may
do from ``CourseAccess``.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from openvet.core import policy
from openvet.core.errors import NotFound
from openvet.core.policy import Actor
from openvet.learning import permissions as perms
from openvet.learning import watching
from openvet.learning.catalogue.models import Enrolment
from openvet.learning.models import (
    Answer,
    Attempt,
    LessonPlan,
    OnlineCourse,
    PackageItem,
    PlanEntry,
    PlanPhase,
    Progress,
    Question,
    ScoAttempt,
    Unit,
    UnitKind,
)
from openvet.records.selectors import student_of_user, students_of_users
from openvet.teaching import selectors as teaching


@dataclass(frozen=True)
class CourseAccess:
    course: OnlineCourse
    teacher_ids: frozenset[int]
    is_teacher: bool
    is_learner: bool
    can_follow: bool
    is_enrolled: bool = False  # a learner by self-enrolment (not a student of the task)


def _attends(actor: Actor) -> Q:
    """The courses ``actor`` learns in: those of the tasks they attend (their class's, and
    the electives they hold a seat in: ``teaching.tasks_attended_by``, ADR 0766) and those
    they enrolled in themselves (ADR 0759). The one rule of "whose course is this" seen
    from the learner; ``course_learners`` is the same rule seen from the course."""
    mine = Q(enrolments__user=actor.pk, enrolments__ended_at__isnull=True)
    of_tasks = _of_tasks(actor)
    return mine | of_tasks if of_tasks is not None else mine


def _of_tasks(actor: Actor) -> Q | None:
    """The courses of the tasks ``actor`` attends as a student; None for a non-student."""
    student = student_of_user(user=actor)
    if student is None:
        return None
    return Q(task__in=teaching.tasks_attended_by(student).values("pk"))


def _attends_task(actor: Actor, task_id: int) -> bool:
    student = student_of_user(user=actor)
    if student is None:
        return False
    return teaching.tasks_attended_by(student).filter(pk=task_id).exists()


def course_learners(course: OnlineCourse, *, roster_only: bool = False) -> list[Any]:
    """The student records of the course's learners: the task's students (its classes' and
    the electives' selected students: ``teaching.task_students``, the grade sheet's rule),
    then, unless ``roster_only``, the active self-enrolled learners. The same few queries
    whatever the number of learners."""
    students = list(teaching.task_students(course.task))
    if not roster_only:
        students += enrolled_students(course, besides={s.user_id for s in students})
    return students


def _visible(actor: Actor) -> QuerySet[OnlineCourse]:
    if not getattr(actor, "is_authenticated", False):
        return OnlineCourse.objects.none()
    own = Q(task__teachers=actor) | _attends(actor)
    return policy.scope(OnlineCourse.objects.all(), actor, perms.VIEW, own=own).distinct()


def course_list_for(*, actor: Actor) -> QuerySet[OnlineCourse]:
    return (
        _visible(actor).select_related("task", "task__course", "task__term").order_by("title", "id")
    )


def course_get_for(*, actor: Actor, course_id: int) -> OnlineCourse:
    course = (
        _visible(actor).filter(pk=course_id).select_related("task", "task__term", "org").first()
    )
    if course is None:
        raise NotFound()
    return course


def access_of(*, actor: Actor, course: OnlineCourse) -> CourseAccess:
    teacher_ids = frozenset(course.task.teachers.values_list("pk", flat=True))
    is_teacher = perms.teaches(actor, set(teacher_ids))
    in_class = getattr(actor, "is_authenticated", False) and _attends_task(actor, course.task_id)
    enrolled = not in_class and is_enrolled(user_id=actor.pk, course_id=course.pk)
    return CourseAccess(
        course=course,
        teacher_ids=teacher_ids,
        is_teacher=is_teacher,
        is_learner=in_class or enrolled,
        can_follow=perms.can_follow_course(actor, course, set(teacher_ids)),
        is_enrolled=enrolled,
    )


def is_enrolled(*, user_id: int | None, course_id: int) -> bool:
    """Whether the user is an active self-enrolled learner of the course."""
    if user_id is None:
        return False
    return Enrolment.objects.filter(
        course_id=course_id, user_id=user_id, ended_at__isnull=True
    ).exists()


def enrolled_students(course: OnlineCourse, *, besides: set[int | None]) -> list[Any]:
    """The student records of the course's active self-enrolled learners whose accounts are
    not in ``besides`` (the learners already listed from the task's classes)."""
    ids = [pk for pk in enrolled_user_ids(course) if pk not in besides]
    return list(students_of_users(user_ids=ids)) if ids else []


def enrolled_user_ids(course: OnlineCourse) -> list[int]:
    """The active self-enrolled learners of a course, in the order they enrolled."""
    return list(
        Enrolment.objects.filter(course=course, ended_at__isnull=True)
        .order_by("enrolled_at", "id")
        .values_list("user_id", flat=True)
    )


def unit_get_for(*, actor: Actor, unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id).select_related("course", "chapter").first()
    if unit is None:
        raise NotFound()
    course_get_for(actor=actor, course_id=unit.course_id)
    return unit


def attempt_get_for(*, actor: Actor, attempt_id: int) -> Attempt:
    """The actor's own attempt, or any attempt of a course the actor teaches."""
    attempt = Attempt.objects.filter(pk=attempt_id).select_related("unit", "unit__course").first()
    if attempt is None:
        raise NotFound()
    course = course_get_for(actor=actor, course_id=attempt.unit.course_id)
    if attempt.user_id != actor.pk and not access_of(actor=actor, course=course).is_teacher:
        raise NotFound()
    return attempt


# Outline and availability -------------------------------------------------------------------


@dataclass
class UnitState:
    unit: Unit
    available: bool
    completed: bool
    started: bool
    percent: int
    locked_reason: str = ""  # "date" or "previous"
    release_at: datetime | None = None


@dataclass
class ChapterOutline:
    chapter: Any
    units: list[UnitState] = field(default_factory=list)


def course_units(course: OnlineCourse) -> list[Unit]:
    return list(
        course.units.select_related("chapter").order_by(
            "chapter__position", "chapter_id", "position", "id"
        )
    )


def unit_states(
    units: list[Unit], progress: dict[int, Progress], now: datetime | None = None
) -> list[UnitState]:
    """Availability of each unit for one learner: released by date, and, where the unit asks
    for it, only once the unit before it (in course order) is completed."""
    now = now or timezone.now()
    states: list[UnitState] = []
    previous_done = True
    for unit in units:
        row = progress.get(unit.pk)
        completed = row is not None and row.completed_at is not None
        reason = ""
        if unit.release_at is not None and unit.release_at > now:
            reason = "date"
        elif unit.requires_previous and not previous_done:
            reason = "previous"
        percent = 100 if completed else 0
        if row is not None and unit.kind == UnitKind.VIDEO and not completed:
            percent = watching.watched_percent(
                [tuple(i) for i in row.watched], float(unit.duration_seconds)
            )
        states.append(
            UnitState(
                unit=unit,
                available=not reason,
                completed=completed,
                started=row is not None,
                percent=percent,
                locked_reason=reason,
                release_at=unit.release_at,
            )
        )
        previous_done = completed
    return states


def progress_of(user: Actor, units: list[Unit]) -> dict[int, Progress]:
    if not getattr(user, "is_authenticated", False):
        return {}
    return {p.unit_id: p for p in Progress.objects.filter(user_id=user.pk, unit__in=units)}


def outline_for(*, actor: Actor, course: OnlineCourse) -> list[ChapterOutline]:
    units = course_units(course)
    states = {s.unit.pk: s for s in unit_states(units, progress_of(actor, units))}
    chapters = list(course.chapters.all())
    by_chapter: dict[int, ChapterOutline] = {c.pk: ChapterOutline(c) for c in chapters}
    for unit in units:
        by_chapter[unit.chapter_id].units.append(states[unit.pk])
    return [by_chapter[c.pk] for c in chapters]


def state_of(*, actor: Actor, unit: Unit) -> UnitState:
    units = course_units(unit.course)
    for state in unit_states(units, progress_of(actor, units)):
        if state.unit.pk == unit.pk:
            return state
    raise NotFound()


# Learners and their progress ----------------------------------------------------------------


@dataclass(frozen=True)
class LearnerRow:
    student: Any
    completed: int
    started: bool
    percent: int
    units: dict[int, bool]


@dataclass(frozen=True)
class CourseReport:
    learners: list[LearnerRow]
    not_started: list[Any]
    unit_completion: list[tuple[Unit, int, int]]  # unit, completed count, percent of learners
    total_units: int


def course_report(course: OnlineCourse) -> CourseReport:
    """Who has not started, and completion per learner and per unit (teacher's page)."""
    units = course_units(course)
    students = course_learners(course)
    user_ids = [s.user_id for s in students if s.user_id is not None]
    done: dict[int, set[int]] = {}
    started: set[int] = set()
    for user_id, unit_id, completed_at in Progress.objects.filter(
        unit__course=course, user_id__in=user_ids
    ).values_list("user_id", "unit_id", "completed_at"):
        started.add(user_id)
        if completed_at is not None:
            done.setdefault(user_id, set()).add(unit_id)
    total = len(units)
    learners = []
    for s in students:
        finished = done.get(s.user_id or 0, set())
        learners.append(
            LearnerRow(
                student=s,
                completed=len(finished),
                started=(s.user_id or 0) in started,
                percent=(len(finished) * 100 // total) if total else 0,
                units={u.pk: u.pk in finished for u in units},
            )
        )
    count = len(students)
    per_unit = [
        (
            u,
            sum(1 for row in learners if row.units[u.pk]),
            (sum(1 for row in learners if row.units[u.pk]) * 100 // count) if count else 0,
        )
        for u in units
    ]
    return CourseReport(
        learners=learners,
        not_started=[row.student for row in learners if not row.started],
        unit_completion=per_unit,
        total_units=total,
    )


@dataclass(frozen=True)
class MyCourse:
    course: OnlineCourse
    completed: int
    total: int
    percent: int
    enrolled: bool = False  # self-enrolled rather than a course of the learner's class


def my_courses(*, actor: Actor) -> list[MyCourse]:
    """The courses of a learner's classes and those they enrolled in themselves, with their
    progress (the learning space)."""
    if not getattr(actor, "is_authenticated", False):
        return []
    courses = list(
        OnlineCourse.objects.filter(_attends(actor))
        .distinct()
        .select_related("task__course")
        .order_by("title", "id")
    )
    if not courses:
        return []
    of_tasks = _of_tasks(actor)
    in_class = (
        set(OnlineCourse.objects.filter(of_tasks).values_list("pk", flat=True))
        if of_tasks is not None
        else set()
    )
    totals: dict[int, int] = {}
    for course_id in Unit.objects.filter(course__in=courses).values_list("course_id", flat=True):
        totals[course_id] = totals.get(course_id, 0) + 1
    completed: dict[int, int] = {}
    for course_id in Progress.objects.filter(
        user_id=actor.pk, unit__course__in=courses, completed_at__isnull=False
    ).values_list("unit__course_id", flat=True):
        completed[course_id] = completed.get(course_id, 0) + 1
    rows = []
    for course in courses:
        total = totals.get(course.pk, 0)
        done = completed.get(course.pk, 0)
        percent = done * 100 // total if total else 0
        rows.append(MyCourse(course, done, total, percent, course.pk not in in_class))
    return rows


def taught_courses(*, actor: Actor) -> QuerySet[OnlineCourse]:
    if not getattr(actor, "is_authenticated", False):
        return OnlineCourse.objects.none()
    return (
        OnlineCourse.objects.filter(task__teachers=actor.pk)
        .distinct()
        .select_related("task__course", "task__term")
        .order_by("title", "id")
    )


def tasks_without_course(*, actor: Actor) -> list[Any]:
    """The actor's teaching tasks of terms under way or to come that have no course yet."""
    if not policy.has_capability(actor, perms.TEACH):
        return []
    today = timezone.localdate()
    with_course = set(OnlineCourse.objects.values_list("task_id", flat=True))
    tasks: list[Any] = []
    for term in teaching.term_list_for(actor=actor):
        if term.start_date + timedelta(weeks=term.weeks) < today:
            continue
        tasks.extend(
            t
            for t in teaching.task_list_for(actor=actor, term=term, teacher_id=actor.pk)
            if t.pk not in with_course
        )
    return tasks


def task_for_course(*, actor: Actor, task_id: int) -> Any:
    return teaching.task_get_for(actor=actor, task_id=task_id)


# Quizzes ------------------------------------------------------------------------------------


def question_list(course: OnlineCourse) -> QuerySet[Question]:
    return course.questions.all()


def quiz_questions(unit: Unit) -> list[Question]:
    return list(unit.questions.order_by("id"))


def attempts_of(*, actor: Actor, unit: Unit) -> list[Attempt]:
    return list(Attempt.objects.filter(unit=unit, user_id=actor.pk).order_by("number"))


def answers_of(attempt: Attempt) -> list[Answer]:
    return list(attempt.answers.select_related("question").order_by("question_id"))


def attempts_to_grade(course: OnlineCourse) -> QuerySet[Attempt]:
    return (
        Attempt.objects.filter(unit__course=course, needs_grading=True, submitted_at__isnull=False)
        .select_related("unit", "user")
        .order_by("submitted_at")
    )


def quiz_results(course: OnlineCourse) -> QuerySet[Attempt]:
    return (
        Attempt.objects.filter(unit__course=course, submitted_at__isnull=False)
        .select_related("unit", "user")
        .order_by("unit_id", "user_id", "number")
    )


# Content packages (ADR 0704) ----------------------------------------------------------------


def package_items(unit: Unit) -> list[PackageItem]:
    return list(PackageItem.objects.filter(package__unit=unit).order_by("position"))


def sco_attempts(*, actor: Actor, unit: Unit) -> dict[int, ScoAttempt]:
    """The learner's latest attempt at each item of a unit's package."""
    latest: dict[int, ScoAttempt] = {}
    for attempt in ScoAttempt.objects.filter(item__package__unit=unit, user_id=actor.pk).order_by(
        "item_id", "number"
    ):
        latest[attempt.item_id] = attempt
    return latest


def sco_results(unit: Unit) -> QuerySet[ScoAttempt]:
    """Every learner's attempts at the SCOs of a unit (the teacher's view)."""
    return (
        ScoAttempt.objects.filter(item__package__unit=unit)
        .select_related("item", "user")
        .order_by("user__full_name", "user_id", "item__position", "number")
    )


# Lesson plans (ADR 0707) --------------------------------------------------------------------


def plans_of(course: OnlineCourse) -> list[LessonPlan]:
    return list(course.plans.order_by("class_date", "id"))


def plan_get_for(*, actor: Actor, plan_id: int) -> LessonPlan:
    plan = LessonPlan.objects.filter(pk=plan_id).select_related("course").first()
    if plan is None:
        raise NotFound()
    course_get_for(actor=actor, course_id=plan.course_id)
    return plan


@dataclass(frozen=True)
class PlanPart:
    phase: str
    label: str
    entries: list[tuple[PlanEntry, UnitState | None]]


def plan_parts(*, actor: Actor, plan: LessonPlan) -> list[PlanPart]:
    """The three parts of a plan, each entry with the actor's state of its unit."""
    units = course_units(plan.course)
    states = {s.unit.pk: s for s in unit_states(units, progress_of(actor, units))}
    entries = list(plan.entries.select_related("unit").order_by("position", "id"))
    return [
        PlanPart(
            phase,
            str(label),
            [
                (e, states.get(e.unit_id) if e.unit_id else None)
                for e in entries
                if e.phase == phase
            ],
        )
        for phase, label in PlanPhase.choices
    ]


@dataclass(frozen=True)
class BeforeClassTask:
    plan: LessonPlan
    entry: PlanEntry
    completed: bool


def before_class_tasks(*, actor: Actor) -> list[BeforeClassTask]:
    """What a learner is to do before their coming classes: the "before class" units and
    activities of the plans of their courses dated today or later (or not dated)."""
    of_tasks = _of_tasks(actor)
    if of_tasks is None:
        return []
    today = timezone.localdate()
    entries = list(
        PlanEntry.objects.filter(
            phase=PlanPhase.BEFORE,
            plan__course__in=OnlineCourse.objects.filter(of_tasks).values("pk"),
        )
        .filter(Q(plan__class_date__isnull=True) | Q(plan__class_date__gte=today))
        .select_related("plan", "unit")
        .distinct()
        .order_by("plan__class_date", "plan_id", "position", "id")
    )
    done = set(
        Progress.objects.filter(
            user_id=actor.pk,
            unit__in=[e.unit_id for e in entries if e.unit_id],
            completed_at__isnull=False,
        ).values_list("unit_id", flat=True)
    )
    return [BeforeClassTask(e.plan, e, e.unit_id in done) for e in entries]


def copy_targets(*, actor: Actor, plan: LessonPlan) -> list[OnlineCourse]:
    return [c for c in taught_courses(actor=actor) if c.pk != plan.course_id]
