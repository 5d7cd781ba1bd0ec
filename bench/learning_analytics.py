"""Measure the learning-analytics dashboards (ADR 0411): a school's page and a course's page
over a term of statements, their time and their number of queries.

Usage (from the repository root):
    .venv/bin/python bench/learning_analytics.py [--learners 1000] [--runs 5]
    .venv/bin/python bench/learning_analytics.py --quick
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<empty database> \
        .venv/bin/python bench/learning_analytics.py

Builds a school with two classes of ``--learners`` students in all, a teaching task of one
class, and 18 weeks of platform statements for every student (the demo's generator, about
55 a student), in a fresh database (a temporary SQLite file unless DATABASE_URL is set; it
must be empty). Then renders each dashboard's figures ``--runs`` times. Prints figures only;
it asserts nothing about time. The last line sums it up.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, cast

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
from django.utils import timezone  # noqa: E402

from openvet.core.roles import Role  # noqa: E402
from openvet.identity.models import RoleAssignment, User  # noqa: E402
from openvet.learning.analytics.course import course_dashboard  # noqa: E402
from openvet.learning.analytics.org import org_dashboard  # noqa: E402
from openvet.learning.tests.conftest import World  # noqa: E402
from openvet.lrs import demo  # noqa: E402
from openvet.lrs.models import Statement  # noqa: E402
from openvet.records.tests.factories import student  # noqa: E402


def _learners(world: World, count: int) -> list[int]:
    """Accounts and student records in bulk where the factories would take minutes."""
    classes = [world.campus.klass, world.campus.other_klass]
    users = User.objects.bulk_create(
        [
            User(username=f"bench{n}", full_name=f"Learner {n}", home_org=classes[n % 2])
            for n in range(count)
        ]
    )
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=u, role=Role.STUDENT, org=u.home_org) for u in users]
    )
    for user in users:
        student(world.campus, user=user, class_unit=user.home_org)
    return [u.pk for u in users]


def _timed(label: str, runs: int, call: object) -> tuple[float, int]:
    timings = []
    queries = 0
    for _n in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()  # type: ignore[operator]
            timings.append(time.perf_counter() - started)
        queries = len(captured)
    median = statistics.median(timings) * 1000
    print(f"{label}: median {median:.0f} ms, {queries} queries")
    return median, queries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="200 learners, 3 runs")
    args = parser.parse_args(argv)
    if args.quick:
        args.learners, args.runs = 200, 3
    call_command("migrate", verbosity=0)
    world = World("Bench school")
    ids = _learners(world, args.learners)
    demo.seed_term(school_id=world.campus.school.pk, user_ids=ids, today=timezone.now())
    statements = Statement.objects.count()
    print(f"engine {connection.vendor}, {len(ids)} learners, {statements} statements")
    school = world.campus.school
    task_id = cast(Any, world.task).pk
    school_ms, school_q = _timed(
        "school page",
        args.runs,
        lambda: org_dashboard(actor=world.admin, org_id=school.pk),
    )
    course_ms, course_q = _timed(
        "course page",
        args.runs,
        lambda: course_dashboard(actor=world.teacher, task_id=task_id),
    )
    print(
        f"engine={connection.vendor} learners={len(ids)} statements={statements}"
        f" school_ms={school_ms:.0f} school_queries={school_q}"
        f" course_ms={course_ms:.0f} course_queries={course_q}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
