"""Events records publishes (after commit) through ``core.events``."""

from dataclasses import dataclass


@dataclass(frozen=True)
class StudentStatusChanged:
    """A student status change (JY/T 1001 XJYDLB) took effect."""

    student_id: int
    change_id: int
    change_type: str
    old_status: str
    new_status: str


@dataclass(frozen=True)
class StudentTransferredIn:
    """A student moved in from another school (a new record in the receiving school)."""

    student_id: int
    from_student_id: int
