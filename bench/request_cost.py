"""Measure what each page and API read costs the server: CPU time and SQL queries per request.

Usage (from the repository root; PostgreSQL at 127.0.0.1:5432, user postgres, trust auth):
    .venv/bin/python bench/request_cost.py            # 100 requests per URL
    .venv/bin/python bench/request_cost.py --quick    # 10 requests per URL, under a minute
    .venv/bin/python bench/request_cost.py --only teacher1 --repeat 50
    .venv/bin/python bench/request_cost.py --quick --server gunicorn   # WSGI, as production

Steps: clone the scratch database ``openvet_bench_requests`` from a template that is migrated
and seeded with ``openvet demo`` (the template is keyed by the migrations and the demo's source,
so later runs clone it in a second); start uvicorn (openvet.config.asgi, one worker), or
gunicorn (openvet.config.wsgi, one sync worker, whose CPU time is read) with
``request_cost_settings`` (base settings, a connection pool, and a bench-only middleware that
counts each request's queries into a header) and, as in production, Redis (127.0.0.1:6379,
database 14; ``REDIS_URL`` overrides) for the cache and the sessions; sign in each featured
demo account through the sign-in form (a session, for pages) and issue it an API token (for
API reads); then, for each account and each page or API read it uses most, warm up and send
N requests one after another, reading the server process's CPU time (/proc/<pid>/stat,
user + system) before and after.
CPU time per request does not depend on what else the machine runs, unlike wall time.
The floor is a trivial route (full middleware stack, one query) measured the same way.
The last line is ``pages=N median_cpu_ms=N max_cpu_ms=N max_queries=N``. Prints figures;
asserts nothing.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from course_selection import (
    ROOT,
    VENV,
    _psql,
    free_port,
)

DB_NAME = "openvet_bench_requests"
DEMO_PASSWORD = "Demo#2024vet"  # noqa: S105 - the demo's published password (demo/seed.py)
QUERIES_HEADER = "X-Bench-Queries"
BENCH_REDIS_URL = "redis://127.0.0.1:6379/14"  # a database of its own on the local Redis
# The demo's personal data is encrypted at rest; the seeded template is shared by every
# checkout on the machine, so the key must not be a checkout's own ``var/pii_key``.
BENCH_PII_KEY = base64.urlsafe_b64encode(b"openvet bench only, not a secret").decode()

# The pages (P) and API reads (A) each featured demo account uses most. ``{student}`` and
# ``{term}`` are filled with the first student and term the account's own API lists show.
ROUTES: dict[str, tuple[str, ...]] = {
    "platform": ("P /", "P /orgs/", "A /api/v1/core/orgs?limit=20"),
    "region": ("P /", "P /orgs/", "A /api/v1/core/orgs?limit=20"),
    "admin1": (
        "P /",
        "P /records/students/",
        "P /records/students/{student}/",
        "P /records/staff/",
        "P /accounts/users/",
        "P /workflow/tasks/",
        "P /teaching/",
        "P /teaching/terms/{term}/",
        "P /teaching/terms/{term}/tasks/",
        "A /api/v1/records/students?limit=20",
        "A /api/v1/records/students/{student}",
        "A /api/v1/records/staff?limit=20",
        "A /api/v1/core/orgs?limit=20",
        "A /api/v1/identity/users?limit=20",
        "A /api/v1/workflow/approval-tasks?limit=20",
        "A /api/v1/teaching/terms?limit=20",
        "A /api/v1/teaching/terms/{term}/tasks?limit=20",
    ),
    "security1": ("P /", "P /accounts/security/"),
    "audit1": ("P /", "P /audit/"),
    "head1": ("P /", "P /workflow/tasks/", "P /records/students/", "P /teaching/"),
    "teacher1": (
        "P /",
        "P /teaching/mine/",
        "P /teaching/attendance/",
        "P /teaching/grades/",
        "P /workflow/tasks/",
        "A /api/v1/teaching/lectures?term_id={term}&limit=20",
    ),
    "counsellor1": (
        "P /",
        "P /records/students/",
        "P /records/students/{student}/",
        "P /workflow/tasks/",
        "P /teaching/attendance/",
        "A /api/v1/records/students?limit=20",
        "A /api/v1/workflow/approval-tasks?limit=20",
    ),
    "student1": (
        "P /",
        "P /teaching/mine/",
        "P /teaching/attendance/",
        "P /teaching/grades/",
        "A /api/v1/teaching/lectures?term_id={term}&limit=20",
        "A /api/v1/teaching/attendance-records?limit=20",
        "A /api/v1/teaching/transcripts/me",
    ),
    "mentor1": ("P /", "P /workflow/tasks/"),
    "evaluator1": ("P /", "P /teaching/evaluation/"),
}


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10 requests per URL")
    parser.add_argument("--repeat", type=int, default=None, help="requests per URL")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured requests per URL")
    parser.add_argument("--scale", type=float, default=1.0, help="demo scale (openvet demo)")
    parser.add_argument("--only", default="", help="comma-separated accounts")
    parser.add_argument("--reuse-db", action="store_true", help="keep the scratch database")
    parser.add_argument(
        "--server",
        choices=("uvicorn", "gunicorn"),
        default="uvicorn",
        help="ASGI under uvicorn, or WSGI under gunicorn (one sync worker)",
    )
    args = parser.parse_args()
    args.repeat = args.repeat or (10 if args.quick else 100)
    return args


def env_for_django(database: str = DB_NAME, *, server: bool = False) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    env["DJANGO_SETTINGS_MODULE"] = "openvet.config.settings.base"
    env.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 40)
    env["OPENVET_PII_KEY"] = BENCH_PII_KEY
    env["DATABASE_CONN_MAX_AGE"] = "0"
    env["OPENVET_LOG_LEVEL"] = "ERROR"
    env["OPENVET_DEMO"] = "true"  # the demo relaxes administrators' second factor
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "bench"), env.get("PYTHONPATH", "")])
    if server:
        env["DJANGO_SETTINGS_MODULE"] = "request_cost_settings"
        # As production runs (README, step 1): sessions and the cache in Redis.
        env.setdefault("REDIS_URL", BENCH_REDIS_URL)
    return env


def _template_name(scale: float) -> str:
    """A migrated, demo-seeded template per set of migrations and demo source."""
    digest = hashlib.sha256(f"scale={scale} pii={BENCH_PII_KEY}".encode())
    src = ROOT / "src" / "openvet"
    paths = [*src.glob("*/migrations/*.py"), *src.glob("*/*/migrations/*.py")]
    paths += [*(src / "demo").rglob("*.py"), *(src / "demo" / "data").rglob("*")]
    for path in sorted(p for p in paths if p.is_file()):
        digest.update(f"{path.relative_to(ROOT)}:{path.stat().st_size}".encode())
    return f"{DB_NAME}_tpl_{digest.hexdigest()[:10]}"


def prepare_database(args: argparse.Namespace) -> float:
    started = time.perf_counter()
    if args.reuse_db and _psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'"):  # noqa: S608
        return 0.0
    template = _template_name(args.scale)
    if not _psql(f"SELECT 1 FROM pg_database WHERE datname = '{template}'"):  # noqa: S608
        building = f"{template}_building"
        _psql(f"DROP DATABASE IF EXISTS {building}")
        _psql(f"CREATE DATABASE {building}")
        for command in (["migrate"], ["demo", "--scale", str(args.scale)]):
            subprocess.run(
                [str(VENV / "openvet"), *command, "--verbosity", "0"],
                check=True,
                env=env_for_django(building),
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
        _psql(f"ALTER DATABASE {building} RENAME TO {template}")
    _psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    _psql(f"CREATE DATABASE {DB_NAME} TEMPLATE {template}")
    return time.perf_counter() - started


def server_command(server: str, port: int) -> list[str]:
    if server == "gunicorn":
        return [
            str(VENV / "gunicorn"),
            "openvet.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
        ]
    return [
        str(VENV / "uvicorn"),
        "openvet.config.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--no-access-log",
        "--log-level",
        "warning",
    ]


def start_server(server: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        server_command(server, port), env=env_for_django(server=True), cwd=ROOT
    )
    return process, f"http://127.0.0.1:{port}"


def serving_pid(process: subprocess.Popen[bytes]) -> int:
    """The process that answers: uvicorn itself, or gunicorn's (single) worker."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    return int(children[0]) if children else process.pid


