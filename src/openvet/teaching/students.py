"""Students of daily teaching, shared by selection, attendance, grades and evaluation: the
actor's student record, the students of a task, the tasks of a student and the courses a
student has passed. The sub-packages import these from here, never from each other.
"""

from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from openvet.core.errors import PermissionDenied
from openvet.core.policy import Actor
from openvet.records.selectors import student_of_user, students_of_classes
from openvet.teaching import scales
from openvet.teaching.models import Grade, Selection, SheetStatus, TeachingTask

_NO_STUDENT = object()


def student_for(actor: Actor) -> Any:
    """The actor's student record (remembered on the actor for the rest of the request, and
    so is its absence: a teacher's pages ask several times whether they are a student)."""
    student = getattr(actor, "_teaching_student", None)
    if student is None:
        student = student_of_user(user=actor)
        if getattr(actor, "is_authenticated", False):
            remembered = _NO_STUDENT if student is None else student
            setattr(actor, "_teaching_student", remembered)  # noqa: B010 (not on the Actor type)
    if student is None or student is _NO_STUDENT:
        raise PermissionDenied(_("Only students with a student record can select courses."))
    return student


def task_roster(task: TeachingTask) -> list[Any]:
    """The students of a teaching task: its classes' students and the students who selected
    it, by student number (used by attendance and grades)."""
    class_ids = list(task.classes.values_list("pk", flat=True))
    students = {s.pk: s for s in students_of_classes(class_ids=class_ids)} if class_ids else {}
    selections = Selection.objects.filter(offering__task=task).select_related(
        "student", "student__class_unit"
    )
    for selection in selections:
        students.setdefault(selection.student_id, selection.student)
    return sorted(students.values(), key=lambda s: s.student_number)


def tasks_of_student(student: Any) -> QuerySet[TeachingTask]:
    """Every teaching task a student attends, in any term: their class's tasks and the tasks
    of the offerings they hold a seat in (``task_roster`` seen from the student; a dropped
    selection is deleted, so it no longer counts). May repeat a task: use it as a subquery
    (``task__in=...``) or add ``distinct()``."""
    condition = Q(offering__selections__student=student)
    if student.class_unit_id:
        condition |= Q(classes=student.class_unit_id)
    return TeachingTask.objects.filter(condition)


def student_tasks(student: Any, term_id: int) -> QuerySet[TeachingTask]:
    """The teaching tasks a student attends in a term: their class's and their selections."""
    return (
        tasks_of_student(student)
        .filter(term_id=term_id)
        .distinct()
        .select_related("course")
        .order_by("course__code", "id")
    )


def locked_grades(student: Any) -> QuerySet[Grade]:
    """The student's grades on locked sheets, in term and course order."""
    return (
        Grade.objects.filter(student=student, sheet__status=SheetStatus.LOCKED, total__isnull=False)
        .select_related("sheet__task__course", "sheet__task__term")
        .order_by(
            "sheet__task__term__academic_year",
            "sheet__task__term__number",
            "sheet__task__course__code",
            "attempt",
        )
    )


def passed_course_codes(student: Any) -> set[str]:
    """Codes of the courses the student has passed (locked grades, any attempt); grades shows
    them on the transcript, selection checks prerequisites against them."""
    cached = getattr(student, "_teaching_passed_codes", None)
    if cached is not None:
        return set(cached)
    codes = {
        grade.sheet.task.course.code
        for grade in locked_grades(student)
        if scales.effective_score(grade.attempt, grade.total or Decimal(0)) >= scales.PASS_MARK
    }
    student._teaching_passed_codes = frozenset(codes)
    return codes


def learner_user_ids_taught_by(actor: Actor) -> set[int]:
    """The accounts of the students ``actor`` teaches: the students of the classes of their
    teaching tasks and those who selected one of the tasks' offerings (registered with the
    learning record store as a learner source)."""
    tasks = TeachingTask.objects.filter(teachers__pk=actor.pk)
    class_ids = [pk for pk in tasks.values_list("classes", flat=True) if pk is not None]
    found: set[int] = set()
    if class_ids:
        found.update(
            students_of_classes(class_ids=class_ids)
            .filter(user__isnull=False)
            .values_list("user_id", flat=True)
        )
    selected = Selection.objects.filter(offering__task__in=tasks, student__user__isnull=False)
    found.update(selected.values_list("student__user_id", flat=True))
    return found


def selection_pairs(
    *, task_ids: list[int] | None = None, user_ids: list[int] | None = None
) -> list[tuple[int, int]]:
    """(task, account) of every seat held in an offering, of the given tasks or accounts (one
    query whatever their number; the dashboards add them to the tasks' classes)."""
    rows = Selection.objects.filter(student__user__isnull=False)
    if task_ids is not None:
        rows = rows.filter(offering__task_id__in=task_ids)
    if user_ids is not None:
        rows = rows.filter(student__user_id__in=user_ids)
    return list(rows.values_list("offering__task_id", "student__user_id"))
