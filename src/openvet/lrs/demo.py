"""A term of platform learning records for the demo, written in bulk (no per-row queries).

Each student of a school attends classes, views and downloads resources a few times a week for
``weeks`` weeks up to today, and gets two grades; a few students fall silent in the last
two weeks and a few score low, so that dashboards and the early-warning rules have something to
show. Deterministic: the same school and students give the same statements (ids are UUID 5),
and a second run adds nothing.
"""

import random
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from openvet.lrs.models import Activity, Statement, StatementLink
from openvet.lrs.partitions import ensure_partitions
from openvet.lrs.vocabulary import activity_iri
from openvet.lrs.xapi import statements as store
from openvet.lrs.xapi.keys import related_keys

_NAMESPACE = uuid.UUID("6f1c3a52-3b0e-4c55-9a37-1f5e0c8d2b41")
BATCH = 5000


def _events(rng: random.Random, user_id: int, weeks: int, quiet: bool, low: bool) -> list[Any]:
    found: list[tuple[int, float, str, str, int, dict[str, Any] | None]] = []
    for week in range(weeks):
        if quiet and week >= weeks - 2:
            continue
        for _n in range(rng.randint(2, 4)):
            day = week * 7 + rng.randint(0, 4)
            hour = rng.uniform(8, 21)
            verb, kind = rng.choice(
                [
                    ("downloaded", "resources.resource"),
                    ("attended", "teaching.attendancesession"),
                    ("attended", "teaching.attendancesession"),
                    ("viewed", "resources.resource"),
                ]
            )
            found.append((day, hour, verb, kind, rng.randint(1, 40), None))
    for day in (weeks * 7 // 2, weeks * 7 - 20):
        total = rng.randint(35, 58) if low else rng.randint(62, 98)
        found.append((day, 15.0, "scored", "teaching.grade", user_id * 10 + day, {"total": total}))
    return found


def seed_term(*, school_id: int, user_ids: list[int], today: datetime, weeks: int = 18) -> int:
    """Store a term of learning records for these students of a school; returns how many were
    stored (0 when they are there already)."""
    from openvet.lrs.services import _platform_writer, _result, learning_statement

    if not user_ids:
        return 0
    first = uuid.uuid5(_NAMESPACE, f"{school_id}:{user_ids[0]}:0")
    if Statement.objects.filter(statement_id=first).exists():
        return 0
    writer = _platform_writer(school_id)
    start = today - timedelta(days=weeks * 7)
    rows: list[Statement] = []
    # One validated statement per verb and activity type; each event copies it and sets its
    # learner, object and result (the parts validation checks are the template's).
    templates: dict[tuple[str, str], dict[str, Any]] = {}
    for user_id in user_ids:
        rng = random.Random(f"{school_id}:{user_id}")  # noqa: S311 - demo data, not secrets
        quiet, low = rng.random() < 0.08, rng.random() < 0.1
        for n, (day, hour, verb, kind, object_id, result) in enumerate(
            _events(rng, user_id, weeks, quiet, low)
        ):
            moment = start + timedelta(days=day, hours=hour)
            template = templates.get((verb, kind))
            if template is None:
                template = learning_statement(
                    user_id=user_id, verb=verb, object_type=kind, object_id=0, result=result
                )
                templates[(verb, kind)] = template
            statement = {
                **template,
                "actor": {**template["actor"], "account": {**template["actor"]["account"]}},
                "object": {**template["object"], "id": activity_iri(kind, str(object_id))},
            }
            statement["actor"]["account"]["name"] = str(user_id)
            if result:
                statement["result"] = _result(result)
            statement["id"] = str(uuid.uuid5(_NAMESPACE, f"{school_id}:{user_id}:{n}"))
            statement["timestamp"] = store.iso(moment)
            store.prepare(statement, writer, "2.0", moment)
            rows.append(store.row_of(statement, writer))
    with transaction.atomic():
        for offset in range(0, len(rows), BATCH):
            chunk = Statement.objects.bulk_create(rows[offset : offset + BATCH])
            StatementLink.objects.bulk_create(
                [
                    StatementLink(statement_id=row.pk, key=key[:512])
                    for row in chunk
                    for key in related_keys(row.body)
                ],
                ignore_conflicts=True,
            )
        definitions = {
            row.body["object"]["id"]: row.body["object"].get("definition", {}) for row in rows
        }
        Activity.objects.bulk_create(
            [
                Activity(school_id=school_id, activity_id=key, definition=value)
                for key, value in definitions.items()
            ],
            ignore_conflicts=True,
        )
    # PostgreSQL: the term's past months get partitions of their own (ADR 0422).
    ensure_partitions()
    return len(rows)
