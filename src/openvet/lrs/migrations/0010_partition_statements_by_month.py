"""PostgreSQL only: the statements table becomes monthly range partitions by stored time
(ADR 0422). SQLite keeps the plain table.

A partitioned table with the same columns (primary key ``(id, stored)``: a partitioned
table's unique indexes must contain the partition key) is made beside the old one, with a
partition for every month from the oldest stored statement to three months ahead plus a
default one. The rows are copied month by month, one ``INSERT ... SELECT`` per month in a
transaction of its own (a range of the ``(school, stored)`` index per org unit), so the WAL
and the locks of one step stay within a month and each month's count is printed; a run
stopped half way goes on from the first month not copied (ADR 0424). Then, in one short
transaction under an exclusive lock, the rows written since are copied, the old table is
dropped, the new one takes its name, its indexes and foreign keys. ``statement_id`` stays
unique through ``lrs_statementid``, which a trigger writes on every insert; a row whose id
is there already is skipped, as ``ON CONFLICT DO NOTHING`` skipped it before (a concurrent
writer of the same id waits on that table's key). The link and forwarding tables lose their
foreign keys to the statements (a foreign key must reference a unique index; deletes cascade
in the ORM and in ``retention``).
"""

import sys
from datetime import UTC, datetime

from django.db import migrations, transaction

TABLE = "lrs_statement"
OLD = "lrs_statement_unpartitioned"
NEW = "lrs_statement_partitioned"
ORGS = "core_orgunit"
IDS = "lrs_statementid"
REFERRING = ("lrs_statementlink", "lrs_forwardentry")
MONTHS_AHEAD = 3

TRIGGER = f"""
CREATE FUNCTION lrs_statement_id_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {IDS} (statement_id, row_pk, stored) VALUES (NEW.statement_id, NEW.id, NEW.stored)
    ON CONFLICT (statement_id) DO NOTHING;
  IF FOUND THEN
    RETURN NEW;
  END IF;
  -- An UPDATE of stored moves the row to another partition as a delete and an insert:
  -- the same row keeps its id.
  UPDATE {IDS} SET stored = NEW.stored WHERE statement_id = NEW.statement_id AND row_pk = NEW.id;
  IF FOUND THEN
    RETURN NEW;
  END IF;
  -- An id whose statement was deleted outside the retention job is free again.
  IF NOT EXISTS (SELECT 1 FROM {TABLE} WHERE statement_id = NEW.statement_id) THEN
    UPDATE {IDS} SET row_pk = NEW.id, stored = NEW.stored WHERE statement_id = NEW.statement_id;
    RETURN NEW;
  END IF;
  RETURN NULL;  -- stored already: the row is skipped, as ON CONFLICT DO NOTHING would
END $$;
CREATE TRIGGER lrs_statement_id_once BEFORE INSERT ON {TABLE}
  FOR EACH ROW EXECUTE FUNCTION lrs_statement_id_once();
"""


