"""Taking a seat on PostgreSQL in few round trips, for the burst path (ADR 0303).

``config.lean`` answers ``POST /api/v1/teaching/offerings/{id}/select`` with a bearer token
before Django's middleware stack; after authenticating it calls ``take_seat`` here with an
autocommit psycopg connection from its pool. The rules are those of
``services.selection_create``: both call ``rules`` in the same order. Only the loading of
facts differs: raw SQL here, the ORM there.

The write is one statement, so one implicit transaction and one round trip: the conditional
``UPDATE ... SET taken = taken + 1 WHERE taken < capacity`` (ADR 0302), the ``Selection`` row
for the seat it took and the audit entry of that row. No seat: no row, nothing written
(``full``). A second row for the same student and offering violates the unique constraint and
the whole statement rolls back (``already_selected``). The row lock of the UPDATE lasts only
while the statement runs, never across a round trip to the client.

PostgreSQL only (data-modifying ``WITH``); on SQLite the lean route is not installed.
"""

import time
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from asgiref.sync import sync_to_async
from django.db import connection
from django.utils import timezone
from psycopg import AsyncConnection
from psycopg.errors import UniqueViolation

from openvet.core.audit import AuditAction, audit_insert_from_sql, audit_insert_params
from openvet.teaching.learning_events import arecord_learning_event
from openvet.teaching.models import Course, TeachingTask, TimetableEntry
from openvet.teaching.selection import rules, services
from openvet.teaching.selection.models import (
    Offering,
    RoundKind,
    Selection,
    SelectionRound,
    SelectionSource,
)

_OFFERINGS = Offering._meta.db_table
_MAJORS = Offering.eligible_majors.through._meta.db_table
_ROUNDS = SelectionRound._meta.db_table
_SELECTIONS = Selection._meta.db_table
_ENTRIES = TimetableEntry._meta.db_table
_TASKS = TeachingTask._meta.db_table
_TASK_CLASSES = TeachingTask.classes.through._meta.db_table
_COURSES = Course._meta.db_table
_ORGS = Offering._meta.get_field("org").related_model._meta.db_table  # type: ignore[union-attr]

# Static facts of an offering and its org path; ``taken`` and ``capacity`` are read fresh.
_OFFERING = (
    "SELECT o.id, o.term_id, o.task_id, o.org_id, o.school_id, o.capacity, o.taken, "  # noqa: S608
    f"o.eligible_grades, o.prerequisites, org.path, c.credits FROM {_OFFERINGS} o "
    f"JOIN {_ORGS} org ON org.id = o.org_id JOIN {_TASKS} t ON t.id = o.task_id "
    f"JOIN {_COURSES} c ON c.id = t.course_id WHERE o.id = %s AND o.school_id = %s"
)
_MAJOR_IDS = f"SELECT orgunit_id FROM {_MAJORS} WHERE offering_id = %s"  # noqa: S608
_ROUNDS_OF = (
    f"SELECT id, kind, opens_at, closes_at, max_credits_per_student FROM {_ROUNDS} "  # noqa: S608
    "WHERE term_id = %s AND org_id = %s ORDER BY opens_at, id"
)
# The same slots as ``services.check_clash``: the offering's task, the tasks of the student's
# other selections of the term, and the tasks of their class. Keyed by the offering id alone,
# so that it travels with ``_OFFERING`` in one round trip.
_SLOTS = (
    "SELECT DISTINCT e.task_id, e.weekday, e.period_start, e.length, e.week_start, "  # noqa: S608
    f"e.week_end, e.week_parity FROM {_ENTRIES} e JOIN {_OFFERINGS} o ON o.id = %(offering)s "
    "WHERE e.term_id = o.term_id AND (e.task_id = o.task_id OR e.task_id IN ("
    f"SELECT so.task_id FROM {_SELECTIONS} s JOIN {_OFFERINGS} so ON so.id = s.offering_id "
    "WHERE s.student_id = %(student)s AND s.term_id = o.term_id AND s.offering_id <> o.id)"
    f" OR e.task_id IN (SELECT teachingtask_id FROM {_TASK_CLASSES} WHERE orgunit_id = %(class)s))"
)
# The same sum as ``credits.credits_used``: read only when the round has a credit limit.
_CREDITS_USED = (
    f"SELECT COALESCE(SUM(c.credits), 0) FROM {_SELECTIONS} s "  # noqa: S608
    f"JOIN {_OFFERINGS} o ON o.id = s.offering_id JOIN {_TASKS} t ON t.id = o.task_id "
    f"JOIN {_COURSES} c ON c.id = t.course_id WHERE s.student_id = %s AND s.round_id = %s"
)
_COURSE_NAME = (
    f"SELECT c.name FROM {_TASKS} t JOIN {_COURSES} c ON c.id = t.course_id "  # noqa: S608
    "WHERE t.id = %s"
)
_TAKE = (
    "WITH seat AS ("  # noqa: S608 - names from the models
    f"UPDATE {_OFFERINGS} SET taken = taken + 1 WHERE id = %s AND taken < capacity RETURNING id"
    "), picked AS ("
    f"INSERT INTO {_SELECTIONS} (offering_id, student_id, term_id, source, round_id, created_at)"
    " SELECT seat.id, %s, %s, %s, %s, %s FROM seat RETURNING id"
    f"), logged AS ({audit_insert_from_sql(source='picked', object_id_sql='picked.id::text')})"
    " SELECT id FROM picked"
)


