"""Students, status changes and staff over the API, scoped like the pages."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from openvet.core.api.pagination import PageIn, paginate
from openvet.core.api.schemas import PageOut, error_responses
from openvet.core.api.types import IdParam
from openvet.core.errors import NotFound
from openvet.core.pii import Disclosure, PiiKind
from openvet.records import selectors, services
from openvet.records.api.schemas import (
    RevealIn,
    StaffCreateIn,
    StaffFilterIn,
    StaffOut,
    StaffUpdateIn,
    StatusChangeCreateIn,
    StatusChangeDecideIn,
    StatusChangeFilterIn,
    StatusChangeOut,
    StudentCreateIn,
    StudentFilterIn,
    StudentOut,
    StudentUpdateIn,
)
from openvet.records.models import Staff, StatusChange, Student
from openvet.workflow import services as workflow

router = Router(tags=["records"])


def _disclosure(request: HttpRequest, purpose: str) -> Disclosure:
    """Clear ID numbers only on ``?reveal=pii`` by a role that may reveal them (audited)."""
    return Disclosure.for_request(request, purpose=purpose)


def _masked(request: HttpRequest) -> Disclosure:
    """Answers of writes show personal data masked."""
    return Disclosure(actor=request.user, asked=False, purpose="")


def _shown(disclosure: Disclosure, value: dict[str, Any]) -> dict[str, Any]:
    """``value`` after the audit entry of what it shows in clear (if anything)."""
    disclosure.audit()
    return value


def _id_number_out(person: Student | Staff, disclosure: Disclosure, subject_kind: str) -> str:
    """The ID number as ``disclosure`` allows: masked unless asked for, audited when clear."""
    return disclosure.show(
        person.id_number,
        kind=PiiKind.ID_NUMBER,
        org=person.org,
        subject=f"{subject_kind}:{person.pk}",
        field="id_number",
    )


def _fields(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


STUDENT_FIELDS = (
    "student_number", "name", "gender", "id_type", "birth_date", "ethnicity",
    "political_status", "enrolment_source", "school_id", "department_id", "major_id",
    "grade_year", "schooling_years", "study_form", "status",
)  # fmt: skip
STAFF_FIELDS = (
    "staff_number", "name", "gender", "school_id", "department_id", "post_type", "title",
    "title_date", "education", "degree", "employment_status", "enterprise_id",
    "is_dual_qualified",
)  # fmt: skip
CHANGE_FIELDS = (
    "student_id", "change_type", "reason", "note", "details", "state", "applicant_id",
    "process_id", "approved_by_id", "effective_at", "created_at",
)  # fmt: skip


def student_out(student: Student, disclosure: Disclosure) -> dict[str, Any]:
    """The student as the API shows it; ID number masked unless ``disclosure`` allows."""
    return {
        "id": student.pk,
        **_fields(student, STUDENT_FIELDS),
        "id_number": _id_number_out(student, disclosure, "student"),
        "class_id": student.class_unit_id,
    }


def change_out(change: StatusChange) -> dict[str, Any]:
    return {"id": change.pk, **_fields(change, CHANGE_FIELDS)}


def staff_out(staff: Staff, disclosure: Disclosure) -> dict[str, Any]:
    """The staff member as the API shows it; ID number masked unless ``disclosure`` allows."""
    return {
        "id": staff.pk,
        **_fields(staff, STAFF_FIELDS),
        "id_number": _id_number_out(staff, disclosure, "staff"),
    }


@router.get(
    "/students",
    response={200: PageOut[StudentOut], **error_responses(401, 422)},
    operation_id="records_student_list",
    summary="List the students you may see",
)
def student_list(
    request: HttpRequest, filters: Query[StudentFilterIn], page: Query[PageIn]
) -> dict[str, Any]:
    """ID numbers are masked; ``?reveal=pii`` shows them to a role that may (audited)."""
    students = selectors.student_list_for(
        actor=request.user,
        search=filters.search,
        status=filters.status,
        major_id=filters.major_id,
        class_id=filters.class_id,
        grade_year=filters.grade_year,
    )
    # The API shows the ids of school, department, major and class, not their rows: join
    # only the org the disclosure checks, not four more rows per student.
    students = students.select_related(None).select_related("org")
    disclosure = _disclosure(request, "api students")
    return _shown(disclosure, paginate(students, page, item=lambda s: student_out(s, disclosure)))


@router.get(
    "/students/{student_id}",
    response={200: StudentOut, **error_responses(401, 404, 422)},
    operation_id="records_student_get",
    summary="Read one student",
)
def student_get(
    request: HttpRequest, student_id: IdParam, options: Query[RevealIn]
) -> dict[str, Any]:
    """The ID number is masked; ``?reveal=pii`` shows it to a role that may (audited)."""
    student = selectors.student_get_for(actor=request.user, student_id=student_id)
    disclosure = _disclosure(request, "api student")
    return _shown(disclosure, student_out(student, disclosure))


@router.post(
    "/students",
    response={201: StudentOut, **error_responses(400, 401, 403, 404, 409, 413, 422)},
    operation_id="records_student_create",
    summary="Create a student",
)
def student_create(request: HttpRequest, payload: StudentCreateIn) -> Status[dict[str, Any]]:
    values = payload.dict()
    values["major"] = values.pop("major_id")
    values["class_unit"] = values.pop("class_id")
    student = services.student_create(
        actor=request.user,
        school=selectors.school_of(org_id=values["major"], field="major_id"),
        **values,
    )
    return Status(201, student_out(student, _masked(request)))


@router.patch(
    "/students/{student_id}",
    response={200: StudentOut, **error_responses(400, 401, 403, 404, 409, 413, 422)},
    operation_id="records_student_update",
    summary="Change a student (only the fields sent)",
)
def student_update(
    request: HttpRequest, student_id: IdParam, payload: StudentUpdateIn
) -> dict[str, Any]:
    student = selectors.student_get_for(actor=request.user, student_id=student_id)
    values = payload.dict(exclude_unset=True)
    if "class_id" in values:
        values["class_unit"] = values.pop("class_id")
    student = services.student_update(actor=request.user, student=student, **values)
    return student_out(student, _masked(request))


@router.get(
    "/status-changes",
    response={200: PageOut[StatusChangeOut], **error_responses(401, 404, 422)},
    operation_id="records_status_change_list",
    summary="List the status changes you may see",
)
def status_change_list(
    request: HttpRequest, filters: Query[StatusChangeFilterIn], page: Query[PageIn]
) -> dict[str, Any]:
    student = (
        selectors.student_get_for(actor=request.user, student_id=filters.student_id)
        if filters.student_id
        else None
    )
    changes = selectors.status_change_list_for(
        actor=request.user, student=student, state=filters.state
    )
    return paginate(changes, page, item=change_out)


@router.get(
    "/status-changes/{change_id}",
    response={200: StatusChangeOut, **error_responses(401, 404, 422)},
    operation_id="records_status_change_get",
    summary="Read one status change",
)
def status_change_get(request: HttpRequest, change_id: IdParam) -> dict[str, Any]:
    return change_out(selectors.status_change_get_for(actor=request.user, change_id=change_id))


@router.post(
    "/status-changes",
    response={201: StatusChangeOut, **error_responses(400, 401, 403, 404, 409, 413, 422)},
    operation_id="records_status_change_apply",
    summary="Apply for a status change (JY/T 1001 XJYDLB)",
)
def status_change_apply(
    request: HttpRequest, payload: StatusChangeCreateIn
) -> Status[dict[str, Any]]:
    student = selectors.student_get_for(actor=request.user, student_id=payload.student_id)
    change = services.status_change_apply(
        actor=request.user,
        student=student,
        change_type=payload.change_type,
        reason=payload.reason,
        note=payload.note,
        details=payload.details,
    )
    return Status(201, change_out(change))


@router.post(
    "/status-changes/{change_id}/decide",
    response={200: StatusChangeOut, **error_responses(400, 401, 403, 404, 409, 413, 422)},
    operation_id="records_status_change_decide",
    summary="Approve, reject or return a status change awaiting you",
)
def status_change_decide(
    request: HttpRequest, change_id: IdParam, payload: StatusChangeDecideIn
) -> dict[str, Any]:
    change = selectors.status_change_get_for(actor=request.user, change_id=change_id)
    if change.process is None:
        raise NotFound()
    task = workflow.decidable_task_of(actor=request.user, instance=change.process)
    workflow.task_decide(
        actor=request.user, task=task, decision=payload.decision, comment=payload.comment
    )
    change.refresh_from_db()
    return change_out(change)


@router.post(
    "/status-changes/{change_id}/withdraw",
    response={200: StatusChangeOut, **error_responses(401, 403, 404, 409, 422)},
    operation_id="records_status_change_withdraw",
    summary="Withdraw your own application",
)
def status_change_withdraw(request: HttpRequest, change_id: IdParam) -> dict[str, Any]:
    change = selectors.status_change_get_for(actor=request.user, change_id=change_id)
    return change_out(services.status_change_withdraw(actor=request.user, change=change))


@router.get(
    "/staff",
    response={200: PageOut[StaffOut], **error_responses(401, 422)},
    operation_id="records_staff_list",
    summary="List the staff you may see",
)
def staff_list(
    request: HttpRequest, filters: Query[StaffFilterIn], page: Query[PageIn]
) -> dict[str, Any]:
    """ID numbers are masked; ``?reveal=pii`` shows them to a role that may (audited)."""
    staff = selectors.staff_list_for(
        actor=request.user, search=filters.search, post_type=filters.post_type
    )
    staff = staff.select_related(None).select_related("org")  # ids only, as for students
    disclosure = _disclosure(request, "api staff")
    return _shown(disclosure, paginate(staff, page, item=lambda s: staff_out(s, disclosure)))


@router.get(
    "/staff/{staff_id}",
    response={200: StaffOut, **error_responses(401, 404, 422)},
    operation_id="records_staff_get",
    summary="Read one staff member",
)
def staff_get(request: HttpRequest, staff_id: IdParam, options: Query[RevealIn]) -> dict[str, Any]:
    """The ID number is masked; ``?reveal=pii`` shows it to a role that may (audited)."""
    staff = selectors.staff_get_for(actor=request.user, staff_id=staff_id)
    disclosure = _disclosure(request, "api staff member")
    return _shown(disclosure, staff_out(staff, disclosure))


@router.post(
    "/staff",
    response={201: StaffOut, **error_responses(400, 401, 403, 404, 409, 413, 422)},
    operation_id="records_staff_create",
    summary="Create a staff member",
)
def staff_create(request: HttpRequest, payload: StaffCreateIn) -> Status[dict[str, Any]]:
    values = payload.dict()
    anchor = values.get("department_id") or getattr(request.user, "home_org_id", None)
    school = selectors.school_of(org_id=anchor, field="department_id")
    values["department"] = values.pop("department_id")
    values["enterprise"] = values.pop("enterprise_id")
    staff = services.staff_create(actor=request.user, school=school, **values)
    return Status(201, staff_out(staff, _masked(request)))


@router.patch(
    "/staff/{staff_id}",
    response={200: StaffOut, **error_responses(400, 401, 403, 404, 409, 413, 422)},
    operation_id="records_staff_update",
    summary="Change a staff member (only the fields sent)",
)
def staff_update(request: HttpRequest, staff_id: IdParam, payload: StaffUpdateIn) -> dict[str, Any]:
    staff = selectors.staff_get_for(actor=request.user, staff_id=staff_id)
    values = payload.dict(exclude_unset=True)
    if "department_id" in values:
        values["department"] = values.pop("department_id")
    if "enterprise_id" in values:
        values["enterprise"] = values.pop("enterprise_id")
    return staff_out(
        services.staff_update(actor=request.user, staff=staff, **values), _masked(request)
    )
