"""PostgreSQL: statements live in monthly partitions by stored time, ids stay unique across
them, months are made ahead and rows the default partition caught move to their month; a
month past every school's period is dropped whole (ADR 0422, 0423)."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from openvet.lrs import partitions
from openvet.lrs.models import ForwardEntry, Statement, StatementId, StatementLink, Upstream
from openvet.lrs.retention import expire_statements, school_retention_set
from openvet.lrs.tests.conftest import lrs_for, statement

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="partitions exist only on PostgreSQL"
    ),
]

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


def _where(statement_id: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM lrs_statement WHERE statement_id = %s",
            [statement_id],
        )
        return str(cursor.fetchone()[0])


def _store(school, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    answer = lrs_for(school).request("POST", "/statements", [statement() for _ in range(count)])
    assert answer.status_code == 200, answer.content
    return list(answer.json())


def _move(ids: list[str], stored: datetime) -> None:
    Statement.objects.filter(statement_id__in=ids).update(stored=stored)


def test_the_table_is_partitioned_by_month_with_this_month_and_three_ahead() -> None:
    assert partitions.is_partitioned()
    partitions.ensure_partitions()
    names = [partition.name for partition in partitions.monthly_partitions()]
    this_month = partitions.month_of(datetime.now(UTC))
    for ahead in range(4):
        assert partitions.partition_of(partitions.months_after(this_month, ahead)).name in names


def test_a_stored_statement_lands_in_the_partition_of_its_month(school_a) -> None:  # type: ignore[no-untyped-def]
    [stored] = _store(school_a, 1)
    row = Statement.objects.get(statement_id=stored)
    assert _where(stored) == partitions.partition_of(partitions.month_of(row.stored)).name
    assert StatementId.objects.filter(statement_id=stored).exists()


def test_an_id_stays_unique_across_partitions(lrs, school_b) -> None:  # type: ignore[no-untyped-def]
    sent = statement(id=str(uuid.uuid4()))
    assert lrs.request("POST", "/statements", [sent]).status_code == 200
    # Moved to a month long ago: the id is still known to the LRS of every school.
    _move([sent["id"]], NOW - timedelta(days=400))
    assert lrs.request("POST", "/statements", [sent]).status_code == 200
    changed = {**sent, "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"}}
    assert lrs.request("POST", "/statements", [changed]).status_code == 409
    other = lrs_for(school_b).request("PUT", f"/statements?statementId={sent['id']}", changed)
    assert other.status_code == 409
    assert Statement.objects.filter(statement_id=sent["id"]).count() == 1


def test_rows_caught_by_the_default_partition_move_into_their_month(school_a, capsys) -> None:  # type: ignore[no-untyped-def]
    ids = _store(school_a, 3)
    long_ago = datetime(2019, 3, 10, tzinfo=UTC)
    _move(ids, long_ago)
    assert {_where(found) for found in ids} == {partitions.DEFAULT}
    call_command("lrs", "partitions")
    assert capsys.readouterr().out.strip() == "made: 1"
    assert {_where(found) for found in ids} == {"lrs_statement_p2019_03"}
    found = lrs_for(school_a).request("GET", f"/statements?statementId={ids[0]}")
    assert found.status_code == 200
    assert found.json()["id"] == ids[0]


def test_a_month_past_every_schools_period_is_dropped_whole(school_a, school_b) -> None:  # type: ignore[no-untyped-def]
    Upstream.objects.create(school=school_a, endpoint="https://lrs.example.cn/xapi", key="k")
    old_a, old_b, recent = _store(school_a, 3), _store(school_b, 2), _store(school_a, 2)
    _move(old_a + old_b, datetime(2020, 5, 3, tzinfo=UTC))
    partitions.ensure_partitions()
    assert "lrs_statement_p2020_05" in {p.name for p in partitions.monthly_partitions()}
    school_retention_set(school=school_b, days=400)
    with override_settings(LRS_RETENTION_DAYS=365):
        assert expire_statements() == 5
    assert "lrs_statement_p2020_05" not in {p.name for p in partitions.monthly_partitions()}
    kept = {str(found) for found in Statement.objects.values_list("statement_id", flat=True)}
    assert kept == set(recent)
    assert {str(i) for i in StatementId.objects.values_list("statement_id", flat=True)} == kept
    assert ForwardEntry.objects.count() == 2
    assert {
        str(found)
        for found in StatementLink.objects.values_list("statement__statement_id", flat=True)
    } == kept
    # The ids of expired statements may be stored again.
    again = lrs_for(school_b).request("POST", "/statements", [statement(id=old_b[0])])
    assert again.status_code == 200


def test_a_school_keeping_every_statement_keeps_the_month_whole(school_a, school_b) -> None:  # type: ignore[no-untyped-def]
    old_a, old_b = _store(school_a, 2), _store(school_b, 2)
    _move(old_a + old_b, datetime(2020, 5, 3, tzinfo=UTC))
    partitions.ensure_partitions()
    school_retention_set(school=school_b, days=0)
    with override_settings(LRS_RETENTION_DAYS=365):
        assert expire_statements() == 2
    assert "lrs_statement_p2020_05" in {p.name for p in partitions.monthly_partitions()}
    kept = {str(found) for found in Statement.objects.values_list("statement_id", flat=True)}
    assert kept == set(old_b)
