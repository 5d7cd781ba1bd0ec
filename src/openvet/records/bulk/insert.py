"""Inserting many new rows at once: PostgreSQL's COPY, elsewhere Django's ``bulk_create``.

On PostgreSQL, ``bulk_create`` sends each batch as arrays (``INSERT ... SELECT * FROM
UNNEST(...)``), and the driver builds those arrays in Python, escaping every text value; for a
school's 20,000 students that was a fifth of the import. COPY streams the rows instead, with
the same values Django would have written (``pre_save`` and ``get_db_prep_save`` of every
field, so timestamps are set and ID numbers encrypted exactly as by ``save()``).
"""

from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model


def insert_all(model: type[Model], objs: Sequence[Model], *, batch_size: int) -> None:
    """Insert the unsaved ``objs`` of ``model``; afterwards each has its primary key."""
    if not objs:
        return
    # The connection itself, not the ``django.db.connection`` proxy: every field of every
    # row reads it, and each read through the proxy is a thread-local lookup.
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        _copy(connection, model, objs)
    else:
        model._default_manager.bulk_create(objs, batch_size=batch_size)


def _copy(connection: Any, model: type[Model], objs: Sequence[Model]) -> None:
    meta = model._meta
    quote = connection.ops.quote_name
    fields = meta.concrete_fields
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        # The keys come from the table's own sequence, so later inserts never collide and the
        # callers can point history rows at the new records without reading them back.
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objs)],
        )
        for obj, (key,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = key
        copy_sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
        with connection.wrap_database_errors, cursor.cursor.copy(copy_sql) as copy:
            for obj in objs:
                values = [field.pre_save(obj, True) for field in fields]
                copy.write_row(
                    [f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True)]
                )
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
