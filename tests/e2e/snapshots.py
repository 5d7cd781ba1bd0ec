"""Copies of the whole test database, so each journey starts from the seeded demo in a moment.

Seeding the demo takes seconds; restoring a copy takes milliseconds on SQLite (the backup API
between in-memory databases) and a fraction of a second on PostgreSQL (binary COPY of every
table). Both kinds offer ``take()`` and ``restore()``.
"""

import sqlite3
from collections.abc import Iterable
from typing import Any, Protocol

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction


class Snapshot(Protocol):
    def restore(self) -> None: ...


class SqliteSnapshot:
    """The in-memory SQLite test database, copied with SQLite's online backup."""

    def __init__(self) -> None:
        connection.ensure_connection()
        self._copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(self._copy)

    def restore(self) -> None:
        connection.ensure_connection()
        self._copy.backup(connection.connection)

    def close(self) -> None:
        self._copy.close()


class PostgresSnapshot:
    """Every Django table of the PostgreSQL test database, as binary COPY payloads."""

    def __init__(self) -> None:
        tables = sorted(connection.introspection.django_table_names(only_existing=True))
        # Tables with triggers of their own load last: the statements table's trigger writes
        # the ids table (ADR 0422), and finds each id already there, for the same row.
        triggered = _tables_with_triggers()
        self._tables = sorted(tables, key=lambda table: table in triggered)
        self._payloads: list[bytes] = []
        with connection.cursor() as cursor:
            for table in self._tables:
                self._payloads.append(_copy_out(cursor.cursor, table))

    def restore(self) -> None:
        # Foreign keys are DEFERRABLE INITIALLY DEFERRED (Django's PostgreSQL schema), so the
        # tables empty and load in any order and are checked once, at commit. DELETE rather
        # than TRUNCATE: on tables this small it avoids recreating ~200 relation files.
        with transaction.atomic(), connection.cursor() as cursor:
            for table in self._tables:
                cursor.execute(f"DELETE FROM {_quote(table)}")  # noqa: S608 (Django's own table names)
            for table, payload in zip(self._tables, self._payloads, strict=True):
                with cursor.cursor.copy(f"COPY {_quote(table)} FROM STDIN (FORMAT binary)") as copy:
                    copy.write(payload)
            for statement in _sequence_resets():
                cursor.execute(statement)

    def close(self) -> None:
        self._payloads.clear()


def take_snapshot() -> SqliteSnapshot | PostgresSnapshot | None:
    """A snapshot of the test database now, or None for a database kind it cannot copy."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        return SqliteSnapshot()
    if connection.vendor == "postgresql":
        return PostgresSnapshot()
    return None


def _copy_out(raw_cursor: Any, table: str) -> bytes:
    payload = bytearray()
    # COPY (SELECT ...) rather than COPY table: the latter refuses a partitioned table.
    query = f"COPY (SELECT * FROM {_quote(table)}) TO STDOUT (FORMAT binary)"  # noqa: S608
    with raw_cursor.copy(query) as copy:
        for chunk in copy:
            payload += chunk
    return bytes(payload)


def _tables_with_triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE NOT t.tgisinternal"
        )
        return {name for (name,) in cursor.fetchall()}


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _sequence_resets() -> Iterable[str]:
    models = apps.get_models(include_auto_created=True)
    return connection.ops.sequence_reset_sql(no_style(), models)
