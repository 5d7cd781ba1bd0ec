"""Benchmark the morning check-in peak of interns, against the ASGI server on PostgreSQL, and
how well the evidence flags catch the check-in scripts.

Usage (from the repository root; PostgreSQL at 127.0.0.1:5432, user postgres, trust auth):
    .venv/bin/python bench/internship_checkins.py            # 10,000 interns, 9 earlier days
    .venv/bin/python bench/internship_checkins.py --quick    # 1,200 interns, under a minute
    .venv/bin/python bench/internship_checkins.py --workers 3 --concurrency 64

Steps: (re)create the scratch database ``openvet_bench_checkins`` from a migrated template;
seed one school, a class of interns placed at enterprises spread over a city, and the check-ins
of the earlier mornings (bulk); a tenth of the interns are driven by a faker replaying what
public check-in scripts do, in four equal groups: jittered fixed coordinates, perfectly
periodic times, one device for many accounts, and one device checking in for interns of two
far-apart workplaces a moment apart (teleporting). Start uvicorn on a free loopback port and
send this morning's check-ins from this process (``POST /api/v1/industry/checkins`` with each
intern's bearer token, bounded concurrency, keep-alive connections). Then read the mentors'
work list (``selectors.work_list``, the flags the school mentor sees) for every placement and
count the fakers flagged and the honest interns flagged wrongly. The last line is
``checkins_per_s=N p99_ms=N flagged_fakes=N/M false_flags=N``. Prints figures; asserts
nothing about time.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import math
import os
import random
import secrets
import subprocess
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import course_selection
from course_selection import _connect, _Connection, percentile, run_fast

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv" / "bin"
DB_NAME = "openvet_bench_checkins"
# Hangzhou: the enterprises' workplaces are spread over about 30 km around it.
CITY = (30.27, 120.15)
KINDS = ("jitter", "periodic", "shared_device", "teleport")
SHARED_GROUP = 5  # accounts one script phone checks in for


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,200 interns (under a minute)")
    parser.add_argument("--interns", type=int, default=None)
    parser.add_argument("--days", type=int, default=9, help="earlier mornings of check-ins")
    parser.add_argument("--enterprises", type=int, default=60)
    parser.add_argument("--fake-share", type=float, default=0.1)
    parser.add_argument("--workers", type=int, default=3, help="uvicorn worker processes")
    parser.add_argument("--concurrency", type=int, default=48, help="requests in flight")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    args.interns = args.interns or (1200 if args.quick else 10000)
    return args


def env_for_django(*, server: bool = False) -> dict[str, str]:
    return course_selection.env_for_django(DB_NAME, server=server)


def prepare_database() -> float:
    return course_selection.prepare_database(False, DB_NAME)


def setup_django() -> None:
    os.environ.update(env_for_django())
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _offset(lat: float, lon: float, north_m: float, east_m: float) -> tuple[float, float]:
    return (
        lat + north_m / 111_320,
        lon + east_m / (111_320 * math.cos(math.radians(lat))),
    )


class Intern:
    """One placed intern: token, workplace, the faker kind (or honest), device, and the spot a
    jitter script replays."""

    def __init__(self, index: int, kind: str, workplace: tuple[float, float], rng: random.Random):
        self.index = index
        self.kind = kind
        self.workplace = workplace
        self.device = secrets.token_hex(8)
        self.spot = _offset(*workplace, rng.uniform(-60, 60), rng.uniform(-60, 60))
        self.token = "ovt_" + secrets.token_urlsafe(32)
        self.placement_id = 0

    def position(self, rng: random.Random) -> tuple[float, float]:
        if self.kind == "jitter":  # the script's jitter: a few 1e-5 degrees
            return (
                self.spot[0] + rng.uniform(-4e-5, 4e-5),
                self.spot[1] + rng.uniform(-4e-5, 4e-5),
            )
        # A phone at the workplace: where the intern stands plus the GPS error (tens of metres).
        return _offset(*self.workplace, rng.gauss(0, 30), rng.gauss(0, 30))


def cast_interns(args: argparse.Namespace, rng: random.Random) -> tuple[list[Intern], list[Any]]:
    """Workplaces, and which interns the faker drives: the share asked, in four groups."""
    workplaces = [
        _offset(*CITY, rng.uniform(-15_000, 15_000), rng.uniform(-15_000, 15_000))
        for _ in range(args.enterprises)
    ]
    fakes = int(args.interns * args.fake_share)
    per_kind = fakes // len(KINDS)
    kinds = [k for k in KINDS for _ in range(per_kind)]
    kinds += ["honest"] * (args.interns - len(kinds))
    interns = []
    for index, kind in enumerate(kinds):
        interns.append(Intern(index, kind, workplaces[index % len(workplaces)], rng))
    shared = [i for i in interns if i.kind == "shared_device"]
    for start in range(0, len(shared), SHARED_GROUP):
        device = secrets.token_hex(8)
        for intern in shared[start : start + SHARED_GROUP]:
            intern.device = device
    # Teleport: a script phone checks in for two interns of far-apart workplaces.
    teleport = [i for i in interns if i.kind == "teleport"]
    for a, b in zip(teleport[0::2], teleport[1::2], strict=False):
        far = max(
            range(len(workplaces)),
            key=lambda w: (
                abs(workplaces[w][0] - a.workplace[0]) + abs(workplaces[w][1] - a.workplace[1])
            ),
        )
        b.workplace = workplaces[far]
        b.device = a.device
    return interns, workplaces


def seed(
    args: argparse.Namespace, interns: list[Intern], workplaces: list[Any], rng: random.Random
) -> None:
    """Bulk-create the school, enterprises, posts, plan, placements, accounts, tokens and the
    earlier mornings' check-ins (placements are seeded as the school would have made them)."""
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from openvet.core.models import OrgKind, OrgUnit
    from openvet.identity.models import ApiToken, RoleAssignment, User
    from openvet.industry.models import (
        CheckIn,
        EnterpriseProfile,
        InternshipKind,
        InternshipPlan,
        InternshipPost,
        PostApproval,
    )
    from openvet.records.models import Student

    def node(kind: str, name: str, parent: OrgUnit | None, **extra: Any) -> OrgUnit:
        unit = OrgUnit.objects.create(kind=kind, name=name, parent=parent, **extra)
        unit.path = f"{parent.path if parent else '/'}{unit.pk:08d}/"
        unit.depth = parent.depth + 1 if parent else 0
        unit.save(update_fields=["path", "depth"])
        return unit

    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        stamp = secrets.token_hex(3)
        region = node(OrgKind.PROVINCE, f"Bench province {stamp}", None, code="330000")
        school = node(OrgKind.SCHOOL, f"Bench college {stamp}", region, code="4133099998")
        dept = node(OrgKind.DEPARTMENT, "Mechanics", school)
        major = node(OrgKind.MAJOR, "Mechatronics", dept, code="460301")
        klass = node(OrgKind.CLASS, "Mechatronics 2024-1", major, grade_year=2024)
        mentor = User.objects.create(username=f"mentor{stamp}", full_name="Mentor", password="!")  # noqa: S106
        posts = []
        for n, (lat, lon) in enumerate(workplaces):
            enterprise = node(OrgKind.ENTERPRISE, f"Works {n:03d}", region, code=f"E{stamp}{n:03d}")
            EnterpriseProfile.objects.create(
                enterprise=enterprise,
                industry="C",
                size="medium",
                region_code="330106",
                address="-",
                contact_name="-",
                contact_phone="0571-88888888",
                staff_count=5000,
            )
            posts.append(
                InternshipPost.objects.create(
                    org=enterprise,
                    school=school,
                    approval=PostApproval.APPROVED,
                    title="Assembly",
                    location="-",
                    latitude=Decimal(f"{lat:.6f}"),
                    longitude=Decimal(f"{lon:.6f}"),
                    openings=1000,
                    same_post_staff=2000,
                    staff_wage=5000,
                )
            )
        plan = InternshipPlan.objects.create(
            org=klass,
            name="Bench internship",
            kind=InternshipKind.POST,
            start_date=today - timedelta(days=60),
            end_date=today + timedelta(days=90),
            objectives="-",
        )
        users = User.objects.bulk_create(
            User(
                username=f"intern{stamp}{i.index:05d}",
                full_name=f"Intern {i.index}",
                home_org=klass,
                must_change_password=False,
                password="!",  # noqa: S106 - unusable, tokens only
            )
            for i in interns
        )
        RoleAssignment.objects.bulk_create(
            RoleAssignment(user=u, role="student", org=klass) for u in users
        )
        students = Student.objects.bulk_create(
            Student(
                school=school,
                department=dept,
                major=major,
                class_unit=klass,
                org=klass,
                student_number=f"I{stamp}{i:05d}",
                name=f"Intern {i}",
                gender="1",
                grade_year=2024,
                user=u,
            )
            for i, u in enumerate(users)
        )
        ApiToken.objects.bulk_create(
            ApiToken(
                user=u,
                name="bench",
                prefix=i.token[:12],
                digest=hashlib.sha256(i.token.encode()).hexdigest(),
                scopes=["read", "write"],
                last_used_at=now,
            )
            for u, i in zip(users, interns, strict=True)
        )
        placements = _placements(plan, klass, mentor, students, interns, posts)
        rows = []
        for intern, placement in zip(interns, placements, strict=True):
            intern.placement_id = placement.pk
            intern.workplace = (float(placement.post.latitude), float(placement.post.longitude))
            for back in range(args.days, 0, -1):
                day = today - timedelta(days=back)
                rows.append(_history(intern, placement, day, rng))
        CheckIn.objects.bulk_create(rows, batch_size=5000)


