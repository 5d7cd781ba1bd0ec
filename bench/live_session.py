"""Benchmark a live class: phones join one live session, answer a question, send comments.

The server is uvicorn serving ``openvet.config.asgi`` on PostgreSQL (the course selection
bench's settings, with a connection pool), with the Redis channel layer by default
(``--layer memory``: the in-memory layer, one worker). A separate load process (this one)
drives the teacher's screen and the phones over loopback:

1. each phone signs in (a session made here), opens the join page, posts the code and opens
   the live WebSocket; join time = from the page request to the state on the socket;
2. the screen asks a question; each phone answers within ``--window`` seconds; answer
   latency = answer sent -> the screen has it in its chart data (the first tally naming the
   phone: a tally names the phones it newly counts);
3. each phone sends two bullet comments; every one acknowledged must reach the screen.

Also printed: the server's and PostgreSQL's CPU time per message (answers and comments) from
the question on, which does not depend on the machine's load, and the load average.

``dropped`` counts questions not delivered to a phone, answers not acknowledged or not
charted, and acknowledged comments not shown. Last line:
``phones=N join_p99_ms=N answer_p99_ms=N dropped=N``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from course_selection import (
    _cpu_seconds,
    _processes,
    _psql,
    env_for_django,
    percentile,
    prepare_database,
)

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv" / "bin"
DB_NAME = "openvet_bench_live"
PORT = 8151
CHANNEL_REDIS = "redis://127.0.0.1:6379/7"


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="100 phones, a 3 s window")
    parser.add_argument("--phones", type=int, default=None)
    parser.add_argument("--window", type=float, default=None, help="seconds to answer in")
    parser.add_argument("--layer", choices=["redis", "memory"], default="redis")
    parser.add_argument("--workers", type=int, default=None, help="uvicorn workers")
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--reuse-db", action="store_true")
    args = parser.parse_args()
    args.phones = args.phones or (100 if args.quick else 300)
    args.window = args.window or (3.0 if args.quick else 5.0)
    # The in-memory layer lives in one process: one worker, or the groups would not meet.
    args.workers = 1 if args.layer == "memory" else (args.workers or 2)
    return args


def server_env(args: argparse.Namespace) -> dict[str, str]:
    env = env_for_django(DB_NAME, server=True)
    env["OPENVET_CHANNEL_REDIS_URL"] = CHANNEL_REDIS if args.layer == "redis" else ""
    env["BENCH_POOL_SIZE"] = "12"
    return env


def seed(phones: int) -> tuple[str, int, str, list[tuple[int, str]]]:
    """A school, a class of ``phones`` students, their teacher, the course and its running
    live session; returns the teacher's session key, the live id, its code and the phones'
    (user id, session key)."""
    os.environ.update(env_for_django(DB_NAME))
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from openvet.core.roles import Role
    from openvet.identity.tests.factories import UserFactory, grant, user_with_role
    from openvet.learning import services as learning
    from openvet.learning.live import services as live_services
    from openvet.records.tests.factories import Campus, student
    from openvet.teaching.tests.factories import TeachingTaskFactory, TermFactory

    # The accounts sign in by sessions made here: a slow password hash would only slow seeding.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    campus = Campus("Bench college")
    teacher = user_with_role(Role.TEACHER, campus.department, full_name="Teacher")
    term = TermFactory(org=campus.school, academic_year=2026)
    task = TeachingTaskFactory(term=term, classes=[campus.klass], teachers=[teacher])
    course = learning.course_create(actor=teacher, task=task, title="Bench course")
    users = []
    for n in range(phones):
        user = UserFactory(home_org=campus.klass, full_name=f"Student {n:03d}")
        grant(user, Role.STUDENT, campus.klass)
        # A birth date per student: the factory's ID numbers repeat after 250 per date.
        birth = date(2004, 1, 1) + timedelta(days=n)
        student(campus, user=user, class_unit=campus.klass, grade_year=2024, birth=birth)
        users.append(user)
    live = live_services.live_start(actor=teacher, course=course)

    def session_for(user: Any) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # the account backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return str(store.session_key)

    return session_for(teacher), live.pk, live.code, [(u.pk, session_for(u)) for u in users]


def start_server(args: argparse.Namespace) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            str(VENV / "uvicorn"),
            "openvet.config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(args.port),
            "--workers",
            str(args.workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        env=server_env(args),
        cwd=ROOT,
        start_new_session=True,  # its own group: stopping it stops its workers too
    )


class Stats:
    def __init__(self) -> None:
        self.joins: list[float] = []
        self.sent: dict[int, float] = {}
        self.charted: dict[int, float] = {}
        self.acked: set[int] = set()
        self.questions_seen = 0
        self.comments_acked = 0
        self.comments_shown = 0
        self.errors: list[str] = []
        self.failed_joins: list[str] = []
        self.cpu: dict[str, float] = {}
        self.comments_sent = 0


def _backends() -> set[int]:
    found = _psql(f"SELECT pid FROM pg_stat_activity WHERE datname = '{DB_NAME}'")  # noqa: S608
    return {int(pid) for pid in found.split()}


def _cpu(server_pid: int, backends: set[int]) -> dict[str, float]:
    """CPU seconds so far of the server (with its workers) and the bench database's backends."""
    server = {server_pid} | {pid for pid, parent, _name in _processes() if parent == server_pid}
    return {"server": _cpu_seconds(server), "postgres": _cpu_seconds(backends)}


