"""OneRoster round trips keep the source's sourcedIds: import, export, re-import, two schools."""

import csv
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import translation

from openvet.core.models import OrgUnit
from openvet.records.models import Staff, Student
from openvet.records.oneroster.exporter import oneroster_export
from openvet.records.oneroster.importer import oneroster_import
from openvet.records.oneroster.models import SourcedId
from openvet.records.tests.test_oneroster_bundles import V11, V12, needs_samples

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _bruce_is_of_age() -> Any:
    """The 1.2 sample's student, born 2010, needs no guardian once 18."""
    with time_machine.travel(date(2029, 1, 1), tick=False):
        yield


FULL_TIME = "2023-05-01T18:25:43.511Z"
# The 1.1 sample is deliberately faulty (its SOURCE.md lists how); these edits make a copy
# valid while keeping every identifier: a school for the dangling parent, no dangling course
# or session references, 1.1 status values, full timestamps, and the enrolment roles of
# users.csv. The homeroom class is made active so that a class and its enrolments travel.
V11_REPAIRS = {
    "orgs.csv": [(r"\Z", f"\norg-sch-222-3456,active,{FULL_TIME},Springfield School,school,,")],
    "academicSessions.csv": [(r"as-syr-222-2023", ""), (r",inactive,", ",active,")],
    "classes.csv": [
        (r"crs-222-2023-456-\d+", ""),
        (r",org-sch-222-456,", ",org-sch-222-3456,"),
        (r"cls-222-123478,tobedeleted", "cls-222-123478,active"),
    ],
    "enrollments.csv": [(r"usr-222-987654,student", "usr-222-987654,teacher")],
    "users.csv": [(r",2023-06-15,", ",2023-06-15T00:00:00Z,")],
}


def _import(school: OrgUnit, actor: Any, directory: Path) -> Any:
    with translation.override("en"):
        return oneroster_import(actor=actor, school=school, directory=directory)


def _repaired_v11(tmp_path: Path) -> Path:
    target = tmp_path / "v11"
    shutil.copytree(V11, target)
    for path in target.glob("*.csv"):
        text = re.sub(r",2023-05-01,", f",{FULL_TIME},", path.read_text(encoding="utf-8"))
        for pattern, replacement in V11_REPAIRS.get(path.name, []):
            text = re.sub(pattern, replacement, text)
        path.write_text(text, encoding="utf-8")
    return target


