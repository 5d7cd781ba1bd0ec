"""Benchmark course selection under a burst, against the ASGI server on PostgreSQL.

Usage (from the repository root; PostgreSQL at 127.0.0.1:5432, user postgres, trust auth):
    .venv/bin/python bench/course_selection.py            # 3,000 students x 3 tries, 40 sections
    .venv/bin/python bench/course_selection.py --quick    # 1,000 students, well under a minute
    .venv/bin/python bench/course_selection.py --workers 3 --concurrency 128

Steps: (re)create the scratch database ``openvet_bench_selection`` with psql and migrate it;
seed one school with students (accounts, records, API tokens in bulk) and 40 elective sections
of tight capacity in an open first-come round; start uvicorn (openvet.config.asgi) on a free
loopback port; fire every selection at once from this process (bounded concurrency, keep-alive
connections, httptools' parser); then check the database: no section over capacity, the seat
counters equal the rows, every 200 answer has its row. Also prints the CPU time per request of
the server, PostgreSQL and the load process, which does not depend on what else the machine
runs. The last line is ``selections_per_s=N p99_ms=N oversold=N lost=N``. Prints figures;
asserts nothing about time.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv" / "bin"
DB_NAME = "openvet_bench_selection"
PG = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-v", "ON_ERROR_STOP=1"]


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 students (under a minute)")
    parser.add_argument("--students", type=int, default=None)
    parser.add_argument("--tries", type=int, default=3)
    parser.add_argument("--sections", type=int, default=40)
    parser.add_argument("--capacity", type=int, default=None, help="seats per section")
    parser.add_argument(
        "--workers",
        type=int,
        default=3,
        help="uvicorn worker processes (one more than the cores: each waits on the database)",
    )
    parser.add_argument("--concurrency", type=int, default=64, help="requests in flight")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--limit-seconds", type=int, default=None, help="pgbench run (default 5, quick 3)"
    )
    parser.add_argument("--limit-clients", type=int, default=16, help="pgbench clients")
    parser.add_argument("--reuse-db", action="store_true", help="skip drop/create/migrate")
    args = parser.parse_args()
    args.students = args.students or (1000 if args.quick else 3000)
    args.limit_seconds = args.limit_seconds or (3 if args.quick else 5)
    # Tight: seats for about a quarter of the tries, so most sections fill up mid-burst.
    args.capacity = args.capacity or max(1, args.students * args.tries // (4 * args.sections))
    return args


def env_for_django(database: str = DB_NAME, *, server: bool = False) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    env["DJANGO_SETTINGS_MODULE"] = "openvet.config.settings.base"
    env.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 40)
    env["DATABASE_CONN_MAX_AGE"] = "0"
    env["OPENVET_LOG_LEVEL"] = "ERROR"
    if server:  # base settings plus a connection pool: see course_selection_settings.py
        env["DJANGO_SETTINGS_MODULE"] = "course_selection_settings"
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "bench"), env.get("PYTHONPATH", "")])
    return env


def _psql(sql: str) -> str:
    done = subprocess.run(
        [*PG, "-d", "postgres", "-Atc", sql], check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def _template_name(database: str = DB_NAME) -> str:
    """A migrated template per set of migrations, so later runs clone it in a second."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "src" / "openvet").glob("*/migrations/*.py")):
        digest.update(f"{path.relative_to(ROOT)}:{path.stat().st_size}".encode())
    return f"{database}_tpl_{digest.hexdigest()[:10]}"


def prepare_database(reuse: bool, database: str = DB_NAME) -> float:
    """``database`` afresh, cloned from its migrated template (made on the first run)."""
    started = time.perf_counter()
    if reuse:
        return 0.0
    template = _template_name(database)
    if not _psql(f"SELECT 1 FROM pg_database WHERE datname = '{template}'"):  # noqa: S608
        _psql(f"CREATE DATABASE {template}")
        subprocess.run(
            [str(VENV / "openvet"), "migrate", "--verbosity", "0"],
            check=True,
            env=env_for_django(template),
            cwd=ROOT,
        )
    _psql(f"DROP DATABASE IF EXISTS {database}")
    _psql(f"CREATE DATABASE {database} TEMPLATE {template}")
    return time.perf_counter() - started


def setup_django() -> None:
    os.environ.update(env_for_django())
    sys.path.insert(0, str(ROOT / "src"))
    import logging

    import django

    django.setup()
    logging.getLogger("httpx").setLevel(logging.WARNING)


def seed(args: argparse.Namespace) -> tuple[list[str], list[int]]:
    """Bulk-create the school, sections and students; returns (tokens, offering ids)."""
    from django.db import transaction
    from django.utils import timezone

    from openvet.core.models import OrgKind, OrgUnit
    from openvet.identity.models import ApiToken, RoleAssignment, User
    from openvet.records.models import Student
    from openvet.teaching.models import (
        BellPeriod,
        Course,
        TeachingTask,
        Term,
        TimetableEntry,
    )
    from openvet.teaching.selection.models import Offering, RoundKind, SelectionRound

    def node(kind: str, name: str, parent: OrgUnit | None, **extra: Any) -> OrgUnit:
        unit = OrgUnit.objects.create(kind=kind, name=name, parent=parent, **extra)
        unit.path = f"{parent.path if parent else '/'}{unit.pk:08d}/"
        unit.depth = parent.depth + 1 if parent else 0
        unit.save(update_fields=["path", "depth"])
        return unit

    with transaction.atomic():
        stamp = secrets.token_hex(3)
        region = node(OrgKind.PROVINCE, f"Bench province {stamp}", None, code="330000")
        school = node(OrgKind.SCHOOL, f"Bench college {stamp}", region, code="4133099999")
        dept = node(OrgKind.DEPARTMENT, "Information", school)
        major = node(OrgKind.MAJOR, "Software", dept, code="510201")
        klass = node(OrgKind.CLASS, "Software 2025-1", major, grade_year=2025)
        for n in range(1, 9):
            start = clock(8 + n, 0)
            BellPeriod.objects.create(
                org=school, number=n, starts_at=start, ends_at=clock(8 + n, 45)
            )
        term = Term.objects.create(
            org=school, academic_year=2025, number=2, start_date=date(2026, 3, 2), weeks=18
        )
        now = timezone.now()
        SelectionRound.objects.create(
            term=term,
            org=school,
            name="Bench first-come",
            kind=RoundKind.FIRST_COME,
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(hours=3),
            max_choices=3,
        )
        offering_ids = []
        for n in range(args.sections):
            course = Course.objects.create(
                org=school,
                code=f"EL{stamp}{n:02d}",
                name=f"Elective {n:02d}",
                credits=2,
                course_type="major_extension",
            )
            task = TeachingTask.objects.create(
                term=term, org=school, course=course, weekly_hours=2, week_end=18
            )
            # Five evenings x two slots: sections sharing a slot clash with each other.
            TimetableEntry.objects.create(
                term=term,
                task=task,
                weekday=1 + n % 5,
                period_start=1 + 2 * (n // 5 % 4),
                length=2,
                week_start=1,
                week_end=18,
            )
            offering = Offering.objects.create(
                term=term, task=task, org=school, school=school, capacity=args.capacity
            )
            offering_ids.append(offering.pk)
        users = User.objects.bulk_create(
            User(
                username=f"bench{stamp}{i:05d}",
                full_name=f"Student {i}",
                home_org=klass,
                must_change_password=False,
                password="!",  # noqa: S106 - unusable, tokens only
            )  # unusable: tokens only
            for i in range(args.students)
        )
        RoleAssignment.objects.bulk_create(
            RoleAssignment(user=u, role="student", org=klass) for u in users
        )
        Student.objects.bulk_create(
            Student(
                school=school,
                department=dept,
                major=major,
                class_unit=klass,
                org=klass,
                student_number=f"B{stamp}{i:05d}",
                name=f"Student {i}",
                gender="1",
                grade_year=2025,
                user=u,
            )
            for i, u in enumerate(users)
        )
        tokens = ["ovt_" + secrets.token_urlsafe(32) for _ in users]
        ApiToken.objects.bulk_create(
            ApiToken(
                user=u,
                name="bench",
                prefix=t[:12],
                digest=hashlib.sha256(t.encode()).hexdigest(),
                scopes=["read", "write"],
                last_used_at=now,
            )
            for u, t in zip(users, tokens, strict=True)
        )
    return tokens, offering_ids


def _cpu_seconds(pids: set[int]) -> float:
    """User plus system CPU time of processes (Linux /proc), in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / ticks


def _processes() -> list[tuple[int, int, str]]:
    """(pid, parent pid, command name) of every process this user may read."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                head, tail = (entry / "stat").read_text().rsplit(")", 1)
            except OSError:
                continue
            found.append((int(entry.name), int(tail.split()[1]), head.split("(", 1)[1]))
    return found


def bench_backends() -> set[int]:
    """Process ids of the PostgreSQL backends connected to the bench's database: other
    databases on the same server (other test runs) are not this bench's cost."""
    found = _psql(f"SELECT pid FROM pg_stat_activity WHERE datname = '{DB_NAME}'")  # noqa: S608
    return {int(pid) for pid in found.split()}


def cpu_snapshot(server_pid: int, backends: set[int]) -> dict[str, float]:
    """CPU seconds used so far by the server (with its workers), the bench database's
    PostgreSQL backends and this process."""
    server = {server_pid} | {pid for pid, parent, _name in _processes() if parent == server_pid}
    return {
        "server": _cpu_seconds(server),
        "postgres": _cpu_seconds(backends),
        "load": time.process_time(),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(workers: int, database: str = DB_NAME) -> tuple[subprocess.Popen[bytes], str]:
    """uvicorn on a free loopback port serving ``database``; returns the process and its URL."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(VENV / "uvicorn"),
            "openvet.config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
            "--timeout-keep-alive",
            "60",
            "--log-level",
            "warning",
        ],
        env=env_for_django(database, server=True),
        cwd=ROOT,
    )
    return server, f"http://127.0.0.1:{port}"


async def wait_ready(base: str, token: str) -> None:
    import httpx

    async with httpx.AsyncClient(timeout=5) as client:
        for _ in range(600):
            try:
                answer = await client.get(
                    f"{base}/api/v1/teaching/selections",
                    headers={"Authorization": f"Bearer {token}"},
                )
                if answer.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("the server did not start")


class _Connection(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection of the load generator, one request at a time.

    httpx costs several milliseconds of CPU per request, more than the server's lean path, so
    the burst sends plain request bytes and parses answers with httptools (the C parser
    uvicorn uses): the load process then stays a small share of the 2 cores.
    """

    def __init__(self) -> None:
        import httptools

        self.parser = httptools.HttpResponseParser(self)
        self.transport: asyncio.Transport | None = None
        self.waiter: asyncio.Future[tuple[int, bytes]] | None = None
        self.body = bytearray()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.parser.feed_data(data)

    def on_body(self, body: bytes) -> None:
        self.body += body

    def on_message_complete(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result((self.parser.get_status_code(), bytes(self.body)))

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("connection closed"))

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        assert self.transport is not None  # noqa: S101 - opened by the caller
        self.body = bytearray()
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(raw)
        return await self.waiter


async def _connect(host: str, port: int) -> _Connection:
    _transport, connection = await asyncio.get_running_loop().create_connection(
        _Connection, host, port
    )
    return connection


async def burst(base: str, jobs: list[tuple[str, int]], concurrency: int) -> list[Any]:
    """Every job as ``POST .../offerings/{id}/select``, ``concurrency`` connections at once."""
    import json

    host, port = base.removeprefix("http://").split(":")
    results: list[Any] = []
    pending = iter(jobs)

    def raw(token: str, offering_id: int) -> bytes:
        return (
            f"POST /api/v1/teaching/offerings/{offering_id}/select HTTP/1.1\r\n"
            f"Host: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
            "Accept-Language: en\r\nContent-Length: 0\r\n\r\n"
        ).encode()

    async def worker() -> None:
        connection: _Connection | None = None
        for token, offering_id in pending:
            started = time.perf_counter()
            try:
                if connection is None or connection.transport is None:
                    connection = await _connect(host, int(port))
                status, content = await asyncio.wait_for(
                    connection.request(raw(token, offering_id)), timeout=30
                )
                try:
                    body = json.loads(content)
                except ValueError:
                    body = {"code": "not_json", "text": content[:300].decode(errors="replace")}
            except (OSError, TimeoutError) as exc:
                status, body, connection = 0, {"code": type(exc).__name__}, None
            results.append((status, body, time.perf_counter() - started, offering_id))
        if connection is not None and connection.transport is not None:
            connection.transport.close()

    await asyncio.gather(*(worker() for _n in range(concurrency)))
    return results


def run_fast(coroutine: Any) -> Any:
    """Run on uvloop when installed (it comes with uvicorn[standard]), else asyncio's loop."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


def check(results: list[Any]) -> dict[str, int]:
    from django.db.models import Count

    from openvet.teaching.selection.models import Offering, Selection

    oversold = 0
    drift = 0
    for offering in Offering.objects.annotate(rows=Count("selections")):
        oversold += max(0, offering.rows - offering.capacity)
        drift += int(offering.rows != offering.taken)
    ok_ids = [body["id"] for status, body, _t, _o in results if status == 200]
    found = set(Selection.objects.filter(pk__in=ok_ids).values_list("pk", flat=True))
    doubles = (
        Selection.objects.values("student_id", "offering_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    return {
        "oversold": oversold,
        "lost": len(set(ok_ids) - found),
        "counter_drift": drift,
        "double_enrolments": doubles,
        "rows": Selection.objects.count(),
    }


LIMIT_SCHEMA = "bench_limit"


def _limit_tables() -> list[str]:
    from openvet.core.models import AuditEntry
    from openvet.lrs.models import Activity, Statement, StatementLink
    from openvet.teaching.selection.models import Offering, Selection

    models = (Offering, Selection, AuditEntry, Statement, StatementLink, Activity)
    return [model._meta.db_table for model in models]


def _limit_script(offering_ids: list[int]) -> str:
    """The lean route's write statement (``hotpath._TAKE``: guarded counter bump, selection
    row, audit entry, learning event) with the parameters the route sends, as literals; the
    offering, the student and the learning event's statement id are pgbench variables or
    computed per transaction, so that every transaction takes a new seat."""
    from django.db import connection
    from django.utils import timezone
    from psycopg import sql

    from openvet.core.audit import audit_insert_params
    from openvet.teaching.learning_events import learning_event_insert_params
    from openvet.teaching.selection.hotpath import _TAKE
    from openvet.teaching.selection.models import Offering, SelectionRound

    offering = Offering.objects.select_related("org").get(pk=offering_ids[0])
    selection_round = SelectionRound.objects.filter(
        term_id=offering.term_id, org_id=offering.school_id
    ).latest("id")
    audit = audit_insert_params(
        action="create",
        object_type="teaching.selection",
        object_label="bench",
        actor_id=None,
        actor_label="bench",
        org_id=offering.org_id,
        org_path=offering.org.path,
        changes={"offering": [None, offering.id]},
        ip_address="127.0.0.1",
    )
    event = learning_event_insert_params(
        user_id=1,
        verb="selected",
        object_type="teaching.offering",
        object_id=offering.id,
        school_id=offering.school_id,
    )
    connection.ensure_connection()
    raw = connection.connection

    def literal(value: Any) -> str:
        return sql.Literal(value).as_string(raw)

    values = [":offering", ":student", literal(offering.term_id), literal("first_come")]
    values += [literal(selection_round.id), literal(timezone.now())]
    values += [literal(value) for value in audit]
    # A new statement id per transaction: the stored statements' ids are unique.
    values += ["gen_random_uuid()::text", *(literal(value) for value in event[1:])]
    statement = _TAKE
    for value in values:
        statement = statement.replace("%s", value, 1)
    if "%s" in statement:
        raise SystemExit("the lean route's statement has more parameters than the bench fills")
    low, high = min(offering_ids), max(offering_ids)
    return (
        f"\\set offering random({low}, {high})\n"
        # Random students over the bigint range never collide on the unique (student,
        # offering) in a few seconds, so every transaction takes a seat.
        "\\set student random(1, 9000000000000000000)\n"
        f"{statement};\n"
    )


def pgbench_limit(offering_ids: list[int], seconds: int, clients: int) -> float:
    """Transactions per second of the lean route's write alone on this PostgreSQL (pgbench,
    prepared statements): copies of the tables it writes (same columns, indexes and
    constraints; no foreign keys), offerings with unlimited seats, in a schema of their own."""
    pgbench = shutil.which("pgbench")
    if pgbench is None:
        print("pgbench missing: install Debian's postgresql-client")
        return 0.0
    tables = _limit_tables()
    offerings = tables[0]
    # Names from the models and this module, no input: S608 does not apply.
    statements = ["SET client_min_messages = warning"]
    statements += [f"DROP SCHEMA IF EXISTS {LIMIT_SCHEMA} CASCADE", f"CREATE SCHEMA {LIMIT_SCHEMA}"]
    statements += [
        f"CREATE TABLE {LIMIT_SCHEMA}.{table} (LIKE public.{table} INCLUDING ALL)"
        for table in tables
    ]
    statements += [
        f"INSERT INTO {LIMIT_SCHEMA}.{offerings} SELECT * FROM public.{offerings}",  # noqa: S608
        f"UPDATE {LIMIT_SCHEMA}.{offerings} SET capacity = 2000000000, taken = 0",  # noqa: S608
    ]
    setup = "; ".join(statements)
    subprocess.run([*PG, "-d", DB_NAME, "-c", setup], check=True)
    script = Path(tempfile.mkstemp(suffix=".sql")[1])
    script.write_text(_limit_script(offering_ids))
    env = dict(os.environ, PGOPTIONS=f"-c search_path={LIMIT_SCHEMA},public")
    done = subprocess.run(
        [
            pgbench,
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-n",
            "-M",
            "prepared",
            "-c",
            str(clients),
            "-j",
            "2",
            "-T",
            str(seconds),
            "-f",
            str(script),
            DB_NAME,
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    script.unlink()
    found = re.search(r"tps = ([0-9.]+)", done.stdout)
    if done.returncode != 0 or found is None:
        # The first errors say why; the last ones only that clients aborted.
        print("pgbench failed: " + "\n".join(done.stderr.strip().splitlines()[:3]))
        return 0.0
    return float(found.group(1))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main() -> None:
    args = parse()
    migrate_s = prepare_database(args.reuse_db)
    setup_django()
    started = time.perf_counter()
    tokens, offering_ids = seed(args)
    seed_s = time.perf_counter() - started
    rng = random.Random(args.seed)
    jobs = [(t, o) for t in tokens for o in rng.sample(offering_ids, args.tries)]
    rng.shuffle(jobs)
    from django.db import connections

    connections.close_all()
    server, base = start_server(args.workers)
    try:
        asyncio.run(wait_ready(base, tokens[0]))
        backends_before = bench_backends()
        cpu_before = cpu_snapshot(server.pid, backends_before)
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        results = run_fast(burst(base, jobs, args.concurrency))
        elapsed = time.perf_counter() - started
        backends = backends_before | bench_backends()  # one started meanwhile counts from 0
        cpu_after = cpu_snapshot(server.pid, backends)
    finally:
        server.terminate()
        server.wait(timeout=30)
    figures = check(results)
    limit_tps = pgbench_limit(offering_ids, args.limit_seconds, args.limit_clients)
    latencies = [r[2] * 1000 for r in results]
    outcomes = Counter(f"{s} {b.get('code', 'selected')}" for s, b, _t, _o in results)
    ok = sum(1 for s, _b, _t, _o in results if s == 200)
    errors = sum(1 for s, _b, _t, _o in results if s == 0 or s >= 500)
    print(f"database: {DB_NAME} (migrate {migrate_s:.1f} s, seed {seed_s:.1f} s)")
    print(
        f"load: {args.students} students x {args.tries} tries = {len(jobs)} requests on "
        f"{args.sections} sections of {args.capacity} seats; {args.workers} uvicorn workers, "
        f"{args.concurrency} in flight; {os.cpu_count()} CPUs"
    )
    print(f"elapsed: {elapsed:.2f} s, requests/s: {len(results) / elapsed:.0f}")
    print("answers: " + ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())))
    print(
        f"latency ms: p50 {percentile(latencies, 0.5):.0f}, p95 {percentile(latencies, 0.95):.0f}"
        f", p99 {percentile(latencies, 0.99):.0f}, max {max(latencies):.0f}"
    )
    cpu_ms = {k: 1000 * (cpu_after[k] - cpu_before[k]) / len(results) for k in cpu_after}
    print(
        "CPU ms per request (load-independent): "
        + ", ".join(f"{k} {v:.2f}" for k, v in cpu_ms.items())
        + f"; machine load average {load_before:.1f} before the burst, "
        f"{os.getloadavg()[0]:.1f} after"
    )
    print(f"errors (5xx or no answer): {errors}")
    sample = next((b for s, b, _t, _o in results if s == 0 or s >= 500), None)
    if sample is not None:
        print(f"first error: {sample}")
    print("check: " + ", ".join(f"{k}={v}" for k, v in figures.items()) + f", ok_answers={ok}")
    rate = len(results) / elapsed
    print(
        f"limit: the same write alone in PostgreSQL (pgbench, {args.limit_clients} clients, "
        f"{args.limit_seconds} s, same machine, after the burst): {limit_tps:.0f} per second; "
        f"the route reaches {rate / limit_tps:.0%} of it"
        if limit_tps
        else "limit: not measured"
    )
    print(
        f"selections_per_s={rate:.0f} p99_ms={percentile(latencies, 0.99):.0f} "
        f"oversold={figures['oversold']} lost={figures['lost']} "
        f"double_enrolments={figures['double_enrolments']} limit_tps={limit_tps:.0f}"
    )


if __name__ == "__main__":
    main()