def _placements(
    plan: Any, klass: Any, mentor: Any, students: list[Any], interns: list[Intern], posts: list[Any]
) -> list[Any]:
    from openvet.industry.models import Placement

    def nearest(point: tuple[float, float]) -> Any:
        return min(
            posts,
            key=lambda p: abs(float(p.latitude) - point[0]) + abs(float(p.longitude) - point[1]),
        )

    return Placement.objects.bulk_create(
        Placement(
            org=klass,
            plan=plan,
            student=student,
            post=(post := nearest(intern.workplace)),
            enterprise_id=post.org_id,
            start_date=plan.start_date,
            end_date=plan.end_date,
            school_mentor=mentor,
            enterprise_mentor=mentor,
            monthly_pay=4500,
            agreement="industry/agreements/bench.pdf",
            insurance_policy="BENCH",
            insurance_start=plan.start_date,
            insurance_end=plan.end_date,
        )
        for student, intern in zip(students, interns, strict=True)
    )


def _history(intern: Intern, placement: Any, day: date, rng: random.Random) -> Any:
    from decimal import Decimal

    from django.utils import timezone

    from openvet.industry.evidence import distance_m
    from openvet.industry.models import CheckIn

    if intern.kind == "periodic":
        moment = datetime.combine(day, datetime.min.time()).replace(hour=8)
    elif intern.kind in ("shared_device", "teleport"):
        # The script phone runs its accounts in turn at 07:50, a few seconds apart.
        moment = datetime.combine(day, datetime.min.time()).replace(hour=7, minute=50)
        moment += timedelta(seconds=3 * (intern.index % 40))
    else:
        moment = datetime.combine(day, datetime.min.time()).replace(hour=7, minute=20)
        moment += timedelta(seconds=rng.randrange(90 * 60))
    lat, lon = intern.position(rng)
    return CheckIn(
        placement=placement,
        at=timezone.make_aware(moment),
        day=day,
        latitude=Decimal(f"{lat:.6f}"),
        longitude=Decimal(f"{lon:.6f}"),
        distance_m=round(distance_m(*intern.workplace, lat, lon)),
        device=intern.device,
    )


