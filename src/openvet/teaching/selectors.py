"""Scoped reads of the teaching app.

Visibility: the staff of a school who hold ``teaching.view_term`` anywhere in it see its terms,
tasks and every timetable (class, teacher, room); management needs the change capabilities
where the object sits. A student sees the terms of their school and their own timetable only.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet

from openvet.core import policy
from openvet.core.errors import NotFound
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.core.roles import Role
from openvet.identity.selectors import users_holding_role_over
from openvet.teaching import calendar as cal
from openvet.teaching import students
from openvet.teaching.clashes import Clash, Slot, all_clashes
from openvet.teaching.models import (
    Adjustment,
    AdjustmentStatus,
    BellPeriod,
    CalendarDay,
    CalendarDayKind,
    Course,
    Notice,
    Programme,
    Room,
    SolverRun,
    TeachingTask,
    Term,
    TimetableEntry,
    TrainingWeek,
)
from openvet.teaching.permissions import VIEW

# Schools ----------------------------------------------------------------------------------


def _ids_in(paths: Iterable[str]) -> set[int]:
    return {int(part) for path in paths for part in path.strip("/").split("/") if part}


def schools_for(*, actor: Actor, capability: str = VIEW) -> QuerySet[OrgUnit]:
    """Schools where ``actor`` holds ``capability`` on the school, above it or inside it."""
    paths = policy.capability_paths(actor, capability)
    if not paths:
        return OrgUnit.objects.none()
    above = Q()
    for path in paths:
        above |= Q(path__startswith=path)
    return (
        OrgUnit.objects.filter(kind=OrgKind.SCHOOL)
        .filter(above | Q(pk__in=_ids_in(paths)))
        .order_by("path")
    )


def student_classes(user: Any) -> list[OrgUnit]:
    """The classes a student belongs to (their student grants on class nodes)."""
    grants = policy.current_grants(user)
    ids = [g.org_id for g in grants if g.role == Role.STUDENT]
    if not ids:
        return []
    # Several panels of one page ask; remembered on the user for as long as its grants are.
    cached = getattr(user, "_student_classes", None)
    if cached is not None and cached[0] == ids:
        return list(cached[1])
    classes = list(OrgUnit.objects.filter(pk__in=ids, kind=OrgKind.CLASS).order_by("path"))
    setattr(user, "_student_classes", (ids, classes))  # noqa: B010 (not on the Actor type)
    return list(classes)


def _student_school_ids(actor: Actor) -> set[int]:
    classes = student_classes(actor)
    return _ids_in(c.path for c in classes) if classes else set()


def _term_condition(actor: Actor) -> Q | None:
    # The schools as a subquery of the terms' query: one round trip, not two.
    staff = policy.capability_paths(actor, VIEW)
    student_school_ids = _student_school_ids(actor)
    if not staff and not student_school_ids:
        return None
    condition = Q(org_id__in=student_school_ids) if student_school_ids else Q()
    if staff:
        condition |= Q(org_id__in=schools_for(actor=actor).order_by().values("pk"))
    return condition


# Terms ------------------------------------------------------------------------------------


def term_list_for(*, actor: Actor) -> QuerySet[Term]:
    condition = _term_condition(actor)
    if condition is None:
        return Term.objects.none()
    return (
        Term.objects.filter(condition)
        .select_related("org")
        .order_by("org__path", "-academic_year", "-number")
    )


def term_get_for(*, actor: Actor, term_id: int) -> Term:
    term = term_list_for(actor=actor).filter(pk=term_id).first()
    if term is None:
        raise NotFound()
    return term


def is_staff_of(actor: Actor, school: OrgUnit) -> bool:
    return schools_for(actor=actor).filter(pk=school.pk).exists()


def calendar_days(term: Term) -> list[CalendarDay]:
    return list(term.calendar_days.all())


def term_calendar(term: Term, days: list[CalendarDay] | None = None) -> cal.Calendar:
    """The term's calendar; ``days`` when the caller has already read the calendar days."""
    days = calendar_days(term) if days is None else days
    return cal.make_calendar(
        term.start_date,
        term.weeks,
        [d.date for d in days if d.kind == CalendarDayKind.HOLIDAY],
        [
            (d.date, d.follows_date)
            for d in days
            if d.kind == CalendarDayKind.WORKDAY and d.follows_date is not None
        ],
    )


