"""Benchmark statement ingest of the LRS, against the ASGI server on PostgreSQL.

Usage (from the repository root; PostgreSQL at 127.0.0.1:5432, user postgres, trust auth):
    .venv/bin/python bench/xapi_ingest.py            # 100,000 statements in batches of 100,
                                                     # then 5,000 single-statement POSTs
    .venv/bin/python bench/xapi_ingest.py --quick    # 20,000 batched, 1,000 single
    .venv/bin/python bench/xapi_ingest.py --workers 3 --concurrency 32

Steps: (re)create the scratch database ``openvet_bench_xapi`` from a migrated template; make
one school and one LRS client; start uvicorn (openvet.config.asgi) on a free loopback port;
POST every batch, then every single statement, from this process (bounded concurrency,
keep-alive connections, plain request bytes parsed with httptools); then count the stored
statements. ``lost`` is the number of statements answered 200 that are not stored. The last
line is ``statements_per_s=N single_per_s=N lost=N``. Prints figures; asserts nothing.

Besides the wall-clock rates it prints the CPU time per statement of the server (uvicorn and
its workers) and of the bench database's PostgreSQL backends, and the machine's load
average: on a shared machine the rates depend on what else runs, the CPU per statement does
not (ADR 0420).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import course_selection as shared  # noqa: E402 - the database, server and connection helpers

# OPENVET_BENCH_XAPI_DB: another scratch database, so two checkouts can bench side by side.
DB_NAME = os.environ.get("OPENVET_BENCH_XAPI_DB", "openvet_bench_xapi")


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="20,000 + 1,000 (under a minute)")
    parser.add_argument("--batched", type=int, default=None, help="statements sent in batches")
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--single", type=int, default=None, help="single-statement POSTs")
    parser.add_argument("--workers", type=int, default=3, help="uvicorn worker processes")
    parser.add_argument("--concurrency", type=int, default=32, help="requests in flight")
    args = parser.parse_args()
    args.batched = args.batched or (20_000 if args.quick else 100_000)
    args.single = args.single or (1_000 if args.quick else 5_000)
    return args


def prepare_database() -> None:
    shared.prepare_database(False, DB_NAME)


def setup_django() -> None:
    import os

    os.environ.update(shared.env_for_django(DB_NAME))
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def make_client() -> str:
    """One school and one read/write client; returns the Basic Authorization header."""
    from openvet.core.models import OrgKind, OrgUnit
    from openvet.lrs.services import client_create

    province = OrgUnit.objects.create(kind=OrgKind.PROVINCE, name="Zhejiang", code="330000")
    school = OrgUnit.objects.create(
        kind=OrgKind.SCHOOL, name="Bench College", code="4133099999", parent=province
    )
    made = client_create(actor=None, name="bench", school=school, can_read=True, can_write=True)
    return "Basic " + base64.b64encode(f"{made.key}:{made.secret}".encode()).decode()


def statement(number: int) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "mbox": f"mailto:learner{number % 5000}@example.com"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced", "display": {"en-US": "x"}},
        "object": {"id": f"http://example.com/activities/{number % 200}"},
        "result": {"completion": True, "duration": "PT1M30S"},
        "context": {"registration": str(uuid.uuid4())},
    }


def request_bytes(host: str, authorization: str, body: bytes) -> bytes:
    return (
        f"POST /xapi/statements HTTP/1.1\r\nHost: {host}\r\nAuthorization: {authorization}\r\n"
        "X-Experience-API-Version: 2.0.0\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


async def send_all(base: str, bodies: list[bytes], authorization: str, concurrency: int) -> int:
    """POST every body; returns how many statements were answered 200."""
    host, port = base.removeprefix("http://").split(":")
    pending = iter(bodies)
    accepted = 0

    async def worker() -> None:
        nonlocal accepted
        connection = None
        for body in pending:
            raw = request_bytes(f"{host}:{port}", authorization, body)
            for _attempt in range(3):
                try:
                    if connection is None or connection.transport is None:
                        connection = await shared._connect(host, int(port))
                    status, content = await asyncio.wait_for(connection.request(raw), 60)
                    break
                except (OSError, TimeoutError):
                    connection = None
            else:
                continue
            if status == 200:
                accepted += len(json.loads(content))
        if connection is not None and connection.transport is not None:
            connection.transport.close()

    await asyncio.gather(*(worker() for _n in range(concurrency)))
    return accepted


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


def stored_count() -> int:
    from openvet.lrs.models import Statement

    return Statement.objects.count()


def main() -> None:
    args = parse()
    prepare_database()
    setup_django()
    authorization = make_client()
    batches = [
        json.dumps([statement(n) for n in range(start, start + args.batch_size)]).encode()
        for start in range(0, args.batched, args.batch_size)
    ]
    singles = [json.dumps(statement(n)).encode() for n in range(args.single)]
    from django.db import connections

    connections.close_all()
    server, base = start_server(args.workers)
    shared.DB_NAME = DB_NAME  # the backends counted are this database's
    try:
        shared.run_fast(wait_ready(base))
        backends = shared.bench_backends()
        load_before = os.getloadavg()[0]
        cpu = [shared.cpu_snapshot(server.pid, backends)]
        started = time.perf_counter()
        accepted = shared.run_fast(send_all(base, batches, authorization, args.concurrency))
        batched_seconds = time.perf_counter() - started
        backends |= shared.bench_backends()
        cpu.append(shared.cpu_snapshot(server.pid, backends))
        started = time.perf_counter()
        accepted += shared.run_fast(send_all(base, singles, authorization, args.concurrency))
        single_seconds = time.perf_counter() - started
        backends |= shared.bench_backends()
        cpu.append(shared.cpu_snapshot(server.pid, backends))
        load_after = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(timeout=30)
    stored = stored_count()
    lost = max(0, accepted - stored)
    print(
        f"{args.batched} statements in batches of {args.batch_size}: {batched_seconds:.1f} s; "
        f"{args.single} single POSTs: {single_seconds:.1f} s; {args.workers} uvicorn workers, "
        f"{args.concurrency} in flight; accepted={accepted} stored={stored}"
    )
    for label, count, before, after in (
        ("batched", args.batched, cpu[0], cpu[1]),
        ("single", args.single, cpu[1], cpu[2]),
    ):
        server_ms = 1000 * (after["server"] - before["server"]) / count
        postgres_ms = 1000 * (after["postgres"] - before["postgres"]) / count
        cores = os.cpu_count() or 1
        print(
            f"CPU ms per statement, {label}: server {server_ms:.3f}, PostgreSQL "
            f"{postgres_ms:.3f}; {cores} cores serving only this would take "
            f"{1000 * cores / (server_ms + postgres_ms):.0f} statements/s"
        )
    print(
        f"load average: {load_before:.1f} before, {load_after:.1f} after on {os.cpu_count()} CPUs"
    )
    print(
        f"statements_per_s={args.batched / batched_seconds:.0f} "
        f"single_per_s={args.single / single_seconds:.0f} lost={lost}"
    )


def start_server(workers: int) -> tuple[subprocess.Popen[bytes], str]:
    return shared.start_server(workers, DB_NAME)


if __name__ == "__main__":
    main()
