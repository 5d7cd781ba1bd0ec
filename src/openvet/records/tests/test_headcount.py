"""Home pages count records, not sign-in accounts: a student imported without an account
counts at once, a graduate no longer does, another school's never; staff count while employed,
with or without an account."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openvet.core.roles import Role
from openvet.identity.tests.factories import user_with_role
from openvet.records.codes import EmploymentStatus, StudentStatus
from openvet.records.headcount import staff_employed, students_on_roll
from openvet.records.tests.conftest import People
from openvet.records.tests.factories import Campus, staff, student

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_totp(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


def _home_stats(user: Any, panel_key: str) -> dict[str, Any]:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    panels = {panel.key: context for panel, context in response.context["panels"]}
    return {str(stat["label"]): stat["value"] for stat in panels[panel_key]["stats"]}


def test_the_admin_home_counts_new_records_at_once(people: People, other_campus: Campus) -> None:
    student(other_campus)
    assert _home_stats(people.admin, "identity.school_people")["Students"] == 1
    # An import writes records without accounts; the next page shows them.
    for _ in range(3):
        student(people.campus)
    student(people.campus, status=StudentStatus.GRADUATED)
    assert _home_stats(people.admin, "identity.school_people")["Students"] == 4


def test_the_region_table_and_school_overview_count_records(
    people: People, other_campus: Campus
) -> None:
    student(people.campus)
    student(other_campus, class_unit=other_campus.klass)
    region = user_with_role(Role.REGIONAL_ADMIN, people.campus.school.parent)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(region)
    home = client.get(reverse("core:home"))
    panels = {panel.key: context for panel, context in home.context["panels"]}
    counts = {row[0]["text"]: row[1] for row in panels["identity.region"]["table"]["rows"]}
    assert counts == {"School A": 2, "School B": 1}
    overview = client.get(reverse("core:school-overview", args=[people.campus.school.pk]))
    school_panels = {panel.key: context for panel, context in overview.context["panels"]}
    stats = {str(s["label"]): s["value"] for s in school_panels["identity.school_people"]["stats"]}
    assert stats["Students"] == 2


def test_a_teacher_sees_records_per_class(people: People) -> None:
    student(people.campus)
    student(people.campus, class_unit=people.campus.other_klass, major=people.campus.other_major)
    teacher = user_with_role(Role.TEACHER, people.campus.department)
    assert _home_stats(teacher, "identity.teaching")["Students"] == 3


def test_students_on_roll_counts_each_subtree_in_one_query(
    people: People, django_assert_num_queries: Any
) -> None:
    campus = people.campus
    student(campus, class_unit=campus.other_klass, major=campus.other_major)
    paths = [campus.school.path, campus.klass.path, campus.other_klass.path, "/nowhere/"]
    with django_assert_num_queries(1):
        assert students_on_roll(paths) == [2, 1, 1, 0]


def test_staff_are_counted_from_records_while_employed(
    people: People, other_campus: Campus
) -> None:
    staff(other_campus)
    before = _home_stats(people.admin, "identity.school_people")["Staff"]
    # Staff records imported without accounts count at once; those who left do not.
    staff(people.campus)
    staff(people.campus, employment_status=EmploymentStatus.LEAVE)
    staff(people.campus, employment_status=EmploymentStatus.LEFT)
    staff(people.campus, employment_status=EmploymentStatus.RETIRED)
    assert _home_stats(people.admin, "identity.school_people")["Staff"] == before + 2


def test_staff_employed_counts_each_subtree_in_one_query(
    people: People, other_campus: Campus, django_assert_num_queries: Any
) -> None:
    staff(people.campus)
    staff(other_campus)
    staff(other_campus, employment_status=EmploymentStatus.LEFT)
    paths = [people.campus.school.path, other_campus.school.path, "/nowhere/"]
    with django_assert_num_queries(1):
        assert staff_employed(paths) == [1, 1, 0]


def test_a_subtree_asked_twice_or_inside_another_is_counted_in_each_place(
    people: People, django_assert_num_queries: Any
) -> None:
    campus = people.campus
    student(campus, class_unit=campus.other_klass, major=campus.other_major)
    paths = [campus.klass.path, campus.school.path, campus.klass.path, campus.department.path]
    with django_assert_num_queries(1):
        counts = students_on_roll(paths)
    assert counts == [1, 2, 1, 2]  # the department holds both classes
    assert students_on_roll(["/", campus.school.path[:-1]]) == [2, 2]  # bare prefixes too
