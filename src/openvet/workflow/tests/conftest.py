from collections.abc import Iterator
from typing import Any

import pytest

from openvet.core.models import OrgKind
from openvet.core.policy import Actor
from openvet.core.roles import Role
from openvet.core.tests.factories import OrgUnitFactory, department, province, school
from openvet.identity.tests.factories import UserFactory, user_with_role
from openvet.workflow.contracts import InstanceInfo, ProcessKind, StepSpec
from openvet.workflow.registry import _kinds, register_process

CODE = "tests.leave"
STEPS = (
    StepSpec(name="Counsellor", roles=("counsellor",), org_level="subject", deadline_hours=24),
    StepSpec(name="Department", roles=("department_head",), org_level="department"),
    StepSpec(
        name="School",
        roles=("school_admin",),
        org_level="school",
        condition={"field": "days", "in": [30, 60]},
    ),
)


class Outcomes:
    def __init__(self) -> None:
        self.calls: list[tuple[int, str, Any]] = []

    def __call__(self, info: InstanceInfo, outcome: str, actor: Actor) -> None:
        self.calls.append((info.id, outcome, actor.pk))


@pytest.fixture
def outcomes() -> Iterator[Outcomes]:
    recorder = Outcomes()
    register_process(
        ProcessKind(code=CODE, label="Leave", default_steps=STEPS, on_outcome=recorder)
    )
    yield recorder
    _kinds.pop(CODE, None)


class Tree:
    def __init__(self, name: str) -> None:
        region = OrgUnitFactory._meta.model.objects.filter(kind=OrgKind.PROVINCE).first()
        self.school = school(parent=region or province(), name=name)
        self.department = department(self.school)
        self.major = OrgUnitFactory(
            kind=OrgKind.MAJOR, name="Major", code="510203", parent=self.department
        )
        self.klass = OrgUnitFactory(
            kind=OrgKind.CLASS, name="Class", parent=self.major, grade_year=2024
        )
        self.applicant = UserFactory(home_org=self.klass, full_name="Applicant")
        self.counsellor = user_with_role(Role.COUNSELLOR, self.klass, full_name="Counsellor")
        self.head = user_with_role(Role.DEPARTMENT_HEAD, self.department, full_name="Head")
        self.admin = user_with_role(Role.SCHOOL_ADMIN, self.school, full_name="Admin")


@pytest.fixture
def tree(db: Any) -> Tree:
    return Tree("School A")


@pytest.fixture
def other_tree(db: Any, tree: Tree) -> Tree:
    return Tree("School B")