async def wait_ready(base: str, token: str) -> None:
    import httpx

    async with httpx.AsyncClient(timeout=5) as client:
        for _ in range(600):
            try:
                answer = await client.get(
                    f"{base}/api/v1/industry/checkins",
                    headers={"Authorization": f"Bearer {token}"},
                )
                if answer.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("the server did not start")


def warm_up(base: str, server_pid: int, concurrency: int) -> None:
    """Every worker booted and its lean route warm before the CPU is counted: a morning's
    server has run for hours, and its workers' imports, first statements and catalogues are
    not a check-in's cost (ADR 0625). Check-ins with an unknown token go through the lean
    route (401, nothing written); then wait until the server's CPU is still."""
    body = json.dumps({"latitude": CITY[0], "longitude": CITY[1], "device": "warm"}).encode()
    unknown = [("ovt_" + secrets.token_urlsafe(32), body)] * (concurrency * 4)
    for _round in range(2):
        run_fast(burst(base, unknown, concurrency))
    course_selection.DB_NAME = DB_NAME
    before = course_selection.cpu_snapshot(server_pid, set())["server"]
    for _second in range(60):
        time.sleep(1)
        now = course_selection.cpu_snapshot(server_pid, set())["server"]
        if now - before < 0.02:
            return
        before = now


