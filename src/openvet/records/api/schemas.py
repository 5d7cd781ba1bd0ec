from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

PII_DESCRIPTION = (
    "Masked (110105********0023); clear only with ?reveal=pii, for a role that may reveal "
    "personal data and, with a token, the pii scope. Every reveal is audited."
)


class StudentOut(Schema):
    id: int
    student_number: str
    name: str
    gender: str
    id_type: str
    id_number: str = Field(description=PII_DESCRIPTION)
    birth_date: date | None
    ethnicity: str
    political_status: str
    enrolment_source: str
    school_id: int
    department_id: int
    major_id: int
    class_id: int | None
    grade_year: int
    schooling_years: int
    study_form: str
    status: str


class StudentCreateIn(Schema):
    student_number: str = Field(max_length=32)
    name: str = Field(max_length=100)
    gender: str = Field(max_length=1)
    id_type: str = "1"
    id_number: str = Field("", max_length=32)
    birth_date: date | None = None
    ethnicity: str = Field("", max_length=2)
    political_status: str = Field("", max_length=2)
    household_registration: str = Field("", max_length=200)
    enrolment_source: str = ""
    major_id: int
    class_id: int | None = None
    grade_year: int
    schooling_years: int = 3
    study_form: str = "full_time"
    guardian_name: str = Field("", max_length=100)
    guardian_relation: str = Field("", max_length=40)
    guardian_phone: str = Field("", max_length=20)


class StudentUpdateIn(Schema):
    name: str | None = Field(None, max_length=100)
    gender: str | None = None
    id_type: str | None = None
    id_number: str | None = Field(None, max_length=32)
    ethnicity: str | None = None
    political_status: str | None = None
    household_registration: str | None = None
    enrolment_source: str | None = None
    class_id: int | None = None
    study_form: str | None = None
    guardian_name: str | None = None
    guardian_relation: str | None = None
    guardian_phone: str | None = None


class StudentPage(Schema):
    count: int
    items: list[StudentOut]


class StatusChangeOut(Schema):
    id: int
    student_id: int
    change_type: str
    reason: str
    note: str
    details: dict[str, Any]
    state: str
    applicant_id: int
    process_id: int | None
    approved_by_id: int | None
    effective_at: datetime | None
    created_at: datetime


class StatusChangeCreateIn(Schema):
    student_id: int
    change_type: str = Field(max_length=2, description="JY/T 1001 XJYDLB code, e.g. 11")
    reason: str = Field("", max_length=2, description="JY/T 1001 XJYDYY code")
    note: str = Field("", max_length=2000)
    details: dict[str, Any] = Field(
        default_factory=dict,
        description=(
            "11: planned_return_date; 23: target_major_id, target_class_id; "
            "21: target_school_id, target_major_code; 06: extra_years"
        ),
    )


class StatusChangeDecideIn(Schema):
    decision: str = Field(description="approve, reject or return")
    comment: str = ""


class StatusChangePage(Schema):
    count: int
    items: list[StatusChangeOut]


class StaffOut(Schema):
    id: int
    staff_number: str
    name: str
    gender: str
    id_number: str = Field(description=PII_DESCRIPTION)
    school_id: int
    department_id: int | None
    post_type: str
    title: str
    title_date: date | None
    education: str
    degree: str
    employment_status: str
    enterprise_id: int | None
    is_dual_qualified: bool


class StaffCreateIn(Schema):
    staff_number: str = Field(max_length=32)
    name: str = Field(max_length=100)
    gender: str = Field(max_length=1)
    id_type: str = "1"
    id_number: str = Field("", max_length=32)
    department_id: int | None = None
    post_type: str
    title: str = Field("", max_length=60)
    title_date: date | None = None
    education: str = ""
    degree: str = ""
    field_code: str = Field("", max_length=8)
    employment_status: str = "active"
    enterprise_id: int | None = None


class StaffUpdateIn(Schema):
    name: str | None = Field(None, max_length=100)
    gender: str | None = None
    department_id: int | None = None
    post_type: str | None = None
    title: str | None = None
    title_date: date | None = None
    education: str | None = None
    degree: str | None = None
    field_code: str | None = None
    employment_status: str | None = None
    enterprise_id: int | None = None


class StaffPage(Schema):
    count: int
    items: list[StaffOut]