@dataclass(frozen=True)
class Taker:
    """Who takes the seat: the account, its student record and the client address."""

    user_id: int
    username: str
    student: Any  # records.student_lookup.StudentFacts: id, school_id, major_id, ...
    ip_address: str | None


@dataclass(frozen=True)
class OfferingRow:
    id: int
    term_id: int
    task_id: int
    org_id: int
    school_id: int
    capacity: int
    taken: int
    eligible_grades: list[int]
    prerequisites: list[str]
    org_path: str
    credits: Decimal


@dataclass(frozen=True)
class RoundRow:
    id: int
    kind: str
    opens_at: datetime
    closes_at: datetime
    max_credits_per_student: Decimal | None


class _Recent:
    """Facts read by every click and changed rarely, kept a few seconds per process like the
    service's cache (``services.CACHE_SECONDS``); seats are always decided by the database.
    Rounds are also keyed on ``services.rounds_version``, which every change of a round
    replaces, so an administrator's change is seen on the next click."""

    def __init__(self) -> None:
        self._entries: dict[Any, tuple[float, Any]] = {}

    def get(self, key: Any) -> Any:
        found = self._entries.get(key)
        if found is None or found[0] < time.monotonic():
            return None
        return found[1]

    def put(self, key: Any, value: Any) -> None:
        if len(self._entries) > 10_000:  # bounded: drop everything rather than grow
            self._entries.clear()
        self._entries[key] = (time.monotonic() + services.CACHE_SECONDS, value)

    def clear(self) -> None:
        self._entries.clear()


_recent = _Recent()


def forget_recent() -> None:
    """Drop the remembered rounds and majors (tests that change them within 5 seconds)."""
    _recent.clear()


async def _rounds(conn: AsyncConnection[Any], term_id: int, school_id: int) -> list[RoundRow]:
    version = await sync_to_async(services.rounds_version, thread_sensitive=False)()
    key = ("rounds", term_id, school_id, version)
    rounds = _recent.get(key)
    if rounds is None:
        cursor = await conn.execute(_ROUNDS_OF, [term_id, school_id])
        rounds = [RoundRow(*row) for row in await cursor.fetchall()]
        _recent.put(key, rounds)
    return list(rounds)


async def _major_ids(conn: AsyncConnection[Any], offering_id: int) -> frozenset[int]:
    key = ("majors", offering_id)
    ids = _recent.get(key)
    if ids is None:
        cursor = await conn.execute(_MAJOR_IDS, [offering_id])
        ids = frozenset(row[0] for row in await cursor.fetchall())
        _recent.put(key, ids)
    return frozenset(ids)


