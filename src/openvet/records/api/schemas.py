from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from openvet.core.api.types import IdField, IdParam, InputSchema, IntField


class StudentOut(Schema):
    id: int
    student_number: str
    name: str
    gender: str
    id_type: str
    id_number: str = Field(description="Masked unless the caller may reveal personal data")
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


class StudentCreateIn(InputSchema):
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
    major_id: IdField
    class_id: IdField | None = None
    grade_year: IntField
    schooling_years: IntField = 3
    study_form: str = "full_time"
    guardian_name: str = Field("", max_length=100)
    guardian_relation: str = Field("", max_length=40)
    guardian_phone: str = Field("", max_length=20)


class StudentUpdateIn(InputSchema):
    name: str | None = Field(None, max_length=100)
    gender: str | None = None
    id_type: str | None = None
    id_number: str | None = Field(None, max_length=32)
    ethnicity: str | None = None
    political_status: str | None = None
    household_registration: str | None = None
    enrolment_source: str | None = None
    class_id: IdField | None = None
    study_form: str | None = None
    guardian_name: str | None = None
    guardian_relation: str | None = None
    guardian_phone: str | None = None


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


class StatusChangeCreateIn(InputSchema):
    student_id: IdField
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


class StatusChangeDecideIn(InputSchema):
    decision: str = Field(description="approve, reject or return")
    comment: str = ""


class StaffOut(Schema):
    id: int
    staff_number: str
    name: str
    gender: str
    id_number: str = Field(description="Masked")
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


class StaffCreateIn(InputSchema):
    staff_number: str = Field(max_length=32)
    name: str = Field(max_length=100)
    gender: str = Field(max_length=1)
    id_type: str = "1"
    id_number: str = Field("", max_length=32)
    department_id: IdField | None = None
    post_type: str
    title: str = Field("", max_length=60)
    title_date: date | None = None
    education: str = ""
    degree: str = ""
    field_code: str = Field("", max_length=8)
    employment_status: str = "active"
    enterprise_id: IdField | None = None


class StaffUpdateIn(InputSchema):
    name: str | None = Field(None, max_length=100)
    gender: str | None = None
    department_id: IdField | None = None
    post_type: str | None = None
    title: str | None = None
    title_date: date | None = None
    education: str | None = None
    degree: str | None = None
    field_code: str | None = None
    employment_status: str | None = None
    enterprise_id: IdField | None = None


class StudentFilterIn(Schema):
    search: str = Field("", max_length=100, description="Part of the name or number.")
    status: str = Field("", max_length=20, description="Student status code (JY/T 1001).")
    major_id: IdParam | None = None
    class_id: IdParam | None = None
    grade_year: int | None = Field(None, ge=1900, le=2100)


class StatusChangeFilterIn(Schema):
    student_id: IdParam | None = None
    state: str = Field("", max_length=20)


class StaffFilterIn(Schema):
    search: str = Field("", max_length=100, description="Part of the name or number.")
    post_type: str = Field("", max_length=20)


# Imports, exports and data quality.


class RowProblemOut(Schema):
    row: int | None
    column: str
    message: str


class ImportJobOut(Schema):
    id: int
    school_id: int
    kind: str
    mode: str
    status: str
    progress: int
    total: int
    created_count: int
    updated_count: int
    unchanged_count: int
    skipped_count: int
    bad_row_count: int = Field(
        description="Rows of the file with a problem; in all-or-nothing mode any stops the import"
    )
    summary: str = Field(
        description="What the import did, in the request's language (empty while it runs)"
    )
    errors: list[RowProblemOut]
    notices: list[str]
    created_at: datetime
    finished_at: datetime | None


class ImportJobCreateIn(InputSchema):
    """Sent as form fields beside the file, so numbers arrive as text."""

    school_id: IdParam
    kind: str
    mode: str = "all-or-nothing"


class QualityOut(Schema):
    school_id: int
    counts: dict[str, int]


class ExportFilterIn(Schema):
    format: Literal["xlsx", "csv"] = "xlsx"
    search: str = Field("", max_length=100, description="Part of the name or number.")


class QualityFilterIn(Schema):
    school_id: IdParam | None = None
