"""Scoped reads of grades: sheets, a student's grades, the transcript, passed courses.

A teacher sees the sheets of the tasks they teach; holders of ``teaching.view_grade`` see the
sheets of their subtree; a student sees their own locked grades only.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from openvet.core import policy
from openvet.core.errors import NotFound
from openvet.core.policy import Actor
from openvet.teaching import scales
from openvet.teaching.capabilities import VIEW_GRADES
from openvet.teaching.grades.models import (
    Attempt,
    Grade,
    GradeChange,
    GradeSheet,
    Level,
)
from openvet.teaching.models import CourseType, Term
from openvet.teaching.students import locked_grades


def sheet_list_for(*, actor: Actor, term: Term | None = None) -> QuerySet[GradeSheet]:
    own = Q(task__teachers=actor) if getattr(actor, "is_authenticated", False) else None
    queryset = policy.scope(GradeSheet.objects.all(), actor, VIEW_GRADES, own=own)
    if term is not None:
        queryset = queryset.filter(task__term=term)
    return (
        queryset.distinct()
        .select_related("task__course", "task__term")
        .order_by("task__course__code", "id")
    )


def sheet_get_for(*, actor: Actor, sheet_id: int) -> GradeSheet:
    found = sheet_list_for(actor=actor).filter(pk=sheet_id).first()
    if found is None:
        raise NotFound()
    return found


def sheet_grades(sheet: GradeSheet) -> QuerySet[Grade]:
    return sheet.grades.select_related("student").order_by("student__student_number", "attempt")


def grade_get_for(*, actor: Actor, grade_id: int) -> Grade:
    grade = Grade.objects.filter(pk=grade_id).select_related("sheet__task").first()
    if grade is None or not sheet_list_for(actor=actor).filter(pk=grade.sheet_id).exists():
        raise NotFound()
    return grade


def change_list_for(*, actor: Actor, sheet: GradeSheet) -> QuerySet[GradeChange]:
    return GradeChange.objects.filter(grade__sheet=sheet).select_related("grade__student")


@dataclass(frozen=True)
class TranscriptRow:
    term: str
    course_code: str
    course_name: str
    course_type: str
    credits: Decimal
    attempt: str
    total: Decimal
    level: str
    grade_point: Decimal
    passed: bool

    @property
    def attempt_label(self) -> str:
        return str(Attempt(self.attempt).label)

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label) if self.level else ""

    @property
    def course_type_label(self) -> str:
        return str(CourseType(self.course_type).label) if self.course_type else ""

    @property
    def counted_score(self) -> Decimal:
        """The score that counts for credits and GPA (a passed make-up counts as the pass mark)."""
        return scales.effective_score(self.attempt, self.total)


@dataclass(frozen=True)
class Totals:
    """Credits and GPA of some rows; per course the best attempt counts."""

    credits_earned: Decimal
    credits_attempted: Decimal
    gpa: Decimal

    @property
    def counted_gpa(self) -> Decimal | None:
        """The GPA once a credit has been attempted; None before (not a misleading 0.00)."""
        return self.gpa if self.credits_attempted else None


def totals_of(rows: list[TranscriptRow]) -> Totals:
    best: dict[str, tuple[Decimal, Decimal]] = {}  # course code -> (score, credits)
    for row in rows:
        previous = best.get(row.course_code)
        if previous is None or row.counted_score > previous[0]:
            best[row.course_code] = (row.counted_score, row.credits)
    attempted = sum((c for _s, c in best.values()), Decimal("0.0"))
    earned = sum((c for s, c in best.values() if s >= scales.PASS_MARK), Decimal("0.0"))
    points = sum((scales.grade_point(s) * c for s, c in best.values()), Decimal(0))
    gpa = (points / attempted).quantize(Decimal("0.01")) if attempted else Decimal("0.00")
    return Totals(credits_earned=earned, credits_attempted=attempted, gpa=gpa)


@dataclass(frozen=True)
class TranscriptTerm:
    term: str
    rows: list[TranscriptRow]
    totals: Totals


@dataclass(frozen=True)
class Transcript:
    rows: list[TranscriptRow]
    credits_earned: Decimal
    credits_attempted: Decimal
    gpa: Decimal

    @property
    def counted_gpa(self) -> Decimal | None:
        """The GPA once a credit has been attempted; None before (not a misleading 0.00)."""
        return self.gpa if self.credits_attempted else None

    @property
    def terms(self) -> list[TranscriptTerm]:
        """The rows term by term (they come in term order), each with its own totals."""
        grouped: dict[str, list[TranscriptRow]] = {}
        for row in self.rows:
            grouped.setdefault(row.term, []).append(row)
        return [
            TranscriptTerm(term=term, rows=rows, totals=totals_of(rows))
            for term, rows in grouped.items()
        ]


def transcript_for(*, student: Any) -> Transcript:
    """Every locked grade; per course the best attempt counts for credits and GPA."""
    rows: list[TranscriptRow] = []
    for grade in locked_grades(student):
        task = grade.sheet.task
        total = grade.total or Decimal(0)
        score = scales.effective_score(grade.attempt, total)
        rows.append(
            TranscriptRow(
                term=str(task.term),
                course_code=task.course.code,
                course_name=task.course.name,
                course_type=task.course.course_type,
                credits=task.course.credits,
                attempt=grade.attempt,
                total=total,
                level=grade.level,
                grade_point=scales.grade_point(score),
                passed=score >= scales.PASS_MARK,
            )
        )
    overall = totals_of(rows)
    return Transcript(
        rows=rows,
        credits_earned=overall.credits_earned,
        credits_attempted=overall.credits_attempted,
        gpa=overall.gpa,
    )
