"""Retention of statements: those stored longer ago than the platform keeps them are deleted
in small batches (ADR 0417).

``LRS_RETENTION_DAYS`` (environment ``OPENVET_LRS_RETENTION_DAYS``) is how long a statement
is kept after it was stored; 0, the default, keeps every statement. Each batch is its own
short transaction of at most ``BATCH`` statements with their links and forwarding entries,
read per school from the ``(school, stored)`` index, so the job never holds long locks nor
scans the whole table, and a run stopped half way leaves nothing half deleted.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from openvet.core.models import OrgKind, OrgUnit
from openvet.lrs.models import ForwardEntry, Statement, StatementLink

BATCH = 5_000


def retention_days() -> int:
    return int(getattr(settings, "LRS_RETENTION_DAYS", 0) or 0)


def expire_statements(*, batch: int = BATCH) -> int:
    """Delete the statements stored before the retention period; returns how many."""
    days = retention_days()
    if days <= 0:
        return 0
    cutoff = timezone.now() - timedelta(days=days)
    # School by school: each is a range of the (school, stored) index, never a table scan.
    schools = OrgUnit.objects.filter(kind=OrgKind.SCHOOL).order_by("pk")
    deleted = 0
    for school_id in schools.values_list("pk", flat=True):
        while True:
            done = _delete_batch(school_id, cutoff, batch)
            deleted += done
            if done < batch:
                break
    return deleted


def _delete_batch(school_id: int, cutoff: datetime, batch: int) -> int:
    expired = Statement.objects.filter(school_id=school_id, stored__lt=cutoff)
    with transaction.atomic():
        ids = list(expired.order_by("stored").values_list("pk", flat=True)[:batch])
        if not ids:
            return 0
        ForwardEntry.objects.filter(statement_id__in=ids).delete()
        StatementLink.objects.filter(statement_id__in=ids).delete()
        Statement.objects.filter(pk__in=ids).delete()
    return len(ids)
