"""Measure what SCORM costs the server (ADR 0704, 0706): importing a package (guard, manifest,
unpacking to the storage) and a SCO's commits (values checked, the attempt locked, outcome
judged, statements recorded).

Usage (from the repository root):
    .venv/bin/python bench/learning_scorm.py [--learners 30] [--commits 20] [--files 300]
    .venv/bin/python bench/learning_scorm.py --quick
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<empty database> \
        .venv/bin/python bench/learning_scorm.py

Builds a school, a class of ``--learners`` students and a course in a fresh database (a
temporary SQLite file unless DATABASE_URL is set; it must be empty), imports a generated
SCORM 1.2 package of ``--files`` pages, then every learner launches the SCO and commits
``--commits`` times (location, suspend data, status; the last one finishes). Prints figures
only; it asserts nothing about time. The last line sums it up.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openvet.config.settings.test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from openvet.core.roles import Role  # noqa: E402
from openvet.identity.tests.factories import UserFactory, grant  # noqa: E402
from openvet.learning import package_services  # noqa: E402
from openvet.learning.tests.conftest import World  # noqa: E402
from openvet.learning.tests.packages import MANIFEST_12, add_package, upload, zip_of  # noqa: E402
from openvet.records.tests.factories import student  # noqa: E402


def _package(files: int) -> bytes:
    members: dict[str, bytes | str] = {"imsmanifest.xml": MANIFEST_12.format(href="index.html")}
    members["index.html"] = "<html><body>start</body></html>"
    for n in range(files):
        members[f"pages/{n:04d}.html"] = f"<html><body><p>page {n}</p>{'x' * 2000}</body></html>"
    return zip_of(members)


def _commit(learner: object, attempt: object, n: int, last: bool) -> None:
    values = {"cmi.core.lesson_location": str(n), "cmi.suspend_data": "s" * 500}
    values["cmi.core.lesson_status"] = "completed" if last else "incomplete"
    if last:
        values.update({"cmi.core.session_time": "0000:05:00", "cmi.core.exit": ""})
    package_services.sco_commit(actor=learner, attempt=attempt, values=values, finished=last)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--commits", type=int, default=20)
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--quick", action="store_true", help="10 learners, 5 commits, 100 files")
    args = parser.parse_args(argv)
    if args.quick:
        args.learners, args.commits, args.files = 10, 5, 100
    call_command("migrate", verbosity=0)
    world = World("Bench school")
    learners = [world.student_user]
    for n in range(args.learners - 1):
        user = UserFactory(home_org=world.campus.klass, full_name=f"Learner {n}")
        grant(user, Role.STUDENT, world.campus.klass)
        student(world.campus, user=user, class_unit=world.campus.klass)
        learners.append(user)
    data = _package(args.files)
    started = time.perf_counter()
    unit = add_package(world, upload(data))
    import_s = time.perf_counter() - started
    print(f"engine {connection.vendor}: package of {args.files + 2} files, {len(data)} bytes")
    print(f"import {import_s * 1000:.0f} ms")
    item = unit.package.items.get(is_sco=True)
    timings: list[float] = []
    for learner in learners:
        attempt = package_services.sco_launch(actor=learner, item=item)
        for n in range(args.commits):
            began = time.perf_counter()
            _commit(learner, attempt, n, n == args.commits - 1)
            timings.append(time.perf_counter() - began)
    extra = UserFactory(home_org=world.campus.klass, full_name="Counted")
    grant(extra, Role.STUDENT, world.campus.klass)
    student(world.campus, user=extra, class_unit=world.campus.klass)
    attempt = package_services.sco_launch(actor=extra, item=item)
    with CaptureQueriesContext(connection) as seen:
        _commit(extra, attempt, 0, False)
    total = sum(timings)
    timings.sort()
    p50 = statistics.median(timings) * 1000
    p99 = timings[max(0, int(len(timings) * 0.99) - 1)] * 1000
    rate = len(timings) / total
    print(f"commits {len(timings)} in {total:.1f} s, {len(seen)} queries each (not finishing)")
    print(f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, {rate:.0f} commits/s on one process")
    print(
        f"import_ms={import_s * 1000:.0f} commits={len(timings)} per_s={rate:.0f}"
        f" p50_ms={p50:.1f} p99_ms={p99:.1f} queries={len(seen)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
