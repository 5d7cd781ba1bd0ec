from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django.utils.translation import override

from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.core.events import subscribe
from openvet.core.policy import Actor
from openvet.records import services
from openvet.records.codes import ChangeType, StudentStatus
from openvet.records.contracts import StudentInfo
from openvet.records.events import StudentStatusChanged
from openvet.records.models import ChangeState, StatusChange, Student, StudentHistory
from openvet.records.services import changes as change_module
from openvet.records.tests.conftest import People
from openvet.records.tests.factories import Campus, intake_plan, student
from openvet.workflow.models import InstanceStatus, Task, TaskStatus
from openvet.workflow.services import task_decide

pytestmark = pytest.mark.django_db


def apply(
    people: People,
    change_type: str,
    target: Student | None = None,
    actor: Actor | None = None,
    reason: str = "99",
    **details: Any,
) -> StatusChange:
    return services.status_change_apply(
        actor=actor or people.counsellor,
        student=target or people.student,
        change_type=change_type,
        reason=reason,
        details=details,
    )


def open_task_for(user: Any, change: StatusChange) -> Task | None:
    roles = [r.role for r in user.role_assignments.all()]
    return Task.objects.filter(
        instance=change.process, status=TaskStatus.OPEN, role__in=roles
    ).first()


def decide(user: Any, change: StatusChange, decision: str = "approve", comment: str = "") -> None:
    task = open_task_for(user, change)
    assert task is not None, "no open task for this user"
    task_decide(actor=user, task=task, decision=decision, comment=comment)


def approve_all(people: People, change: StatusChange) -> StatusChange:
    """Every approver of the applicant's school decides in turn (the applicant's own step was
    approved when they applied)."""
    for user in (people.counsellor, people.head, people.admin):
        if open_task_for(user, change) is not None:
            decide(user, change)
    change.refresh_from_db()
    return change


def set_status(record: Student, status: str, change_type: str = "") -> None:
    Student.objects.filter(pk=record.pk).update(status=status, status_change_type=change_type)
    record.refresh_from_db()


def future(days: int = 90) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


# The chain and its effect -------------------------------------------------------------------


def test_suspension_goes_through_three_steps_then_takes_effect(people: People) -> None:
    change = apply(people, ChangeType.SUSPEND, planned_return_date=future())
    assert Student.objects.get(pk=people.student.pk).status == StudentStatus.ENROLLED

    change = approve_all(people, change)

    people.student.refresh_from_db()
    assert people.student.status == StudentStatus.SUSPENDED
    assert (change.state, change.approved_by) == (ChangeState.APPROVED, people.admin)
    assert change.effective_at is not None
    assert (change.before["status"], change.after["status"]) == ("01", "02")
    entry = people.student.history.get(kind=StudentHistory.Kind.STATUS_CHANGE)
    assert (entry.change, entry.actor) == (change, people.admin)
    assert entry.changes["status"] == ["01", "02"]


def test_nothing_changes_before_the_last_approval(people: People) -> None:
    change = apply(people, ChangeType.WITHDRAW)
    decide(people.head, change)

    people.student.refresh_from_db()
    change.refresh_from_db()
    assert (people.student.status, change.state) == (StudentStatus.ENROLLED, ChangeState.PENDING)


def test_a_rejected_change_leaves_the_student_as_is(people: People) -> None:
    change = apply(people, ChangeType.WITHDRAW)
    decide(people.head, change, "reject", "Talk to me first")

    change.refresh_from_db()
    people.student.refresh_from_db()
    assert (change.state, people.student.status) == (ChangeState.REJECTED, "01")


def test_returned_change_is_corrected_and_resubmitted(people: People) -> None:
    change = apply(people, ChangeType.SUSPEND, planned_return_date=future())
    decide(people.head, change, "return", "Wrong date")
    change.refresh_from_db()
    assert change.state == ChangeState.RETURNED

    services.status_change_resubmit(
        actor=people.counsellor, change=change, details={"planned_return_date": future(120)}
    )

    change.refresh_from_db()
    assert change.state == ChangeState.PENDING
    assert change.details == {"planned_return_date": future(120)}
    approve_all(people, change)
    people.student.refresh_from_db()
    assert people.student.status == StudentStatus.SUSPENDED


