"""Taking a seat on PostgreSQL in two statements, for the burst path (ADR 0303, ADR 0314).

``config.lean`` answers ``POST /api/v1/teaching/offerings/{id}/select`` with a bearer token
before Django's middleware stack, on an autocommit psycopg connection from its pool:
``read_facts`` reads everything the click is judged on in one statement (the token, the
student, the offering, its rounds and majors, the timetable slots), then ``take_seat`` applies
the rules and writes. The rules are those of ``services.selection_create``: both call ``rules``
in the same order. Only the loading of facts differs: raw SQL here, the ORM there. Nothing is
remembered between clicks: a change of a round, a token or a timetable is seen at the next one.

The write is one statement, so one implicit transaction and one round trip: the conditional
``UPDATE ... SET taken = taken + 1 WHERE taken < capacity`` (ADR 0302), the ``Selection`` row
for the seat it took and the audit entry of that row. No seat: no row, nothing written
(``full``). A second row for the same student and offering violates the unique constraint and
the whole statement rolls back (``already_selected``). The row lock of the UPDATE lasts only
while the statement runs, never across a round trip to the client.

PostgreSQL only (data-modifying ``WITH``); on SQLite the lean route is not installed.
"""

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
from openvet.identity.token_lookup import USABLE_TOKEN, TokenHolder, digest_of, holder_of
from openvet.records.student_lookup import STUDENT_COLUMNS, StudentFacts, student_of_user
from openvet.teaching.learning_events import (
    learning_event_insert_params,
    learning_event_insert_sql,
)
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

# Everything a click needs to be judged, in one statement (ADR 0314): the usable token of
# ``%(digest)s`` and its account, the account's student record, the offering ``%(offering)s``
# if it is one of the student's school (with its org path and the credits of its course), its
# eligible majors, the rounds of its term and school (with the credits the student holds in
# each round that limits them, as ``credits.credits_used``), and the timetable slots of the
# clash rule (as ``services.check_clash``: the offering's task, the tasks of the student's
# other selections of the term, the tasks of their class, in the same order). No usable
# token: no row.
_FACTS = (
    f"WITH holder AS ({USABLE_TOKEN}), "  # noqa: S608 - names from the models
    f"student AS ({student_of_user('(SELECT user_id FROM holder)')}) "
    "SELECT h.token_id, h.scopes, h.last_used_at, h.user_id, h.username, "
    + ", ".join(f"st.{column}" for column in STUDENT_COLUMNS)
    + ", o.id, o.term_id, o.task_id, o.org_id, o.school_id, o.capacity, o.taken, "  # noqa: S608
    "o.eligible_grades, o.prerequisites, org.path, c.credits, "
    f"ARRAY(SELECT m.orgunit_id FROM {_MAJORS} m WHERE m.offering_id = o.id), "
    "(SELECT json_agg(json_build_array(r.id, r.kind, r.opens_at, r.closes_at, "
    "r.max_credits_per_student::text, CASE WHEN r.max_credits_per_student IS NULL THEN NULL "
    f"ELSE (SELECT COALESCE(SUM(uc.credits), 0) FROM {_SELECTIONS} us "
    f"JOIN {_OFFERINGS} uo ON uo.id = us.offering_id JOIN {_TASKS} ut ON ut.id = uo.task_id "
    f"JOIN {_COURSES} uc ON uc.id = ut.course_id "
    "WHERE us.student_id = st.id AND us.round_id = r.id)::text END) ORDER BY r.opens_at, r.id) "
    f"FROM {_ROUNDS} r WHERE r.term_id = o.term_id AND r.org_id = o.school_id), "
    "(SELECT json_agg(json_build_array(e.task_id, e.weekday, e.period_start, e.length, "
    "e.week_start, e.week_end, e.week_parity) ORDER BY e.task_id, e.weekday, e.period_start, "
    "e.length, e.week_start, e.week_end, e.week_parity) FROM (SELECT DISTINCT e.task_id, "
    "e.weekday, e.period_start, e.length, e.week_start, e.week_end, e.week_parity "
    f"FROM {_ENTRIES} e WHERE e.term_id = o.term_id AND (e.task_id = o.task_id OR e.task_id IN ("
    f"SELECT so.task_id FROM {_SELECTIONS} s JOIN {_OFFERINGS} so ON so.id = s.offering_id "
    "WHERE s.student_id = st.id AND s.term_id = o.term_id AND s.offering_id <> o.id) "
    f"OR e.task_id IN (SELECT tc.teachingtask_id FROM {_TASK_CLASSES} tc "
    "WHERE tc.orgunit_id = st.class_unit_id))) e) "
    "FROM holder h LEFT JOIN student st ON true "
    f"LEFT JOIN ({_OFFERINGS} o JOIN {_ORGS} org ON org.id = o.org_id "
    f"JOIN {_TASKS} t ON t.id = o.task_id JOIN {_COURSES} c ON c.id = t.course_id) "
    "ON o.id = %(offering)s AND o.school_id = st.school_id"
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
    f", {learning_event_insert_sql(source='picked')}"
    " SELECT id FROM picked"
)


