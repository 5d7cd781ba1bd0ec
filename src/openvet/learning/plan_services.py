"""Lesson plans (ADR 0707): a class meeting planned before, during and after class, holding
units of the course and activities; copied, with its units, into another course of the
teacher so a flipped lesson is built once and taught to several classes."""

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import PermissionDenied, ValidationFailed
from openvet.core.policy import Actor
from openvet.learning import permissions as perms
from openvet.learning.models import (
    Chapter,
    LessonPlan,
    OnlineCourse,
    Package,
    PackageItem,
    PlanEntry,
    PlanPhase,
    Unit,
)


def _require_builder(actor: Actor, course: OnlineCourse) -> None:
    teacher_ids = set(course.task.teachers.values_list("pk", flat=True))
    if not perms.can_build_course(actor, teacher_ids):
        raise PermissionDenied()


def plan_create(
    *, actor: Actor, course: OnlineCourse, title: str, class_date: date | None = None
) -> LessonPlan:
    _require_builder(actor, course)
    if not title.strip():
        raise ValidationFailed(details={"title": _("Give the lesson plan a title.")})
    with transaction.atomic():
        plan = LessonPlan.objects.create(
            course=course, title=title.strip()[:200], class_date=class_date, created_by_id=actor.pk
        )
        audit_record(action=AuditAction.CREATE, obj=plan, org=course.org, actor=actor)
    return plan


def plan_entry_add(
    *,
    actor: Actor,
    plan: LessonPlan,
    phase: str,
    unit_id: int | None = None,
    title: str = "",
    instructions: str = "",
) -> PlanEntry:
    """Add a unit of the plan's course, or an activity (a title and instructions), to a part."""
    course = plan.course
    _require_builder(actor, course)
    errors: dict[str, str] = {}
    if phase not in PlanPhase.values:
        errors["phase"] = _("Choose before, during or after class.")
    unit = course.units.filter(pk=unit_id).first() if unit_id else None
    if unit_id and unit is None:
        errors["unit_id"] = _("Choose a unit of this course.")
    if unit is None and not title.strip():
        errors["title"] = _("Choose a unit, or name the activity.")
    if errors:
        raise ValidationFailed(details=errors)
    with transaction.atomic():
        last = plan.entries.filter(phase=phase).aggregate(m=Max("position"))["m"]
        entry = PlanEntry.objects.create(
            plan=plan,
            phase=phase,
            position=(last or 0) + 1,
            unit=unit,
            title=title.strip()[:200],
            instructions=instructions.strip(),
        )
        audit_record(action=AuditAction.CREATE, obj=entry, org=course.org, actor=actor)
    return entry


_UNIT_FIELDS = (
    "title", "kind", "position", "body", "url", "file_name", "original_name", "mime_type",
    "file_size", "duration_seconds", "requires_previous", "min_watched_percent",
    "pass_percent", "time_limit_minutes", "max_attempts",
)  # fmt: skip


def _copy_unit(unit: Unit, course: OnlineCourse, chapter: Chapter) -> Unit:
    """A copy of ``unit`` in ``course``: stored files are shared (they are never changed),
    quiz questions are copied into the course's bank, a package's table of contents too."""
    copy = Unit.objects.create(
        course=course, chapter=chapter, **{name: getattr(unit, name) for name in _UNIT_FIELDS}
    )
    questions = []
    for question in unit.questions.order_by("id"):
        question.pk = None
        question.course = course
        question.save()
        questions.append(question)
    if questions:
        copy.questions.set(questions)
    package = Package.objects.filter(unit=unit).first()
    if package is not None:
        items = list(package.items.order_by("position"))
        package.pk = None
        package.unit = copy
        package.save()
        for item in items:
            item.pk = None
            item.package = package
        PackageItem.objects.bulk_create(items)
    return copy


def plan_copy(*, actor: Actor, plan: LessonPlan, course: OnlineCourse) -> LessonPlan:
    """Copy a plan into another course the actor builds: its units go into a new chapter named
    after the plan; activities are copied as they are. Learners' records stay behind."""
    _require_builder(actor, plan.course)
    _require_builder(actor, course)
    if course.pk == plan.course_id:
        raise ValidationFailed(details={"course_id": _("Choose another course.")})
    entries = list(plan.entries.select_related("unit").order_by("phase", "position", "id"))
    with transaction.atomic():
        last = course.chapters.aggregate(m=Max("position"))["m"]
        chapter = Chapter.objects.create(
            course=course, title=plan.title[:200], position=(last or 0) + 1
        )
        copies: dict[int, Unit] = {}
        for entry in entries:
            if entry.unit is not None and entry.unit.pk not in copies:
                copies[entry.unit.pk] = _copy_unit(entry.unit, course, chapter)
        new = LessonPlan.objects.create(
            course=course,
            title=plan.title,
            copied_from=plan,
            created_by_id=actor.pk,
        )
        PlanEntry.objects.bulk_create(
            PlanEntry(
                plan=new,
                phase=e.phase,
                position=e.position,
                unit=copies.get(e.unit.pk) if e.unit is not None else None,
                title=e.title,
                instructions=e.instructions,
            )
            for e in entries
        )
        audit_record(
            action=AuditAction.CREATE,
            obj=new,
            org=course.org,
            actor=actor,
            changes={"copied_from": plan.pk},
        )
    return new
