"""`openvet records import-oneroster / export-oneroster / import-xlsx`."""

import csv
import re
import zipfile
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from openvet.records.models import Student
from openvet.records.tests.bulk_helpers import student_row, workbook_bytes
from openvet.records.tests.test_oneroster_bundles import V11, V12, needs_samples

pytestmark = pytest.mark.django_db


def _call(*args: Any) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("records", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_export_then_import_print_counts_per_file(people: Any, tmp_path: Path) -> None:
    code = people.campus.school.code
    exported = _call("export-oneroster", str(tmp_path), "--school", code)
    assert "users.csv: 1 rows" in exported.splitlines()
    imported = _call("import-oneroster", str(tmp_path), "--school", code)
    # The school's own export names its records by their platform identifiers: a no-op.
    assert "users.csv: 0 imported, 0 updated, 1 unchanged, 0 skipped" in imported.splitlines()
    assert "classes.csv: 0 imported, 0 updated, 2 unchanged, 0 skipped" in imported.splitlines()


@needs_samples
@time_machine.travel(date(2029, 1, 1), tick=False)
def test_the_1_2_sample_through_the_commands_keeps_its_sourced_ids(
    people: Any, tmp_path: Path
) -> None:
    code = people.campus.school.code
    first = _call("import-oneroster", str(V12), "--school", code).splitlines()
    assert first[:3] == [
        "orgs.csv: 0 imported, 0 updated, 1 unchanged, 0 skipped",
        "classes.csv: 0 imported, 0 updated, 0 unchanged, 1 skipped",
        "enrollments.csv: 0 imported, 0 updated, 0 unchanged, 1 skipped",
    ]
    assert "users.csv: 1 imported, 0 updated, 0 unchanged, 0 skipped" in first
    assert "  enrollments.csv:2 ENROLLMENT_001 skipped: Its class was not imported." in first
    again = _call("import-oneroster", str(V12), "--school", code).splitlines()
    assert "users.csv: 0 imported, 0 updated, 1 unchanged, 0 skipped" in again
    _call("export-oneroster", str(tmp_path), "--school", code)
    with (tmp_path / "users.csv").open(encoding="utf-8", newline="") as handle:
        users = {row["sourcedId"]: row["identifier"] for row in csv.DictReader(handle)}
    assert users == {
        "USER_0": "bruce.wayne",
        f"student-{people.student.pk}": people.student.student_number,
    }


@needs_samples
def test_import_of_a_faulty_bundle_fails_with_the_problems(people: Any) -> None:
    with pytest.raises(CommandError, match="nothing was imported"):
        _call("import-oneroster", str(V11), "--school", people.campus.school.code)


def test_import_xlsx_prints_the_result(people: Any, tmp_path: Path) -> None:
    path = tmp_path / "students.xlsx"
    path.write_bytes(workbook_bytes("student", [student_row(people.campus, "2024001")]))
    out = _call("import-xlsx", str(path), "--school", people.campus.school.code)
    assert out.strip() == "done: 1 created, 0 updated, 0 unchanged, 0 skipped"
    assert Student.objects.filter(student_number="2024001").exists()


def test_unknown_school_is_an_error(people: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no school with code 0000000000"):
        _call("export-oneroster", str(tmp_path), "--school", "0000000000")


def test_a_zipped_bundle_is_unpacked_through_the_guard(people: Any, tmp_path: Path) -> None:
    code = people.campus.school.code
    folder = tmp_path / "export"
    _call("export-oneroster", str(folder), "--school", code)
    bundle = tmp_path / "bundle.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    imported = _call("import-oneroster", str(bundle), "--school", code)
    # The school's own export, zipped: every person is recognised by their sourcedId.
    assert "users.csv: 0 imported, 0 updated, 1 unchanged, 0 skipped" in imported.splitlines()


def test_a_zipped_bundle_escaping_its_folder_is_refused(people: Any, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("manifest.csv", "propertyName,value\n")
        archive.writestr("../../users.csv", "sourcedId\n")
    with pytest.raises(
        CommandError,
        match=re.escape("“../../users.csv” in the archive points outside it"),
    ):
        _call("import-oneroster", str(bundle), "--school", people.campus.school.code)
    assert not (tmp_path.parent / "users.csv").exists()
