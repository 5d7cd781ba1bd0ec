from typing import Any

import pytest

from openvet.core.roles import Role
from openvet.identity.tests.factories import UserFactory, grant, user_with_role
from openvet.records.tests.factories import Campus, student


class People:
    def __init__(self, campus: Campus) -> None:
        self.campus = campus
        self.counsellor = user_with_role(Role.COUNSELLOR, campus.klass, full_name="Counsellor")
        self.head = user_with_role(Role.DEPARTMENT_HEAD, campus.department, full_name="Head")
        self.admin = user_with_role(Role.SCHOOL_ADMIN, campus.school, full_name="Admin")
        self.student_user = UserFactory(home_org=campus.klass, full_name="Stu")
        grant(self.student_user, Role.STUDENT, campus.klass)
        self.student = student(campus, user=self.student_user)


@pytest.fixture
def campus(db: Any) -> Campus:
    return Campus("School A")


@pytest.fixture
def other_campus(db: Any) -> Campus:
    return Campus("School B")


@pytest.fixture
def people(campus: Campus) -> People:
    return People(campus)


@pytest.fixture
def other_people(other_campus: Campus) -> People:
    return People(other_campus)