def _rows(directory: Path, name: str) -> dict[str, dict[str, str]]:
    with (directory / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return {row["sourcedId"]: row for row in csv.DictReader(handle)}


def _export(people: Any, directory: Path) -> Path:
    oneroster_export(actor=people.admin, school=people.campus.school, directory=directory)
    return directory


def _state(school: OrgUnit) -> list[Any]:
    """Every stored value of the school's org nodes, people and kept sourcedIds."""
    return [
        list(OrgUnit.objects.filter(path__startswith=school.path).order_by("pk").values()),
        list(Student.objects.filter(school=school).order_by("pk").values()),
        list(Staff.objects.filter(school=school).order_by("pk").values()),
        list(SourcedId.objects.filter(school=school).order_by("pk").values()),
    ]


@needs_samples
def test_the_1_2_sample_comes_back_with_its_sourced_ids(people: Any, tmp_path: Path) -> None:
    _import(people.campus.school, people.admin, V12)
    out = _export(people, tmp_path)
    users = _rows(out, "users")
    bruce = users["USER_0"]
    assert (bruce["givenName"], bruce["familyName"], bruce["identifier"]) == (
        "Bruce",
        "Wayne",
        "bruce.wayne",
    )
    assert users[f"student-{people.student.pk}"]["identifier"] == people.student.student_number
    assert set(users) == {"USER_0", f"student-{people.student.pk}"}
    assert _rows(out, "orgs")["ORG_1"]["type"] == "school"
    assert _rows(out, "orgs")["ORG_1"]["name"] == people.campus.school.name
    role = _rows(out, "roles")["ROLE_8"]
    assert (role["userSourcedId"], role["role"], role["orgSourcedId"]) == (
        "USER_0",
        "student",
        "ORG_1",
    )
    assert _rows(out, "demographics")["USER_0"]["birthDate"] == "2010-04-17"
    assert bruce["primaryOrgSourcedId"] == "ORG_1"
    # The session and the course went to teaching's terms and catalogue, and come back.
    session = _rows(out, "academicSessions")["ACAD_SESS_1"]
    assert (session["startDate"], session["schoolYear"]) == ("2023-09-04", "2024")
    course = _rows(out, "courses")["COURSE_001"]
    assert (course["title"], course["orgSourcedId"]) == ("Crime Fighting 101", "ORG_1")


@needs_samples
def test_the_1_1_sample_comes_back_with_its_sourced_ids(people: Any, tmp_path: Path) -> None:
    summary = _import(people.campus.school, people.admin, _repaired_v11(tmp_path))
    out = _export(people, tmp_path / "out")
    users = _rows(out, "users")
    kept = {
        "usr-222-123456": ("John", "Doe", "john.doe"),
        "usr-222-66778899": ("Mary", "Jones", "mary.jones"),
        "usr-222-987654": ("Jim", "Smith", "jim.smith"),
        "usr-222-1234561232": ("mmichel", "Jones", "mmichel.jones"),
        "usr-222-567891": ("Anna", "Brown", "anna.brown"),
    }
    for sourced_id, (given, family, identifier) in kept.items():
        row = users[sourced_id]
        assert (row["givenName"], row["familyName"], row["identifier"]) == (
            given,
            family,
            identifier,
        )
    assert {_rows(out, "roles")[f"role-{s}"]["role"] for s in kept} == {"student", "teacher"}
    assert "usr-222-1234561" not in users  # the parent is not a user of the platform
    orgs = _rows(out, "orgs")
    assert (orgs["org-sch-222-3456"]["type"], orgs["org-sch-222-456"]["name"]) == (
        "school",
        "History Department",
    )
    assert orgs["org-sch-222-456"]["parentSourcedId"] == "org-sch-222-3456"
    klass = _rows(out, "classes")["cls-222-123478"]
    assert (klass["title"], klass["classCode"], klass["schoolSourcedId"]) == (
        "History - 2",
        "2",
        "org-sch-222-3456",
    )
    enrollment = _rows(out, "enrollments")["enr-s-222-12345-985321"]
    assert (enrollment["classSourcedId"], enrollment["userSourcedId"]) == (
        "cls-222-123478",
        "usr-222-1234561232",
    )
    assert summary.counts["users.csv"] == {
        "imported": 5,
        "updated": 0,
        "unchanged": 0,
        "skipped": 1,
    }
    assert summary.counts["enrollments.csv"] == {
        "imported": 1,
        "updated": 0,
        "unchanged": 0,
        "skipped": 5,
    }
    reasons = {(s["file"], s["sourcedId"]): s["reason"] for s in summary.skipped}
    assert reasons[("users.csv", "usr-222-1234561")] == (
        "Only students and teachers are imported, not parents."
    )
    assert reasons[("enrollments.csv", "enr-t-222-12345-123232")] == (
        "Only students' enrollments in homeroom classes are kept."
    )
    assert reasons[("enrollments.csv", "enr-s-222-12345-987654")] == ("Its class was not imported.")


@needs_samples
@pytest.mark.parametrize("sample", ["1.1", "1.2"])
def test_importing_a_sample_again_changes_and_creates_nothing(
    people: Any, tmp_path: Path, sample: str
) -> None:
    directory = _repaired_v11(tmp_path) if sample == "1.1" else V12
    first = _import(people.campus.school, people.admin, directory)
    before = _state(people.campus.school)
    again = _import(people.campus.school, people.admin, directory)
    assert _state(people.campus.school) == before
    for file, counts in again.counts.items():
        assert (counts["imported"], counts["updated"]) == (0, 0), file
        kept = first.counts[file]["imported"] + first.counts[file]["unchanged"]
        assert counts["unchanged"] == kept, file
    assert again.skipped == first.skipped


@needs_samples
def test_a_known_sourced_id_updates_its_record(people: Any, tmp_path: Path) -> None:
    _import(people.campus.school, people.admin, V12)
    bruce = Student.objects.get(school=people.campus.school, student_number="bruce.wayne")
    changed = tmp_path / "v12"
    shutil.copytree(V12, changed)
    users = changed / "users.csv"
    users.write_text(
        users.read_text(encoding="utf-8").replace("Bruce,Wayne,,bruce.wayne", "Brian,Wayne,,bw"),
        encoding="utf-8",
    )
    summary = _import(people.campus.school, people.admin, changed)
    bruce.refresh_from_db()
    assert (bruce.name, bruce.student_number) == ("Brian Wayne", "bruce.wayne")
    assert Student.objects.filter(school=people.campus.school).count() == 2
    assert summary.counts["users.csv"] == {
        "imported": 0,
        "updated": 1,
        "unchanged": 0,
        "skipped": 0,
    }


@needs_samples
def test_a_second_school_importing_the_same_bundle_gets_its_own_records(
    people: Any, other_people: Any, tmp_path: Path
) -> None:
    school_a, school_b = people.campus.school, other_people.campus.school
    _import(school_a, people.admin, V12)
    before = _state(school_a)
    summary = _import(school_b, other_people.admin, V12)
    assert _state(school_a) == before
    assert summary.counts["users.csv"]["imported"] == 1
    bruce_a = Student.objects.get(school=school_a, student_number="bruce.wayne")
    bruce_b = Student.objects.get(school=school_b, student_number="bruce.wayne")
    assert bruce_a.pk != bruce_b.pk
    kept = SourcedId.objects.filter(sourced_id="USER_0").order_by("school_id")
    assert [(k.school_id, k.object_id) for k in kept] == [
        (school_a.pk, bruce_a.pk),
        (school_b.pk, bruce_b.pk),
    ]
    oneroster_export(actor=other_people.admin, school=school_b, directory=tmp_path)
    users = _rows(tmp_path, "users")
    assert users["USER_0"]["identifier"] == "bruce.wayne"
    assert _rows(tmp_path, "orgs")["ORG_1"]["name"] == school_b.name


@needs_samples
def test_the_report_gives_its_reasons_in_chinese(people: Any) -> None:
    with translation.override("zh-hans"):
        summary = oneroster_import(actor=people.admin, school=people.campus.school, directory=V12)
    reason = next(s["reason"] for s in summary.skipped if s["file"] == "classes.csv")
    assert reason == "排课教学班（scheduled）不导入为班级；只有行政班（homeroom）导入为班级。"


@needs_samples
def test_a_new_sourced_id_for_a_known_person_replaces_the_old_one(
    people: Any, tmp_path: Path
) -> None:
    _import(people.campus.school, people.admin, V12)
    renamed = tmp_path / "v12"
    shutil.copytree(V12, renamed)
    for path in renamed.glob("*.csv"):
        path.write_text(path.read_text(encoding="utf-8").replace("USER_0", "SIS-42"), "utf-8")
    summary = _import(people.campus.school, people.admin, renamed)
    bruce = Student.objects.get(school=people.campus.school, student_number="bruce.wayne")
    kept = SourcedId.objects.filter(
        school=people.campus.school, object_id=bruce.pk, kind__in=["student", "student_role"]
    )
    assert sorted(kept.values_list("kind", "sourced_id")) == [
        ("student", "SIS-42"),
        ("student_role", "ROLE_8"),
    ]
    assert summary.counts["users.csv"]["unchanged"] == 1
    users = _rows(_export(people, tmp_path / "out"), "users")
    assert "SIS-42" in users
    assert "USER_0" not in users


@needs_samples
def test_a_second_homeroom_enrollment_of_a_student_is_skipped(people: Any, tmp_path: Path) -> None:
    bundle = _repaired_v11(tmp_path)
    classes = bundle / "classes.csv"
    classes.write_text(classes.read_text("utf-8").replace(",Scheduled,", ",homeroom,"), "utf-8")
    summary = _import(people.campus.school, people.admin, bundle)
    reasons = {(s["file"], s["sourcedId"]): s["reason"] for s in summary.skipped}
    assert reasons[("enrollments.csv", "enr-s-222-12345-985321")] == (
        "The student is already enrolled in another homeroom class."
    )
    mmichel = Student.objects.get(school=people.campus.school, student_number="mmichel.jones")
    assert mmichel.class_unit is not None
    assert mmichel.class_unit.name == "Introduction to Physics"
