"""The data-quality figures, their records, and who may see them."""

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openvet.core.errors import NotFound
from openvet.core.roles import Role
from openvet.identity.tests.factories import user_with_role
from openvet.identity.tests.support import sign_in
from openvet.records.quality.selectors import quality_figures_for, quality_offending_for
from openvet.records.tests.factories import id_number_for, student

pytestmark = pytest.mark.django_db


@pytest.fixture
def flawed(people: Any, other_people: Any) -> dict[str, Any]:
    campus = people.campus
    shared = id_number_for(date(2003, 1, 2))
    return {
        "bad_id": student(campus, id_number="110105199001010011", ethnicity=""),
        "mismatch": student(
            campus, birth=date(2004, 5, 6), id_number=id_number_for(date(2004, 5, 7))
        ),
        "wrong_class": student(campus, class_unit=campus.other_klass),
        "duplicate": student(campus, id_number=shared, birth=date(2003, 1, 2)),
        "elsewhere": student(other_people.campus, id_number=shared, birth=date(2003, 1, 2)),
    }


def _counts(people: Any) -> dict[str, int]:
    return quality_figures_for(actor=people.admin, school_id=people.campus.school.pk)[
        people.campus.school.pk
    ]


def test_figures_count_each_kind_of_problem(people: Any, flawed: dict[str, Any]) -> None:
    counts = _counts(people)
    assert {
        k: counts[k]
        for k in (
            "total",
            "missing_ethnicity",
            "invalid_id_number",
            "birth_date_mismatch",
            "class_of_other_major",
            "duplicate_id_number",
            "missing_class",
        )
    } == {
        "total": 5,
        "missing_ethnicity": 1,
        "invalid_id_number": 1,
        "birth_date_mismatch": 1,
        "class_of_other_major": 1,
        "duplicate_id_number": 1,
        "missing_class": 0,
    }


def test_figures_take_a_constant_number_of_queries(
    people: Any, flawed: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    for _ in range(5):
        student(people.campus)
    with django_assert_max_num_queries(6):
        _counts(people)


@pytest.mark.parametrize(
    ("check", "key"),
    [
        ("invalid_id_number", "bad_id"),
        ("birth_date_mismatch", "mismatch"),
        ("class_of_other_major", "wrong_class"),
        ("duplicate_id_number", "duplicate"),
    ],
)
def test_each_figure_links_to_exactly_its_records(
    people: Any, flawed: dict[str, Any], check: str, key: str
) -> None:
    _school, _check, students = quality_offending_for(
        actor=people.admin, school_id=people.campus.school.pk, check_key=check
    )
    assert list(students) == [flawed[key]]


def test_regional_admin_sees_figures_per_school(
    people: Any, other_people: Any, flawed: dict[str, Any]
) -> None:
    region = user_with_role(Role.REGIONAL_ADMIN, people.campus.school.parent)
    figures = quality_figures_for(actor=region)
    assert {pk: counts["total"] for pk, counts in figures.items()} == {
        people.campus.school.pk: 5,
        other_people.campus.school.pk: 2,
    }


def test_school_admin_cannot_see_another_schools_figures(people: Any, other_people: Any) -> None:
    with pytest.raises(NotFound):
        quality_figures_for(actor=people.admin, school_id=other_people.campus.school.pk)
    assert set(quality_figures_for(actor=people.admin)) == {people.campus.school.pk}


def test_counsellor_sees_no_quality_figures(people: Any) -> None:
    assert quality_figures_for(actor=people.counsellor) == {}


def test_quality_page_shows_counts_with_links(people: Any, flawed: dict[str, Any]) -> None:
    client = sign_in(Client(), people.admin)
    response = client.get(reverse("records-bulk:quality"), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    link = reverse(
        "records-bulk:quality-records", args=[people.campus.school.pk, "invalid_id_number"]
    )
    assert response.status_code == 200
    assert link in body
    listing = client.get(link, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert flawed["bad_id"].student_number in listing
    assert flawed["mismatch"].student_number not in listing


def test_quality_pages_of_another_school_are_not_found(people: Any, other_people: Any) -> None:
    client = sign_in(Client(), people.admin)
    school_b = other_people.campus.school.pk
    assert client.get(reverse("records-bulk:quality-school", args=[school_b])).status_code == 404
    assert (
        client.get(
            reverse("records-bulk:quality-records", args=[school_b, "missing_class"])
        ).status_code
        == 404
    )


def test_quality_api_lists_only_visible_schools(people: Any, other_people: Any) -> None:
    response = sign_in(Client(), people.admin).get("/api/v1/records/quality-reports")
    assert [item["school_id"] for item in response.json()["items"]] == [people.campus.school.pk]
