from dataclasses import dataclass
from typing import Any

import pytest

from openvet.core.models import OrgUnit
from openvet.core.roles import Role
from openvet.core.tests.factories import department, province, school
from openvet.identity.tests.factories import user_with_role


@dataclass
class World:
    """Two schools of one province, a school of another, and the people who use the library."""

    province: OrgUnit
    school_a: OrgUnit
    school_b: OrgUnit
    school_c: OrgUnit
    teacher_a: Any
    teacher_a2: Any
    admin_a: Any
    teacher_b: Any
    head_b: Any
    teacher_c: Any
    region: Any
    student_a: Any


@pytest.fixture
def world(db: None) -> World:
    zhejiang = province()
    other = province(code="320000", name="Jiangsu")
    school_a, school_b = school(zhejiang, name="School A"), school(zhejiang, name="School B")
    school_c = school(other, name="School C")
    dept_a, dept_b = department(school_a), department(school_b)
    return World(
        province=zhejiang,
        school_a=school_a,
        school_b=school_b,
        school_c=school_c,
        teacher_a=user_with_role(Role.TEACHER, dept_a),
        teacher_a2=user_with_role(Role.TEACHER, department(school_a, "Other department")),
        admin_a=user_with_role(Role.SCHOOL_ADMIN, school_a),
        teacher_b=user_with_role(Role.TEACHER, dept_b),
        head_b=user_with_role(Role.DEPARTMENT_HEAD, dept_b),
        teacher_c=user_with_role(Role.TEACHER, department(school_c)),
        region=user_with_role(Role.REGIONAL_ADMIN, zhejiang),
        student_a=user_with_role(Role.STUDENT, dept_a),
    )
