"""Scoped reads of students, status changes and staff.

Staff see what their role reaches in the org tree; a student sees their own record only.
"""

from typing import Any

from django.db.models import Q, QuerySet

from openvet.core import policy
from openvet.core.errors import NotFound
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.core.selectors import org_school_get
from openvet.records.codes import ChangeType
from openvet.records.contracts import StudentInfo
from openvet.records.models import (
    ChangeState,
    Staff,
    StatusChange,
    Student,
    StudentHistory,
)
from openvet.records.permissions import NOT_APPLICABLE, can_apply_change
from openvet.records.services.changes import status_refusal, student_info
from openvet.workflow.selectors import instance_tasks


def _own(actor: Actor) -> Q | None:
    return Q(user=actor) if getattr(actor, "is_authenticated", False) else None


def student_list_for(
    *,
    actor: Actor,
    search: str = "",
    status: str = "",
    major_id: int | None = None,
    class_id: int | None = None,
    grade_year: int | None = None,
) -> QuerySet[Student]:
    queryset = policy.scope(Student.objects.all(), actor, "records.view_student", own=_own(actor))
    search = search.strip()
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search) | Q(student_number__istartswith=search)
        )
    if status:
        queryset = queryset.filter(status=status)
    if major_id:
        queryset = queryset.filter(major_id=major_id)
    if class_id:
        queryset = queryset.filter(class_unit_id=class_id)
    if grade_year:
        queryset = queryset.filter(grade_year=grade_year)
    return queryset.select_related("school", "department", "major", "class_unit").order_by(
        "school_id", "student_number"
    )


def student_get_for(
    *, actor: Actor, student_id: int, capability: str = "records.view_student"
) -> Student:
    queryset = policy.scope(Student.objects.all(), actor, capability, own=_own(actor))
    student = (
        queryset.select_related("school", "department", "major", "class_unit", "org", "user")
        .filter(pk=student_id)
        .first()
    )
    if student is None:
        raise NotFound()
    return student


def student_of_user(*, user: Any) -> Student | None:
    """The signed-in student's own record."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Student.objects.filter(user=user).first()


def student_info_for(*, actor: Actor, student_id: int) -> StudentInfo:
    return student_info(student_get_for(actor=actor, student_id=student_id))


def student_history(student: Student) -> QuerySet[StudentHistory]:
    return student.history.select_related("actor", "change", "change__approved_by")


def status_change_list_for(
    *, actor: Actor, student: Student | None = None, state: str = ""
) -> QuerySet[StatusChange]:
    queryset = policy.scope(
        StatusChange.objects.all(),
        actor,
        "records.view_student",
        own=Q(student__user=actor) | Q(applicant=actor)
        if getattr(actor, "is_authenticated", False)
        else None,
    )
    if student is not None:
        queryset = queryset.filter(student=student)
    if state:
        queryset = queryset.filter(state=state)
    return queryset.select_related("student", "applicant", "approved_by", "process")


def status_change_get_for(*, actor: Actor, change_id: int) -> StatusChange:
    change = status_change_list_for(actor=actor).filter(pk=change_id).first()
    if change is None:
        # An approver of another school (a receiving school) sees the change via its task.
        change = _visible_through_task(actor, change_id)
    if change is None:
        raise NotFound()
    return change


def _visible_through_task(actor: Actor, change_id: int) -> StatusChange | None:
    from openvet.workflow.selectors import instance_get_for

    change = StatusChange.objects.select_related("student", "process").filter(pk=change_id).first()
    if change is None or change.process_id is None:
        return None
    try:
        instance_get_for(actor=actor, instance_id=change.process_id)
    except NotFound:
        return None
    return change


def status_change_trail(change: StatusChange) -> list[Any]:
    return list(instance_tasks(change.process)) if change.process is not None else []


def open_change_of(student: Student) -> StatusChange | None:
    return student.changes.filter(state__in=(ChangeState.PENDING, ChangeState.RETURNED)).first()


def change_types_for(*, actor: Actor, student: Student) -> list[tuple[str, str]]:
    """The kinds of change ``actor`` may apply for now: allowed to their role and possible
    from the student's current status (the rule the services enforce on submit)."""
    return [
        (value, str(label))
        for value, label in ChangeType.choices
        if value not in NOT_APPLICABLE
        and can_apply_change(actor, student, value)
        and status_refusal(student, value) is None
    ]


def majors_of_school(*, school: OrgUnit) -> QuerySet[OrgUnit]:
    """Majors a student may move to (change of major within the school)."""
    return OrgUnit.objects.filter(
        kind=OrgKind.MAJOR, path__startswith=school.path, is_active=True
    ).order_by("path")


def classes_of_school(*, school: OrgUnit) -> QuerySet[OrgUnit]:
    return (
        OrgUnit.objects.filter(kind=OrgKind.CLASS, path__startswith=school.path, is_active=True)
        .select_related("parent")
        .order_by("path")
    )


def transfer_target_schools(*, exclude: OrgUnit) -> QuerySet[OrgUnit]:
    """Every other active school of the platform: names of schools are public knowledge."""
    return (
        OrgUnit.objects.filter(kind=OrgKind.SCHOOL, is_active=True)
        .exclude(pk=exclude.pk)
        .order_by("name")
    )


def staff_list_for(
    *,
    actor: Actor,
    search: str = "",
    post_type: str = "",
    department_id: int | None = None,
    dual_only: bool = False,
) -> QuerySet[Staff]:
    queryset = policy.scope(Staff.objects.all(), actor, "records.view_staff", own=_own(actor))
    search = search.strip()
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(staff_number__istartswith=search))
    if post_type:
        queryset = queryset.filter(post_type=post_type)
    if department_id:
        queryset = queryset.filter(department_id=department_id)
    if dual_only:
        queryset = queryset.filter(is_dual_qualified=True)
    return queryset.select_related("school", "department", "enterprise").order_by(
        "school_id", "staff_number"
    )


def staff_get_for(*, actor: Actor, staff_id: int, capability: str = "records.view_staff") -> Staff:
    queryset = policy.scope(Staff.objects.all(), actor, capability, own=_own(actor))
    staff = (
        queryset.select_related("school", "department", "enterprise", "org")
        .filter(pk=staff_id)
        .first()
    )
    if staff is None:
        raise NotFound()
    return staff


def school_of(*, org_id: int | None, field: str) -> OrgUnit:
    """The school an org node (given by id, as in an API payload) belongs to."""
    return org_school_get(org=OrgUnit.objects.filter(pk=org_id or 0).first(), field=field)


def students_of_classes(*, class_ids: list[int]) -> QuerySet[Student]:
    """Enrolled students of the given classes, for rosters of other apps (teaching).

    Unscoped on purpose: the caller has already checked that the actor may see the classes.
    """
    from openvet.records.codes import StudentStatus

    studying = (StudentStatus.ENROLLED, StudentStatus.RESUMED)
    return (
        Student.objects.filter(class_unit_id__in=class_ids, status__in=studying)
        .select_related("class_unit")
        .order_by("student_number")
    )


def students_of_users(*, user_ids: list[int]) -> QuerySet[Student]:
    """The student records of the given accounts, for the learners of other apps' courses who
    enrolled themselves (learning). Unscoped on purpose: the caller knows the accounts are the
    learners of a course the actor may see."""
    return (
        Student.objects.filter(user_id__in=user_ids)
        .select_related("class_unit")
        .order_by("student_number")
    )