def wait_ready(base: str) -> None:
    import httpx

    for _ in range(600):
        try:
            if httpx.get(f"{base}/healthz", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not start")


def server_cpu(pid: int) -> float:
    """User plus system CPU seconds of the (single) server process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Account:
    username: str
    session: object  # httpx.Client with the session cookie
    api: object  # httpx.Client with the bearer token


def sign_in(base: str, username: str) -> Account:
    """A browser session through the sign-in form, and a read token through the API."""
    import httpx

    headers = {"Accept-Language": "zh-hans"}
    browser = httpx.Client(base_url=base, headers=headers, timeout=30)
    form = browser.get("/accounts/login/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    if csrf is None:
        raise SystemExit(f"no sign-in form for {username}: {form.status_code}")
    answer = browser.post(
        "/accounts/login/",
        data={
            "csrfmiddlewaretoken": csrf.group(1),
            "username": username,
            "password": DEMO_PASSWORD,
        },
        headers={"Referer": f"{base}/accounts/login/"},
    )
    if answer.status_code != 302:
        raise SystemExit(f"{username} could not sign in: {answer.status_code}")
    issued = httpx.post(
        f"{base}/api/v1/identity/tokens",
        json={"name": "bench", "username": username, "password": DEMO_PASSWORD},
        timeout=30,
    )
    if issued.status_code != 201:
        raise SystemExit(f"{username} got no token: {issued.status_code} {issued.text[:200]}")
    api = httpx.Client(
        base_url=base,
        headers={**headers, "Authorization": f"Bearer {issued.json()['token']}"},
        timeout=30,
    )
    return Account(username, browser, api)


def first_ids(account: Account) -> dict[str, str]:
    """The first student and term the account sees, to fill ``{student}`` and ``{term}``."""
    found = {}
    for key, url in (
        ("student", "/api/v1/records/students?limit=1"),
        ("term", "/api/v1/teaching/terms?limit=1"),
    ):
        answer = account.api.get(url)  # type: ignore[attr-defined]
        items = answer.json().get("items", []) if answer.status_code == 200 else []
        if items:
            found[key] = str(items[0]["id"])
    return found


@dataclass
class Figure:
    who: str
    kind: str
    url: str
    status: int
    cpu_ms: float
    queries: int
    max_queries: int


def measure(pid: int, client: object, url: str, *, repeat: int, warmup: int) -> Figure:
    for _ in range(warmup):
        client.get(url)  # type: ignore[attr-defined]
    counts = []
    status = 0
    before = server_cpu(pid)
    for _ in range(repeat):
        answer = client.get(url)  # type: ignore[attr-defined]
        status = answer.status_code
        counts.append(int(answer.headers.get(QUERIES_HEADER, "-1")))
    cpu_ms = 1000 * (server_cpu(pid) - before) / repeat
    return Figure("", "", url, status, cpu_ms, int(statistics.median(counts)), max(counts))


def main() -> None:
    import httpx

    args = parse()
    prepared_s = prepare_database(args)
    server, base = start_server(args.server)
    figures: list[Figure] = []
    try:
        wait_ready(base)
        pid = serving_pid(server)
        anonymous = httpx.Client(base_url=base, timeout=30)
        floor = measure(pid, anonymous, "/bench/floor", repeat=args.repeat, warmup=args.warmup)
        floor.who, floor.kind = "-", "floor"
        figures.append(floor)
        wanted = [u for u in args.only.split(",") if u] or list(ROUTES)
        for username in wanted:
            account = sign_in(base, username)
            ids = first_ids(account)
            for route in ROUTES[username]:
                kind, template = route.split(" ", 1)
                try:
                    url = template.format(**ids)
                except KeyError:
                    continue  # the account sees no student or term
                client = account.session if kind == "P" else account.api
                figure = measure(pid, client, url, repeat=args.repeat, warmup=args.warmup)
                figure.who, figure.kind = username, "page" if kind == "P" else "api"
                figures.append(figure)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"database: {DB_NAME} (prepared in {prepared_s:.1f} s); {args.repeat} requests per URL; "
        f"served by {args.server}"
    )
    print(f"{'account':<12} {'kind':<5} {'status':>6} {'cpu_ms':>7} {'queries':>7}  url")
    for f in figures:
        queries = f"{f.queries}" if f.queries == f.max_queries else f"{f.queries}-{f.max_queries}"
        print(f"{f.who:<12} {f.kind:<5} {f.status:>6} {f.cpu_ms:>7.2f} {queries:>7}  {f.url}")
    measured = [f for f in figures if f.kind != "floor"]
    errors = [f for f in measured if f.status >= 400]
    cpu = [f.cpu_ms for f in measured]
    pages = [f.cpu_ms for f in measured if f.kind == "page"] or [0.0]
    reads = [f.cpu_ms for f in measured if f.kind == "api"] or [0.0]
    print(
        f"floor {floor.cpu_ms:.2f} ms; pages {statistics.median(pages):.2f} ms median, "
        f"API reads {statistics.median(reads):.2f} ms median; {len(errors)} answered 4xx/5xx; "
        f"machine load average {os.getloadavg()[0]:.1f}; {os.cpu_count()} CPUs"
    )
    print(
        f"pages={len(measured)} median_cpu_ms={statistics.median(cpu):.1f} "
        f"max_cpu_ms={max(cpu):.1f} max_queries={max(f.max_queries for f in measured)}"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "bench"))
    main()
