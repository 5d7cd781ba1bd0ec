"""Factories of daily teaching tests (selection, attendance, grades, evaluation)."""

from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from openvet.core.models import OrgUnit
from openvet.core.roles import Role
from openvet.identity.models import User
from openvet.identity.tests.factories import user_with_role
from openvet.records.models import Student
from openvet.records.tests.factories import student as records_student
from openvet.teaching.models import TeachingTask
from openvet.teaching.selection.models import Offering, RoundKind, SelectionRound
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.factories import CourseFactory, EntryFactory, TeachingTaskFactory


def student_in(campus: Campus, class_unit: OrgUnit | None = None, **overrides: Any) -> Student:
    """A student record of ``class_unit`` (default class A) with its own account."""
    klass = class_unit or campus.class_a
    holder = SimpleNamespace(
        school=campus.school, department=campus.department, major=campus.major, klass=klass
    )
    user = overrides.pop("user", None) or user_with_role(Role.STUDENT, klass)
    return records_student(holder, user=user, grade_year=klass.grade_year, **overrides)


def campus_student(campus: Campus) -> Student:
    """The record of the campus fixture's own student account."""
    return student_in(campus, user=campus.student)


def task_of(
    campus: Campus,
    *,
    classes: list[OrgUnit] | None = None,
    teachers: list[User] | None = None,
    weekday: int = 1,
    period: int = 1,
    code: str = "",
) -> TeachingTask:
    course = CourseFactory(org=campus.school, **({"code": code} if code else {}))
    # Like teaching_tasks_generate: the org is the smallest unit holding the classes.
    org = classes[0] if classes and len(classes) == 1 else campus.school
    task = TeachingTaskFactory(
        term=campus.term,
        course=course,
        org=org,
        classes=classes or [],
        teachers=teachers or [campus.teacher],
    )
    EntryFactory(task=task, weekday=weekday, period_start=period, length=2)
    return task


def offering_of(
    campus: Campus,
    *,
    capacity: int = 2,
    weekday: int = 1,
    period: int = 1,
    prerequisites: list[str] | None = None,
    code: str = "",
) -> Offering:
    task = task_of(campus, weekday=weekday, period=period, code=code)
    return Offering.objects.create(
        term=campus.term,
        task=task,
        org=campus.school,
        school=campus.school,
        capacity=capacity,
        prerequisites=prerequisites or [],
    )


def round_of(
    campus: Campus,
    *,
    kind: str = RoundKind.FIRST_COME,
    opens: datetime | None = None,
    hours: int = 2,
) -> SelectionRound:
    opens = opens or timezone.now() - timedelta(hours=1)
    return SelectionRound.objects.create(
        term=campus.term,
        org=campus.school,
        name="Round",
        kind=kind,
        opens_at=opens,
        closes_at=opens + timedelta(hours=hours),
    )
