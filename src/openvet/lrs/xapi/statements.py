"""Storing and finding statements (the Statement resource's database side)."""

import base64
import json
import uuid as uuidlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from openvet.lrs.models import (
    Activity,
    Attachment,
    ForwardEntry,
    Statement,
    StatementLink,
    Upstream,
)
from openvet.lrs.xapi import validate
from openvet.lrs.xapi.errors import Conflict, NotFound, XapiInvalid
from openvet.lrs.xapi.keys import agent_key, object_key, related_keys

MAX_LIMIT = 100
# Properties the LRS sets, left out when two statements with the same id are compared.
_SET_BY_LRS = ("id", "stored", "authority", "version")


@dataclass(frozen=True)
class Writer:
    """Who writes: the school the statements belong to, the client (None for the platform)
    and the authority the LRS records."""

    school_id: int
    client_id: int | None
    authority: dict[str, Any]


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def prepare(statement: dict[str, Any], writer: Writer, version: str, now: datetime) -> None:
    """Complete a valid statement as the LRS stores it (id, stored, timestamp, authority,
    version; a single context activity becomes an array)."""
    statement["id"] = statement["id"].lower() if "id" in statement else str(uuidlib.uuid4())
    statement["stored"] = stored = iso(now)
    statement.setdefault("timestamp", stored)
    statement["authority"] = writer.authority
    statement.setdefault("version", "2.0.0" if version == "2.0" else "1.0.0")
    for part in (statement, statement["object"]):
        activities = (part.get("context") or {}).get("contextActivities") or {}
        for key, items in activities.items():
            if not isinstance(items, list):
                activities[key] = [items]


def _comparable(statement: dict[str, Any], keep_timestamp: bool) -> Any:
    drop = set(_SET_BY_LRS) | ({"timestamp"} if not keep_timestamp else set())
    return {key: value for key, value in statement.items() if key not in drop}


def row_of(statement: dict[str, Any], writer: Writer) -> Statement:
    target = statement["object"]
    is_voiding = statement["verb"]["id"] == validate.VOIDED
    ref = target["id"] if target.get("objectType") == "StatementRef" else None
    registration = (statement.get("context") or {}).get("registration")
    return Statement(
        statement_id=statement["id"],
        school_id=writer.school_id,
        client_id=writer.client_id,
        stored=validate.stored_time(statement["stored"]),
        timestamp=validate.stored_time(statement["timestamp"]),
        verb_id=statement["verb"]["id"][:512],
        actor_key=agent_key(statement["actor"])[:512],
        object_key=object_key(target)[:512],
        registration=registration,
        ref_target=ref,
        is_voiding=is_voiding,
        body=statement,
    )