def bell_periods(school: OrgUnit) -> list[BellPeriod]:
    return list(BellPeriod.objects.filter(org=school).order_by("number"))


# Catalogue ----------------------------------------------------------------------------------


def _scoped(queryset: QuerySet[Any], actor: Actor) -> QuerySet[Any]:
    ids = list(schools_for(actor=actor).values_list("pk", flat=True))
    return queryset.filter(org_id__in=ids)


def room_list_for(*, actor: Actor, school: OrgUnit | None = None) -> QuerySet[Room]:
    queryset = _scoped(Room.objects.all(), actor)
    if school is not None:
        queryset = queryset.filter(org=school)
    return queryset.select_related("org").order_by("org_id", "building", "number")


def room_get_for(*, actor: Actor, room_id: int) -> Room:
    room = room_list_for(actor=actor).filter(pk=room_id).first()
    if room is None:
        raise NotFound()
    return room


def course_list_for(
    *, actor: Actor, school: OrgUnit | None = None, search: str = ""
) -> QuerySet[Course]:
    queryset = _scoped(Course.objects.all(), actor)
    if school is not None:
        queryset = queryset.filter(org=school)
    if search.strip():
        queryset = queryset.filter(
            Q(code__istartswith=search.strip()) | Q(name__icontains=search.strip())
        )
    return queryset.select_related("org").order_by("org_id", "code")


def course_get_for(*, actor: Actor, course_id: int) -> Course:
    course = course_list_for(actor=actor).filter(pk=course_id).first()
    if course is None:
        raise NotFound()
    return course


def programme_list_for(*, actor: Actor, school: OrgUnit | None = None) -> QuerySet[Programme]:
    queryset = policy.scope(Programme.objects.all(), actor, VIEW)
    if school is not None:
        queryset = queryset.filter(org__path__startswith=school.path)
    return (
        queryset.select_related("org")
        .annotate(course_count=Count("courses"))
        .order_by("org__path", "-intake_year")
    )


def programme_get_for(*, actor: Actor, programme_id: int) -> Programme:
    programme = (
        policy.scope(Programme.objects.all(), actor, VIEW)
        .select_related("org")
        .filter(pk=programme_id)
        .first()
    )
    if programme is None:
        raise NotFound()
    return programme


def programme_courses(programme: Programme) -> QuerySet[Any]:
    return programme.courses.select_related("course").order_by("semester", "course__code")


# Tasks --------------------------------------------------------------------------------------


def task_list_for(
    *, actor: Actor, term: Term, class_id: int | None = None, teacher_id: int | None = None
) -> QuerySet[TeachingTask]:
    own = Q(teachers=actor) if getattr(actor, "is_authenticated", False) else None
    queryset = policy.scope(TeachingTask.objects.filter(term=term), actor, VIEW, own=own)
    if class_id is not None:
        queryset = queryset.filter(classes=class_id)
    if teacher_id is not None:
        queryset = queryset.filter(teachers=teacher_id)
    return (
        queryset.distinct()
        .select_related("course", "room")
        .prefetch_related("classes", Prefetch("teachers", queryset=_teachers_shown()))
        .order_by("course__code", "id")
    )


def _teachers_shown() -> QuerySet[Any]:
    """Teachers as task lists show them: without the encrypted personal fields, which would
    be decrypted for every teacher of every row and are never shown there."""
    return get_user_model().objects.defer("mobile", "id_number")


def task_get_for(*, actor: Actor, task_id: int) -> TeachingTask:
    own = Q(teachers=actor) if getattr(actor, "is_authenticated", False) else None
    task = (
        policy.scope(TeachingTask.objects.all(), actor, VIEW, own=own)
        .filter(pk=task_id)
        .select_related("term", "term__org", "course", "org", "room")
        .first()
    )
    if task is None:
        raise NotFound()
    return task


