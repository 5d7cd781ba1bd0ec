"""OneRoster CSV bundles: the shared samples, a round trip, and who may use them."""

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import translation

from openvet.core.errors import PermissionDenied
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.roles import Role
from openvet.identity.tests.factories import user_with_role
from openvet.records.codes import IdType
from openvet.records.models import Student
from openvet.records.oneroster.exporter import oneroster_export
from openvet.records.oneroster.importer import OneRosterRejected, oneroster_import
from openvet.records.tests.factories import Campus, id_number_for, staff, student

pytestmark = pytest.mark.django_db
# The folder ``shared`` sits beside the repository: src/openvet/records/tests -> repo root;
# OPENVET_SAMPLES names another place for the samples.
SAMPLES = Path(
    os.environ.get("OPENVET_SAMPLES")
    or Path(__file__).resolve().parents[4] / ".." / "shared" / "samples"
)
V12 = SAMPLES / "oneroster-1.2-csv"
V11 = SAMPLES / "oneroster-1.1-csv"
# A checkout without the shared samples (a newcomer's clone) skips the tests that read them.
needs_samples = pytest.mark.skipif(
    not (V11.is_dir() and V12.is_dir()),
    reason="the OneRoster samples are not here (../shared/samples or OPENVET_SAMPLES)",
)


def _import(people: Any, directory: Path, **kwargs: Any) -> Any:
    with translation.override("en"):
        return oneroster_import(
            actor=people.admin, school=people.campus.school, directory=directory, **kwargs
        )


def _school_state(school: OrgUnit) -> int:
    return (
        OrgUnit.objects.filter(path__startswith=school.path).count()
        + Student.objects.filter(school=school).count()
    )


@needs_samples
@time_machine.travel(date(2029, 1, 1), tick=False)
def test_the_complete_1_2_sample_imports(people: Any) -> None:
    summary = _import(people, V12, accounts=True)
    bruce = Student.objects.get(school=people.campus.school, student_number="bruce.wayne")
    assert (bruce.name, bruce.birth_date, bruce.major_id, bruce.user.username) == (
        "Bruce Wayne",
        date(2010, 4, 17),
        people.campus.major.pk,
        "brucewayne",
    )
    kept = {"imported": 1, "updated": 0, "unchanged": 0, "skipped": 0}
    left_out = {"imported": 0, "updated": 0, "unchanged": 0, "skipped": 1}
    assert summary.counts == {
        "orgs.csv": {"imported": 0, "updated": 0, "unchanged": 1, "skipped": 0},
        "classes.csv": left_out,
        "enrollments.csv": left_out,
        "users.csv": kept,
        "demographics.csv": kept,
        "roles.csv": kept,
        "courses.csv": kept,  # into the teaching catalogue and terms
        "academicSessions.csv": kept,
        "userProfiles.csv": left_out,
    }
    assert [(s["file"], s["line"], s["sourcedId"]) for s in summary.skipped] == [
        ("classes.csv", 2, "CLASS_001"),
        ("enrollments.csv", 2, "ENROLLMENT_001"),
        ("userProfiles.csv", 2, "USER_PROFILE_1"),
    ]
    assert summary.skipped[0]["reason"] == (
        "Scheduled classes are teaching sections; only homeroom classes become classes."
    )
    assert summary.skipped[1]["reason"] == "Its class was not imported."


@needs_samples
@time_machine.travel(date(2026, 11, 28), tick=False)
def test_a_minor_without_guardian_in_the_1_2_sample_is_refused(people: Any) -> None:
    before = _school_state(people.campus.school)
    with pytest.raises(OneRosterRejected) as caught:
        _import(people, V12)
    assert caught.value.details == [
        {
            "file": "users.csv",
            "line": 2,
            "column": "Guardian's name",
            "message": "A student under 18 needs a guardian's name and phone.",
        }
    ]
    assert _school_state(people.campus.school) == before


@needs_samples
@time_machine.travel(date(2029, 1, 1), tick=False)
def test_importing_the_1_2_sample_twice_updates_instead_of_duplicating(people: Any) -> None:
    _import(people, V12)
    _import(people, V12)
    assert (
        Student.objects.filter(school=people.campus.school, student_number="bruce.wayne").count()
        == 1
    )


