"""Students, status changes and staff over the API, scoped like the pages."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from openvet.core.errors import NotFound
from openvet.core.pii import mask_id_number
from openvet.core.policy import Actor
from openvet.records import selectors, services
from openvet.records.api.schemas import (
    StaffCreateIn,
    StaffOut,
    StaffPage,
    StaffUpdateIn,
    StatusChangeCreateIn,
    StatusChangeDecideIn,
    StatusChangeOut,
    StatusChangePage,
    StudentCreateIn,
    StudentOut,
    StudentPage,
    StudentUpdateIn,
)
from openvet.records.models import Staff, StatusChange, Student
from openvet.records.permissions import can_reveal_pii
from openvet.workflow import services as workflow

router = Router(tags=["records"])
MAX_LIMIT = 100


def _window(limit: int, offset: int) -> tuple[int, int]:
    return max(0, offset), max(0, offset) + max(1, min(limit, MAX_LIMIT))


def student_out(student: Student, actor: Actor) -> dict[str, Any]:
    reveal = can_reveal_pii(actor, student.org)
    return {
        "id": student.pk,
        "student_number": student.student_number,
        "name": student.name,
        "gender": student.gender,
        "id_type": student.id_type,
        "id_number": student.id_number if reveal else mask_id_number(student.id_number),
        "birth_date": student.birth_date,
        "ethnicity": student.ethnicity,
        "political_status": student.political_status,
        "enrolment_source": student.enrolment_source,
        "school_id": student.school_id,
        "department_id": student.department_id,
        "major_id": student.major_id,
        "class_id": student.class_unit_id,
        "grade_year": student.grade_year,
        "schooling_years": student.schooling_years,
        "study_form": student.study_form,
        "status": student.status,
    }


def change_out(change: StatusChange) -> dict[str, Any]:
    return {
        "id": change.pk,
        "student_id": change.student_id,
        "change_type": change.change_type,
        "reason": change.reason,
        "note": change.note,
        "details": change.details,
        "state": change.state,
        "applicant_id": change.applicant_id,
        "process_id": change.process_id,
        "approved_by_id": change.approved_by_id,
        "effective_at": change.effective_at,
        "created_at": change.created_at,
    }


def staff_out(staff: Staff) -> dict[str, Any]:
    return {
        "id": staff.pk,
        "staff_number": staff.staff_number,
        "name": staff.name,
        "gender": staff.gender,
        "id_number": mask_id_number(staff.id_number),
        "school_id": staff.school_id,
        "department_id": staff.department_id,
        "post_type": staff.post_type,
        "title": staff.title,
        "title_date": staff.title_date,
        "education": staff.education,
        "degree": staff.degree,
        "employment_status": staff.employment_status,
        "enterprise_id": staff.enterprise_id,
        "is_dual_qualified": staff.is_dual_qualified,
    }


@router.get("/students", response=StudentPage, summary="Students visible to the caller")
def list_students(
    request: HttpRequest,
    search: str = "",
    status: str = "",
    major_id: int | None = None,
    class_id: int | None = None,
    grade_year: int | None = None,
    limit: Query[int] = 20,
    offset: Query[int] = 0,
) -> dict[str, Any]:
    students = selectors.student_list_for(
        actor=request.user,
        search=search,
        status=status,
        major_id=major_id,
        class_id=class_id,
        grade_year=grade_year,
    ).select_related("org")
    start, end = _window(limit, offset)
    return {
        "count": students.count(),
        "items": [student_out(s, request.user) for s in students[start:end]],
    }


@router.get("/students/{student_id}", response=StudentOut, summary="One student")
def get_student(request: HttpRequest, student_id: int) -> dict[str, Any]:
    return student_out(
        selectors.student_get_for(actor=request.user, student_id=student_id), request.user
    )


@router.post("/students", response={201: StudentOut}, summary="Create a student")
def create_student(request: HttpRequest, payload: StudentCreateIn) -> Status[dict[str, Any]]:
    values = payload.dict()
    values["major"] = values.pop("major_id")
    values["class_unit"] = values.pop("class_id")
    student = services.student_create(
        actor=request.user,
        school=selectors.school_of(org_id=values["major"], field="major_id"),
        **values,
    )
    return Status(201, student_out(student, request.user))


@router.patch("/students/{student_id}", response=StudentOut, summary="Edit a student")
def update_student(
    request: HttpRequest, student_id: int, payload: StudentUpdateIn
) -> dict[str, Any]:
    student = selectors.student_get_for(actor=request.user, student_id=student_id)
    values = payload.dict(exclude_unset=True)
    if "class_id" in values:
        values["class_unit"] = values.pop("class_id")
    student = services.student_update(actor=request.user, student=student, **values)
    return student_out(student, request.user)


@router.get("/status-changes", response=StatusChangePage, summary="Status changes")
def list_changes(
    request: HttpRequest,
    student_id: int | None = None,
    state: str = "",
    limit: Query[int] = 20,
    offset: Query[int] = 0,
) -> dict[str, Any]:
    student = (
        selectors.student_get_for(actor=request.user, student_id=student_id) if student_id else None
    )
    changes = selectors.status_change_list_for(actor=request.user, student=student, state=state)
    start, end = _window(limit, offset)
    return {"count": changes.count(), "items": [change_out(c) for c in changes[start:end]]}


@router.get("/status-changes/{change_id}", response=StatusChangeOut, summary="One status change")
def get_change(request: HttpRequest, change_id: int) -> dict[str, Any]:
    return change_out(selectors.status_change_get_for(actor=request.user, change_id=change_id))


@router.post(
    "/status-changes",
    response={201: StatusChangeOut},
    summary="Apply for a status change (JY/T 1001 XJYDLB)",
)
def create_change(request: HttpRequest, payload: StatusChangeCreateIn) -> Status[dict[str, Any]]:
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
    response=StatusChangeOut,
    summary="Approve, reject or return a status change awaiting the caller",
)
def decide_change(
    request: HttpRequest, change_id: int, payload: StatusChangeDecideIn
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
    response=StatusChangeOut,
    summary="Withdraw one's own application",
)
def withdraw_change(request: HttpRequest, change_id: int) -> dict[str, Any]:
    change = selectors.status_change_get_for(actor=request.user, change_id=change_id)
    return change_out(services.status_change_withdraw(actor=request.user, change=change))


@router.get("/staff", response=StaffPage, summary="Staff visible to the caller")
def list_staff(
    request: HttpRequest,
    search: str = "",
    post_type: str = "",
    limit: Query[int] = 20,
    offset: Query[int] = 0,
) -> dict[str, Any]:
    staff = selectors.staff_list_for(actor=request.user, search=search, post_type=post_type)
    start, end = _window(limit, offset)
    return {"count": staff.count(), "items": [staff_out(s) for s in staff[start:end]]}


@router.get("/staff/{staff_id}", response=StaffOut, summary="One staff member")
def get_staff(request: HttpRequest, staff_id: int) -> dict[str, Any]:
    return staff_out(selectors.staff_get_for(actor=request.user, staff_id=staff_id))


@router.post("/staff", response={201: StaffOut}, summary="Create a staff member")
def create_staff(request: HttpRequest, payload: StaffCreateIn) -> Status[dict[str, Any]]:
    values = payload.dict()
    anchor = values.get("department_id") or getattr(request.user, "home_org_id", None)
    school = selectors.school_of(org_id=anchor, field="department_id")
    values["department"] = values.pop("department_id")
    values["enterprise"] = values.pop("enterprise_id")
    staff = services.staff_create(actor=request.user, school=school, **values)
    return Status(201, staff_out(staff))


@router.patch("/staff/{staff_id}", response=StaffOut, summary="Edit a staff member")
def update_staff(request: HttpRequest, staff_id: int, payload: StaffUpdateIn) -> dict[str, Any]:
    staff = selectors.staff_get_for(actor=request.user, staff_id=staff_id)
    values = payload.dict(exclude_unset=True)
    if "department_id" in values:
        values["department"] = values.pop("department_id")
    if "enterprise_id" in values:
        values["enterprise"] = values.pop("enterprise_id")
    return staff_out(services.staff_update(actor=request.user, staff=staff, **values))
