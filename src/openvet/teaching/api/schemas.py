"""Schemas of the teaching API: explicit, one-directional."""

from datetime import date

from ninja import Schema
from pydantic import Field

from openvet.core.api.schemas import LocalDatetime


class TermOut(Schema):
    id: int
    school_id: int = Field(validation_alias="org_id")
    academic_year: int
    number: int
    start_date: date
    weeks: int
    teaching_days: int


class TaskOut(Schema):
    id: int
    term_id: int
    course_id: int
    course_code: str = Field(validation_alias="course.code")
    course_name: str = Field(validation_alias="course.name")
    class_ids: list[int]
    teacher_ids: list[int]
    weekly_hours: int
    week_start: int
    week_end: int
    week_parity: str
    room_type: str
    room_id: int | None
    block: int
    student_count: int

    @staticmethod
    def resolve_class_ids(obj: object) -> list[int]:
        return [c.pk for c in obj.classes.all()]  # type: ignore[attr-defined]

    @staticmethod
    def resolve_teacher_ids(obj: object) -> list[int]:
        return [t.pk for t in obj.teachers.all()]  # type: ignore[attr-defined]


class EntryOut(Schema):
    id: int
    task_id: int
    course_name: str = Field(validation_alias="task.course.name")
    weekday: int
    period_start: int
    length: int
    room_id: int | None
    week_start: int
    week_end: int
    week_parity: str
    is_locked: bool


class EntryCreateIn(Schema):
    task_id: int
    weekday: int = Field(ge=1, le=7)
    period_start: int = Field(ge=1, le=16)
    length: int = Field(1, ge=1, le=8)
    room_id: int | None = None
    week_start: int | None = Field(None, ge=1, le=30)
    week_end: int | None = Field(None, ge=1, le=30)
    week_parity: str | None = Field(None, pattern="^(all|odd|even)$")


class TimetableFilterIn(Schema):
    class_id: int | None = None
    teacher_id: int | None = None
    room_id: int | None = None


class LectureOut(Schema):
    """One dated lecture, after holidays, make-up days, training weeks and adjustments."""

    date: date
    week: int
    task_id: int
    course_name: str
    period_start: int
    length: int
    room_id: int | None
    kind: str


class GenerateOut(Schema):
    created: int
    skipped: int
    classes_without_programme: list[str]


class SolverRunIn(Schema):
    seed: int = Field(0, ge=0, le=2**31 - 1)
    time_limit: int = Field(30, ge=1, le=3600)
    minimal_perturbation: bool = False


class SolverRunOut(Schema):
    id: int
    term_id: int
    status: str
    progress: float
    best_hard: int | None
    best_soft: int | None
    hard: dict[str, int]
    soft: dict[str, int]
    seed: int
    time_limit: int
    created_at: LocalDatetime


class PublishOut(Schema):
    entries: int
