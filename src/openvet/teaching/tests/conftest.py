from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps

from openvet.core.models import OrgKind, OrgUnit
from openvet.core.roles import Role
from openvet.core.tests.factories import OrgUnitFactory, department
from openvet.identity.models import User
from openvet.identity.tests.factories import user_with_role
from openvet.identity.tests.support import two_schools
from openvet.teaching.models import Term
from openvet.teaching.tests.factories import TermFactory, bells, klass

needs_workflow = pytest.mark.skipif(
    not apps.is_installed("openvet.workflow"),
    reason="needs the workflow app",
)


@dataclass
class Campus:
    school: OrgUnit
    department: OrgUnit
    major: OrgUnit
    class_a: OrgUnit
    class_b: OrgUnit
    admin: User
    head: User
    teacher: User
    teacher2: User
    student: User
    term: Term


def build_campus(school: OrgUnit, label: str) -> Campus:
    dept = department(school, name=f"Dept {label}")
    major = OrgUnitFactory(kind=OrgKind.MAJOR, parent=dept, name=f"Major {label}", code="510201")
    class_a = klass(major, 2025, f"{label} 2025-1")
    class_b = klass(major, 2024, f"{label} 2024-1")
    bells(school)
    return Campus(
        school=school,
        department=dept,
        major=major,
        class_a=class_a,
        class_b=class_b,
        admin=user_with_role(Role.SCHOOL_ADMIN, school),
        head=user_with_role(Role.DEPARTMENT_HEAD, dept),
        teacher=user_with_role(Role.TEACHER, dept, full_name=f"Teacher {label}"),
        teacher2=user_with_role(Role.TEACHER, dept, full_name=f"Teacher2 {label}"),
        student=user_with_role(Role.STUDENT, class_a),
        term=TermFactory(org=school),
    )


@pytest.fixture
def schools() -> tuple[OrgUnit, OrgUnit]:
    return two_schools()


@pytest.fixture
def campus(schools: tuple[OrgUnit, OrgUnit]) -> Campus:
    return build_campus(schools[0], "A")


@pytest.fixture
def other(schools: tuple[OrgUnit, OrgUnit]) -> Campus:
    return build_campus(schools[1], "B")


@pytest.fixture(autouse=True)
def _solver_inline(settings: Any) -> None:
    settings.TEACHING_SOLVER_INLINE = True
