"""Helpers for API tests: a small campus with one account per role, and bearer headers.

Used by ``identity/tests/test_api_*.py`` (and later apps' API tests). Not imported by the
running platform.
"""

from dataclasses import dataclass, field

from openvet.core.models import OrgUnit
from openvet.core.roles import Role
from openvet.core.tests.factories import department, province, school
from openvet.identity.models import User
from openvet.identity.tests.factories import user_with_role
from openvet.identity.tokens import SCOPES, token_create


@dataclass
class Campus:
    """Zhejiang with schools A and B; A has a department; one account per role."""

    region: OrgUnit
    school_a: OrgUnit
    department_a: OrgUnit
    school_b: OrgUnit
    student: User
    teacher: User
    school_admin: User
    regional_admin: User
    other_admin: User
    roles: dict[str, User] = field(default_factory=dict)


def campus() -> Campus:
    region = province()
    school_a = school(region, name="School A")
    school_b = school(region, name="School B")
    department_a = department(school_a, name="Mechatronics")
    built = Campus(
        region=region,
        school_a=school_a,
        department_a=department_a,
        school_b=school_b,
        student=user_with_role(
            Role.STUDENT,
            department_a,
            username="student_a",
            person_number="S0001",
            mobile="13812345678",
        ),
        teacher=user_with_role(Role.TEACHER, school_a, username="teacher_a"),
        school_admin=user_with_role(Role.SCHOOL_ADMIN, school_a, username="admin_a"),
        regional_admin=user_with_role(Role.REGIONAL_ADMIN, region, username="admin_region"),
        other_admin=user_with_role(Role.SCHOOL_ADMIN, school_b, username="admin_b"),
    )
    built.roles = {
        "student": built.student,
        "teacher": built.teacher,
        "school_admin": built.school_admin,
        "regional_admin": built.regional_admin,
        "other_admin": built.other_admin,
    }
    return built


def bearer(user: User, scopes: tuple[str, ...] = SCOPES) -> dict[str, str]:
    """Headers that authenticate as ``user`` with a fresh personal access token."""
    issued = token_create(actor=user, user=user, name="test", scopes=list(scopes))
    return {"Authorization": f"Bearer {issued.secret}"}
