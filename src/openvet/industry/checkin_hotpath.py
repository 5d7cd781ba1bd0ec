"""An intern's check-in on PostgreSQL in two statements, for the morning peak (ADR 0619).

``config.lean`` answers ``POST /api/v1/industry/checkins`` with a bearer token before Django's
middleware stack, on an autocommit psycopg connection of its pool, as it does for course
selection (ADR 0303, 0314): ``read_facts`` reads the token, its account's student record and
the placement in progress today with its workplace in one statement; ``check_in`` judges with
the service's own helpers (``services.no_placement_refusal``, ``checkin_distance``,
``already_checked_in``) and writes the check-in and its xAPI statement ("attended", with the
distance) in one statement, so one implicit transaction: the statement exists exactly when
the check-in does (ADR 0405). A second check-in the same day violates the unique (placement,
day) and the whole statement rolls back, as the service's ``IntegrityError`` does.

``parse_body`` accepts only what the API's ``CheckInIn`` accepts without doubt (JSON numbers in
range, a short printable device); anything else goes to the full stack, whose validation
answers. PostgreSQL only (data-modifying ``WITH``).
"""

import json
import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from psycopg import AsyncConnection
from psycopg.errors import UniqueViolation

from openvet.identity.token_lookup import USABLE_TOKEN, TokenHolder, digest_of, holder_of
from openvet.industry import services
from openvet.industry.models import CheckIn, InternshipPost, Placement, PlacementStatus
from openvet.lrs import services as lrs
from openvet.records.student_lookup import STUDENT_COLUMNS, StudentFacts, student_of_user

_PLACEMENTS = Placement._meta.db_table
_POSTS = InternshipPost._meta.db_table
_CHECKINS = CheckIn._meta.db_table
MAX_BODY = 4096
MAX_DEVICE = 64

# The token's holder, their student record, and their active placement of ``%(today)s`` as
# ``services.active_placement_of`` finds it (the model's ordering: latest start, then id),
# with the workplace. No usable token: no row.
_FACTS = (
    f"WITH holder AS ({USABLE_TOKEN}), "  # noqa: S608 - names from the models
    f"student AS ({student_of_user('(SELECT user_id FROM holder)')}) "
    "SELECT h.token_id, h.scopes, h.last_used_at, h.user_id, h.username, "
    + ", ".join(f"st.{column}" for column in STUDENT_COLUMNS)
    + ", p.id, post.latitude, post.longitude "  # noqa: S608
    "FROM holder h LEFT JOIN student st ON true "
    f"LEFT JOIN LATERAL (SELECT p.id, p.post_id FROM {_PLACEMENTS} p "
    f"WHERE p.student_id = st.id AND p.status = '{PlacementStatus.ACTIVE}' "
    "AND p.start_date <= %(today)s AND p.end_date >= %(today)s "
    "ORDER BY p.start_date DESC, p.id DESC LIMIT 1) p ON true "
    f"LEFT JOIN {_POSTS} post ON post.id = p.post_id"
)
_WRITE = (
    f"WITH checkin AS (INSERT INTO {_CHECKINS} "  # noqa: S608 - names from the models
    "(placement_id, at, day, latitude, longitude, distance_m, device) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id), "
    f"{lrs.learning_event_insert_sql(source='checkin')} "
    "SELECT id FROM checkin"
)


@dataclass(frozen=True)
class CheckInBody:
    latitude: float
    longitude: float
    device: str


@dataclass(frozen=True)
class Facts:
    holder: TokenHolder
    student: StudentFacts | None
    placement_id: int | None
    post_latitude: Decimal | None
    post_longitude: Decimal | None


def _number(value: Any, low: float, high: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) and low <= number <= high else None


def parse_body(raw: bytes) -> CheckInBody | None:
    """The body as ``CheckInIn`` reads it, or None when the full stack must judge it."""
    if len(raw) > MAX_BODY:
        return None
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    latitude = _number(data.get("latitude"), -90, 90)
    longitude = _number(data.get("longitude"), -180, 180)
    device = data.get("device", "")
    if latitude is None or longitude is None or not isinstance(device, str):
        return None
    if len(device) > MAX_DEVICE or any(not ch.isprintable() for ch in device):
        return None
    return CheckInBody(latitude, longitude, device.strip())


async def read_facts(conn: AsyncConnection[Any], *, secret: str, today: date) -> Facts | None:
    digest = digest_of(secret)
    if digest is None:
        return None
    cursor = await conn.execute(_FACTS, {"digest": digest, "today": today})
    row = await cursor.fetchone()
    if row is None:
        return None
    holder = holder_of(tuple(row[:5]), method="POST")
    width = len(STUDENT_COLUMNS)
    student_row = row[5 : 5 + width]
    student = StudentFacts(*student_row) if student_row[0] is not None else None
    placement_id, latitude, longitude = row[5 + width :]
    return Facts(holder, student, placement_id, latitude, longitude)


async def check_in(
    conn: AsyncConnection[Any], *, facts: Facts, body: CheckInBody, at: datetime
) -> dict[str, Any]:
    """Judge and write as ``services.checkin_record``; the API's ``CheckInOut`` body, or the
    same ``DomainError`` as the service."""
    student = facts.student
    assert student is not None  # noqa: S101 - the caller hands non-students to the full stack
    if facts.placement_id is None or facts.post_latitude is None or facts.post_longitude is None:
        raise services.no_placement_refusal()
    distance = services.checkin_distance(
        facts.post_latitude, facts.post_longitude, body.latitude, body.longitude
    )
    latitude, longitude = Decimal(f"{body.latitude:.6f}"), Decimal(f"{body.longitude:.6f}")
    params = [
        facts.placement_id,
        at,
        timezone.localdate(at),
        latitude,
        longitude,
        round(distance),
        body.device[:MAX_DEVICE],
        *lrs.learning_event_insert_params(
            user_id=facts.holder.user_id,
            verb="attended",
            object_type="industry.placement",
            object_id=facts.placement_id,
            school_id=student.school_id,
            result={"distance_m": round(distance)},
        ),
    ]
    try:
        cursor = await conn.execute(_WRITE, params)
    except UniqueViolation as exc:  # the unique (placement, day) decides
        raise services.already_checked_in() from exc
    row = await cursor.fetchone()
    assert row is not None  # noqa: S101 - an INSERT ... RETURNING of one row
    return {
        "id": int(row[0]),
        "placement_id": facts.placement_id,
        "at": timezone.localtime(at).isoformat(),
        "latitude": float(latitude),
        "longitude": float(longitude),
        "distance_m": round(distance),
    }
