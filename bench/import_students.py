"""Benchmark the Excel import of students through the real pipeline.

Usage (from the repository root):
    .venv/bin/python bench/import_students.py            # 20,000 students
    .venv/bin/python bench/import_students.py --quick    # 2,000 students, well under a minute
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/openvet_bench \\
        .venv/bin/python bench/import_students.py         # on PostgreSQL (database must exist)

Without DATABASE_URL it uses a scratch SQLite database in a temporary OPENVET_VAR_DIR, never
the developer's var/. It builds a demo-like school (4 majors, 40 classes), writes one .xlsx
of valid students, imports it as a school administrator (the background-job path: Celery
runs eagerly in the embedded default), then imports it again (every row unchanged), and
prints rows per second and peak memory. It asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

if not os.environ.get("DATABASE_URL"):
    os.environ["OPENVET_VAR_DIR"] = tempfile.mkdtemp(prefix="openvet-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openvet.config.settings.base")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from openvet.core import codes  # noqa: E402
from openvet.core.models import OrgKind, OrgUnit  # noqa: E402
from openvet.core.roles import Role  # noqa: E402
from openvet.core.tests.factories import OrgUnitFactory, department  # noqa: E402
from openvet.identity.tests.factories import user_with_role  # noqa: E402
from openvet.records.bulk.columns import columns_of  # noqa: E402
from openvet.records.bulk.services import import_job_create  # noqa: E402

MAJORS = 4
CLASSES_PER_MAJOR = 10


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def build_school(tag: str) -> tuple[OrgUnit, list[tuple[str, list[str]]]]:
    region = OrgUnit.objects.filter(kind=OrgKind.PROVINCE).first() or OrgUnitFactory(
        kind=OrgKind.PROVINCE,
        name="Bench province",
        code="330000",
        parent=OrgUnit.objects.filter(kind=OrgKind.NATION).first(),
    )
    school = OrgUnitFactory(
        kind=OrgKind.SCHOOL,
        name=f"Bench school {tag}",
        code=tag,
        school_type="higher_vocational",
        parent=region,
    )
    dept = department(school, name="Information")
    placement = []
    for m in range(MAJORS):
        major = OrgUnitFactory(
            kind=OrgKind.MAJOR, name=f"Major {m}", code=f"51020{m + 1}", parent=dept
        )
        classes = []
        for c in range(CLASSES_PER_MAJOR):
            code = f"M{m}C{c:02d}"
            OrgUnitFactory(kind=OrgKind.CLASS, name=code, code=code, parent=major, grade_year=2024)
            classes.append(code)
        placement.append((major.code, classes))
    return school, placement


def workbook(rows: int, placement: list[tuple[str, list[str]]]) -> bytes:
    keys = [column.key for column in columns_of("student")]
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([column.header("zh-hans") for column in columns_of("student")])
    for i in range(rows):
        birth = date(2004, 1, 1) + timedelta(days=i % 1200)
        sequence = i // 1200
        first17 = f"330106{birth:%Y%m%d}{sequence:03d}"
        major_code, classes = placement[i % len(placement)]
        row = {
            "student_number": f"2024{i:06d}",
            "name": f"Student {i}",
            "gender": "1 " if sequence % 2 else "2",
            "id_number": first17 + codes.id_number_check_char(first17),
            "birth_date": birth.isoformat(),
            "ethnicity": "01",
            "political_status": "13",
            "enrolment_source": "national_exam",
            "major_code": major_code,
            "class_code": classes[(i // len(placement)) % len(classes)],
            "grade_year": 2024,
            "schooling_years": 3,
            "study_form": "full_time",
        }
        sheet.append([str(row[k]).strip() if k in row else None for k in keys])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def server_pid() -> int | None:
    """The PostgreSQL backend serving this connection, when it runs on this machine."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = int(cursor.fetchone()[0])
    return pid if Path(f"/proc/{pid}/stat").exists() else None


def server_cpu_seconds(pid: int | None) -> float:
    """CPU time of the database backend (SQLite runs inside this process: counted above)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_import(
    admin: Any, school: OrgUnit, content: bytes, pid: int | None
) -> tuple[float, float, float, Any]:
    """Wall seconds, CPU seconds of this process and of the database server, the job.

    CPU seconds do not depend on what else the machine runs; wall seconds do."""
    upload = SimpleUploadedFile("students.xlsx", content)
    start, cpu, server = time.perf_counter(), cpu_seconds(), server_cpu_seconds(pid)
    job = import_job_create(
        actor=admin, school=school, kind="student", mode="all-or-nothing", upload=upload
    )
    job.refresh_from_db()
    return (
        time.perf_counter() - start,
        cpu_seconds() - cpu,
        server_cpu_seconds(pid) - server,
        job,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 rows instead of 20,000")
    parser.add_argument("--rows", type=int, default=0)
    args = parser.parse_args()
    rows = args.rows or (2_000 if args.quick else 20_000)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0)
    tag = f"{int(time.time()) % 10**10:010d}"
    school, placement = build_school(tag)
    admin = user_with_role(Role.SCHOOL_ADMIN, school, username=f"bench-{tag}")
    start = time.perf_counter()
    content = workbook(rows, placement)
    print(
        f"workbook: {rows} rows, {len(content) / 1e6:.1f} MB, "
        f"built in {time.perf_counter() - start:.1f} s"
    )
    pid = server_pid()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for label in ("first import (create)", "second import (unchanged)"):
        seconds, cpu, server, job = timed_import(admin, school, content, pid)
        server_note = f" + {server:.1f} s database server CPU" if pid else ""
        print(
            f"{label}: {job.status}, {job.created_count} created, {job.updated_count} "
            f"updated, {job.unchanged_count} unchanged, {len(job.errors)} errors; "
            f"{seconds:.1f} s wall ({rows / seconds:,.0f} rows/s), {cpu:.1f} s CPU"
            f"{server_note} ({rows / max(cpu + server, 0.001):,.0f} rows/CPU-s), "
            f"peak RSS {peak_mb():.0f} MB"
        )
        if job.errors:
            print("  first problems:", job.errors[:3])


if __name__ == "__main__":
    main()