@dataclass(frozen=True)
class Taker:
    """Who takes the seat: the account, its student record and the client address."""

    user_id: int
    username: str
    student: StudentFacts
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
    credits_used: Decimal  # by the student in this round; read only when the round limits it


@dataclass(frozen=True)
class Facts:
    """What ``_FACTS`` read for one click: the token's holder; when the account is a
    student's, the student; when the offering is one of their school's, the offering with
    its majors, rounds and slots."""

    holder: TokenHolder
    student: StudentFacts | None
    offering: OfferingRow | None
    major_ids: frozenset[int]
    rounds: list[RoundRow]
    slots: list[rules.Slot]


async def read_facts(
    conn: AsyncConnection[Any], *, secret: str, offering_id: int, method: str
) -> Facts | None:
    """The facts of a click in one round trip; None when ``secret`` is no usable token."""
    digest = digest_of(secret)
    if digest is None:
        return None
    cursor = await conn.execute(_FACTS, {"digest": digest, "offering": offering_id})
    row = await cursor.fetchone()
    if row is None:
        return None
    holder = holder_of(row[:5], method=method)
    student_at, offering_at = 5, 5 + len(STUDENT_COLUMNS)
    student = StudentFacts(*row[student_at:offering_at]) if row[student_at] else None
    offering_row, (majors, rounds, slots) = row[offering_at:-3], row[-3:]
    if student is None or offering_row[0] is None:
        return Facts(holder, student, None, frozenset(), [], [])
    return Facts(
        holder=holder,
        student=student,
        offering=OfferingRow(*offering_row),
        major_ids=frozenset(majors),
        rounds=[_round_of(item) for item in rounds or []],
        slots=[rules.slot_of(tuple(item)) for item in slots or []],
    )


def _round_of(item: list[Any]) -> RoundRow:
    """A round from its JSON array (text for times and decimals, so nothing is rounded)."""
    round_id, kind, opens_at, closes_at, cap, used = item
    return RoundRow(
        id=int(round_id),
        kind=str(kind),
        opens_at=datetime.fromisoformat(opens_at),
        closes_at=datetime.fromisoformat(closes_at),
        max_credits_per_student=Decimal(cap) if cap is not None else None,
        credits_used=Decimal(used) if used is not None else Decimal(0),
    )


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


async def take_seat(
    conn: AsyncConnection[Any], *, taker: Taker, facts: Facts, now: datetime | None = None
) -> dict[str, Any]:
    """Take a seat for ``taker`` in the first-come round, as ``services.selection_create``.

    ``facts`` must hold the offering (the caller hands clicks on other schools' offerings to
    the full stack). Returns the selection as the API answers it; raises the same
    ``DomainError`` as the service.
    """
    offering = facts.offering
    assert offering is not None  # noqa: S101 - the caller's contract
    student = taker.student
    selection_round = rules.check_before_seat(
        student=student,
        offering=offering,
        rounds=facts.rounds,
        kind=RoundKind.FIRST_COME,
        now=now or timezone.now(),
        major_ids=facts.major_ids,
    )
    if offering.prerequisites:
        passed = await sync_to_async(_passed_codes, thread_sensitive=False)(student.id)
        rules.check_prerequisites(offering, passed)
    await _check_clash(conn, offering, facts.slots)
    rules.check_credit_cap(
        selection_round, credits=Decimal(offering.credits), used=selection_round.credits_used
    )
    selection_id = await _write_seat(conn, taker, offering, selection_round)
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
        *learning_event_insert_params(
            user_id=taker.user_id,
            verb="selected",
            object_type="teaching.offering",
            object_id=offering.id,
            school_id=offering.school_id,
        ),
    ]
    try:
        cursor = await conn.execute(_TAKE, params)
    except UniqueViolation as exc:  # the unique (student, offering) row decides
        raise rules.already_selected() from exc
    row = await cursor.fetchone()
    if row is None:
        raise rules.seats_full()
    return int(row[0])
