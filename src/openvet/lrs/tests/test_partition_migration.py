"""PostgreSQL: migration 0010 moves an existing unpartitioned statements table into monthly
partitions month by month, printing each month, and goes on where a stopped run left off
(ADR 0424)."""

import importlib
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.db import connection

from openvet.lrs import partitions
from openvet.lrs.models import Statement, StatementId
from openvet.lrs.tests.conftest import lrs_for, statement

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="partitions exist only on PostgreSQL"
    ),
]

migration = importlib.import_module("openvet.lrs.migrations.0010_partition_statements_by_month")
EDITOR = SimpleNamespace(connection=connection)
SEPTEMBER, NOVEMBER, JANUARY = (
    datetime(2025, 9, 5, tzinfo=UTC),
    datetime(2025, 11, 20, tzinfo=UTC),
    datetime(2026, 1, 2, tzinfo=UTC),
)


def _where(statement_id: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM lrs_statement WHERE statement_id = %s",
            [statement_id],
        )
        return str(cursor.fetchone()[0])


def _unpartitioned_table_over_three_months(school_a, school_b) -> dict[str, datetime]:  # type: ignore[no-untyped-def]
    """An installation before 0010: one plain table, statements of two schools stored in
    September, November and January."""
    answer_a = lrs_for(school_a).request("POST", "/statements", [statement() for _ in range(3)])
    answer_b = lrs_for(school_b).request("POST", "/statements", [statement() for _ in range(2)])
    first, second, third = answer_a.json()
    fourth, fifth = answer_b.json()
    _check_foreign_keys_now()
    migration.unpartition(None, EDITOR)
    assert not partitions.is_partitioned()
    when = {first: SEPTEMBER, fourth: SEPTEMBER, second: NOVEMBER, third: JANUARY, fifth: JANUARY}
    for found, stored in when.items():
        Statement.objects.filter(statement_id=found).update(stored=stored)
    _check_foreign_keys_now()
    return when


def _check_foreign_keys_now() -> None:
    # The test's transaction stands for the committed past: its deferred foreign key checks
    # run now, as they would have at commit, before tables are dropped.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_an_existing_table_is_copied_into_its_months_one_month_at_a_time(  # type: ignore[no-untyped-def]
    school_a, school_b, capsys
) -> None:
    when = _unpartitioned_table_over_three_months(school_a, school_b)
    capsys.readouterr()
    migration.partition(None, EDITOR)
    printed = capsys.readouterr().out.splitlines()
    assert "  lrs_statement 2025-09: 2 statements copied" in printed
    assert "  lrs_statement 2025-10: 0 statements copied" in printed
    assert "  lrs_statement 2025-11: 1 statements copied" in printed
    assert "  lrs_statement 2026-01: 2 statements copied" in printed
    assert partitions.is_partitioned()
    for found, stored in when.items():
        assert _where(found) == partitions.partition_of(partitions.month_of(stored)).name
    assert {str(i) for i in StatementId.objects.values_list("statement_id", flat=True)} == set(when)
    # The moved table takes new statements, and an id stays stored once.
    lrs = lrs_for(school_a)
    again = next(iter(when))
    changed = statement(id=again, verb={"id": "http://adlnet.gov/expapi/verbs/failed"})
    assert lrs.request("POST", "/statements", [changed]).status_code == 409
    [new] = lrs.request("POST", "/statements", [statement()]).json()
    row = Statement.objects.get(statement_id=new)
    assert row.pk > max(Statement.objects.exclude(pk=row.pk).values_list("pk", flat=True))
    assert _where(new) == partitions.partition_of(partitions.month_of(row.stored)).name


def test_a_stopped_upgrade_goes_on_from_the_first_month_not_copied(  # type: ignore[no-untyped-def]
    school_a, school_b, capsys
) -> None:
    when = _unpartitioned_table_over_three_months(school_a, school_b)
    # A run stopped after September was copied.
    with connection.cursor() as cursor:
        migration._prepare(cursor)
        schools = [school_a.pk, school_b.pk]
        migration._copy_month(cursor, SEPTEMBER.replace(day=1), "lrs_statement_p2025_09", schools)
    capsys.readouterr()
    migration.partition(None, EDITOR)
    printed = capsys.readouterr().out.splitlines()
    assert "  lrs_statement 2025-09: copied before" in printed
    assert "  lrs_statement 2025-11: 1 statements copied" in printed
    assert Statement.objects.count() == len(when)
    assert StatementId.objects.count() == len(when)
    assert _where(next(iter(when))) == "lrs_statement_p2025_09"
