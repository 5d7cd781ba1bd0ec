"""Profile one page or API read in-process: where a request's server CPU goes.

Usage (after ``request_cost.py`` has built its demo database; from the repository root):
    .venv/bin/python bench/request_cost_profile.py teacher1 /teaching/mine/
    .venv/bin/python bench/request_cost_profile.py admin1 /api/v1/records/students?limit=20 \
        --api --repeat 50 --top 40 --sort tottime

Runs against a clone (``openvet_bench_profile``) of the demo template ``request_cost.py``
seeds, with the server's settings, through Django's test client: the account is signed in
with ``force_login`` (pages) or given a token (``--api``), the URL is requested a few times
unmeasured, then ``--repeat`` times under cProfile with the process's CPU clock. Prints the
CPU time and SQL statements per request, then the functions that cost most. Prints figures;
asserts nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time

from course_selection import ROOT, _psql
from request_cost import _template_name, env_for_django

PROFILE_DB = "openvet_bench_profile"


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("username")
    parser.add_argument("url")
    parser.add_argument("--api", action="store_true", help="a bearer token, not a session")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", help="pstats sort key")
    parser.add_argument("--callers", default="", help="also print who calls functions matching")
    parser.add_argument("--callees", default="", help="also print what functions matching call")
    parser.add_argument("--fresh", action="store_true", help="clone the demo database again")
    return parser.parse_args()


def prepare(fresh: bool) -> None:
    exists = _psql(f"SELECT 1 FROM pg_database WHERE datname = '{PROFILE_DB}'")  # noqa: S608
    if exists and not fresh:
        return
    _psql(f"DROP DATABASE IF EXISTS {PROFILE_DB}")
    template = _template_name(1.0)
    if not _psql(f"SELECT 1 FROM pg_database WHERE datname = '{template}'"):  # noqa: S608
        raise SystemExit("no demo database yet: run bench/request_cost.py --quick first")
    _psql(f"CREATE DATABASE {PROFILE_DB} TEMPLATE {template}")


def client_for(username: str, *, api: bool) -> object:
    from django.test import Client

    from openvet.identity.models import User

    user = User.objects.get(username=username)
    headers = {"Accept-Language": "zh-hans"}
    if not api:
        client = Client(headers=headers)
        client.force_login(user)
        return client
    from openvet.identity.tokens import token_create

    issued = token_create(actor=user, user=user, name="profile", scopes=["read"])
    return Client(headers={**headers, "Authorization": f"Bearer {issued.secret}"})


def main() -> None:
    args = parse()
    prepare(args.fresh)
    os.environ.update(env_for_django(PROFILE_DB, server=True))
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.db import connection

    client = client_for(args.username, api=args.api)
    for _ in range(3):
        answer = client.get(args.url)  # type: ignore[attr-defined]
    statements = 0

    def counted(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    profile = cProfile.Profile(time.process_time)
    started = time.process_time()
    with connection.execute_wrapper(counted):
        profile.enable()
        for _ in range(args.repeat):
            answer = client.get(args.url)  # type: ignore[attr-defined]
        profile.disable()
    spent = time.process_time() - started
    print(
        f"{args.username} {args.url}: status {answer.status_code}, "
        f"{1000 * spent / args.repeat:.2f} ms CPU (profiled) and "
        f"{statements / args.repeat:.1f} SQL statements per request"
    )
    stats = pstats.Stats(profile).strip_dirs().sort_stats(args.sort)
    stats.print_stats(args.top)
    if args.callers:
        stats.print_callers(args.callers)
    if args.callees:
        stats.print_callees(args.callees)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "bench"))
    sys.path.insert(0, str(ROOT / "src"))
    main()
