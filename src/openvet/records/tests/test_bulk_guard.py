"""Workbooks built to exhaust the server are refused by the upload guard with bounded memory,
and an import job that fails for any reason ends "failed" with its reason."""

import re
import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from openvet.core.uploads import MB, UploadRefused
from openvet.identity.tests.support import sign_in
from openvet.records.bulk import people as bulk_people
from openvet.records.bulk.models import ImportJob, ImportKind, ImportMode, ImportStatus
from openvet.records.bulk.reader import SHEET_LIMITS, WORKBOOK_LIMITS
from openvet.records.bulk.services import import_job_create
from openvet.records.bulk.tasks import run_import
from openvet.records.bulk.xlsx import iter_rows
from openvet.records.models import Student
from openvet.records.tests.bulk_helpers import student_row, upload, workbook_bytes

SHEET = "xl/worksheets/sheet1.xml"
EN: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}
BOMB_MESSAGE = "“xl/worksheets/sheet1.xml” in the archive unpacks to more than 150 MB."
HUGE_COLUMN_MESSAGE = (
    "The sheet has a cell in row 2, column 321272406, beyond the 256 columns a sheet may use. "
    "Delete the columns right of your data and upload again."
)


def zip_bomb_workbook() -> bytes:
    """A real workbook (about 1 MB) whose sheet inflates to 1 GiB of blank rows."""
    base = workbook_bytes("student", [])

    def write(xml: bytes, member: Any) -> None:
        head, tail = xml.split(b"</sheetData>")
        member.write(head)
        chunk = b" " * MB
        for _ in range(1024):
            member.write(chunk)
        member.write(b"</sheetData>" + tail)

    out = BytesIO()
    with zipfile.ZipFile(BytesIO(base)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename == SHEET:
                member_info = zipfile.ZipInfo(SHEET)
                member_info.compress_type = zipfile.ZIP_DEFLATED
                with target.open(member_info, "w", force_zip64=True) as member:
                    write(source.read(SHEET), member)
            else:
                target.writestr(info, source.read(info.filename), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def huge_column_workbook(people: Any, *, declare: bool = False) -> bytes:
    """A few kilobytes: one student row, then a cell at column ZZZZZZ (321,272,406) in row 2.
    The old reader grew the row's list to that column and died with MemoryError."""
    base = workbook_bytes("student", [student_row(people.campus, "2024001")])
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(base)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == SHEET:
                data = data.replace(b"</row>", b'<c r="ZZZZZZ2" t="n"><v>1</v></c></row>', 2)
                data = data.replace(b'<c r="ZZZZZZ2" t="n"><v>1</v></c></row>', b"</row>", 1)
                ref = b"A1:ZZZZZZ2" if declare else b"A1"
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="' + ref + b'"', data)
            target.writestr(info, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zip_bomb_workbook()


def _create(people: Any, content: bytes) -> ImportJob:
    with translation.override("en"):
        return import_job_create(
            actor=people.admin,
            school=people.campus.school,
            kind=ImportKind.STUDENT,
            mode=ImportMode.ALL_OR_NOTHING,
            upload=upload(content),
        )


def test_the_bomb_is_small_and_inflates_to_a_gibibyte(bomb: bytes) -> None:
    with zipfile.ZipFile(BytesIO(bomb)) as archive:
        assert archive.getinfo(SHEET).file_size > 1024 * MB
    assert len(bomb) < 2 * MB


@pytest.mark.django_db
def test_a_zip_bomb_is_refused_before_a_job_is_stored(people: Any, bomb: bytes) -> None:
    with pytest.raises(UploadRefused) as refused:
        _create(people, bomb)
    assert refused.value.details == {"file": BOMB_MESSAGE}
    assert ImportJob.objects.count() == 0


@pytest.mark.django_db
def test_the_api_answers_422_to_a_zip_bomb(people: Any, bomb: bytes) -> None:
    response = sign_in(Client(), people.admin).post(
        "/api/v1/records/imports",
        {"school_id": people.campus.school.pk, "kind": "student", "file": upload(bomb)},
        **EN,
    )
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["details"]) == ("upload_refused", {"file": BOMB_MESSAGE})
    assert ImportJob.objects.count() == 0


@pytest.mark.django_db
def test_the_upload_page_shows_the_refusal_as_a_form_error(people: Any, bomb: bytes) -> None:
    response = sign_in(Client(), people.admin).post(
        reverse("records-bulk:import"),
        {
            "school": people.campus.school.pk,
            "kind": "student",
            "mode": "all-or-nothing",
            "file": upload(bomb),
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "压缩包中的“xl/worksheets/sheet1.xml”解压后超过 150 MB。" in page
    assert ImportJob.objects.count() == 0


@pytest.mark.django_db
def test_a_declared_huge_extent_is_refused_up_front(people: Any) -> None:
    with pytest.raises(UploadRefused) as refused:
        _create(people, huge_column_workbook(people, declare=True))
    assert refused.value.details == {
        "file": "The sheet uses 321272406 columns; at most 256 are allowed."
    }


@pytest.mark.django_db
def test_an_undeclared_huge_column_is_refused_before_a_job_is_stored(people: Any) -> None:
    content = huge_column_workbook(people)
    assert len(content) < 8 * 1024
    with pytest.raises(UploadRefused) as refused:
        _create(people, content)
    assert refused.value.details == {"file": HUGE_COLUMN_MESSAGE}
    assert ImportJob.objects.count() == 0
    assert Student.objects.filter(student_number="2024001").count() == 0


@pytest.mark.django_db
def test_the_streaming_reader_refuses_the_cell_as_it_opens(people: Any) -> None:
    """The second line of defence, for a reference the byte scan cannot see."""
    rows = iter_rows(
        BytesIO(huge_column_workbook(people)), limits=WORKBOOK_LIMITS, sheet_limits=SHEET_LIMITS
    )
    with translation.override("en"):
        assert next(rows)[0] == 1
        with pytest.raises(UploadRefused) as refused:
            next(rows)
    assert str(refused.value.message) == HUGE_COLUMN_MESSAGE


PEAK_SCRIPT = """
import os, resource, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "openvet.config.settings.test"
import django
django.setup()
from django.utils import translation
from openvet.records.bulk.reader import WorkbookError, read_sheet
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with open(sys.argv[1], "rb") as handle, translation.override("en"):
    try:
        read_sheet(handle, "student")
        outcome = "read"
    except WorkbookError as exc:
        outcome = exc.problems[0]["message"]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print((peak - base) * 1024)
print(outcome)
"""


def _peak_above_baseline(path: Path) -> tuple[int, str]:
    """Reads the workbook in a fresh interpreter; its peak memory above the baseline."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", PEAK_SCRIPT, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    growth, outcome = result.stdout.strip().splitlines()[-2:]
    return int(growth), outcome


def test_reading_a_zip_bomb_stays_within_100_mb(tmp_path: Path, bomb: bytes) -> None:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb)
    growth, outcome = _peak_above_baseline(path)
    assert outcome == BOMB_MESSAGE
    assert growth < 100 * MB


@pytest.mark.django_db
def test_reading_a_huge_column_sheet_stays_within_100_mb(tmp_path: Path, people: Any) -> None:
    path = tmp_path / "huge-column.xlsx"
    path.write_bytes(huge_column_workbook(people))
    growth, outcome = _peak_above_baseline(path)
    assert outcome == HUGE_COLUMN_MESSAGE
    assert growth < 100 * MB


def _explode(error: BaseException) -> Any:
    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise error

    return run


@pytest.mark.django_db
def test_a_job_that_runs_out_of_memory_ends_failed_with_its_reason(
    people: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk_people.StudentImporter, "run", _explode(MemoryError()))
    job = _create(people, workbook_bytes("student", [student_row(people.campus, "2024001")]))
    assert (job.status, job.errors) == (
        ImportStatus.FAILED,
        [
            {
                "row": None,
                "column": "",
                "message": (
                    "The file needs more memory than the server allows; nothing was imported. "
                    "Split it into smaller files and upload them one by one."
                ),
            }
        ],
    )
    assert job.finished_at is not None
    assert Student.objects.filter(student_number="2024001").count() == 0


@pytest.mark.django_db
def test_a_job_hit_by_an_unexpected_error_ends_failed_not_running(
    people: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk_people.StudentImporter, "run", _explode(KeyError("boom")))
    job = _create(people, workbook_bytes("student", [student_row(people.campus, "2024001")]))
    assert job.status == ImportStatus.FAILED
    assert job.errors == [
        {
            "row": None,
            "column": "",
            "message": (
                "The import stopped because of an unexpected error on the server; nothing was "
                f"imported. Tell your administrator the job number {job.pk}."
            ),
        }
    ]


@pytest.mark.django_db
def test_the_background_task_also_ends_a_failing_job(
    people: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = _create(people, workbook_bytes("student", [student_row(people.campus, "2024001")]))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.PENDING)
    monkeypatch.setattr(bulk_people.StudentImporter, "run", _explode(RuntimeError("x")))
    assert run_import(job.pk) == ImportStatus.FAILED
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
