"""PostgreSQL: the monthly partitions of the statements table by stored time (ADR 0422).

Partition ``lrs_statement_pYYYY_MM`` holds the statements stored in that month (UTC);
``lrs_statement_default`` catches any other, and ``ensure_partitions`` (nightly, and
``openvet lrs partitions``) makes the coming months ahead and moves what the default one
caught into a partition of its own month. ``drop_partition`` removes a whole month for the
retention job (ADR 0423). On SQLite the table is not partitioned and every function here
does nothing.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection, transaction
from django.utils import timezone

from openvet.lrs.models import ForwardEntry, Statement, StatementId, StatementLink

TABLE = Statement._meta.db_table
DEFAULT = f"{TABLE}_default"
MONTHS_AHEAD = 3
# Rows deleted per statement of a dropped month: its links, queue entries and id.
BATCH = 5_000
_NAME = re.compile(rf"^{TABLE}_p(\d{{4}})_(\d{{2}})$")


@dataclass(frozen=True)
class Partition:
    name: str
    start: datetime
    end: datetime


def month_of(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC)
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def months_after(month: datetime, count: int) -> datetime:
    total = month.year * 12 + month.month - 1 + count
    return month.replace(year=total // 12, month=total % 12 + 1)


def partition_of(month: datetime) -> Partition:
    return Partition(f"{TABLE}_p{month:%Y_%m}", month, months_after(month, 1))


def is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = %s::regclass", [TABLE])
        return bool(cursor.fetchone()[0] == "p")


def monthly_partitions() -> list[Partition]:
    """The monthly partitions, oldest first."""
    if not is_partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = %s::regclass",
            [TABLE],
        )
        names = [row[0] for row in cursor.fetchall()]
    found = []
    for name in names:
        match = _NAME.match(name)
        if match:
            found.append(partition_of(datetime(int(match[1]), int(match[2]), 1, tzinfo=UTC)))
    return sorted(found, key=lambda partition: partition.start)


def ensure_partitions(
    *, now: datetime | None = None, ahead: int = MONTHS_AHEAD, since: datetime | None = None
) -> list[str]:
    """Make the partitions of this month and ``ahead`` months after it (and back to the
    month of ``since``, for loading older statements), and of every month the default
    partition holds rows of; returns the names made."""
    if not is_partitioned():
        return []
    current = month_of(now or timezone.now())
    first = min(month_of(since), current) if since else current
    wanted = set()
    while first <= months_after(current, ahead):
        wanted.add(first)
        first = months_after(first, 1)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT date_trunc('month', stored AT TIME ZONE 'UTC') FROM {DEFAULT}"  # noqa: S608 - table names from the model
        )
        wanted |= {row[0].replace(tzinfo=UTC) for row in cursor.fetchall()}
    existing = {partition.start for partition in monthly_partitions()}
    made = []
    for month in sorted(wanted - existing):
        _make(partition_of(month))
        made.append(partition_of(month).name)
    return made


def _make(partition: Partition) -> None:
    """Create one month's partition; rows the default partition caught for that month move
    into it first (attaching a range the default partition holds rows of is refused)."""
    bounds = [partition.start, partition.end]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {partition.name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        )
        cursor.execute(
            f"WITH moved AS (DELETE FROM {DEFAULT} WHERE stored >= %s AND stored < %s"  # noqa: S608 - names from the model
            f" RETURNING *) INSERT INTO {partition.name} SELECT * FROM moved",
            bounds,
        )
        cursor.execute(
            f"ALTER TABLE {TABLE} ATTACH PARTITION {partition.name} FOR VALUES FROM (%s) TO (%s)",
            bounds,
        )


def drop_partition(partition: Partition) -> dict[int, int]:
    """Remove a whole month: the rows that point at its statements (links, queue entries,
    ids) in batches of their own transaction, then the partition itself, so its statements
    cost no row deletes, no vacuum and no index bloat. Returns how many statements of each
    school went (counted from the rows read for the batches)."""
    by_school: dict[int, int] = {}
    after = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, statement_id, school_id FROM {partition.name} WHERE id > %s"  # noqa: S608 - name from the catalog
                " ORDER BY id LIMIT %s",
                [after, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                break
            pks = [row[0] for row in rows]
            ForwardEntry.objects.filter(statement_id__in=pks).delete()
            StatementLink.objects.filter(statement_id__in=pks).delete()
            StatementId.objects.filter(statement_id__in=[row[1] for row in rows]).delete()
        for row in rows:
            by_school[row[2]] = by_school.get(row[2], 0) + 1
        after = pks[-1]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {partition.name}")
    return by_school


@dataclass(frozen=True)
class PartitionRows:
    """A partition (None for the default one) and PostgreSQL's estimate of its rows (None
    before it was first analysed)."""

    partition: Partition | None
    estimate: int | None


def partition_rows() -> list[PartitionRows]:
    """Every monthly partition, oldest first, then the default one, with their row estimates
    from the catalog (no partition is read)."""
    if not is_partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.reltuples FROM pg_inherits i JOIN pg_class c"
            " ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass",
            [TABLE],
        )
        estimates = {name: (int(rows) if rows >= 0 else None) for name, rows in cursor.fetchall()}
    found = [PartitionRows(p, estimates.get(p.name)) for p in monthly_partitions()]
    if DEFAULT in estimates:
        found.append(PartitionRows(None, estimates[DEFAULT]))
    return found


def months_ahead(
    *, now: datetime | None = None, ahead: int = MONTHS_AHEAD
) -> list[tuple[datetime, bool]]:
    """This month and the ``ahead`` coming ones, each with whether its partition exists."""
    current = month_of(now or timezone.now())
    existing = {partition.start for partition in monthly_partitions()}
    months = [months_after(current, step) for step in range(ahead + 1)]
    return [(month, month in existing) for month in months]
