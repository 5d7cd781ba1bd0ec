"""OneRoster academic sessions and courses through the records import and export."""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from openvet.records.oneroster.exporter import oneroster_export
from openvet.records.oneroster.importer import OneRosterRejected, oneroster_import
from openvet.teaching.models import Course, CourseType, Term
from openvet.teaching.oneroster import term_values
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db
STAMP = "2026-05-01T08:00:00.000Z"
SESSIONS = [
    ("S1", "Autumn 2026", "semester", "2026-09-07", "2027-01-15", "2027"),
    ("S2", "Spring 2027", "term", "2027-02-24", "2027-07-02", "2027"),
    ("Y", "2026-2027", "schoolYear", "2026-09-01", "2027-08-31", "2027"),
]
COURSES = [("CRS-1", "Networks", "JSJ101")]


def _bundle(
    directory: Path,
    sessions: list[tuple[str, ...]] = SESSIONS,
    courses: list[tuple[str, ...]] = COURSES,
) -> Path:
    files = {
        "orgs": (
            ["sourcedId", "status", "dateLastModified", "name", "type"],
            [
                ["SCH", "active", STAMP, "A school", "school"],
            ],
        ),
        "academicSessions": (
            [
                "sourcedId",
                "status",
                "dateLastModified",
                "title",
                "type",
                "startDate",
                "endDate",
                "parentSourcedId",
                "schoolYear",
            ],
            [[s[0], "active", STAMP, s[1], s[2], s[3], s[4], "", s[5]] for s in sessions],
        ),
        "courses": (
            ["sourcedId", "status", "dateLastModified", "title", "courseCode", "orgSourcedId"],
            [[c[0], "active", STAMP, c[1], c[2], "SCH"] for c in courses],
        ),
    }
    directory.mkdir(parents=True, exist_ok=True)
    for name, (header, rows) in files.items():
        with (directory / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([header, *rows])
    manifest = [
        ["propertyName", "value"],
        ["manifest.version", "1.0"],
        ["oneroster.version", "1.2"],
    ] + [[f"file.{n}", "bulk"] for n in files]
    with (directory / "manifest.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(manifest)
    return directory


def _import(campus: Campus, directory: Path) -> Any:
    with translation.override("en"):
        return oneroster_import(actor=campus.admin, school=campus.school, directory=directory)


def _exported(campus: Campus, directory: Path, name: str) -> dict[str, dict[str, str]]:
    oneroster_export(actor=campus.admin, school=campus.school, directory=directory)
    with (directory / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return {row["sourcedId"]: row for row in csv.DictReader(handle)}


def test_autumn_starts_term_1_and_spring_term_2_of_the_year_before() -> None:
    autumn = {"startDate": "2026-09-09", "endDate": "2027-01-15"}  # a Wednesday
    spring = {"startDate": "2027-02-22", "endDate": "2027-07-02"}
    assert term_values(autumn) == {
        "academic_year": 2026,
        "number": 1,
        "start_date": date(2026, 9, 7),
        "weeks": 19,
    }
    assert term_values(spring) == {
        "academic_year": 2026,
        "number": 2,
        "start_date": date(2027, 2, 22),
        "weeks": 19,
    }


def test_sessions_become_terms_and_come_back_with_their_sourced_ids(
    campus: Campus, tmp_path: Path
) -> None:
    summary = _import(campus, _bundle(tmp_path / "in"))
    terms = Term.objects.filter(org=campus.school).order_by("academic_year", "number")
    assert [(t.academic_year, t.number, t.start_date, t.weeks) for t in terms] == [
        (2025, 1, date(2025, 9, 1), 18),
        (2026, 1, date(2026, 9, 7), 19),
        (2026, 2, date(2027, 2, 22), 19),
    ]
    assert summary.counts["academicSessions.csv"] == {
        "imported": 2,
        "updated": 0,
        "unchanged": 0,
        "skipped": 1,
    }
    assert summary.skipped[0]["reason"] == "Only terms and semesters become teaching terms."
    sessions = _exported(campus, tmp_path / "out", "academicSessions")
    assert (sessions["S1"]["startDate"], sessions["S1"]["endDate"]) == ("2026-09-07", "2027-01-17")
    assert sessions["S2"]["startDate"] == "2027-02-22"
    assert sessions[f"term-{campus.term.pk}"]["title"] == "2025-2026-1"


def test_a_session_of_an_existing_term_updates_it_once(campus: Campus, tmp_path: Path) -> None:
    bundle = _bundle(
        tmp_path, [("T", "Autumn", "semester", "2025-09-01", "2026-01-16", "2026")], []
    )
    first = _import(campus, bundle)
    campus.term.refresh_from_db()
    assert campus.term.weeks == 20
    again = _import(campus, bundle)
    assert first.counts["academicSessions.csv"]["updated"] == 1
    assert again.counts["academicSessions.csv"] == {
        "imported": 0,
        "updated": 0,
        "unchanged": 1,
        "skipped": 0,
    }
    assert Term.objects.filter(org=campus.school).count() == 1


def test_two_sessions_of_one_term_keep_the_first(campus: Campus, tmp_path: Path) -> None:
    sessions = [
        ("A", "Term", "term", "2026-09-07", "2027-01-15", "2027"),
        ("B", "Semester", "semester", "2026-10-05", "2027-01-15", "2027"),
    ]
    summary = _import(campus, _bundle(tmp_path, sessions, []))
    assert [(s["sourcedId"], s["reason"]) for s in summary.skipped] == [
        ("B", "Another session of the bundle already is this term of this academic year.")
    ]
    term = Term.objects.get(org=campus.school, academic_year=2026, number=1)
    assert term.start_date == date(2026, 9, 7)


def test_courses_travel_to_another_school_with_their_catalogue_fields(
    campus: Campus, other: Campus, tmp_path: Path
) -> None:
    _import(campus, _bundle(tmp_path / "in"))
    networks = Course.objects.get(org=campus.school, code="JSJ101")
    assert (networks.name, networks.course_type) == ("Networks", CourseType.MAJOR_CORE)
    CourseFactory(org=campus.school, code="SX01", name="Maths", credits=Decimal("2.5"))
    courses = _exported(campus, tmp_path / "out", "courses")
    assert courses["CRS-1"]["courseCode"] == "JSJ101"
    _import(other, tmp_path / "out")
    copied = Course.objects.get(org=other.school, code="SX01")
    assert (copied.name, copied.credits, copied.theory_hours, copied.practice_hours) == (
        "Maths",
        Decimal("2.5"),
        32,
        16,
    )
    assert not Course.objects.filter(org=other.school, code="510201").exists()  # a major
    again = _import(campus, tmp_path / "in")
    assert again.counts["courses.csv"]["unchanged"] == 1


def test_a_course_the_catalogue_refuses_rejects_the_whole_bundle(
    campus: Campus, tmp_path: Path
) -> None:
    bundle = _bundle(tmp_path, SESSIONS, [("OK", "Fine", "F1"), ("BAD", "", "B1")])
    terms_before = Term.objects.filter(org=campus.school).count()
    with pytest.raises(OneRosterRejected) as caught:
        _import(campus, bundle)
    assert caught.value.details == [
        {
            "file": "courses.csv",
            "line": 3,
            "column": "title",
            "message": "Give the course name.",
        }
    ]
    assert not Course.objects.filter(org=campus.school).exists()
    assert Term.objects.filter(org=campus.school).count() == terms_before
