"""Benchmark resource search (jieba into SQLite FTS5 or PostgreSQL) and OAI-PMH harvesting.

Usage (from the repository root):
    .venv/bin/python bench/resource_search.py            # 100,000 resources
    .venv/bin/python bench/resource_search.py --quick    # 2,000 resources
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/openvet_bench \\
        .venv/bin/python bench/resource_search.py         # on PostgreSQL (an empty database)

Without DATABASE_URL it uses a scratch SQLite database in a temporary OPENVET_VAR_DIR, never
the developer's var/. It generates resources with Chinese titles, descriptions and extracted
text from a vocabulary of vocational majors and topics, segments and indexes them as the
service does, runs 50 typical queries (single words, phrases, major names, some with facets)
through ``selectors.resource_search`` as a teacher would, three rounds, and harvests the
library with OAI-PMH ListRecords (oai_dc) following the resumption tokens; then a provincial
library harvests it over real HTTP (a server on port 8133 in a thread) with the harvester,
writing and indexing each record (the records of one major). Prints
p50/p99 per engine and records per second; the last line is
``resources=N search_p99_ms=N oai_records_per_s=N harvest_records_per_s=N``. It asserts
nothing about time.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

if not os.environ.get("DATABASE_URL"):
    os.environ["OPENVET_VAR_DIR"] = tempfile.mkdtemp(prefix="openvet-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openvet.config.settings.base")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.backends.signals import connection_created  # noqa: E402
from django.test import Client  # noqa: E402

from openvet.core.models import OrgKind, OrgUnit  # noqa: E402
from openvet.core.roles import Role  # noqa: E402
from openvet.core.tests.factories import OrgUnitFactory, department  # noqa: E402
from openvet.identity.tests.factories import user_with_role  # noqa: E402
from openvet.resources import selectors  # noqa: E402
from openvet.resources.models import Resource  # noqa: E402
from openvet.resources.search import sqlite as sqlite_search  # noqa: E402
from openvet.resources.search import words_text  # noqa: E402

MAJORS = {
    "510201": "计算机应用技术",
    "460103": "数控技术",
    "460301": "电气自动化技术",
    "500201": "汽车检测与维修技术",
    "530302": "大数据与会计",
    "520201": "护理",
    "540101": "旅游管理",
    "440301": "建筑工程技术",
}
TOPICS = [
    "数控车床对刀",
    "PLC编程",
    "网络布线",
    "单片机应用",
    "汽车发动机拆装",
    "财务报表分析",
    "静脉输液护理",
    "导游讲解",
    "钢筋工程施工",
    "Python数据分析",
    "工业机器人示教",
    "传感器检测",
    "电子商务运营",
    "数据库设计",
    "液压与气动",
    "机械制图",
    "电工安全操作",
    "云计算平台部署",
    "会计电算化",
    "急救技能",
]
KINDS = ["微课", "实训指导书", "教学课件", "操作演示视频", "虚拟仿真", "习题集", "案例", "讲义"]
PHRASES = [
    "本资源面向高职学生，配合实训课程使用",
    "讲解关键步骤与常见错误，并给出评分标准",
    "结合企业真实项目，循序渐进地介绍操作要点",
    "包含课前预习、课中练习与课后拓展任务",
    "适用于岗位实习前的技能强化训练",
    "依据国家职业技能标准编写，突出安全规范",
]
TYPES = ["video", "document", "slides", "courseware", "simulation", "questions", "case"]
QUERIES = [
    *[(topic, {}) for topic in TOPICS],
    *[(name, {}) for name in MAJORS.values()],
    ("对刀", {}),
    ("编程", {"resource_type": "video"}),
    ("实训指导书", {}),
    ("安全规范", {}),
    ("企业真实项目", {}),
    ("虚拟仿真 护理", {}),
    ("python", {}),
    ("数据分析", {"major_code": "510201"}),
    ("发动机", {"certified": "yes"}),
    ("课件", {"level": "national"}),
    ("PLC编程 微课", {}),
    ("钢筋", {"resource_type": "document"}),
    ("评分标准", {}),
    ("岗位实习", {}),
    ("会计", {"licence": "cc-by"}),
    ("传感器", {}),
    ("导游", {}),
    ("机械制图 习题集", {}),
    ("急救", {}),
    ("云计算", {}),
    ("单片机", {}),
    ("数据库", {}),
]


def _scratch_sqlite(sender: object, connection: object, **kwargs: object) -> None:
    """The scratch SQLite database need not survive a power cut: no fsync per commit."""
    if getattr(connection, "vendor", "") == "sqlite":
        with connection.cursor() as cursor:  # type: ignore[attr-defined]
            cursor.execute("PRAGMA synchronous=OFF")


@functools.cache
def _words(piece: str) -> str:
    """The segmented words of one piece of the vocabulary, cut once (generating 100,000
    resources must not run jieba 200,000 times over the same few dozen pieces)."""
    return words_text(piece)


def _resource_row(rng: random.Random, number: int) -> tuple[dict[str, object], str, str]:
    """The fields of one resource and its title and body words as the service would index
    them: the words of the pieces the text is made of, joined."""
    code, major = rng.choice(list(MAJORS.items()))
    topic, kind = rng.choice(TOPICS), rng.choice(KINDS)
    described, extracted = rng.sample(PHRASES, 3), rng.sample(PHRASES, 4)
    keywords = rng.sample(TOPICS, 2)
    fields = {
        "title": f"{topic}{kind}（{number}）",
        "description": f"{major}：" + "，".join(described),
        "resource_type": rng.choice(TYPES),
        "major_code": code,
        "keywords": ",".join(keywords),
        "licence": rng.choice(["cc-by", "cc-by-sa", "platform-free"]),
        "certified_level": "national" if rng.random() < 0.2 else "",
        "views": rng.randrange(0, 500),
    }
    title_words = f"{_words(topic)} {_words(kind)} {number}"
    body = [major, *described, *keywords, major, "专业", topic, *extracted]
    return fields, title_words, " ".join(_words(piece) for piece in body)


def _insert_search_rows(rows: list[tuple[int, str, str]]) -> None:
    """The search rows straight into their tables, as ``services.resources._index`` writes
    them one by one: ``SearchText`` (PostgreSQL indexes it) and, on SQLite, the FTS5 table."""
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO resources_searchtext (resource_id, title_words, body_words) "
            "VALUES (%s, %s, %s)",
            rows,
        )
        if connection.vendor == "sqlite":
            cursor.executemany(
                f"INSERT INTO {sqlite_search.TABLE} (resource_id, title, body) "  # noqa: S608
                "VALUES (%s, %s, %s)",
                rows,
            )


def generate(count: int, seed: int = 1) -> tuple[object, int]:
    """``count`` published national resources, segmented and indexed; the reader and count.

    Bulk inserts straight into the tables, one transaction per batch: a bench's data, not the
    service path (which the search tests cover)."""
    province = OrgUnit.objects.filter(kind=OrgKind.PROVINCE).first() or OrgUnitFactory(
        kind=OrgKind.PROVINCE,
        name="Bench province",
        code="330000",
        parent=OrgUnit.objects.filter(kind=OrgKind.NATION).first(),
    )
    school = OrgUnitFactory(
        kind=OrgKind.SCHOOL, name="Bench school", code="BENCH1", parent=province
    )
    owner = user_with_role(Role.TEACHER, department(school, name="Bench"))
    reader = user_with_role(Role.TEACHER, department(school, name="Readers"))
    rng = random.Random(seed)
    batch = 5000
    for start in range(0, count, batch):
        made = [_resource_row(rng, number) for number in range(start, min(count, start + batch))]
        with transaction.atomic():
            created = Resource.objects.bulk_create(
                Resource(org=school, owner=owner, status="published", level="national", **fields)
                for fields, _, _ in made
            )
            _insert_search_rows(
                [(r.pk, title, body) for r, (_, title, body) in zip(created, made, strict=True)]
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE resources_resource")
            cursor.execute("ANALYZE resources_searchtext")
    return reader, count


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench_search(reader: object, rounds: int) -> list[float]:
    timings = []
    for _ in range(rounds):
        for query, filters in QUERIES:
            started = time.perf_counter()
            selectors.resource_search(actor=reader, query=query, filters=filters, limit=20)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def bench_oai(limit: int) -> tuple[int, float]:
    client = Client(HTTP_HOST="localhost")
    started = time.perf_counter()
    response = client.get("/oai/", {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    harvested = 0
    while True:
        body = response.content.decode()
        harvested += body.count("<record>")
        token = re.search(r"<resumptionToken[^>]*>([^<]+)</resumptionToken>", body)
        if token is None or harvested >= limit:
            break
        response = client.get("/oai/", {"verb": "ListRecords", "resumptionToken": token.group(1)})
    return harvested, time.perf_counter() - started


HARVEST_PORT = 8133


def bench_harvest() -> tuple[int, float]:
    """A provincial library harvests the national records over HTTP; records and seconds."""
    import threading
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler

    from openvet.resources.services.harvest import source_create, source_harvest

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

    # The provider offers the national records only, so the provincial copies are not offered.
    settings.RESOURCES_OAI_LEVELS = ["national"]
    server = make_server("127.0.0.1", HARVEST_PORT, WSGIHandler(), handler_class=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        province = OrgUnit.objects.filter(kind=OrgKind.PROVINCE).first()
        admin = user_with_role(Role.REGIONAL_ADMIN, province)
        source = source_create(
            actor=admin,
            name="bench",
            base_url=f"http://127.0.0.1:{HARVEST_PORT}/oai/",
            set_spec=f"major:{next(iter(MAJORS))}",
        )
        started = time.perf_counter()
        counts = source_harvest(source.pk)
        seconds = time.perf_counter() - started
    finally:
        server.shutdown()
    return (counts.added if counts else 0), seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 resources")
    parser.add_argument("--resources", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the 50 queries")
    parser.add_argument("--oai-records", type=int, default=None, help="records to harvest")
    parser.add_argument(
        "--no-harvest", action="store_true", help="skip harvesting over HTTP (one major's records)"
    )
    args = parser.parse_args(argv)
    count = args.resources or (2_000 if args.quick else 100_000)
    connection_created.connect(_scratch_sqlite)
    call_command("migrate", verbosity=0)
    print(f"engine {connection.vendor}, {count:,} resources")
    started = time.perf_counter()
    reader, _ = generate(count)
    print(f"generated and indexed in {time.perf_counter() - started:.1f} s")
    timings = bench_search(reader, args.rounds)
    p50, p99 = statistics.median(timings), percentile(timings, 0.99)
    print(f"search {connection.vendor}: {len(timings)} queries, p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    harvested, seconds = bench_oai(args.oai_records or min(count, 2_000 if args.quick else 20_000))
    rate = harvested / seconds if seconds else 0.0
    print(f"oai ListRecords: {harvested:,} records in {seconds:.1f} s")
    copied, copy_seconds = (0, 0.0) if args.no_harvest else bench_harvest()
    copy_rate = copied / copy_seconds if copy_seconds else 0.0
    print(f"harvested over HTTP into the provincial library: {copied:,} in {copy_seconds:.1f} s")
    print(
        f"resources={count} search_p99_ms={p99:.0f} oai_records_per_s={rate:.0f} "
        f"harvest_records_per_s={copy_rate:.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
