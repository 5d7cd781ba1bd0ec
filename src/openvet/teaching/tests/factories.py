"""Factories for the teaching tables. Other apps' tests (course selection, attendance,
grades) may import these."""

from datetime import date, time
from typing import Any

import factory

from openvet.core.models import OrgKind, OrgUnit
from openvet.core.tests.factories import OrgUnitFactory
from openvet.teaching.models import (
    BellPeriod,
    CalendarDay,
    Course,
    CourseType,
    Programme,
    ProgrammeCourse,
    Room,
    SolverRun,
    TeacherTime,
    TeachingTask,
    Term,
    TimetableEntry,
)

BELLS = [
    (time(8, 0), time(8, 45)),
    (time(8, 55), time(9, 40)),
    (time(10, 0), time(10, 45)),
    (time(10, 55), time(11, 40)),
    (time(14, 0), time(14, 45)),
    (time(14, 55), time(15, 40)),
    (time(16, 0), time(16, 45)),
    (time(16, 55), time(17, 40)),
]


class TermFactory(factory.django.DjangoModelFactory[Term]):
    class Meta:
        model = Term

    academic_year = 2025
    number = 1
    start_date = date(2025, 9, 1)  # a Monday
    weeks = 18


class RoomFactory(factory.django.DjangoModelFactory[Room]):
    class Meta:
        model = Room

    building = "A"
    number = factory.Sequence(lambda n: f"{100 + n}")
    capacity = 50


class CourseFactory(factory.django.DjangoModelFactory[Course]):
    class Meta:
        model = Course

    code = factory.Sequence(lambda n: f"C{n:04d}")
    name = factory.Sequence(lambda n: f"Course {n}")
    theory_hours = 32
    practice_hours = 16
    credits = 3
    course_type = CourseType.MAJOR_CORE


class ProgrammeFactory(factory.django.DjangoModelFactory[Programme]):
    class Meta:
        model = Programme

    intake_year = 2025
    version = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Programme {n}")


class ProgrammeCourseFactory(factory.django.DjangoModelFactory[ProgrammeCourse]):
    class Meta:
        model = ProgrammeCourse

    semester = 1
    weekly_hours = 4


class TeachingTaskFactory(factory.django.DjangoModelFactory[TeachingTask]):
    """``classes`` and ``teachers`` take lists; pass ``org`` (the class) for scoping tests."""

    class Meta:
        model = TeachingTask
        skip_postgeneration_save = True

    weekly_hours = 2
    week_end = factory.LazyAttribute(lambda o: o.term.weeks)
    org = factory.LazyAttribute(lambda o: o.term.org)
    course = factory.LazyAttribute(lambda o: CourseFactory(org=o.term.org))

    @factory.post_generation
    def classes(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.classes.set(extracted)

    @factory.post_generation
    def teachers(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.teachers.set(extracted)


class EntryFactory(factory.django.DjangoModelFactory[TimetableEntry]):
    class Meta:
        model = TimetableEntry

    term = factory.LazyAttribute(lambda o: o.task.term)
    weekday = 1
    period_start = 1
    length = 2
    week_start = 1
    week_end = factory.LazyAttribute(lambda o: o.task.week_end)


def bells(school: OrgUnit) -> list[BellPeriod]:
    return [
        BellPeriod.objects.create(org=school, number=n, starts_at=s, ends_at=e)
        for n, (s, e) in enumerate(BELLS, start=1)
    ]


def klass(major: OrgUnit, grade_year: int = 2025, name: str = "") -> OrgUnit:
    return OrgUnitFactory(
        kind=OrgKind.CLASS, parent=major, grade_year=grade_year, name=name or f"Class {grade_year}"
    )


class CalendarDayFactory(factory.django.DjangoModelFactory[CalendarDay]):
    class Meta:
        model = CalendarDay

    kind = "holiday"


class SolverRunFactory(factory.django.DjangoModelFactory[SolverRun]):
    class Meta:
        model = SolverRun

    status = "finished"
    best_hard = 0


class TeacherTimeFactory(factory.django.DjangoModelFactory[TeacherTime]):
    class Meta:
        model = TeacherTime

    weekday = 1
    period = 1
    level = "unavailable"
