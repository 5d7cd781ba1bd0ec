"""Retention: statements stored before the retention period go, with their links and
forwarding entries, in batches; recent ones and every school's other rows stay (ADR 0417)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from openvet.lrs.models import ForwardEntry, Statement, StatementLink, Upstream
from openvet.lrs.retention import expire_statements
from openvet.lrs.tests.conftest import lrs_for, statement

pytestmark = pytest.mark.django_db


def _store(school, count: int):  # type: ignore[no-untyped-def]
    answer = lrs_for(school).request("POST", "/statements", [statement() for _ in range(count)])
    assert answer.status_code == 200, answer.content
    return answer.json()


def _age(ids: list[str], days: int) -> None:
    Statement.objects.filter(statement_id__in=ids).update(
        stored=timezone.now() - timedelta(days=days)
    )


def test_statements_past_the_period_go_with_links_and_queue_in_batches(
    school_a, school_b, capsys
) -> None:  # type: ignore[no-untyped-def]
    Upstream.objects.create(school=school_a, endpoint="https://lrs.example.cn/xapi", key="k")
    old_a, recent_a = _store(school_a, 5), _store(school_a, 2)
    old_b = _store(school_b, 3)
    _age(old_a + old_b, 400)
    assert ForwardEntry.objects.count() == 7
    with override_settings(LRS_RETENTION_DAYS=365):
        assert expire_statements(batch=2) == 8
        call_command("lrs", "expire")
    assert capsys.readouterr().out.strip() == "deleted: 0"
    kept = set(Statement.objects.values_list("statement_id", flat=True))
    assert {str(found) for found in kept} == set(recent_a)
    assert ForwardEntry.objects.count() == 2
    assert set(StatementLink.objects.values_list("statement__statement_id", flat=True)) == kept


def test_without_a_retention_period_every_statement_stays(school_a) -> None:  # type: ignore[no-untyped-def]
    ids = _store(school_a, 2)
    _age(ids, 4000)
    with override_settings(LRS_RETENTION_DAYS=0):
        assert expire_statements() == 0
    assert Statement.objects.count() == 2