def test_the_applicant_withdraws(people: People) -> None:
    change = apply(people, ChangeType.WITHDRAW)
    services.status_change_withdraw(actor=people.counsellor, change=change)
    assert change.state == ChangeState.WITHDRAWN
    assert change.process.status == InstanceStatus.WITHDRAWN  # type: ignore[union-attr]


def test_only_one_open_change_per_student(people: People) -> None:
    apply(people, ChangeType.WITHDRAW)
    with pytest.raises(Conflict):
        apply(people, ChangeType.SUSPEND, planned_return_date=future())


def test_the_effect_publishes_an_event_after_commit(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    received: list[StudentStatusChanged] = []
    subscribe(StudentStatusChanged, received.append)
    change = apply(people, ChangeType.WITHDRAW)
    with django_capture_on_commit_callbacks(execute=True):
        approve_all(people, change)
    assert received == [
        StudentStatusChanged(
            student_id=people.student.pk,
            change_id=change.pk,
            change_type="31",
            old_status="01",
            new_status="03",
        )
    ]


# Each kind and its rules ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change_type", "status"),
    [
        (ChangeType.WITHDRAW, StudentStatus.WITHDRAWN),
        (ChangeType.EXPEL, StudentStatus.EXPELLED),
        (ChangeType.GRADUATE, StudentStatus.GRADUATED),
        (ChangeType.COMPLETE, StudentStatus.COMPLETED),
        (ChangeType.INCOMPLETE, StudentStatus.INCOMPLETE),
        (ChangeType.RESERVE, StudentStatus.OTHER),
    ],
)
def test_each_kind_sets_its_status(people: People, change_type: str, status: str) -> None:
    approve_all(people, apply(people, change_type))
    people.student.refresh_from_db()
    assert people.student.status == status


def test_resume_from_leave_restores_enrolment(people: People) -> None:
    set_status(people.student, StudentStatus.SUSPENDED, ChangeType.SUSPEND)
    approve_all(people, apply(people, ChangeType.RESUME))
    people.student.refresh_from_db()
    assert people.student.status == StudentStatus.ENROLLED


def test_resume_after_reserved_status(people: People) -> None:
    set_status(people.student, StudentStatus.OTHER, ChangeType.RESERVE)
    approve_all(people, apply(people, ChangeType.RESUME))
    people.student.refresh_from_db()
    assert people.student.status == StudentStatus.ENROLLED


def test_resume_of_a_student_not_on_leave_is_refused_clearly(people: People) -> None:
    with override("en"), pytest.raises(Conflict) as caught:
        apply(people, ChangeType.RESUME)
    assert str(caught.value.message) == (
        f"Only a student on leave or with reserved status can resume; "
        f"{people.student.name} is Enrolled."
    )
    assert not StatusChange.objects.exists()


@pytest.mark.parametrize("status", ["03", "07", "08", "09", "10", "14"])
def test_no_change_for_a_student_who_has_left(people: People, status: str) -> None:
    set_status(people.student, status)
    with pytest.raises(Conflict):
        apply(people, ChangeType.SUSPEND, planned_return_date=future())


def test_suspension_of_a_graduate_is_refused_with_the_status(people: People) -> None:
    set_status(people.student, StudentStatus.GRADUATED)
    with override("en"), pytest.raises(Conflict) as caught:
        apply(people, ChangeType.SUSPEND, planned_return_date=future())
    assert "has left the school (Graduated)" in str(caught.value.message)


@pytest.mark.parametrize(
    "change_type",
    [ChangeType.SUSPEND, ChangeType.CHANGE_MAJOR, ChangeType.GRADUATE, ChangeType.TRANSFER_OUT],
)
def test_kinds_that_need_an_enrolled_student(people: People, change_type: str) -> None:
    set_status(people.student, StudentStatus.SUSPENDED, ChangeType.SUSPEND)
    with pytest.raises(Conflict):
        apply(people, change_type, planned_return_date=future())