async def _offering_and_slots(
    conn: AsyncConnection[Any], offering_id: int, student: Any
) -> tuple[OfferingRow | None, list[rules.Slot]]:
    """The offering if it is one of the student's school, and the slots the clash rule needs,
    both in one round trip (a pipeline)."""
    slot_params = {
        "offering": offering_id,
        "student": student.id,
        "class": student.class_unit_id or 0,
    }
    async with conn.pipeline():
        offering_rows = await conn.execute(_OFFERING, [offering_id, student.school_id])
        slot_rows = await conn.execute(_SLOTS, slot_params)
    row = await offering_rows.fetchone()
    slots = [rules.slot_of(slot) for slot in await slot_rows.fetchall()]
    return (OfferingRow(*row) if row is not None else None), slots


def _passed_codes(student_id: int) -> set[str]:
    """Prerequisites are rare: reuse the grades selector through the ORM in a worker thread,
    and give its connection back (to Django's pool, if configured) before the thread idles."""
    try:
        return services.passed_codes_of_student(student_id)
    finally:
        connection.close()


async def _check_clash(
    conn: AsyncConnection[Any], offering: OfferingRow, slots: list[rules.Slot]
) -> None:
    clash = rules.clashing_task(offering.task_id, slots)
    if clash is not None:
        cursor = await conn.execute(_COURSE_NAME, [clash])
        found = await cursor.fetchone()
        raise rules.clash_refusal(str(found[0]) if found else "")


async def _check_credit_cap(
    conn: AsyncConnection[Any], student_id: int, offering: OfferingRow, selection_round: RoundRow
) -> None:
    if selection_round.max_credits_per_student is None:
        return
    cursor = await conn.execute(_CREDITS_USED, [student_id, selection_round.id])
    found = await cursor.fetchone()
    used = Decimal(found[0]) if found is not None else Decimal(0)
    rules.check_credit_cap(selection_round, credits=Decimal(offering.credits), used=used)


async def take_seat(
    conn: AsyncConnection[Any], *, taker: Taker, offering_id: int, now: datetime | None = None
) -> dict[str, Any] | None:
    """Take a seat for ``taker`` in the first-come round, as ``services.selection_create``.

    Returns the selection as the API answers it; raises the same ``DomainError`` as the
    service; returns None when the offering is not one of the student's school, so that the
    caller lets the full stack answer (it may be visible to staff roles, or a 404).
    """
    student = taker.student
    offering, slots = await _offering_and_slots(conn, offering_id, student)
    if offering is None:
        return None
    selection_round = rules.check_before_seat(
        student=student,
        offering=offering,
        rounds=await _rounds(conn, offering.term_id, offering.school_id),
        kind=RoundKind.FIRST_COME,
        now=now or timezone.now(),
        major_ids=await _major_ids(conn, offering.id),
    )
    if offering.prerequisites:
        passed = await sync_to_async(_passed_codes, thread_sensitive=False)(student.id)
        rules.check_prerequisites(offering, passed)
    await _check_clash(conn, offering, slots)
    await _check_credit_cap(conn, student.id, offering, selection_round)
    selection_id = await _write_seat(conn, taker, offering, selection_round)
    await arecord_learning_event(
        user_id=taker.user_id,
        verb="selected",
        object_type="teaching.offering",
        object_id=offering.id,
        school_id=offering.school_id,
    )
    return {"id": selection_id, "offering_id": offering.id, "source": SelectionSource.FIRST_COME}


async def _write_seat(
    conn: AsyncConnection[Any], taker: Taker, offering: OfferingRow, selection_round: RoundRow
) -> int:
    student_id = taker.student.id
    audit = audit_insert_params(
        action=AuditAction.CREATE,
        object_type=Selection._meta.label_lower,
        object_label=f"{student_id} -> {offering.id}",  # str(Selection)
        actor_id=taker.user_id,
        actor_label=taker.username,
        org_id=offering.org_id,
        org_path=offering.org_path,
        changes={"offering": [None, offering.id], "student": [None, student_id]},
        ip_address=taker.ip_address,
    )
    params = [
        offering.id,
        student_id,
        offering.term_id,
        str(SelectionSource.FIRST_COME),
        selection_round.id,
        timezone.now(),
        *audit,
    ]
    try:
        cursor = await conn.execute(_TAKE, params)
    except UniqueViolation as exc:  # the unique (student, offering) row decides
        raise rules.already_selected() from exc
    row = await cursor.fetchone()
    if row is None:
        raise rules.seats_full()
    return int(row[0])
