"""Teaching tasks: generated from the programmes for a term, then edited."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.core.roles import Role
from openvet.identity.selectors import users_holding_role_over
from openvet.teaching.models import (
    Course,
    Programme,
    ProgrammeCourse,
    Room,
    TeachingTask,
    Term,
    TrainingWeek,
    WeekParity,
)
from openvet.teaching.permissions import MANAGE_TASK
from openvet.teaching.services.common import (
    AuditAction,
    check,
    common_ancestor,
    record,
    require,
)

TASK_FIELDS = (
    "weekly_hours",
    "week_start",
    "week_end",
    "week_parity",
    "room_type",
    "room",
    "block",
    "student_count",
)


@dataclass(frozen=True)
class GenerateResult:
    created: int
    skipped: int
    classes_without_programme: tuple[str, ...]


def semester_of(term: Term, grade_year: int) -> int:
    """Semester of a cohort in a term: 1 is the first term of its intake year."""
    return (term.academic_year - grade_year) * 2 + term.number


def class_size(class_unit: OrgUnit) -> int:
    return (
        users_holding_role_over(role=Role.STUDENT, org_path=class_unit.path)
        .filter(home_org=class_unit)
        .count()
    )


def _programmes_by_major(school: OrgUnit) -> dict[int, list[Programme]]:
    result: dict[int, list[Programme]] = defaultdict(list)
    for programme in Programme.objects.filter(org__path__startswith=school.path).order_by(
        "-intake_year"
    ):
        result[programme.org_id].append(programme)
    return result


def programme_for(programmes: list[Programme], grade_year: int) -> Programme | None:
    """The cohort's programme: its intake year's, else the latest one before it."""
    return next((p for p in programmes if p.intake_year <= grade_year), None)


def _existing_pairs(term: Term) -> set[tuple[int, int]]:
    through = TeachingTask.classes.through
    return {
        (source_id, class_id)
        for source_id, class_id in through.objects.filter(
            teachingtask__term=term, teachingtask__source__isnull=False
        ).values_list("teachingtask__source_id", "orgunit_id")
    }


@transaction.atomic
def teaching_tasks_generate(*, actor: Actor, term: Term) -> GenerateResult:
    """Create the term's tasks from each class's programme; tasks already there are kept."""
    require(actor, MANAGE_TASK, term.org)
    Term.objects.select_for_update().filter(pk=term.pk).first()  # one generation at a time
    classes = list(
        OrgUnit.objects.filter(
            kind=OrgKind.CLASS,
            path__startswith=term.org.path,
            is_active=True,
            grade_year__isnull=False,
        ).order_by("path")
    )
    programmes = _programmes_by_major(term.org)
    chosen = {
        c.pk: programme_for(programmes.get(c.parent_id or 0, []), c.grade_year or 0)
        for c in classes
    }
    wanted = {
        (p.pk, semester_of(term, c.grade_year or 0))
        for c in classes
        if (p := chosen[c.pk]) is not None
    }
    courses = defaultdict(list)
    for pc in ProgrammeCourse.objects.filter(
        programme_id__in={p for p, _s in wanted}
    ).select_related("course"):
        courses[(pc.programme_id, pc.semester)].append(pc)
    existing = _existing_pairs(term)
    created = skipped = 0
    for klass in classes:
        programme = chosen[klass.pk]
        if programme is None:
            continue
        size: int | None = None  # counted once per class, only when a task is created
        for pc in courses[(programme.pk, semester_of(term, klass.grade_year or 0))]:
            if (pc.pk, klass.pk) in existing:
                skipped += 1
                continue
            size = class_size(klass) if size is None else size
            _task_from_programme(term, pc, klass, size)
            created += 1
    missing = tuple(c.name for c in classes if chosen[c.pk] is None)
    record(
        actor=actor,
        obj=term,
        org=term.org,
        action=AuditAction.CREATE,
        after={"generated_tasks": created},
    )
    return GenerateResult(created, skipped, missing)


def _task_from_programme(
    term: Term, pc: ProgrammeCourse, klass: OrgUnit, size: int
) -> TeachingTask:
    task = TeachingTask.objects.create(
        term=term,
        org=klass,
        course=pc.course,
        source=pc,
        weekly_hours=pc.weekly_hours,
        week_start=1,
        week_end=term.weeks,
        room_type=pc.course.room_type,
        block=pc.block,
        student_count=size,
    )
    task.classes.add(klass)
    if pc.training_weeks:
        _add_training_weeks(term, task, klass, pc.training_weeks)
    return task


def _add_training_weeks(term: Term, task: TeachingTask, klass: OrgUnit, count: int) -> None:
    """Put the training weeks at the end of the term, in weeks the class has free."""
    taken = set(
        TrainingWeek.objects.filter(term=term, class_unit=klass).values_list("week", flat=True)
    )
    free = [w for w in range(term.weeks, 0, -1) if w not in taken][:count]
    TrainingWeek.objects.bulk_create(
        TrainingWeek(term=term, class_unit=klass, week=w, task=task) for w in sorted(free)
    )


def _task_errors(task: TeachingTask, term: Term) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not 0 <= task.weekly_hours <= 30:
        errors["weekly_hours"] = _("At most 30 periods a week.")
    if task.block not in (1, 2, 3):
        errors["block"] = _("Lectures come singly or in blocks of 2 or 3 periods.")
    elif task.weekly_hours % task.block:
        errors["block"] = _("The periods per week must be a multiple of the block length.")
    if not 1 <= task.week_start <= task.week_end <= term.weeks:
        errors["week_end"] = _("Weeks run from 1 to %(weeks)s, the first before the last.") % {
            "weeks": term.weeks
        }
    if task.week_parity not in WeekParity.values:
        errors["week_parity"] = _("Choose every, odd or even weeks.")
    if task.room is not None and task.room.org_id != term.org_id:
        errors["room"] = _("Choose a room of this school.")
    return errors


def _people_errors(
    term: Term, course: Course, classes: Sequence[OrgUnit], teachers: Sequence[Any]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if course.org_id != term.org_id:
        errors["course"] = _("Choose a course of this school's catalogue.")
    if not classes or any(c.kind != OrgKind.CLASS or not c.is_within(term.org) for c in classes):
        errors["classes"] = _("Choose one or more classes of this school.")
    if any(not _works_at(t, term.org) for t in teachers):
        errors["teachers"] = _("Choose teachers of this school.")
    return errors


def _works_at(user: Any, school: OrgUnit) -> bool:
    return any(g.org_path.startswith(school.path) for g in policy.current_grants(user))


@transaction.atomic
def task_create(
    *,
    actor: Actor,
    term: Term,
    course: Course,
    classes: Sequence[OrgUnit],
    teachers: Sequence[Any] = (),
    **values: Any,
) -> TeachingTask:
    check(_people_errors(term, course, classes, teachers))
    org = common_ancestor(list(classes))
    require(actor, MANAGE_TASK, org)
    values.setdefault("week_end", term.weeks)
    values.setdefault("room_type", course.room_type)
    if "student_count" not in values:
        values["student_count"] = sum(class_size(c) for c in classes)
    task = TeachingTask(
        term=term, org=org, course=course, **{k: v for k, v in values.items() if k in TASK_FIELDS}
    )
    check(_task_errors(task, term))
    task.save()
    task.classes.set(classes)
    task.teachers.set(teachers)
    record(
        actor=actor,
        obj=task,
        org=org,
        after={
            "course": course.code,
            "classes": [c.pk for c in classes],
            "teachers": [t.pk for t in teachers],
        },
    )
    return task


def _snapshot(task: TeachingTask) -> dict[str, Any]:
    values = {name: getattr(task, name) for name in TASK_FIELDS}
    values["room"] = task.room_id
    return values


@transaction.atomic
def task_update(
    *,
    actor: Actor,
    task: TeachingTask,
    classes: Sequence[OrgUnit] | None = None,
    teachers: Sequence[Any] | None = None,
    **values: Any,
) -> TeachingTask:
    require(actor, MANAGE_TASK, task.org)
    before = _snapshot(task)
    new_classes = list(classes) if classes is not None else list(task.classes.all())
    new_teachers = list(teachers) if teachers is not None else list(task.teachers.all())
    check(_people_errors(task.term, task.course, new_classes, new_teachers))
    task.org = common_ancestor(new_classes)
    require(actor, MANAGE_TASK, task.org)
    for name, value in values.items():
        if name in TASK_FIELDS:
            setattr(task, name, value)
    check(_task_errors(task, task.term))
    task.save()
    if classes is not None:
        task.classes.set(new_classes)
    if teachers is not None:
        task.teachers.set(new_teachers)
    after = _snapshot(task)
    after["teachers"] = sorted(t.pk for t in new_teachers)
    record(
        actor=actor, obj=task, org=task.org, action=AuditAction.UPDATE, before=before, after=after
    )
    return task


@transaction.atomic
def task_delete(*, actor: Actor, task: TeachingTask) -> None:
    require(actor, MANAGE_TASK, task.org)
    record(actor=actor, obj=task, org=task.org, action=AuditAction.DELETE)
    task.delete()


@transaction.atomic
def training_week_set(
    *,
    actor: Actor,
    term: Term,
    class_unit: OrgUnit,
    week: int,
    task: TeachingTask | None = None,
    is_training: bool = True,
) -> None:
    """Mark (or unmark) a whole training week of a class; its lectures are suspended."""
    require(actor, MANAGE_TASK, class_unit)
    if not 1 <= week <= term.weeks or not class_unit.is_within(term.org):
        check({"week": _("Choose a week of the term and a class of its school.")})
    if is_training:
        TrainingWeek.objects.update_or_create(
            term=term, class_unit=class_unit, week=week, defaults={"task": task}
        )
    else:
        TrainingWeek.objects.filter(term=term, class_unit=class_unit, week=week).delete()
    record(
        actor=actor,
        obj=term,
        org=class_unit,
        action=AuditAction.UPDATE,
        after={"class": class_unit.pk, "training_week": week, "on": is_training},
    )


__all__ = [
    "GenerateResult",
    "Room",
    "task_create",
    "task_delete",
    "task_update",
    "teaching_tasks_generate",
    "training_week_set",
]
