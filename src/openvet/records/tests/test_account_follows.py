"""A student's account follows an approved change of major or transfer: home and student role."""

import pytest

from openvet.core import policy
from openvet.core.models import AuditEntry
from openvet.core.roles import Role
from openvet.identity.models import RoleAssignment, User
from openvet.records import selectors
from openvet.records.codes import ChangeType
from openvet.records.models import ChangeState, Student
from openvet.records.tests.conftest import People
from openvet.records.tests.factories import intake_plan, student
from openvet.records.tests.test_changes import apply, approve_all, decide

pytestmark = pytest.mark.django_db


def student_grants(user: User) -> list[int]:
    return sorted(
        RoleAssignment.objects.filter(user=user, role=Role.STUDENT).values_list("org", flat=True)
    )


def test_change_of_major_into_a_class_moves_home_and_student_role(people: People) -> None:
    campus = people.campus
    intake_plan(campus.other_major, capacity=2)
    change = apply(
        people,
        ChangeType.CHANGE_MAJOR,
        target_major_id=campus.other_major.pk,
        target_class_id=campus.other_klass.pk,
    )
    assert approve_all(people, change).state == ChangeState.APPROVED

    account = User.objects.get(pk=people.student_user.pk)
    assert account.home_org == campus.other_klass
    assert student_grants(account) == [campus.other_klass.pk]
    # The student still reaches their own record; the roles now reach the new class.
    assert selectors.student_of_user(user=account) == Student.objects.get(pk=people.student.pk)
    assert policy.has_capability(account, "core.view_dashboard_student", campus.other_klass)
    assert not policy.has_capability(account, "core.view_dashboard_student", campus.klass)
    entry = AuditEntry.objects.filter(
        object_type="identity.user", object_id=str(account.pk)
    ).latest("pk")
    assert entry.changes["home_org"] == [campus.klass.pk, campus.other_klass.pk]
    assert entry.changes["cause"] == f"records.status_change:{change.pk}"


def test_change_of_major_without_a_class_moves_the_account_to_the_major(people: People) -> None:
    campus = people.campus
    intake_plan(campus.other_major, capacity=2)
    change = apply(people, ChangeType.CHANGE_MAJOR, target_major_id=campus.other_major.pk)
    approve_all(people, change)

    account = User.objects.get(pk=people.student_user.pk)
    assert (account.home_org, student_grants(account)) == (
        campus.other_major,
        [campus.other_major.pk],
    )


def test_a_rejected_change_of_major_leaves_the_account_where_it_was(people: People) -> None:
    campus = people.campus
    intake_plan(campus.other_major, capacity=2)
    change = apply(people, ChangeType.CHANGE_MAJOR, target_major_id=campus.other_major.pk)
    # The counsellor applied, so their own step is done; the department head refuses.
    decide(people.head, change, "reject", "Not this year")
    change.refresh_from_db()
    assert change.state == ChangeState.REJECTED

    account = User.objects.get(pk=people.student_user.pk)
    assert (account.home_org, student_grants(account)) == (campus.klass, [campus.klass.pk])


def test_a_student_without_an_account_changes_major_all_the_same(people: People) -> None:
    campus = people.campus
    intake_plan(campus.other_major, capacity=2)
    record = student(campus)
    change = apply(people, ChangeType.CHANGE_MAJOR, record, target_major_id=campus.other_major.pk)
    assert approve_all(people, change).state == ChangeState.APPROVED
    record.refresh_from_db()
    assert (record.major, record.user) == (campus.other_major, None)
    account = User.objects.get(pk=people.student_user.pk)
    assert account.home_org == campus.klass


def test_a_transferred_students_account_moves_to_the_receiving_school(
    people: People, other_people: People
) -> None:
    target = other_people.campus
    change = apply(
        people,
        ChangeType.TRANSFER_OUT,
        target_school_id=target.school.pk,
        target_major_code=target.major.code,
    )
    approve_all(people, change)
    decide(other_people.admin, change)

    account = User.objects.get(pk=people.student_user.pk)
    assert (account.home_org, student_grants(account)) == (target.major, [target.major.pk])