def test_suspension_needs_a_future_return_date_within_two_years(people: People) -> None:
    with pytest.raises(ValidationFailed) as missing:
        apply(people, ChangeType.SUSPEND)
    with pytest.raises(ValidationFailed):
        apply(people, ChangeType.SUSPEND, planned_return_date=timezone.localdate().isoformat())
    with pytest.raises(ValidationFailed):
        apply(people, ChangeType.SUSPEND, planned_return_date=future(800))
    with pytest.raises(ValidationFailed):
        apply(people, ChangeType.SUSPEND, planned_return_date="not a date")
    assert set(missing.value.details) == {"planned_return_date"}


def test_change_of_major_moves_student_within_capacity(people: People) -> None:
    campus = people.campus
    intake_plan(campus.other_major, capacity=2)
    change = apply(
        people,
        ChangeType.CHANGE_MAJOR,
        target_major_id=campus.other_major.pk,
        target_class_id=campus.other_klass.pk,
    )
    approve_all(people, change)

    people.student.refresh_from_db()
    assert (people.student.major, people.student.class_unit, people.student.org) == (
        campus.other_major,
        campus.other_klass,
        campus.other_klass,
    )
    assert people.student.status == StudentStatus.ENROLLED


def test_change_of_major_into_a_full_major_is_refused(people: People) -> None:
    campus = people.campus
    intake_plan(campus.other_major, capacity=1)
    student(campus, major=campus.other_major, class_unit=campus.other_klass)
    with override("en"), pytest.raises(Conflict) as caught:
        apply(people, ChangeType.CHANGE_MAJOR, target_major_id=campus.other_major.pk)
    assert str(caught.value.message) == "Networking is full for grade 2024 (1 places)."


def test_change_of_major_without_an_intake_plan_is_refused(people: People) -> None:
    with pytest.raises(Conflict):
        apply(people, ChangeType.CHANGE_MAJOR, target_major_id=people.campus.other_major.pk)


def test_capacity_is_checked_again_when_the_change_takes_effect(people: People) -> None:
    campus = people.campus
    intake_plan(campus.other_major, capacity=1)
    change = apply(people, ChangeType.CHANGE_MAJOR, target_major_id=campus.other_major.pk)
    decide(people.head, change)
    student(campus, major=campus.other_major, class_unit=campus.other_klass)

    with pytest.raises(Conflict):
        decide(people.admin, change)

    change.refresh_from_db()
    people.student.refresh_from_db()
    assert (change.state, people.student.major) == (ChangeState.PENDING, campus.major)
    assert Task.objects.get(instance=change.process, role="school_admin").status == "open"


def test_change_of_major_to_another_school_or_the_same_major_is_refused(
    people: People, other_campus: Campus
) -> None:
    intake_plan(other_campus.major, capacity=5)
    with pytest.raises(ValidationFailed):
        apply(people, ChangeType.CHANGE_MAJOR, target_major_id=other_campus.major.pk)
    with pytest.raises(ValidationFailed):
        apply(people, ChangeType.CHANGE_MAJOR, target_major_id=people.campus.major.pk)
    with pytest.raises(ValidationFailed):
        apply(
            people,
            ChangeType.CHANGE_MAJOR,
            target_major_id=people.campus.other_major.pk,
            target_class_id=people.campus.klass.pk,
        )


def test_transfer_needs_both_schools_and_creates_the_record_there(
    people: People, other_people: People
) -> None:
    target = other_people.campus
    change = apply(
        people,
        ChangeType.TRANSFER_OUT,
        target_school_id=target.school.pk,
        target_major_code=target.major.code,
    )
    change = approve_all(people, change)
    assert change.state == ChangeState.PENDING
    assert Task.objects.get(instance=change.process, status="open").org == target.school

    decide(other_people.admin, change)

    change.refresh_from_db()
    people.student.refresh_from_db()
    moved = Student.objects.get(school=target.school, student_number=people.student.student_number)
    assert (change.state, people.student.status) == (ChangeState.APPROVED, "10")
    assert (moved.status, moved.major, moved.status_change_type) == ("01", target.major, "22")
    assert (moved.user, people.student.user) == (people.student_user, None)
    assert moved.id_number == people.student.id_number