def _headers(base: str, session: str) -> list[tuple[str, str]]:
    return [("Cookie", f"sessionid={session}"), ("Origin", base)]


async def screen(
    base: str, live_id: int, session: str, stats: Stats, ready: asyncio.Event, done: asyncio.Event
) -> Any:
    from websockets.asyncio.client import connect

    uri = base.replace("http", "ws") + f"/ws/learning/live/{live_id}/"
    socket = await connect(uri, additional_headers=_headers(base, session), max_queue=None)
    ready.set()

    async def listen() -> None:
        async for raw in socket:
            message = json.loads(raw)
            if message["type"] == "tally" and message.get("by"):
                at = time.perf_counter()
                for user_id in message["by"]:  # a push names the phones it newly counts
                    stats.charted.setdefault(user_id, at)
            elif message["type"] == "comment":
                stats.comments_shown += 1
            elif message["type"] == "error":
                stats.errors.append(message["message"])

    task = asyncio.create_task(listen())
    return socket, task


async def _join(base: str, live_id: int, code: str, session: str, stats: Stats) -> Any:
    import httpx
    from websockets.asyncio.client import connect

    started = time.perf_counter()
    async with httpx.AsyncClient(
        base_url=base, cookies={"sessionid": session}, timeout=30
    ) as client:
        page = await client.get("/learning/live/join/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if token is None:
            raise SystemExit(f"join page: {page.status_code}")
        joined = await client.post(
            "/learning/live/join/",
            data={"code": code, "csrfmiddlewaretoken": token.group(1)},
            headers={"Referer": base + "/learning/live/join/"},
        )
        if joined.status_code != 302:
            raise SystemExit(f"join refused: {joined.status_code}")
    uri = base.replace("http", "ws") + f"/ws/learning/live/{live_id}/"
    socket = await connect(
        uri, additional_headers=_headers(base, session), max_queue=None, open_timeout=30
    )
    state = json.loads(await socket.recv())
    if state["type"] != "state":
        raise SystemExit(f"no state: {state}")
    stats.joins.append(time.perf_counter() - started)
    return socket


async def phone(
    base: str,
    live_id: int,
    code: str,
    user_id: int,
    session: str,
    stats: Stats,
    window: float,
    asked: asyncio.Event,
    gate: asyncio.Semaphore,
) -> Any:
    import httpx
    from websockets.exceptions import WebSocketException

    async with gate:
        try:
            socket = await _join(base, live_id, code, session, stats)
        except (OSError, httpx.HTTPError, WebSocketException, SystemExit) as exc:
            stats.failed_joins.append(repr(exc))
            return None

    async def play() -> None:
        try:
            await _play()
        except WebSocketException as exc:
            stats.errors.append(repr(exc))

    async def _play() -> None:
        async for raw in socket:
            message = json.loads(raw)
            if message["type"] == "question" and message["question"]:
                stats.questions_seen += 1
                await asyncio.sleep(random.uniform(0, window))
                stats.sent[user_id] = time.perf_counter()
                question = message["question"]
                choice = random.randrange(len(question["choices"]))
                await socket.send(
                    json.dumps({"type": "answer", "question": question["id"], "choice": choice})
                )
                for n in range(2):
                    await asyncio.sleep(random.uniform(0.2, 1.5))
                    stats.comments_sent += 1
                    await socket.send(
                        json.dumps({"type": "comment", "text": f"弹幕 {user_id}-{n}"})
                    )
            elif message["type"] == "answered":
                stats.acked.add(user_id)
            elif message["type"] == "comment_sent":
                stats.comments_acked += 1
            elif message["type"] == "error":
                stats.errors.append(message["message"])

    return socket, asyncio.create_task(play())


async def run(
    args: argparse.Namespace,
    teacher: str,
    live_id: int,
    code: str,
    phones: list[tuple[int, str]],
    server_pid: int,
) -> Stats:
    base = f"http://127.0.0.1:{args.port}"
    stats = Stats()
    ready, done, asked = asyncio.Event(), asyncio.Event(), asyncio.Event()
    teacher_socket, teacher_task = await screen(base, live_id, teacher, stats, ready, done)
    gate = asyncio.Semaphore(25)  # a class arriving within a few seconds, not at one instant
    joined = await asyncio.gather(
        *(phone(base, live_id, code, uid, s, stats, args.window, asked, gate) for uid, s in phones)
    )
    backends = _backends()
    before = _cpu(server_pid, backends)
    await teacher_socket.send(
        json.dumps(
            {"type": "ask", "text": "G00 是什么？", "choices": ["快速定位", "直线插补", "圆弧插补"]}
        )
    )
    deadline = time.perf_counter() + args.window + 60  # late is slow, not dropped
    while time.perf_counter() < deadline:
        if len(stats.charted) >= len(
            phones
        ) and stats.comments_shown >= stats.comments_acked >= 2 * len(phones):
            break
        await asyncio.sleep(0.2)
    await asyncio.sleep(1)  # stragglers
    after = _cpu(server_pid, backends | _backends())
    stats.cpu = {key: after[key] - before[key] for key in after}
    for socket, task in [*(j for j in joined if j), (teacher_socket, teacher_task)]:
        task.cancel()
        await socket.close()
    return stats


def wait_ready(port: int) -> None:
    import httpx

    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not start")


def main() -> None:
    args = parse()
    random.seed(2026)
    prepare_database(args.reuse_db, DB_NAME)
    started = time.perf_counter()
    teacher, live_id, code, phones = seed(args.phones)
    print(f"seeded {args.phones} phones in {time.perf_counter() - started:.0f} s", flush=True)
    server = start_server(args)
    try:
        wait_ready(args.port)
        stats = asyncio.run(run(args, teacher, live_id, code, phones, server.pid))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    latencies = [stats.charted[u] - stats.sent[u] for u in stats.sent if u in stats.charted]
    dropped = (
        (len(stats.joins) - stats.questions_seen)
        + (len(stats.sent) - len(stats.acked))
        + (len(stats.sent) - len(latencies))
        + (stats.comments_acked - stats.comments_shown)
        + len(stats.failed_joins)
    )
    load = os.getloadavg()
    messages = max(1, len(stats.sent) + stats.comments_sent)
    print(
        f"CPU ms per message (answers and comments, load-independent): "
        f"server {1000 * stats.cpu.get('server', 0) / messages:.2f}, "
        f"postgres {1000 * stats.cpu.get('postgres', 0) / messages:.2f} "
        f"({messages} messages)"
    )
    print(
        f"layer={args.layer} workers={args.workers} window_s={args.window} "
        f"comments_shown={stats.comments_shown} refusals={len(stats.errors)} "
        f"failed_joins={len(stats.failed_joins)} "
        f"join_p50_ms={percentile(stats.joins, 0.5) * 1000:.0f} "
        f"answer_p50_ms={percentile(latencies, 0.5) * 1000:.0f} "
        f"load={load[0]:.1f},{load[1]:.1f},{load[2]:.1f}"
    )
    print(
        f"phones={len(stats.joins)} join_p99_ms={percentile(stats.joins, 0.99) * 1000:.0f} "
        f"answer_p99_ms={percentile(latencies, 0.99) * 1000:.0f} dropped={dropped}"
    )


if __name__ == "__main__":
    main()