@needs_samples
def test_the_faulty_1_1_sample_reports_every_bad_row_and_writes_nothing(people: Any) -> None:
    before = _school_state(people.campus.school)
    with pytest.raises(OneRosterRejected) as caught:
        _import(people, V11)
    found = {(p["file"], p["line"], p["column"]) for p in caught.value.details}
    assert found >= {
        ("orgs.csv", 2, "parentSourcedId"),
        ("orgs.csv", None, "type"),
        ("academicSessions.csv", 3, "parentSourcedId"),
        ("academicSessions.csv", 4, "status"),
        ("academicSessions.csv", 4, "dateLastModified"),
        ("classes.csv", 2, "courseSourcedId"),
        ("classes.csv", 3, "courseSourcedId"),
        ("classes.csv", 2, "schoolSourcedId"),
        ("enrollments.csv", 3, "role"),
        ("enrollments.csv", 6, "role"),
        ("users.csv", 2, "dateLastModified"),
    }
    assert _school_state(people.campus.school) == before


@needs_samples
def test_the_1_1_report_names_the_reason_in_english(people: Any) -> None:
    with pytest.raises(OneRosterRejected) as caught:
        _import(people, V11)
    by_place = {(p["file"], p["line"], p["column"]): p["message"] for p in caught.value.details}
    assert by_place[("enrollments.csv", 3, "role")] == (
        "The user is enrolled as student but is a teacher in users.csv."
    )
    assert by_place[("classes.csv", 2, "courseSourcedId")] == (
        "“crs-222-2023-456-12345” is not in the bundle."
    )


def test_round_trip_into_a_fresh_school_gives_the_same_data(people: Any, tmp_path: Path) -> None:
    campus = people.campus
    # Catalogue codes: the import creates the majors through the validating org service.
    for node, code in (
        (campus.major, "510203"),
        (campus.other_major, "510204"),
        (campus.klass, "S1"),
    ):
        OrgUnit.objects.filter(pk=node.pk).update(code=code)
    student(
        campus,
        name="Li Lei",
        birth=date(2003, 2, 3),
        id_number=id_number_for(date(2003, 2, 3), male=False),
        gender="2",
    )
    staff(campus, name="Wang Fang", id_type=IdType.PASSPORT, id_number="E12345678")
    oneroster_export(actor=people.admin, school=campus.school, directory=tmp_path, reveal=True)
    fresh = Campus("Fresh")
    admin = user_with_role(Role.SCHOOL_ADMIN, fresh.school)
    with translation.override("en"):
        oneroster_import(actor=admin, school=fresh.school, directory=tmp_path)

    def shape(school: OrgUnit) -> list[tuple[Any, ...]]:
        return sorted(
            (
                s.student_number,
                s.name,
                s.gender,
                s.birth_date,
                s.id_number,
                s.major.code,
                s.class_unit.code if s.class_unit else "",
                s.grade_year,
                s.ethnicity,
            )
            for s in Student.objects.filter(school=school).select_related("major", "class_unit")
        )

    assert shape(fresh.school) == shape(campus.school)
    assert len(shape(fresh.school)) == 2


def test_export_without_reveal_leaves_id_numbers_out(people: Any, tmp_path: Path) -> None:
    region = user_with_role(Role.REGIONAL_ADMIN, people.campus.school.parent)
    oneroster_export(actor=region, school=people.campus.school, directory=tmp_path)
    users = (tmp_path / "users.csv").read_text(encoding="utf-8")
    assert people.student.id_number not in users
    assert people.student.student_number in users


@needs_samples
def test_admin_of_school_a_cannot_import_or_export_school_b(
    people: Any, other_people: Any, tmp_path: Path
) -> None:
    with pytest.raises(PermissionDenied):
        oneroster_export(actor=people.admin, school=other_people.campus.school, directory=tmp_path)
    with pytest.raises(PermissionDenied):
        oneroster_import(actor=people.admin, school=other_people.campus.school, directory=V12)
    assert not (tmp_path / "users.csv").exists()


def test_export_counts_per_file(people: Any, tmp_path: Path) -> None:
    counts = oneroster_export(actor=people.admin, school=people.campus.school, directory=tmp_path)
    assert (counts["users.csv"], counts["enrollments.csv"], counts["classes.csv"]) == (1, 1, 2)
    assert OrgKind.MAJOR  # majors travel as orgs of type department
    assert counts["orgs.csv"] == 1 + 1 + 2