def training_weeks(term: Term) -> dict[int, frozenset[int]]:
    """Week -> classes in a whole training week then."""
    weeks: dict[int, set[int]] = defaultdict(set)
    for week, class_id in TrainingWeek.objects.filter(term=term).values_list(
        "week", "class_unit_id"
    ):
        weeks[week].add(class_id)
    return {week: frozenset(ids) for week, ids in weeks.items()}


@dataclass(frozen=True)
class TrainingSpell:
    """A run of whole training weeks (实训, 岗位实习) a class spends away from lessons."""

    class_name: str
    course: str  # empty when the weeks were set by hand without a training task
    first_week: int
    last_week: int


def training_spell(*, term: Term, class_unit: OrgUnit, week: int) -> TrainingSpell | None:
    """The training weeks ``class_unit`` is in during ``week``: the training task's course and
    the consecutive weeks of that task around ``week``; None when the class has lessons."""
    rows = list(
        TrainingWeek.objects.filter(term=term, class_unit=class_unit).select_related("task__course")
    )
    current = next((r for r in rows if r.week == week), None)
    if current is None:
        return None
    weeks = {r.week for r in rows if r.task_id == current.task_id}
    first = last = week
    while first - 1 in weeks:
        first -= 1
    while last + 1 in weeks:
        last += 1
    course = current.task.course.name if current.task else ""
    return TrainingSpell(class_unit.name, course, first, last)


# Timetable ----------------------------------------------------------------------------------


def _entries(term: Term, *, teachers: bool = True) -> QuerySet[TimetableEntry]:
    prefetched: list[Prefetch[Any, Any, Any]] = [
        Prefetch("task__classes", queryset=OrgUnit.objects.order_by("path"))
    ]
    if teachers:
        prefetched.append(Prefetch("task__teachers", queryset=_teachers_shown()))
    return (
        TimetableEntry.objects.filter(term=term)
        .select_related("task__course", "room")
        .prefetch_related(*prefetched)
    )


def term_has_timetable(*, term: Term) -> bool:
    """Whether the term has a timetable (published, or entered by hand)."""
    return TimetableEntry.objects.filter(term=term).exists()


def entries_for(
    *,
    term: Term,
    class_id: int | None = None,
    teacher_id: int | None = None,
    room_id: int | None = None,
) -> list[TimetableEntry]:
    """The term's entries of one class, teacher or room (or all), with what a grid shows."""
    queryset = _entries(term)
    if class_id is not None:
        queryset = queryset.filter(task__classes=class_id)
    if teacher_id is not None:
        queryset = queryset.filter(task__teachers=teacher_id)
    if room_id is not None:
        queryset = queryset.filter(room_id=room_id)
    return list(queryset.distinct())


def my_entries_for(
    *, user: Any, term: Term, electives: bool = True, teachers: bool = True
) -> list[TimetableEntry]:
    """The term's entries a person attends or teaches: the lectures they teach, their
    classes' lectures and (``electives``) the electives they hold a seat in (first come or
    lottery), once, in one query; ``teachers`` False leaves the tasks' teachers unread."""
    if not getattr(user, "is_authenticated", False):
        return []
    class_ids = [c.pk for c in student_classes(user)]
    condition = Q(task__teachers=user.pk)
    if electives:
        condition |= Q(task__offering__selections__student__user=user)
    if class_ids:
        condition |= Q(task__classes__in=class_ids)
    found = _entries(term, teachers=teachers).filter(condition).distinct()
    return sorted(found, key=lambda e: (e.weekday, e.period_start, e.pk))


def entry_get_for(*, actor: Actor, entry_id: int) -> TimetableEntry:
    entry = (
        TimetableEntry.objects.filter(pk=entry_id)
        .select_related("term__org", "task__org", "task__course", "room")
        .first()
    )
    if entry is None or not is_staff_of(actor, entry.term.org):
        raise NotFound()
    return entry


