"""Counsellors of the demo look after classes, not whole departments (least privilege)."""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model

from openvet.core.models import OrgKind
from openvet.core.roles import Role
from openvet.demo.plan import DemoPlan, build_plan
from openvet.demo.seed import demo_seed
from openvet.records.models import Student
from openvet.records.selectors import student_list_for


@pytest.fixture(scope="module")
def plan() -> DemoPlan:
    return build_plan()


def test_every_class_has_exactly_one_counsellor_of_its_department(plan: DemoPlan) -> None:
    orgs = {org.key: org for org in plan.orgs}
    looked_after: Counter[str] = Counter()
    for person in plan.people:
        if person.role != Role.COUNSELLOR:
            continue
        for key in person.role_keys:
            assert orgs[key].kind == OrgKind.CLASS
            assert orgs[orgs[key].parent_key or ""].parent_key == person.home_key
            looked_after[key] += 1
    classes = {org.key for org in plan.orgs if org.kind == OrgKind.CLASS}
    assert set(looked_after) == classes
    assert set(looked_after.values()) == {1}


def test_the_two_counsellors_of_a_department_share_its_classes_by_grade(plan: DemoPlan) -> None:
    counsellor1, other = (
        p for p in plan.people if p.role == Role.COUNSELLOR and p.home_key == "school:1:dept:1"
    )
    grades = {org.key: org.grade_year for org in plan.orgs}
    # Besides their block, counsellor1 keeps last year's graduated class.
    assert sorted(grades[key] for key in counsellor1.role_keys) == [2023] + [2024] * 3 + [2025]
    assert sorted(grades[key] for key in other.role_keys) == [2025] * 2 + [2026] * 3


def test_a_seeded_counsellor_sees_exactly_the_students_of_their_classes(db: None) -> None:
    demo_seed(scale=0.05)
    counsellor = get_user_model().objects.get(username="counsellor1")
    grants = counsellor.role_assignments.filter(role=Role.COUNSELLOR)
    assert set(grants.values_list("org__kind", flat=True)) == {OrgKind.CLASS}
    classes = set(grants.values_list("org_id", flat=True))
    department_students = Student.objects.filter(department=counsellor.home_org)
    visible = set(student_list_for(actor=counsellor).values_list("pk", flat=True))
    assert visible == set(
        department_students.filter(class_unit_id__in=classes).values_list("pk", flat=True)
    )
