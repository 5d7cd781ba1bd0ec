"""Measure the cost of a video heartbeat on the server (ADR 0702): one learner's row locked,
the segment judged against the server's clock, intervals merged, the row written.

Usage (from the repository root):
    .venv/bin/python bench/learning_heartbeats.py [--learners 50] [--beats 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<empty database> \
        .venv/bin/python bench/learning_heartbeats.py

Builds a school, a class of ``--learners`` students and a course with one 10-minute video in a
fresh database (a temporary SQLite file unless DATABASE_URL is set; it must be empty), then
every learner plays and sends ``--beats`` heartbeats of 10 s, the clock moved 10 s between
rounds. Prints figures only; it asserts nothing about time. The last line sums it up.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openvet.config.settings.test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

import time_machine  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from openvet.core.roles import Role  # noqa: E402
from openvet.identity.tests.factories import UserFactory, grant  # noqa: E402
from openvet.learning import services  # noqa: E402
from openvet.learning.tests.conftest import World  # noqa: E402
from openvet.records.tests.factories import student  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--beats", type=int, default=30)
    args = parser.parse_args(argv)
    call_command("migrate", verbosity=0)
    world = World("Bench school")
    learners = [world.student_user]
    for n in range(args.learners - 1):
        user = UserFactory(home_org=world.campus.klass, full_name=f"Learner {n}")
        grant(user, Role.STUDENT, world.campus.klass)
        student(world.campus, user=user, class_unit=world.campus.klass)
        learners.append(user)
    unit = world.video_unit(seconds=600)
    print(
        f"engine {django.db.connection.vendor}, {len(learners)} learners, {args.beats} beats each"
    )
    timings: list[float] = []
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for learner in learners:
            services.video_play(actor=learner, unit=unit, position=0)
        for beat in range(args.beats):
            clock.shift(timedelta(seconds=10))
            for learner in learners:
                started = time.perf_counter()
                services.video_heartbeat(
                    actor=learner, unit=unit, start=beat * 10, end=beat * 10 + 10
                )
                timings.append(time.perf_counter() - started)
        clock.shift(timedelta(seconds=10))
        end = args.beats * 10
        with CaptureQueriesContext(connection) as seen:
            services.video_heartbeat(actor=learners[0], unit=unit, start=end, end=end + 10)
        queries = len(seen)
    total = sum(timings)
    timings.sort()
    p50 = statistics.median(timings) * 1000
    p99 = timings[int(len(timings) * 0.99) - 1] * 1000
    rate = len(timings) / total
    print(f"heartbeats {len(timings)} in {total:.1f} s of server time, {queries} queries each")
    print(f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, {rate:.0f} heartbeats/s on one process")
    print(
        f"heartbeats={len(timings)} per_s={rate:.0f} p50_ms={p50:.1f} p99_ms={p99:.1f}"
        f" queries={queries}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
