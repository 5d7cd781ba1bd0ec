from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from ninja import Field, Schema

from openvet.core.api.schemas import UpdateIn, name_check, phone_check
from openvet.core.api.types import IdField, IdParam, InputSchema, IntField

# Each writable field's limits, defined once for its create and update schemas (the model's
# column sizes; code values are checked against their tables by the services).
StudentNumber = Annotated[str, Field(max_length=32)]
StaffNumber = Annotated[str, Field(max_length=32)]
PersonName = Annotated[str, Field(max_length=100), name_check(pgettext_lazy("person", "Name"))]
GenderCode = Annotated[str, Field(max_length=1)]
IdTypeCode = Annotated[str, Field(max_length=2)]
IdNumber = Annotated[str, Field(max_length=32)]
EthnicityCode = Annotated[str, Field(max_length=2)]
PoliticalStatusCode = Annotated[str, Field(max_length=2)]
HouseholdRegistration = Annotated[
    str, Field(max_length=200), name_check(_("Household registration"), required=False)
]
EnrolmentSourceCode = Annotated[str, Field(max_length=24)]
StudyFormCode = Annotated[str, Field(max_length=12)]
GuardianName = Annotated[
    str, Field(max_length=100), name_check(_("Guardian's name"), required=False)
]
GuardianRelation = Annotated[
    str, Field(max_length=40), name_check(_("Guardian's relation"), required=False)
]
GuardianPhone = Annotated[str, Field(max_length=20), phone_check(_("Guardian's phone"))]
PostTypeCode = Annotated[str, Field(max_length=20)]
# Filters reach the database: a code is letters, digits and underscores, and no text may hold
# a NUL byte, which PostgreSQL refuses in text (a 422 here, not a 500 there).
CODE = r"^[0-9A-Za-z_]*$"
NO_NUL = r"^[^\x00]*$"
ProfessionalTitle = Annotated[
    str, Field(max_length=60), name_check(_("Professional title"), required=False)
]
EducationCode = Annotated[str, Field(max_length=16)]
DegreeCode = Annotated[str, Field(max_length=16)]
FieldCode = Annotated[str, Field(max_length=8)]
EmploymentStatusCode = Annotated[str, Field(max_length=12)]

REVEAL_DESCRIPTION = (
    "pii: ID numbers, guardian phones and household registrations in clear, for a role that "
    "may reveal personal data (with a token: the pii scope); audited. Anything else: masked."
)
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


class StudentCreateIn(InputSchema):
    student_number: StudentNumber
    name: PersonName
    gender: GenderCode
    id_type: IdTypeCode = "1"
    id_number: IdNumber = ""
    birth_date: date | None = None
    ethnicity: EthnicityCode = ""
    political_status: PoliticalStatusCode = ""
    household_registration: HouseholdRegistration = ""
    enrolment_source: EnrolmentSourceCode = ""
    major_id: IdField
    class_id: IdField | None = None
    grade_year: IntField
    schooling_years: IntField = 3
    study_form: StudyFormCode = "full_time"
    guardian_name: GuardianName = ""
    guardian_relation: GuardianRelation = ""
    guardian_phone: GuardianPhone = ""


class StudentUpdateIn(UpdateIn):
    """Only the fields sent are changed; each field has the limits of ``StudentCreateIn``."""

    nullable = frozenset({"class_id"})

    name: PersonName | None = None
    gender: GenderCode | None = None
    id_type: IdTypeCode | None = None
    id_number: IdNumber | None = None
    ethnicity: EthnicityCode | None = None
    political_status: PoliticalStatusCode | None = None
    household_registration: HouseholdRegistration | None = None
    enrolment_source: EnrolmentSourceCode | None = None
    class_id: IdField | None = None
    study_form: StudyFormCode | None = None
    guardian_name: GuardianName | None = None
    guardian_relation: GuardianRelation | None = None
    guardian_phone: GuardianPhone | None = None


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


class StaffCreateIn(InputSchema):
    staff_number: StaffNumber
    name: PersonName
    gender: GenderCode
    id_type: IdTypeCode = "1"
    id_number: IdNumber = ""
    department_id: IdField | None = None
    post_type: PostTypeCode
    title: ProfessionalTitle = ""
    title_date: date | None = None
    education: EducationCode = ""
    degree: DegreeCode = ""
    field_code: FieldCode = ""
    employment_status: EmploymentStatusCode = "active"
    enterprise_id: IdField | None = None


class StaffUpdateIn(UpdateIn):
    """Only the fields sent are changed; each field has the limits of ``StaffCreateIn``."""

    nullable = frozenset({"department_id", "title_date", "enterprise_id"})

    name: PersonName | None = None
    gender: GenderCode | None = None
    department_id: IdField | None = None
    post_type: PostTypeCode | None = None
    title: ProfessionalTitle | None = None
    title_date: date | None = None
    education: EducationCode | None = None
    degree: DegreeCode | None = None
    field_code: FieldCode | None = None
    employment_status: EmploymentStatusCode | None = None
    enterprise_id: IdField | None = None


class RevealIn(Schema):
    """Ask for personal data in clear (``pii``); see ``REVEAL_DESCRIPTION``."""

    reveal: str = Field("", max_length=8, description=REVEAL_DESCRIPTION)


class StudentFilterIn(RevealIn):
    search: str = Field(
        "", max_length=100, pattern=NO_NUL, description="Part of the name or number."
    )
    status: str = Field(
        "", max_length=20, pattern=CODE, description="Student status code (JY/T 1001)."
    )
    major_id: IdParam | None = None
    class_id: IdParam | None = None
    grade_year: int | None = Field(None, ge=1900, le=2100)


class StatusChangeFilterIn(Schema):
    student_id: IdParam | None = None
    state: str = Field("", max_length=20, pattern=CODE)


class StaffFilterIn(RevealIn):
    search: str = Field(
        "", max_length=100, pattern=NO_NUL, description="Part of the name or number."
    )
    post_type: str = Field("", max_length=20, pattern=CODE)


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


class ExportFilterIn(RevealIn):
    format: Literal["xlsx", "csv"] = "xlsx"
    search: str = Field("", max_length=100, description="Part of the name or number.")


class QualityFilterIn(Schema):
    school_id: IdParam | None = None
