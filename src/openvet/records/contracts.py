"""Frozen views of records for other apps (teaching, industry, governance...)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class StudentInfo:
    id: int
    school_id: int
    department_id: int
    major_id: int
    class_id: int | None
    student_number: str
    name: str
    status: str
    grade_year: int
    user_id: int | None