def slot_of(entry: TimetableEntry) -> Slot:
    task = entry.task
    return Slot(
        entry_id=entry.pk,
        task_id=entry.task_id,
        weekday=entry.weekday,
        period_start=entry.period_start,
        length=entry.length,
        room_id=entry.room_id,
        pattern=cal.WeekPattern(entry.week_start, entry.week_end, entry.week_parity),
        teacher_ids=frozenset(t.pk for t in task.teachers.all()),
        class_ids=frozenset(c.pk for c in task.classes.all()),
    )


def term_slots(term: Term) -> list[Slot]:
    return [slot_of(entry) for entry in _entries(term)]


def term_clashes(term: Term) -> list[Clash]:
    return all_clashes(term_slots(term))


def clashing_entry_ids(clashes: Iterable[Clash]) -> set[int]:
    ids: set[int] = set()
    for clash in clashes:
        ids.update(i for i in (clash.first.entry_id, clash.second.entry_id) if i is not None)
    return ids


def approved_changes(term: Term, task_ids: Iterable[int] | None = None) -> list[cal.Change]:
    queryset = Adjustment.objects.filter(term=term, status=AdjustmentStatus.APPROVED)
    if task_ids is not None:
        queryset = queryset.filter(task_id__in=list(task_ids))
    return [
        cal.Change(
            a.pk,
            a.kind,
            a.task_id,
            a.original_date,
            a.original_period_start,
            a.new_date,
            a.new_period_start,
            a.new_length,
            a.new_room_id,
        )
        for a in queryset.order_by("decided_at", "id")
    ]


def lecture_of(entry: TimetableEntry) -> cal.Lecture:
    return cal.Lecture(
        entry_id=entry.pk,
        task_id=entry.task_id,
        weekday=entry.weekday,
        period_start=entry.period_start,
        length=entry.length,
        room_id=entry.room_id,
        pattern=cal.WeekPattern(entry.week_start, entry.week_end, entry.week_parity),
        class_ids=frozenset(c.pk for c in entry.task.classes.all()),
    )


def occurrences(
    term: Term,
    entries: list[TimetableEntry],
    extra_task_ids: Iterable[int] = (),
    *,
    calendar: cal.Calendar | None = None,
    between: tuple[date, date] | None = None,
) -> list[cal.Occurrence]:
    """The dated lectures of ``entries`` with holidays, make-up days, training weeks and approved
    adjustments (make-up lectures of ``extra_task_ids`` too); only those held ``between`` the
    two dates (inclusive) when given, dating only the weeks that can hold them."""
    task_ids = {e.task_id for e in entries} | set(extra_task_ids)
    return cal.expand(
        calendar if calendar is not None else term_calendar(term),
        [lecture_of(e) for e in entries],
        training_weeks(term),
        approved_changes(term, task_ids),
        between=between,
    )


@dataclass(frozen=True)
class Target:
    """Whose timetable: one of class, teacher, room (by id), or a student's classes."""

    kind: str
    id: int
    label: str


def notices_for(*, user: Any) -> QuerySet[Notice]:
    return (
        Notice.objects.filter(user=user)
        .select_related("adjustment__task__course", "solver_run__term")
        .order_by("-created_at", "-id")
    )


def adjustment_list_for(*, actor: Actor, term: Term) -> QuerySet[Adjustment]:
    own = Q(requested_by=actor) if getattr(actor, "is_authenticated", False) else None
    return (
        policy.scope(Adjustment.objects.filter(term=term), actor, VIEW, own=own)
        .select_related("task__course", "requested_by")
        .order_by("-created_at", "-id")
    )


def adjustment_get(*, adjustment_id: int) -> Adjustment | None:
    return (
        Adjustment.objects.filter(pk=adjustment_id)
        .select_related("term__org", "task__course", "org")
        .first()
    )


# Solver runs -------------------------------------------------------------------------------


def solver_run_list(*, term: Term) -> QuerySet[SolverRun]:
    return SolverRun.objects.filter(term=term).defer("result").order_by("-created_at", "-id")


def solver_run_get_for(*, actor: Actor, run_id: int) -> SolverRun:
    run = SolverRun.objects.filter(pk=run_id).select_related("term__org").first()
    if run is None or not is_staff_of(actor, run.term.org):
        raise NotFound()
    return run


