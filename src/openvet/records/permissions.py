"""Object rules of records: pure predicates over the actor's grants."""

from typing import Any

from openvet.core import policy
from openvet.core.policy import Actor
from openvet.records.codes import ChangeType
from openvet.records.models import Staff, Student

# Data quality pages of the schools in reach (granted to school, regional and platform admins).
QUALITY_CAPABILITY = "records.view_quality"

# Changes a student may ask for themself; the others are decided about them.
STUDENT_MAY_APPLY = frozenset(
    {
        ChangeType.SUSPEND,
        ChangeType.RESUME,
        ChangeType.RESERVE,
        ChangeType.TRANSFER_OUT,
        ChangeType.CHANGE_MAJOR,
        ChangeType.WITHDRAW,
        ChangeType.EXTEND,
    }
)
# Changes nobody applies for directly (a transfer-in is the other half of a transfer-out).
NOT_APPLICABLE = frozenset({ChangeType.TRANSFER_IN})


def is_own_record(actor: Actor, student: Student) -> bool:
    return student.user_id is not None and student.user_id == getattr(actor, "pk", None)


def can_view_student(actor: Actor, student: Student) -> bool:
    return is_own_record(actor, student) or policy.has_capability(
        actor, "records.view_student", student.org
    )


def can_change_student(actor: Actor, student: Student) -> bool:
    return policy.has_capability(actor, "records.change_student", student.org)


def can_apply_change(actor: Actor, student: Student, change_type: str) -> bool:
    if change_type in NOT_APPLICABLE:
        return False
    if is_own_record(actor, student):
        return change_type in STUDENT_MAY_APPLY
    return policy.has_capability(actor, "records.apply_statuschange", student.org)


def can_reveal_pii(actor: Actor, org: Any) -> bool:
    return policy.has_capability(actor, "identity.reveal_pii", org)


def can_view_staff(actor: Actor, staff: Staff) -> bool:
    own = staff.user_id is not None and staff.user_id == getattr(actor, "pk", None)
    return own or policy.has_capability(actor, "records.view_staff", staff.org)