def start_server(workers: int) -> tuple[subprocess.Popen[bytes], str]:
    return course_selection.start_server(workers, DB_NAME)


async def burst(base: str, jobs: list[tuple[str, bytes]], concurrency: int) -> list[Any]:
    """Every job as ``POST /api/v1/industry/checkins``, ``concurrency`` connections at once."""
    host, port = base.removeprefix("http://").split(":")
    results: list[Any] = []
    pending = iter(jobs)

    def raw(token: str, body: bytes) -> bytes:
        return (
            f"POST /api/v1/industry/checkins HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Authorization: Bearer {token}\r\nAccept-Language: en\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode() + body

    async def worker() -> None:
        connection: _Connection | None = None
        for token, body in pending:
            started = time.perf_counter()
            try:
                if connection is None or connection.transport is None:
                    connection = await _connect(host, int(port))
                status, content = await asyncio.wait_for(
                    connection.request(raw(token, body)), timeout=30
                )
                try:
                    answer = json.loads(content)
                except ValueError:
                    answer = {"code": "not_json", "text": content[:300].decode(errors="replace")}
            except (OSError, TimeoutError) as exc:
                status, answer, connection = 0, {"code": type(exc).__name__}, None
            results.append((status, answer, time.perf_counter() - started))
        if connection is not None and connection.transport is not None:
            connection.transport.close()

    await asyncio.gather(*(worker() for _n in range(concurrency)))
    return results


def morning_jobs(interns: list[Intern], rng: random.Random) -> list[tuple[str, bytes]]:
    """This morning's check-ins; a shared or teleporting script phone sends its accounts one
    right after another (kept in order), honest interns arrive in any order."""
    scripted = [i for i in interns if i.kind in ("shared_device", "teleport")]
    scripted.sort(key=lambda i: (i.device, i.index))
    others = [i for i in interns if i.kind not in ("shared_device", "teleport")]
    rng.shuffle(others)
    ordered = others[: len(others) // 2] + scripted + others[len(others) // 2 :]
    jobs = []
    for intern in ordered:
        lat, lon = intern.position(rng)
        body = {"latitude": round(lat, 6), "longitude": round(lon, 6), "device": intern.device}
        jobs.append((intern.token, json.dumps(body).encode()))
    return jobs


def flags_found(interns: list[Intern]) -> dict[int, set[str]]:
    from openvet.industry import selectors
    from openvet.industry.models import Placement

    placements = list(Placement.objects.filter(pk__in=[i.placement_id for i in interns]))
    found: dict[int, set[str]] = {}
    for start in range(0, len(placements), 2000):
        for watch in selectors.work_list(placements[start : start + 2000]):
            found[watch.placement.pk] = watch.flags
    return found


def main() -> None:
    args = parse()
    rng = random.Random(args.seed)
    migrate_s = prepare_database()
    setup_django()
    started = time.perf_counter()
    interns, workplaces = cast_interns(args, rng)
    seed(args, interns, workplaces, rng)
    seed_s = time.perf_counter() - started
    jobs = morning_jobs(interns, rng)
    from django.db import connections

    connections.close_all()
    server, base = start_server(args.workers)
    try:
        asyncio.run(wait_ready(base, interns[0].token))
        warm_up(base, server.pid, args.concurrency)
        # CPU time of the server and of this database's backends: it does not depend on what
        # else the shared machine runs, unlike the wall-clock figures.
        course_selection.DB_NAME = DB_NAME
        backends_before = course_selection.bench_backends()
        cpu_before = course_selection.cpu_snapshot(server.pid, backends_before)
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        results = run_fast(burst(base, jobs, args.concurrency))
        elapsed = time.perf_counter() - started
        backends = backends_before | course_selection.bench_backends()
        cpu_after = course_selection.cpu_snapshot(server.pid, backends)
    finally:
        server.terminate()
        server.wait(timeout=30)
    started = time.perf_counter()
    found = flags_found(interns)
    flags_s = time.perf_counter() - started
    fakes = [i for i in interns if i.kind != "honest"]
    honest = [i for i in interns if i.kind == "honest"]
    flagged_fakes = sum(1 for i in fakes if found.get(i.placement_id))
    false_flags = sum(1 for i in honest if found.get(i.placement_id))
    by_kind = Counter(i.kind for i in fakes if found.get(i.placement_id))
    wrong = Counter(f for i in honest for f in found.get(i.placement_id, ()))
    latencies = [r[2] * 1000 for r in results]
    outcomes = Counter(f"{s} {b.get('code', 'checked_in')}" for s, b, _t in results)
    errors = sum(1 for s, _b, _t in results if s == 0 or s >= 500)
    rate = len(results) / elapsed
    print(f"database: {DB_NAME} (migrate {migrate_s:.1f} s, seed {seed_s:.1f} s)")
    print(
        f"load: {len(interns)} interns at {len(workplaces)} workplaces, {args.days} earlier "
        f"mornings; {len(fakes)} driven by the faker ({', '.join(KINDS)}); "
        f"{args.workers} uvicorn workers, {args.concurrency} in flight; {os.cpu_count()} CPUs"
    )
    print(f"elapsed: {elapsed:.2f} s, check-ins/s: {rate:.0f}")
    print("answers: " + ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())))
    print(
        f"latency ms: p50 {percentile(latencies, 0.5):.0f}, p95 {percentile(latencies, 0.95):.0f}"
        f", p99 {percentile(latencies, 0.99):.0f}, max {max(latencies):.0f}"
    )
    cpu_ms = {k: 1000 * (cpu_after[k] - cpu_before[k]) / len(results) for k in cpu_after}
    serving_ms = cpu_ms["server"] + cpu_ms["postgres"]
    print(
        "CPU ms per check-in (load-independent): "
        + ", ".join(f"{k} {v:.2f}" for k, v in cpu_ms.items())
        + f"; {os.cpu_count()} cores serving only this would take "
        f"{1000 * (os.cpu_count() or 1) / serving_ms:.0f} check-ins/s; machine load average "
        f"{load_before:.1f} before the burst, {os.getloadavg()[0]:.1f} after"
    )
    print(f"errors (5xx or no answer): {errors}")
    sample = next((b for s, b, _t in results if s == 0 or s >= 500), None)
    if sample is not None:
        print(f"first error: {sample}")
    print(
        f"flags (work list of {len(found)} placements in {flags_s:.1f} s): fakers flagged by "
        "kind "
        + ", ".join(f"{k} {by_kind[k]}/{len(fakes) // len(KINDS)}" for k in KINDS)
        + "; honest interns' flags "
        + (", ".join(f"{k} {v}" for k, v in wrong.items()) or "none")
    )
    print(
        f"checkins_per_s={rate:.0f} p99_ms={percentile(latencies, 0.99):.0f} "
        f"flagged_fakes={flagged_fakes}/{len(fakes)} false_flags={false_flags}"
    )


if __name__ == "__main__":
    main()