def _months(first: datetime, last: datetime) -> list[datetime]:
    month = first.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    found = []
    while month <= last:
        found.append(month)
        month = month.replace(year=month.year + month.month // 12, month=month.month % 12 + 1)
    return found


def _ahead(now: datetime) -> datetime:
    total = now.year * 12 + now.month - 1 + MONTHS_AHEAD
    return now.replace(year=total // 12, month=total % 12 + 1, day=1)


def _rows(cursor, sql: str, params: tuple = ()) -> list[tuple]:  # type: ignore[type-arg]
    cursor.execute(sql, params)
    return cursor.fetchall()


def partition(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    """Build the partitioned table beside the old one, copy month by month (each month its
    own transaction), then swap the names in one short transaction. Run again after a
    failure, it goes on from the first month not yet copied."""
    if schema_editor.connection.vendor != "postgresql":
        return
    connection = schema_editor.connection
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        _prepare(cursor)
    with connection.cursor() as cursor:
        months = _new_months(cursor)
        schools = [row[0] for row in _rows(cursor, f"SELECT id FROM {ORGS} ORDER BY id")]
    total = 0
    for month, name in months:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            total += _copy_month(cursor, month, name, schools)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        _swap(cursor)
    _say(f"  {TABLE}: {total} statements in {len(months)} monthly partitions")


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _prepare(cursor) -> None:  # type: ignore[no-untyped-def]
    """The partitioned table (``NEW``) with a partition for every month from the oldest
    stored statement to three months ahead, and the default one; kept if made before."""
    if _rows(cursor, "SELECT to_regclass(%s)", (NEW,))[0][0] is not None:
        return
    # The oldest and newest statement, one probe of the (school, stored) index per org unit.
    first, last = _rows(
        cursor,
        f"SELECT min(s.first), max(s.last) FROM {ORGS} o, LATERAL"  # noqa: S608 - fixed names
        f" (SELECT min(stored) AS first, max(stored) AS last FROM {TABLE}"
        " WHERE school_id = o.id) s",
    )[0]
    cursor.execute(
        f"CREATE TABLE {NEW} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING IDENTITY)"
        " PARTITION BY RANGE (stored)"
    )
    cursor.execute(f"ALTER TABLE {NEW} ADD CONSTRAINT {NEW}_pkey PRIMARY KEY (id, stored)")
    now = datetime.now(UTC)
    for month in _months(min(first or now, now), max(last or now, _ahead(now))):
        following = _months(month, _ahead(month))[1]
        cursor.execute(
            f"CREATE TABLE {TABLE}_p{month:%Y_%m} PARTITION OF {NEW}"
            " FOR VALUES FROM (%s) TO (%s)",
            (month, following),
        )
    cursor.execute(f"CREATE TABLE {TABLE}_default PARTITION OF {NEW} DEFAULT")


def _new_months(cursor) -> list[tuple[datetime, str]]:  # type: ignore[no-untyped-def]
    names = _rows(
        cursor,
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
        " WHERE i.inhparent = %s::regclass ORDER BY c.relname",
        (NEW,),
    )
    found = []
    for (name,) in names:
        if name != f"{TABLE}_default":
            year, month = name.rsplit("_p", 1)[1].split("_")
            found.append((datetime(int(year), int(month), 1, tzinfo=UTC), name))
    return found


def _copy_month(cursor, month: datetime, name: str, schools: list[int]) -> int:  # type: ignore[no-untyped-def]
    """One month: its statements (one range of the (school, stored) index per org unit) and
    their ids. A month whose partition has rows was copied by an earlier run."""
    if _rows(cursor, f"SELECT EXISTS (SELECT 1 FROM {name})")[0][0]:  # noqa: S608 - catalog name
        _say(f"  {TABLE} {month:%Y-%m}: copied before")
        return 0
    bounds = (schools, month, _months(month, _ahead(month))[1])
    where = "WHERE school_id = ANY(%s) AND stored >= %s AND stored < %s"
    cursor.execute(f"INSERT INTO {name} SELECT * FROM {TABLE} {where}", bounds)  # noqa: S608
    copied = cursor.rowcount
    cursor.execute(
        f"INSERT INTO {IDS} (statement_id, row_pk, stored)"  # noqa: S608 - fixed names
        f" SELECT statement_id, id, stored FROM {TABLE} {where}",
        bounds,
    )
    _say(f"  {TABLE} {month:%Y-%m}: {copied} statements copied")
    return copied


def _swap(cursor) -> None:  # type: ignore[no-untyped-def]
    """Under an exclusive lock: rows written since the copy began, then the new table takes
    the old one's name, indexes, foreign keys and the id trigger."""
    cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
    high = _rows(cursor, f"SELECT coalesce(max(id), 0) FROM {NEW}")[0][0]  # noqa: S608
    cursor.execute(f"INSERT INTO {NEW} SELECT * FROM {TABLE} WHERE id > %s", (high,))  # noqa: S608
    cursor.execute(
        f"INSERT INTO {IDS} (statement_id, row_pk, stored)"  # noqa: S608 - fixed names
        f" SELECT statement_id, id, stored FROM {TABLE} WHERE id > %s",
        (high,),
    )
    # Every index but the unique ones (the primary key, statement_id): a partitioned table's
    # unique index must contain stored.
    indexes = _rows(
        cursor,
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x"
        " JOIN pg_class i ON i.oid = x.indexrelid"
        " WHERE x.indrelid = %s::regclass AND NOT x.indisunique ORDER BY i.relname",
        (TABLE,),
    )
    keys = _rows(
        cursor,
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = %s::regclass AND contype = 'f'",
        (TABLE,),
    )
    for table, name in _rows(
        cursor,
        "SELECT conrelid::regclass::text, conname FROM pg_constraint"
        " WHERE confrelid = %s::regclass AND contype = 'f'",
        (TABLE,),
    ):
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    high = _rows(cursor, f"SELECT coalesce(max(id), 0) FROM {TABLE}")[0][0]  # noqa: S608
    cursor.execute(f"DROP TABLE {TABLE}")
    cursor.execute(f"ALTER TABLE {NEW} RENAME TO {TABLE}")
    cursor.execute(f"ALTER TABLE {TABLE} RENAME CONSTRAINT {NEW}_pkey TO {TABLE}_pkey")
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), %s + 1, false)", (high,)
    )
    for _name, definition in indexes:
        cursor.execute(definition)
    cursor.execute(f"CREATE INDEX lrs_stmt_statement_id ON {TABLE} (statement_id)")
    for name, definition in keys:
        cursor.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" {definition}')
    cursor.execute(TRIGGER)


def unpartition(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    """Back to one plain table with the unique statement id (the referring tables' foreign
    keys return too)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    connection = schema_editor.connection
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        indexes = _rows(
            cursor,
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
            " AND tablename = %s AND indexname NOT IN (%s, %s)",
            (TABLE, f"{TABLE}_pkey", "lrs_stmt_statement_id"),
        )
        keys = _rows(
            cursor,
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype = 'f' AND conparentid = 0",
            (TABLE,),
        )
        cursor.execute(f"DROP TRIGGER lrs_statement_id_once ON {TABLE}")
        cursor.execute("DROP FUNCTION lrs_statement_id_once()")
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
        cursor.execute(f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING IDENTITY)")
        cursor.execute(f"ALTER TABLE {TABLE} ADD PRIMARY KEY (id)")
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_statement_id_key UNIQUE (statement_id)")
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {OLD}")
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'),"
            f" coalesce((SELECT max(id) FROM {OLD}), 0) + 1, false)"
        )
        cursor.execute(f"DROP TABLE {OLD}")
        cursor.execute(f"DELETE FROM {IDS}")
        for _name, definition in indexes:
            cursor.execute(definition.replace(" ON ONLY ", " ON "))
        for name, definition in keys:
            cursor.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" {definition}')
        for table in REFERRING:
            cursor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {table}_statement_id_fk_{TABLE}_id"
                f" FOREIGN KEY (statement_id) REFERENCES {TABLE} (id) DEFERRABLE INITIALLY DEFERRED"
            )


class Migration(migrations.Migration):
    dependencies = [("lrs", "0009_statement_ids_and_school_retention")]

    # Each month is copied in a transaction of its own (ADR 0424).
    atomic = False

    operations = [migrations.RunPython(partition, unpartition)]
