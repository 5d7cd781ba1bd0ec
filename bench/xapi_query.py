"""Benchmark statement queries of the LRS over many stored statements, on PostgreSQL.

Usage (from the repository root; PostgreSQL at 127.0.0.1:5432, user postgres, trust auth):
    .venv/bin/python bench/xapi_query.py             # 5,000,000 statements
    .venv/bin/python bench/xapi_query.py --quick     # 200,000 statements (under a minute)
    .venv/bin/python bench/xapi_query.py --explain   # also print the plan of each query kind

Steps: (re)create the scratch database ``openvet_bench_xapiq_<size>`` from a migrated template, make
one school with one LRS client and fill it with INSERT ... SELECT in the database itself (a
year of statements of 20,000 learners over 2,000 activities and 10 verbs, learners and
activities skewed as real use is: a few very busy, many quiet; one statement in a thousand
voids an earlier one); the filled database is kept as a template per size, so a second run
starts in seconds (migrated to the current models). Then start uvicorn on a loopback port
and, one request at a time, GET ``/xapi/statements`` filtered by agent, by activity and
by verb + since (each followed by its ``more`` page) through the real xAPI resource.
Prints p50 / p99 per query kind; the last line is ``statements=N agent_p50_ms=N
agent_p99_ms=N activity_p50_ms=N activity_p99_ms=N verb_since_p50_ms=N verb_since_p99_ms=N``.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import course_selection as shared  # noqa: E402 - the database, server and connection helpers

DB_NAME = "openvet_bench_xapiq"
PORT = 8121
LEARNERS = 20_000
ACTIVITIES = 2_000
VERBS = [  # (IRI, share in percent): experiencing and answering dominate real traffic
    ("http://adlnet.gov/expapi/verbs/experienced", 34),
    ("http://adlnet.gov/expapi/verbs/answered", 25),
    ("http://adlnet.gov/expapi/verbs/attempted", 10),
    ("http://adlnet.gov/expapi/verbs/completed", 8),
    ("http://adlnet.gov/expapi/verbs/progressed", 8),
    ("http://adlnet.gov/expapi/verbs/passed", 5),
    ("http://adlnet.gov/expapi/verbs/failed", 3),
    ("http://adlnet.gov/expapi/verbs/launched", 4),
    ("http://adlnet.gov/expapi/verbs/commented", 2),
    ("http://adlnet.gov/expapi/verbs/mastered", 1),
]
ACTIVITY_BASE = "https://course.example.edu.cn/activities/"
HOME_PAGE = "https://sso.example.edu.cn"
DAYS = 365
END = datetime(2026, 12, 1, tzinfo=UTC)


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="200,000 statements")
    parser.add_argument("--statements", type=int, default=None)
    parser.add_argument("--queries", type=int, default=None, help="queries of each kind")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reuse-db", action="store_true", help="query the last run's database")
    parser.add_argument("--port", type=int, default=PORT, help="the server's loopback port")
    args = parser.parse_args()
    args.statements = args.statements or (200_000 if args.quick else 5_000_000)
    args.queries = args.queries or (60 if args.quick else 200)
    return args


def _filled_template(count: int) -> str:
    return f"{DB_NAME}_filled_{count}"


def scratch(count: int) -> str:
    """The scratch database of a size: runs of two sizes do not drop each other's."""
    return f"{DB_NAME}_{count}"


def prepare_database(count: int) -> bool:
    """The scratch database, cloned from a filled template when one exists; True if so."""
    filled, database = _filled_template(count), scratch(count)
    shared._psql(f"DROP DATABASE IF EXISTS {database}")
    if shared._psql(f"SELECT 1 FROM pg_database WHERE datname = '{filled}'"):  # noqa: S608
        shared._psql(f"CREATE DATABASE {database} TEMPLATE {filled}")
        subprocess.run(  # the migrations added since it was filled
            [str(shared.VENV / "openvet"), "migrate", "--verbosity", "0"],
            check=True,
            env=shared.env_for_django(database),
            cwd=ROOT,
        )
        return True
    shared.prepare_database(False, database)
    return False


def keep_as_template(count: int) -> None:
    from django.db import connections

    connections.close_all()
    for _attempt in range(20):  # the closed connection's backend may take a moment to end
        try:
            filled = _filled_template(count)
            shared._psql(f"CREATE DATABASE {filled} TEMPLATE {scratch(count)}")
            return
        except subprocess.CalledProcessError:
            time.sleep(0.5)
    print("could not keep the filled database as a template; use --reuse-db next time")


def setup_django(database: str) -> None:
    import os

    os.environ.update(shared.env_for_django(database))
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def make_client() -> str:
    """One school (the first, if the database was filled before) and a read/write client;
    returns the Basic Authorization header."""
    from openvet.core.models import OrgKind, OrgUnit
    from openvet.lrs.services import client_create

    school = OrgUnit.objects.filter(kind=OrgKind.SCHOOL).order_by("pk").first()
    if school is None:
        province = OrgUnit.objects.create(kind=OrgKind.PROVINCE, name="Zhejiang", code="330000")
        school = OrgUnit.objects.create(
            kind=OrgKind.SCHOOL, name="Bench College", code="4133099999", parent=province
        )
    made = client_create(actor=None, name="bench", school=school, can_read=True, can_write=True)
    return "Basic " + base64.b64encode(f"{made.key}:{made.secret}".encode()).decode()