def check_new(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The statements not stored yet; refuse one whose id is stored with other content
    (409) or that appears twice in the batch (400)."""
    ids = [s["id"].lower() for s in statements if "id" in s]
    if len(ids) != len(set(ids)):
        raise XapiInvalid("statement.id: the same id appears twice in the batch")
    stored = {
        str(row.statement_id): row.body
        for row in Statement.objects.filter(statement_id__in=ids).only("statement_id", "body")
    }
    fresh = []
    for statement in statements:
        known = stored.get(str(statement.get("id", "")).lower())
        if known is None:
            fresh.append(statement)
            continue
        keep = "timestamp" in statement
        if _comparable(known, keep) != _comparable(statement, keep):
            raise Conflict(f"statement {statement['id']} is stored with other content")
    return fresh


def _check_voiding(statements: list[dict[str, Any]]) -> list[str]:
    targets = [s["object"]["id"].lower() for s in statements if s["verb"]["id"] == validate.VOIDED]
    if targets and Statement.objects.filter(statement_id__in=targets, is_voiding=True).exists():
        raise XapiInvalid("statement.object: a voiding statement cannot be voided")
    return targets


def _definitions(statements: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The activity definitions of a batch, merged per activity in batch order."""
    definitions: dict[str, dict[str, Any]] = {}
    for statement in statements:
        target = statement["object"]
        if target.get("objectType", "Activity") == "Activity" and "definition" in target:
            merged = definitions.setdefault(target["id"], {})
            for key, value in target["definition"].items():
                if isinstance(value, dict) and isinstance(merged.get(key), dict):
                    merged[key] = {**merged[key], **value}
                else:
                    merged[key] = value
    return definitions


def _merge_activities(statements: list[dict[str, Any]], school_id: int) -> None:
    for activity_id, definition in _definitions(statements).items():
        row, created = Activity.objects.get_or_create(
            school_id=school_id, activity_id=activity_id, defaults={"definition": definition}
        )
        if created:
            continue
        merged = dict(row.definition)
        for key, value in definition.items():
            old = merged.get(key)
            merged[key] = (
                {**old, **value} if isinstance(value, dict) and isinstance(old, dict) else value
            )
        if merged != row.definition:
            Activity.objects.filter(pk=row.pk).update(definition=merged)


def save(
    statements: list[dict[str, Any]],
    writer: Writer,
    version: str,
    attachments: dict[str, tuple[str, bytes]] | None = None,
) -> list[str]:
    """Store valid statements atomically; return their ids in order (those already stored
    with the same content are accepted again and not stored twice)."""
    now = timezone.now()
    if connection.vendor != "postgresql":
        with transaction.atomic():
            fresh = _save_with_the_orm(statements, writer, version, now)
            _store_attachments(attachments)
            _merge_activities(fresh, writer.school_id)
    elif len(statements) == 1 and not attachments and not _voids(statements[0]):
        # One INSERT statement is atomic by itself: no BEGIN and COMMIT round trips (ADR 0416).
        _save_in_one_statement(statements, writer, version, now)
    else:
        with transaction.atomic():
            _save_in_one_statement(statements, writer, version, now)
            _store_attachments(attachments)
    return [str(statement["id"]) for statement in statements]


def _voids(statement: dict[str, Any]) -> bool:
    return bool(statement["verb"]["id"] == validate.VOIDED)


def _store_attachments(attachments: dict[str, tuple[str, bytes]] | None) -> None:
    for sha2, (content_type, content) in (attachments or {}).items():
        Attachment.objects.get_or_create(
            sha2=sha2, defaults={"content_type": content_type, "content": content}
        )


def _save_with_the_orm(
    statements: list[dict[str, Any]], writer: Writer, version: str, now: datetime
) -> list[dict[str, Any]]:
    fresh = check_new(statements)
    for statement in fresh:
        prepare(statement, writer, version, now)
    targets = _check_voiding(fresh)
    rows = [row_of(statement, writer) for statement in fresh]
    try:
        Statement.objects.bulk_create(rows)
    except IntegrityError as exc:  # a concurrent writer stored the same id first
        raise Conflict("statement id already stored") from exc
    links = [  # bulk_create sets the primary keys on SQLite and PostgreSQL
        StatementLink(statement_id=row.pk, key=key[:512])
        for row in rows
        for key in related_keys(row.body)
    ]
    StatementLink.objects.bulk_create(links, ignore_conflicts=True)
    queue_for_upstream(writer.school_id, [row.pk for row in rows])
    _void(targets)
    return fresh


def _void(targets: list[str]) -> None:
    if targets:
        Statement.objects.filter(statement_id__in=targets, is_voiding=False).update(voided=True)


def _save_in_one_statement(
    statements: list[dict[str, Any]], writer: Writer, version: str, now: datetime
) -> list[dict[str, Any]]:
    """PostgreSQL: the statements, their links, the forwarding queue and the activity
    definitions in one round trip (ADR 0416); a statement whose id is stored already is
    skipped by the table's id trigger (ADR 0422) and compared afterwards, and a different one
    rolls the whole batch back."""
    ids = [str(s["id"]).lower() for s in statements if "id" in s]
    if len(ids) != len(set(ids)):
        raise XapiInvalid("statement.id: the same id appears twice in the batch")
    sent = [(dict(statement), "timestamp" in statement) for statement in statements]
    for statement in statements:
        prepare(statement, writer, version, now)
    targets = _check_voiding(statements)
    definitions = _definitions(statements)
    found = _execute_prepared(_INSERT_SQL, _insert_params(statements, writer, definitions))
    inserted = {str(row[0]) for row in found}
    fresh = [s for s in statements if s["id"] in inserted]
    repeated = [sent[i] for i, s in enumerate(statements) if s["id"] not in inserted]
    if repeated:  # the definitions were merged only if every statement was new
        _refuse_other_content(repeated)
        targets = [s["object"]["id"].lower() for s in fresh if _voids(s)]
        _merge_activities(fresh, writer.school_id)
    _void(targets)
    return fresh


_NEVER_AUTOMATICALLY = 2**31 - 1


def _execute_prepared(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Run ``sql`` as a prepared statement of the connection (ADR 0421): Django binds the
    parameters in the client (the whole batch inlined as literals, parsed and planned by
    PostgreSQL on every request); a server-side cursor sends them apart and the statement is
    parsed and planned once per pooled connection."""
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # Django turns preparing off; its own cursors bind in the client and never prepare,
        # so this enables only the explicit ``prepare=True`` below.
        raw.prepare_threshold = _NEVER_AUTOMATICALLY
    with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
        cursor.execute(sql, params, prepare=True)
        return cursor.fetchall()


def _refuse_other_content(repeated: list[tuple[dict[str, Any], bool]]) -> None:
    stored = {
        str(row.statement_id): row.body
        for row in Statement.objects.filter(
            statement_id__in=[s["id"].lower() for s, _keep in repeated]
        ).only("statement_id", "body")
    }
    for statement, keep in repeated:
        known = stored.get(statement["id"].lower())
        if known is None or _comparable(known, keep) != _comparable(statement, keep):
            raise Conflict(f"statement {statement['id']} is stored with other content")


_INSERT_SQL = f"""
WITH incoming AS (
  SELECT * FROM unnest(%s::uuid[], %s::timestamptz[], %s::timestamptz[], %s::text[],
    %s::text[], %s::text[], %s::uuid[], %s::uuid[], %s::boolean[])
    WITH ORDINALITY AS t(statement_id, stored, timestamp, verb_id, actor_key, object_key,
      registration, ref_target, is_voiding, n)
    JOIN jsonb_array_elements(%s::jsonb) WITH ORDINALITY AS b(body, n) USING (n)
), written AS (
  INSERT INTO {Statement._meta.db_table} (statement_id, school_id, client_id, stored,
    timestamp, verb_id, actor_key, object_key, registration, voided, ref_target, is_voiding,
    body)
  SELECT statement_id, %s, %s, stored, timestamp, verb_id, actor_key, object_key,
    registration, false, ref_target, is_voiding, body FROM incoming ORDER BY n
  RETURNING id, statement_id
), linked AS (
  INSERT INTO {StatementLink._meta.db_table} (statement_id, key)
  SELECT written.id, l.key FROM written
    JOIN unnest(%s::uuid[], %s::text[]) AS l(statement_id, key) USING (statement_id)
  ON CONFLICT DO NOTHING
), queued AS (
  INSERT INTO {ForwardEntry._meta.db_table} (upstream_id, statement_id)
  SELECT u.id, written.id FROM written
    JOIN {Upstream._meta.db_table} u ON u.school_id = %s AND u.is_active
  ORDER BY u.id, written.id
), merged AS (
  SELECT d.activity_id, CASE WHEN a.id IS NULL THEN d.definition ELSE (
      SELECT coalesce(jsonb_object_agg(coalesce(n.key, o.key), CASE
          WHEN jsonb_typeof(o.value) = 'object' AND jsonb_typeof(n.value) = 'object'
          THEN o.value || n.value ELSE coalesce(n.value, o.value) END), '{{}}'::jsonb)
      FROM jsonb_each(a.definition) o FULL JOIN jsonb_each(d.definition) n ON o.key = n.key
    ) END AS definition
  FROM jsonb_each(%s::jsonb) AS d(activity_id, definition)
    LEFT JOIN {Activity._meta.db_table} a ON a.school_id = %s AND a.activity_id = d.activity_id
  WHERE (SELECT count(*) FROM written) = %s
), defined AS (
  INSERT INTO {Activity._meta.db_table} (school_id, activity_id, definition)
  SELECT %s, activity_id, definition FROM merged
  ON CONFLICT (school_id, activity_id) DO UPDATE SET definition = EXCLUDED.definition
  WHERE {Activity._meta.db_table}.definition IS DISTINCT FROM EXCLUDED.definition
)
SELECT statement_id FROM written
"""  # noqa: S608 - table names from the models


def _insert_params(
    statements: list[dict[str, Any]], writer: Writer, definitions: dict[str, dict[str, Any]]
) -> list[Any]:
    """The parameters of ``_INSERT_SQL``: one array per column, built from the statements
    directly (no model instances: they cost a third of the Python time of a batch)."""
    stored: list[datetime] = []
    timestamps: list[datetime] = []
    verbs: list[str] = []
    actors: list[str] = []
    objects: list[str] = []
    registrations: list[str | None] = []
    refs: list[str | None] = []
    voiding: list[bool] = []
    link_ids: list[str] = []
    link_keys: list[str] = []
    known: dict[str, datetime] = {}  # the batch shares its stored time, often its timestamp
    for statement in statements:
        target = statement["object"]
        for value, into in ((statement["stored"], stored), (statement["timestamp"], timestamps)):
            moment = known.get(value)
            if moment is None:
                moment = known[value] = validate.stored_time(value)
            into.append(moment)
        verb_id = statement["verb"]["id"]
        verbs.append(verb_id[:512])
        actors.append(agent_key(statement["actor"])[:512])
        objects.append(object_key(target)[:512])
        registrations.append((statement.get("context") or {}).get("registration"))
        refs.append(target["id"] if target.get("objectType") == "StatementRef" else None)
        voiding.append(verb_id == validate.VOIDED)
        for key in related_keys(statement):
            link_ids.append(statement["id"])
            link_keys.append(key[:512])
    return [
        [statement["id"] for statement in statements],
        stored,
        timestamps,
        verbs,
        actors,
        objects,
        registrations,
        refs,
        voiding,
        # The bodies as one JSON array and the definitions as one object: text arrays of
        # JSON would be escaped character by character by the driver (ADR 0421).
        json.dumps(statements, ensure_ascii=False),
        writer.school_id,
        writer.client_id,
        link_ids,
        link_keys,
        writer.school_id,
        json.dumps(definitions, ensure_ascii=False),
        writer.school_id,
        len(statements),
        writer.school_id,
    ]


def queue_for_upstream(school_id: int, statement_pks: list[int]) -> None:
    """Queue new statements for the school's upstream LRS, if it forwards (ADR 0406): in the
    transaction that stores them, so a statement is queued exactly when it exists."""
    if not statement_pks:
        return
    upstreams = Upstream.objects.filter(school_id=school_id, is_active=True)
    for upstream_id in upstreams.values_list("pk", flat=True):
        ForwardEntry.objects.bulk_create(
            [ForwardEntry(upstream_id=upstream_id, statement_id=pk) for pk in statement_pks]
        )


# Reading ---------------------------------------------------------------------------------


@dataclass
class Query:
    agent: str = ""
    verb: str = ""
    activity: str = ""
    registration: str = ""
    related_activities: bool = False
    related_agents: bool = False
    since: str = ""
    until: str = ""
    limit: int = 0
    ascending: bool = False
    after: tuple[str, int] | None = None  # the last (stored, pk) of the previous page


def one(school_id: int, statement_id: str, *, voided: bool) -> dict[str, Any]:
    row = Statement.objects.filter(
        school_id=school_id, statement_id=statement_id, voided=voided
    ).first()
    if row is None:
        raise NotFound("no such statement")
    return dict(row.body)


def _filters(query: Query) -> tuple[list[Q], list[Q]]:
    """The filters of a query: those every match meets (each its own ``filter``, so that two
    ``related_*`` keys are two link rows), and the alternatives one of which it meets (an
    agent is the actor or the object). Each alternative with the common filters is one range
    of an index in ``stored`` order (ADR 0415)."""
    common: list[Q] = []
    alternatives: list[Q] = []
    if query.agent:
        if query.related_agents:
            common.append(Q(links__key=query.agent))
        else:
            alternatives = [Q(actor_key=query.agent), Q(object_key=query.agent)]
    if query.verb:
        common.append(Q(verb_id=query.verb))
    if query.activity:
        if query.related_activities:
            common.append(Q(links__key=query.activity))
        else:
            common.append(Q(object_key=query.activity))
    if query.registration:
        common.append(Q(registration=query.registration))
    return common, alternatives or [Q()]


def _narrowed(rows: QuerySet[Statement], filters: list[Q]) -> QuerySet[Statement]:
    for condition in filters:
        rows = rows.filter(condition)
    return rows


def _in_page(rows: QuerySet[Statement], query: Query) -> QuerySet[Statement]:
    """Rows within since / until and after the previous page, in page order."""
    if query.since:
        rows = rows.filter(stored__gt=validate.parse_timestamp(query.since))
    if query.until:
        rows = rows.filter(stored__lte=validate.parse_timestamp(query.until))
    if query.after is not None:
        stored = validate.parse_timestamp(query.after[0])
        pk = query.after[1]
        # The plain bound first, so that the index range starts at the previous page's end.
        if query.ascending:
            rows = rows.filter(stored__gte=stored).filter(Q(stored__gt=stored) | Q(pk__gt=pk))
        else:
            rows = rows.filter(stored__lte=stored).filter(Q(stored__lt=stored) | Q(pk__lt=pk))
    return rows.order_by(*(["stored", "pk"] if query.ascending else ["-stored", "-pk"]))


_FIELDS = ("pk", "stored", "body")
# Up to this many matching statements, their referring statements are found by probing the
# ref_target index with their ids; past it, by reading referring statements in page order.
_PROBES = 1_000


def _branches(
    school_id: int, query: Query
) -> tuple[list[QuerySet[Statement]], QuerySet[Statement] | None]:
    """One query per index range, in page order: the matching statements of each
    alternative; and, when the query filters, every matching statement (voided or not, in
    any time), whose referring statements are on the page too."""
    mine = Statement.objects.filter(school_id=school_id)
    common, alternatives = _filters(query)
    matching = [
        _in_page(_narrowed(mine.filter(alternative, voided=False), common), query).only(*_FIELDS)
        for alternative in alternatives
    ]
    if not (query.agent or query.verb or query.activity or query.registration):
        return matching, None
    return matching, _narrowed(mine.filter(Q(*alternatives, _connector=Q.OR)), common)


def _referring(
    school_id: int, query: Query, targets: QuerySet[Statement], window: datetime | None
) -> QuerySet[Statement]:
    """The statements referring to one of ``targets`` (StatementRef, voiding or not), in
    page order. ``window``: the stored time of the page's last row when the page is full,
    past which no referring statement can be on it (ADR 0415)."""
    referring = Statement.objects.filter(
        school_id=school_id, ref_target__isnull=False, voided=False
    )
    if window is None:
        ids = list(targets.values_list("statement_id", flat=True)[: _PROBES + 1])
        if len(ids) <= _PROBES:
            return _in_page(referring.filter(ref_target__in=ids), query).only(*_FIELDS)
    else:
        bound = {"stored__lte": window} if query.ascending else {"stored__gte": window}
        referring = referring.filter(**bound)
    refers = Exists(targets.filter(statement_id=OuterRef("ref_target")))
    return _in_page(referring.filter(refers), query).only(*_FIELDS)


def find_sql(school_id: int, query: Query) -> list[tuple[str, tuple[Any, ...]]]:
    """The SQL of each query ``find`` runs (the referring one as for a full page), to
    EXPLAIN them."""
    limit = min(query.limit or MAX_LIMIT, MAX_LIMIT) + 1
    matching, targets = _branches(school_id, query)
    if targets is not None:
        found = list(matching[0][limit - 1 : limit])
        edge = found[0].stored if found else timezone.now()
        matching.append(_referring(school_id, query, targets, edge))
    return [branch[:limit].query.sql_with_params() for branch in matching]


def _ordered(rows: Iterable[Statement], query: Query) -> list[Statement]:
    return sorted(rows, key=lambda row: (row.stored, row.pk), reverse=not query.ascending)


def find(school_id: int, query: Query) -> tuple[list[dict[str, Any]], Query | None]:
    """A page of matching statements (voided ones left out, statements referring to a
    matching one included) and the query of the next page, if any."""
    limit = min(query.limit or MAX_LIMIT, MAX_LIMIT)
    matching, targets = _branches(school_id, query)
    found: dict[int, Statement] = {}
    for branch in matching:
        found.update((row.pk, row) for row in branch[: limit + 1])
    if targets is not None:
        page = _ordered(found.values(), query)
        window = page[limit].stored if len(page) > limit else None
        referring = _referring(school_id, query, targets, window)
        found.update((row.pk, row) for row in referring[: limit + 1])
    page = _ordered(found.values(), query)
    following = None
    if len(page) > limit:
        page = page[:limit]
        last = page[-1]
        following = Query(**{**query.__dict__, "after": (iso(last.stored), last.pk)})
    return [dict(row.body) for row in page], following


def encode_more(query: Query) -> str:
    raw = json.dumps(query.__dict__, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_more(token: str) -> Query:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        fields = json.loads(raw)
        if fields.get("after") is not None:
            fields["after"] = (str(fields["after"][0]), int(fields["after"][1]))
        return Query(**fields)
    except (ValueError, TypeError, KeyError) as exc:
        raise XapiInvalid("more: not a page of this LRS") from exc


def attachment_contents(sha2s: set[str]) -> list[Attachment]:
    return list(Attachment.objects.filter(sha2__in=sha2s))
