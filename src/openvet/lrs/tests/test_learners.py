"""Who reads a learner's records: the learner, their counsellor, whoever a learner source
says teaches them; nobody of another school (ADR 0407)."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client as HttpClient

from openvet.core.models import OrgKind, OrgUnit
from openvet.core.roles import Role
from openvet.core.tests.factories import OrgUnitFactory
from openvet.identity.models import User
from openvet.identity.tests.factories import user_with_role
from openvet.lrs import learners
from openvet.lrs.services import learner_source_register, record_learning_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


def class_of(school: OrgUnit, name: str) -> OrgUnit:
    department = OrgUnitFactory(kind=OrgKind.DEPARTMENT, parent=school, name=f"{name} dept")
    major = OrgUnitFactory(kind=OrgKind.MAJOR, parent=department, name=f"{name} major")
    return OrgUnitFactory(kind=OrgKind.CLASS, parent=major, name=name)


@pytest.fixture
def klass(school_a: OrgUnit) -> OrgUnit:
    return class_of(school_a, "Welding 2025-1")


@pytest.fixture
def learner(klass: OrgUnit) -> User:
    student = user_with_role(Role.STUDENT, klass, full_name="Li Lei")
    record_learning_event(
        user_id=student.pk,
        verb="scored",
        object_type="teaching.grade",
        object_id=3,
        result={"total": 88},
    )
    return student


@pytest.fixture
def taught() -> Iterator[set[int]]:
    """A learner source the test fills: who the signed-in person teaches."""
    ids: set[int] = set()
    learner_source_register(name="test", source=lambda actor: ids)
    yield ids
    learners._sources.pop("test")


def page_of(user: User, learner: User) -> Any:
    http = HttpClient(HTTP_ACCEPT_LANGUAGE="en")
    http.force_login(user)
    return http.get(f"/lrs/learners/{learner.pk}/")


def test_a_learner_reads_their_own_records(learner: User) -> None:
    http = HttpClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    http.force_login(learner)
    page = http.get("/lrs/me/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "获得成绩" in text
    assert "88.0" in text
    assert len(page.context["records"]) == 1


def test_the_counsellor_of_the_class_reads_its_students_records(
    learner: User, klass: OrgUnit, school_a: OrgUnit
) -> None:
    counsellor = user_with_role(Role.COUNSELLOR, klass)
    page = page_of(counsellor, learner)
    assert page.status_code == 200
    assert "scored" in page.content.decode()
    other_class = class_of(school_a, "Other")
    assert page_of(user_with_role(Role.COUNSELLOR, other_class), learner).status_code == 404


def test_a_teacher_reads_the_records_of_learners_they_teach_only(
    learner: User, school_a: OrgUnit, taught: set[int]
) -> None:
    teacher = user_with_role(Role.TEACHER, school_a)
    assert page_of(teacher, learner).status_code == 404
    taught.add(learner.pk)
    page = page_of(teacher, learner)
    assert page.status_code == 200
    assert "Li Lei" in page.content.decode()


def test_another_school_reads_nothing(learner: User, school_b: OrgUnit, taught: set[int]) -> None:
    for role in (Role.COUNSELLOR, Role.TEACHER, Role.SCHOOL_ADMIN, Role.STUDENT):
        assert page_of(user_with_role(role, school_b), learner).status_code == 404
    assert page_of(user_with_role(Role.STUDENT, school_b), learner).status_code == 404


def test_a_fellow_student_reads_nothing(learner: User, klass: OrgUnit) -> None:
    assert page_of(user_with_role(Role.STUDENT, klass), learner).status_code == 404


def test_anonymous_is_sent_to_sign_in(learner: User) -> None:
    assert HttpClient().get(f"/lrs/learners/{learner.pk}/").status_code == 302