def _verb_case() -> str:
    """SQL choosing a verb by its share from ``v`` (a uniform random number in [0, 100))."""
    cases, upto = [], 0
    for iri, share in VERBS[:-1]:
        upto += share
        cases.append(f"WHEN v < {upto} THEN '{iri}'")
    return f"CASE {' '.join(cases)} ELSE '{VERBS[-1][0]}' END"


def fill(count: int) -> float:
    """``count`` statements of the bench school, made by PostgreSQL itself; returns seconds.

    Learner ``n`` is ``floor(LEARNERS * r^3)``: learner 0 is the busiest, most learners make
    a few statements a week. ``stored`` rises with the row, as it does in a live LRS.
    """
    from django.db import connection

    from openvet.lrs.models import Client, Statement, StatementLink
    from openvet.lrs.partitions import ensure_partitions

    client = Client.objects.get()
    started = time.perf_counter()
    # PostgreSQL keeps statements in monthly partitions (ADR 0422): make the year's months
    # first, so that the rows go straight into them.
    ensure_partitions(since=END - timedelta(days=DAYS))
    chunk = 500_000
    span = DAYS * 86_400.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.2026)")
        for first in range(0, count, chunk):
            last = min(count, first + chunk)
            cursor.execute(
                f"""
                WITH g AS (
                  SELECT i, floor({LEARNERS} * power(random(), 3))::int AS learner,
                    floor({ACTIVITIES} * power(random(), 2))::int AS activity,
                    random() * 100 AS v, gen_random_uuid() AS sid,
                    %(end)s::timestamptz - make_interval(secs => %(span)s * (1 - i::float8 / %(n)s))
                      AS at
                  FROM generate_series(%(first)s, %(last)s - 1) AS i
                ), s AS (
                  SELECT *, {_verb_case()} AS verb,
                    'mailto:learner' || learner || '@example.edu.cn' AS mbox,
                    %(base)s || activity AS activity_id
                  FROM g
                )
                INSERT INTO {Statement._meta.db_table} (statement_id, school_id, client_id,
                  stored, timestamp, verb_id, actor_key, object_key, registration, voided,
                  ref_target, is_voiding, body)
                SELECT sid, %(school)s, %(client)s, at, at - interval '2 seconds', verb,
                  'mbox=' || mbox, activity_id, NULL, false, NULL, false,
                  jsonb_build_object(
                    'id', sid, 'version', '2.0.0',
                    'actor', jsonb_build_object('objectType', 'Agent', 'mbox', mbox,
                      'name', 'Learner ' || learner),
                    'verb', jsonb_build_object('id', verb,
                      'display', jsonb_build_object('en-US', split_part(verb, '/', 6))),
                    'object', jsonb_build_object('objectType', 'Activity', 'id', activity_id),
                    'result', jsonb_build_object('completion', true, 'success', v > 20,
                      'score', jsonb_build_object('scaled', round((v / 100)::numeric, 2)),
                      'duration', 'PT' || (i %% 600) || 'S'),
                    'timestamp', to_char((at - interval '2 seconds') AT TIME ZONE 'UTC',
                      'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                    'stored', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                    'authority', %(authority)s::jsonb)
                FROM s ORDER BY i
                """,  # noqa: S608 - table names from the models, figures from this module
                {
                    "first": first,
                    "last": last,
                    "n": count,
                    "end": END,
                    "span": span,
                    "base": ACTIVITY_BASE,
                    "school": client.school_id,
                    "client": client.pk,
                    "authority": json.dumps(
                        {"objectType": "Agent", "account": {"homePage": HOME_PAGE, "name": "x"}}
                    ),
                },
            )
        table = Statement._meta.db_table
        # One statement in a thousand voids an earlier one of the same learner.
        cursor.execute(
            f"""
            WITH t AS (SELECT id, statement_id, actor_key, body, stored FROM {table}
                       WHERE mod(id, 1000) = 0)
            INSERT INTO {table} (statement_id, school_id, client_id, stored, timestamp,
              verb_id, actor_key, object_key, registration, voided, ref_target, is_voiding,
              body)
            SELECT gen_random_uuid(), %(school)s, %(client)s, t.stored + interval '1 hour',
              t.stored + interval '1 hour', 'http://adlnet.gov/expapi/verbs/voided',
              t.actor_key, 'statement=' || t.statement_id, NULL, false, t.statement_id,
              true, jsonb_build_object('actor', t.body->'actor', 'verb',
                jsonb_build_object('id', 'http://adlnet.gov/expapi/verbs/voided'),
                'object', jsonb_build_object('objectType', 'StatementRef',
                  'id', t.statement_id))
            FROM t
            """,  # noqa: S608
            {"school": client.school_id, "client": client.pk},
        )
        cursor.execute(
            f"UPDATE {table} SET voided = true WHERE mod(id, 1000) = 0 AND NOT is_voiding"  # noqa: S608
        )
        cursor.execute(
            f"""
            INSERT INTO {StatementLink._meta.db_table} (statement_id, key)
            SELECT id, actor_key FROM {table}
            UNION ALL SELECT id, object_key FROM {table} WHERE NOT is_voiding
            UNION ALL SELECT id, %(authority)s FROM {table}
            """,  # noqa: S608
            {"authority": f"account={HOME_PAGE}|x"},
        )
        cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute(f"VACUUM ANALYZE {StatementLink._meta.db_table}")
    return time.perf_counter() - started


