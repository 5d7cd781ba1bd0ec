import pytest

from openvet.identity.tests.factories import UserFactory
from openvet.records import permissions
from openvet.records.tests.conftest import People
from openvet.records.tests.factories import staff, student

pytestmark = pytest.mark.django_db


def test_own_record(people: People) -> None:
    assert permissions.is_own_record(people.student_user, people.student) is True
    assert permissions.is_own_record(people.counsellor, people.student) is False
    assert permissions.is_own_record(people.student_user, student(people.campus)) is False


def test_view_student(people: People, other_people: People) -> None:
    assert permissions.can_view_student(people.student_user, people.student) is True
    assert permissions.can_view_student(people.head, people.student) is True
    assert permissions.can_view_student(other_people.admin, people.student) is False
    assert permissions.can_view_student(other_people.student_user, people.student) is False


def test_change_student(people: People) -> None:
    assert permissions.can_change_student(people.counsellor, people.student) is True
    assert permissions.can_change_student(people.head, people.student) is False
    assert permissions.can_change_student(people.student_user, people.student) is False


@pytest.mark.parametrize(
    ("change_type", "allowed"),
    [
        ("06", True),
        ("11", True),
        ("12", True),
        ("19", True),
        ("21", True),
        ("23", True),
        ("31", True),
        ("42", False),
        ("61", False),
        ("62", False),
        ("63", False),
        ("22", False),
    ],
)
def test_what_a_student_may_apply_for(people: People, change_type: str, allowed: bool) -> None:
    assert permissions.can_apply_change(people.student_user, people.student, change_type) is allowed


def test_staff_apply_within_their_subtree_only(people: People, other_people: People) -> None:
    assert permissions.can_apply_change(people.head, people.student, "42") is True
    assert permissions.can_apply_change(other_people.admin, people.student, "42") is False
    assert permissions.can_apply_change(people.admin, people.student, "22") is False


def test_reveal_pii(people: People) -> None:
    assert permissions.can_reveal_pii(people.counsellor, people.student.org) is True
    assert permissions.can_reveal_pii(people.head, people.student.org) is False


def test_view_staff(people: People, other_people: People) -> None:
    member = staff(people.campus, user=UserFactory())
    assert permissions.can_view_staff(member.user, member) is True
    assert permissions.can_view_staff(people.admin, member) is True
    assert permissions.can_view_staff(other_people.admin, member) is False
    assert permissions.can_view_staff(people.counsellor, member) is False
