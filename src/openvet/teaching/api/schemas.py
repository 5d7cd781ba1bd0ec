"""Schemas of the teaching API: explicit, one-directional."""

from datetime import date
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from openvet.core.api.schemas import LocalDatetime
from openvet.core.api.types import (
    BoolField,
    FloatField,
    IdField,
    IdParam,
    InputSchema,
    IntField,
)


class TermOut(Schema):
    id: int
    school_id: int = Field(validation_alias="org_id")
    academic_year: int
    number: int
    start_date: date
    weeks: int
    teaching_days: int


class TeachingTaskOut(Schema):
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


class EntryCreateIn(InputSchema):
    task_id: IdField
    weekday: IntField = Field(ge=1, le=7)
    period_start: IntField = Field(ge=1, le=16)
    length: IntField = Field(1, ge=1, le=8)
    room_id: IdField | None = None
    week_start: IntField | None = Field(None, ge=1, le=30)
    week_end: IntField | None = Field(None, ge=1, le=30)
    week_parity: str | None = Field(None, pattern="^(all|odd|even)$")


class TimetableFilterIn(Schema):
    class_id: IdParam | None = None
    teacher_id: IdParam | None = None
    room_id: IdParam | None = None


class LectureFilterIn(Schema):
    term_id: IdParam


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


class SolverRunIn(InputSchema):
    seed: IntField = Field(0, ge=0, le=2**31 - 1)
    time_limit: IntField = Field(30, ge=1, le=3600)
    minimal_perturbation: BoolField = False


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


# Course selection, attendance, grades and evaluation (the sub-packages' routes).


class OfferingOut(Schema):
    id: int
    term_id: int
    task_id: int
    course_code: str
    course_name: str
    capacity: int
    taken: int
    seats_left: int
    prerequisites: list[str]


class SelectionOut(Schema):
    id: int
    offering_id: int
    source: str


class PreferencesIn(InputSchema):
    offering_ids: list[IdField] = Field(max_length=50, description="In order of preference.")


class PreferenceOut(Schema):
    offering_id: int
    rank: int
    outcome: str


class AttendanceSignInIn(InputSchema):
    code: str = Field(max_length=32)
    latitude: FloatField | None = Field(None, ge=-90, le=90)
    longitude: FloatField | None = Field(None, ge=-180, le=180)


class AttendanceRecordOut(Schema):
    session_id: int
    status: str
    distance_m: int | None


class EvaluationAnswersIn(InputSchema):
    answers: dict[str, IntField | str] = Field(
        description="Answer per question code: a score, or text for open questions."
    )


class TranscriptRowOut(Schema):
    term: str
    course_code: str
    course_name: str
    credits: Decimal
    attempt: str
    total: Decimal
    grade_point: Decimal
    passed: bool


class TranscriptOut(Schema):
    rows: list[TranscriptRowOut]
    credits_earned: Decimal
    credits_attempted: Decimal
    gpa: Decimal