def stored_count() -> int:
    from openvet.lrs.models import Statement

    return Statement.objects.count()


def skewed(rng: random.Random, size: int, power: float) -> int:
    return int(size * rng.random() ** power)


def query_paths(args: argparse.Namespace) -> dict[str, list[str]]:
    """The query string of each request of each kind, drawn as the data was."""
    rng = random.Random(args.seed)
    paths: dict[str, list[str]] = {"agent": [], "activity": [], "verb_since": []}
    for _n in range(args.queries):
        agent = {"mbox": f"mailto:learner{skewed(rng, LEARNERS, 3)}@example.edu.cn"}
        paths["agent"].append("agent=" + quote(json.dumps(agent, separators=(",", ":"))))
        activity = ACTIVITY_BASE + str(skewed(rng, ACTIVITIES, 2))
        paths["activity"].append("activity=" + quote(activity, safe=""))
        verb = rng.choices([v for v, _s in VERBS], [s for _v, s in VERBS])[0]
        since = END - timedelta(days=rng.uniform(1, DAYS))
        stamp = since.isoformat().replace("+00:00", "Z")
        paths["verb_since"].append(f"verb={quote(verb, safe='')}&since={quote(stamp)}")
    return paths


def request_bytes(authorization: str, target: str) -> bytes:
    return (
        f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: {authorization}\r\nX-Experience-API-Version: 2.0.0\r\n\r\n"
    ).encode()


async def measure(
    port: int, authorization: str, paths: dict[str, list[str]]
) -> dict[str, list[float]]:
    """Milliseconds of every request, first pages and their ``more`` pages, per kind."""
    connection = await shared._connect("127.0.0.1", port)
    await connection.request(request_bytes(authorization, "/xapi/statements?limit=1"))  # warm
    timings: dict[str, list[float]] = {kind: [] for kind in paths}
    for kind, queries in paths.items():
        for query in queries:
            target = f"/xapi/statements?{query}"
            for _page in range(2):
                started = time.perf_counter()
                status, content = await connection.request(request_bytes(authorization, target))
                timings[kind].append((time.perf_counter() - started) * 1000)
                if status != 200:
                    raise SystemExit(f"{target}: {status} {content[:200]!r}")
                target = json.loads(content).get("more", "")
                if not target:
                    break
    if connection.transport is not None:
        connection.transport.close()
    return timings


async def wait_ready(base: str) -> None:
    import httpx

    async with httpx.AsyncClient(timeout=5) as client:
        for _ in range(600):
            try:
                if (await client.get(f"{base}/xapi/about")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("the server did not start")


def explain(paths: dict[str, list[str]]) -> None:
    """The PostgreSQL plan of the first query of each kind, as the resource runs it."""
    from django.db import connection

    from openvet.lrs.models import Statement
    from openvet.lrs.xapi import protocol, statements
    from openvet.lrs.xapi.http import XRequest

    school_id = Statement.objects.values_list("school_id", flat=True).first()
    for kind, queries in paths.items():
        request = XRequest.build("GET", "/statements", queries[0], {}, b"")
        query = protocol._query(protocol.Context(request, "2.0", None))  # type: ignore[arg-type]
        for sql, params in statements.find_sql(school_id, query):
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                print(f"-- {kind}\n" + "\n".join(row[0] for row in cursor.fetchall()))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def start_server(workers: int, database: str, port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            str(shared.VENV / "uvicorn"),
            "openvet.config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        env=shared.env_for_django(database, server=True),
        cwd=ROOT,
    )


def main() -> None:
    args = parse()
    reused = args.reuse_db or prepare_database(args.statements)
    setup_django(scratch(args.statements))
    authorization = make_client()
    if not reused:
        seconds = fill(args.statements)
        print(f"filled {args.statements} statements in {seconds:.0f} s")
        keep_as_template(args.statements)
    paths = query_paths(args)
    if args.explain:
        explain(paths)
    server = start_server(args.workers, scratch(args.statements), args.port)
    try:
        shared.run_fast(wait_ready(f"http://127.0.0.1:{args.port}"))
        timings = shared.run_fast(measure(args.port, authorization, paths))
    finally:
        server.terminate()
        server.wait(timeout=30)
    figures = [f"statements={stored_count()}"]
    for kind, values in timings.items():
        p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
        print(
            f"{kind}: {len(values)} requests, p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
            f"mean {statistics.fmean(values):.1f} ms"
        )
        figures += [f"{kind}_p50_ms={p50:.0f}", f"{kind}_p99_ms={p99:.0f}"]
    print(" ".join(figures))


if __name__ == "__main__":
    main()