def test_transfer_to_the_own_school_or_an_unknown_major_is_refused(
    people: People, other_campus: Campus
) -> None:
    with pytest.raises(ValidationFailed):
        apply(
            people,
            ChangeType.TRANSFER_OUT,
            target_school_id=people.campus.school.pk,
            target_major_code=people.campus.major.code,
        )
    with pytest.raises(ValidationFailed) as caught:
        apply(
            people,
            ChangeType.TRANSFER_OUT,
            target_school_id=other_campus.school.pk,
            target_major_code="999999",
        )
    assert set(caught.value.details) == {"target_major_code"}


def test_transfer_is_refused_when_the_number_is_taken_there(
    people: People, other_campus: Campus
) -> None:
    student(other_campus, student_number=people.student.student_number)
    with pytest.raises(Conflict):
        apply(
            people,
            ChangeType.TRANSFER_OUT,
            target_school_id=other_campus.school.pk,
            target_major_code=other_campus.major.code,
        )


def test_extension_adds_years_up_to_the_maximum(people: People) -> None:
    approve_all(people, apply(people, ChangeType.EXTEND, extra_years=2))
    people.student.refresh_from_db()
    assert people.student.schooling_years == 5
    with pytest.raises(ValidationFailed):
        apply(people, ChangeType.EXTEND, extra_years=3)
    Student.objects.filter(pk=people.student.pk).update(schooling_years=7)
    with pytest.raises(Conflict):
        apply(people, ChangeType.EXTEND, extra_years=2)


def test_graduation_is_refused_while_a_registered_check_fails(people: People) -> None:
    def failing_courses(info: StudentInfo) -> list[str]:
        return [f"{info.student_number} failed Databases"]

    services.register_graduation_check(failing_courses)
    try:
        with pytest.raises(Conflict) as caught:
            apply(people, ChangeType.GRADUATE)
    finally:
        change_module._graduation_checks.remove(failing_courses)
    assert caught.value.details == {
        "graduation": [f"{people.student.student_number} failed Databases"]
    }


def test_transfer_in_is_never_applied_for_directly(people: People) -> None:
    with pytest.raises(PermissionDenied):
        apply(people, ChangeType.TRANSFER_IN)


def test_unknown_reason_is_refused(people: People) -> None:
    with pytest.raises(ValidationFailed):
        services.status_change_apply(
            actor=people.counsellor,
            student=people.student,
            change_type=ChangeType.WITHDRAW,
            reason="77",
        )


def test_a_reason_of_another_kind_of_change_is_refused(people: People) -> None:
    # "21" is a reason to withdraw; it says nothing about why a student changes major.
    with pytest.raises(ValidationFailed) as refused:
        services.status_change_apply(
            actor=people.counsellor,
            student=people.student,
            change_type=ChangeType.CHANGE_MAJOR,
            reason="21",
        )
    assert "reason" in refused.value.details
    assert not StatusChange.objects.filter(student=people.student).exists()


# Who may apply ------------------------------------------------------------------------------


def test_a_student_applies_for_their_own_leave(people: People) -> None:
    change = apply(
        people, ChangeType.SUSPEND, actor=people.student_user, planned_return_date=future()
    )
    assert change.applicant == people.student_user
    decide(people.counsellor, change)
    assert Task.objects.filter(instance=change.process, status="open").get().step_order == 2


def test_a_student_cannot_expel_or_graduate_themself(people: People) -> None:
    for change_type in (ChangeType.EXPEL, ChangeType.GRADUATE):
        with pytest.raises(PermissionDenied):
            apply(people, change_type, actor=people.student_user)


def test_a_student_cannot_apply_for_another_student(people: People) -> None:
    classmate = student(people.campus)
    with pytest.raises(PermissionDenied):
        apply(people, ChangeType.WITHDRAW, target=classmate, actor=people.student_user)


def test_staff_of_another_school_cannot_apply(people: People, other_people: People) -> None:
    with pytest.raises(PermissionDenied):
        apply(people, ChangeType.WITHDRAW, actor=other_people.admin)
    assert not StatusChange.objects.exists()