def week_dates(term: Term, week: int, calendar: cal.Calendar | None = None) -> list[date]:
    calendar = calendar if calendar is not None else term_calendar(term)
    return [calendar.day_of(week, day) for day in range(1, 8)]


# Choices and timetable targets ----------------------------------------------------------------


def majors_for(*, actor: Actor, capability: str) -> list[OrgUnit]:
    """Active majors where ``actor`` holds ``capability``."""
    return list(
        policy.scope(
            OrgUnit.objects.filter(kind=OrgKind.MAJOR, is_active=True),
            actor,
            capability,
            path_field="path",
        ).order_by("path")
    )


def major_get_for(*, actor: Actor, major_id: int, capability: str) -> OrgUnit:
    major = next(
        (m for m in majors_for(actor=actor, capability=capability) if m.pk == major_id), None
    )
    if major is None:
        raise NotFound()
    return major


def classes_of(school: OrgUnit) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(
        kind=OrgKind.CLASS, path__startswith=school.path, is_active=True
    ).order_by("path")


def teachers_of(school: OrgUnit) -> list[Any]:
    """Active teachers holding the teacher role in one of the school's departments."""
    found: dict[int, Any] = {}
    for department in OrgUnit.objects.filter(kind=OrgKind.DEPARTMENT, path__startswith=school.path):
        for user in users_holding_role_over(role=Role.TEACHER, org_path=department.path):
            found[user.pk] = user
    return sorted(found.values(), key=lambda user: (user.full_name, user.pk))


def teachers_by_ids(school: OrgUnit, ids: Iterable[int]) -> list[Any]:
    wanted = set(ids)
    return [user for user in teachers_of(school) if user.pk in wanted]


def timetable_target(
    *, actor: Actor, term: Term, kind: str, target_id: int
) -> tuple[str, dict[str, int]]:
    """The label and entry filter of a timetable ``actor`` may see, else ``NotFound``:
    staff of the school see every class, teacher and room; a student their own class; a
    teacher their own timetable."""
    staff = is_staff_of(actor, term.org)
    if kind == "class":
        klass = classes_of(term.org).filter(pk=target_id).first()
        if klass is not None and (staff or klass in student_classes(actor)):
            return klass.name, {"class_id": klass.pk}
    elif kind == "teacher" and (staff or getattr(actor, "pk", None) == target_id):
        teacher = next((t for t in teachers_of(term.org) if t.pk == target_id), None)
        if teacher is not None:
            return teacher.full_name, {"teacher_id": teacher.pk}
    elif kind == "room" and staff:
        room = room_list_for(actor=actor, school=term.org).filter(pk=target_id).first()
        if room is not None:
            return str(room), {"room_id": room.pk}
    raise NotFound()


def task_get_within(*, task_id: int, paths: list[str]) -> TeachingTask | None:
    """A task filed, or having a class, in one of the subtrees ``paths`` (a department head
    reading a task of their classes that is filed at the school); None otherwise."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(org__path__startswith=path) | Q(classes__path__startswith=path)
    return (
        TeachingTask.objects.filter(condition, pk=task_id)
        .select_related("term", "term__org", "course", "org", "room")
        .distinct()
        .first()
    )


def task_students(task: TeachingTask) -> list[Any]:
    """The students of a teaching task: its classes' students and those holding a seat in
    its offering (an elective), by student number. The one rule every app uses for "who
    attends this task" (grade sheets, attendance, online courses: ADR 0766)."""
    return students.task_roster(task)


def tasks_attended_by(student: Any) -> QuerySet[TeachingTask]:
    """Every task ``student`` attends, any term (the same rule seen from the student); use it
    as a subquery (``task__in=...``)."""
    return students.tasks_of_student(student)


def selection_pairs(
    *, task_ids: list[int] | None = None, user_ids: list[int] | None = None
) -> list[tuple[int, int]]:
    """(task, account) of the seats held in offerings, of the given tasks or accounts."""
    return students.selection_pairs(task_ids=task_ids, user_ids=user_ids)
