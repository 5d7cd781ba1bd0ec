"""Retention of statements: those stored longer ago than their school keeps them go
(ADR 0417, 0423).

``LRS_RETENTION_DAYS`` (environment ``OPENVET_LRS_RETENTION_DAYS``) is how long a statement
is kept after it was stored; 0, the default, keeps every statement. A school's
``SchoolRetention`` replaces it for that school. On PostgreSQL a whole month's partition is
dropped once every school's period has passed its end (ADR 0422); what remains past a
school's period is deleted in batches, each its own short transaction of at most ``BATCH``
statements with their links, forwarding entries and ids, read per school from the
``(school, stored)`` index, so the job never holds long locks nor scans the whole table, and
a run stopped half way leaves nothing half deleted. Each run is recorded with how many
statements of each school it removed (``RetentionRun``, ``RetentionRemoval``, ADR 0425).

``school_retention_save`` sets a school's period for an administrator (audited);
``partitions_make`` makes the coming months' partitions for the platform administrator.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openvet.core import policy
from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import ValidationFailed
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.lrs import partitions
from openvet.lrs.models import (
    ForwardEntry,
    RetentionRemoval,
    RetentionRun,
    SchoolRetention,
    Statement,
    StatementId,
    StatementLink,
)

BATCH = 5_000
CHANGE_RETENTION = "lrs.change_schoolretention"
MANAGE_PARTITIONS = "lrs.manage_statement_partitions"
# A period longer than this is refused: 100 years.
MAX_DAYS = 36_500


def retention_days() -> int:
    return int(getattr(settings, "LRS_RETENTION_DAYS", 0) or 0)


def school_retention_set(*, school: OrgUnit, days: int | None) -> None:
    """How long ``school`` keeps its statements (None: the platform's period)."""
    if days is None:
        SchoolRetention.objects.filter(school=school).delete()
    else:
        SchoolRetention.objects.update_or_create(school=school, defaults={"days": days})


@transaction.atomic
def school_retention_save(*, actor: Actor | None, school: OrgUnit, days: int | None) -> None:
    """Set how long ``school`` keeps its statements: ``days`` (0 keeps every one) or None for
    the platform's period; audited. An administrator acts only within their own schools."""
    if actor is not None:
        policy.require(actor, CHANGE_RETENTION, school)
    if school.kind != OrgKind.SCHOOL:
        raise ValidationFailed(details={"school": _("Choose a school.")})
    if days is not None and not 0 <= days <= MAX_DAYS:
        raise ValidationFailed(details={"amount": _("Enter a period of at most 100 years.")})
    current = SchoolRetention.objects.select_for_update().filter(school=school).first()
    before = current.days if current is not None else None
    if before == days:
        return
    school_retention_set(school=school, days=days)
    audit_record(
        action=AuditAction.UPDATE,
        obj=school,
        org=school,
        actor=actor,
        object_label=f"{school.name}: retention",
        changes={"retention_days": [before, days]},
    )


def expiring_count(*, school: OrgUnit, days: int | None, now: datetime | None = None) -> int:
    """How many of ``school``'s statements the next run would remove under ``days`` (None:
    the platform's period): one range of the ``(school, stored)`` index."""
    period = retention_days() if days is None else days
    if period <= 0:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=period)
    return Statement.objects.filter(school=school, stored__lt=cutoff).count()


def partitions_make(*, actor: Actor) -> list[str]:
    """Make this month's partition and the coming months' (what ``openvet lrs partitions``
    does) for the platform administrator; audited. Returns the names made."""
    policy.require(actor, MANAGE_PARTITIONS)
    made = partitions.ensure_partitions()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        object_label="lrs statement partitions",
        changes={"made": made},
    )
    return made


def days_by_school() -> dict[int, int]:
    """Every school's retention period in days (0: kept for ever)."""
    platform = retention_days()
    days = dict.fromkeys(
        OrgUnit.objects.filter(kind=OrgKind.SCHOOL).values_list("pk", flat=True), platform
    )
    days.update(SchoolRetention.objects.values_list("school_id", "days"))
    return days


def expire_statements(*, batch: int = BATCH, now: datetime | None = None) -> int:
    """Delete the statements stored before their school's retention period; returns how many.
    The run is recorded with how many statements of each school it removed."""
    started = timezone.now()
    now = now or started
    periods = days_by_school()
    removed: dict[int, int] = {}
    if periods and min(periods.values()) > 0:
        # A month past every school's period goes whole (PostgreSQL; none on SQLite).
        cutoff = now - timedelta(days=max(periods.values()))
        for partition in partitions.monthly_partitions():
            if partition.end <= cutoff:
                for school_id, count in partitions.drop_partition(partition).items():
                    removed[school_id] = removed.get(school_id, 0) + count
    # School by school: each is a range of the (school, stored) index, never a table scan.
    for school_id, days in sorted(periods.items()):
        if days <= 0:
            continue
        cutoff = now - timedelta(days=days)
        while True:
            done = _delete_batch(school_id, cutoff, batch)
            removed[school_id] = removed.get(school_id, 0) + done
            if done < batch:
                break
    return _record_run(started, periods, removed)


def _record_run(started: datetime, periods: dict[int, int], removed: dict[int, int]) -> int:
    total = sum(removed.values())
    checked = {school_id for school_id, days in periods.items() if days > 0} | set(removed)
    with transaction.atomic():
        run = RetentionRun.objects.create(
            started_at=started, finished_at=timezone.now(), deleted=total
        )
        RetentionRemoval.objects.bulk_create(
            RetentionRemoval(run=run, school_id=school_id, deleted=removed.get(school_id, 0))
            for school_id in sorted(checked & set(periods))
        )
    return total


def _delete_batch(school_id: int, cutoff: datetime, batch: int) -> int:
    expired = Statement.objects.filter(school_id=school_id, stored__lt=cutoff)
    with transaction.atomic():
        rows = list(expired.order_by("stored").values_list("pk", "statement_id")[:batch])
        if not rows:
            return 0
        ids = [pk for pk, _statement_id in rows]
        ForwardEntry.objects.filter(statement_id__in=ids).delete()
        StatementLink.objects.filter(statement_id__in=ids).delete()
        Statement.objects.filter(pk__in=ids).delete()
        # The ids of deleted statements may be stored again (PostgreSQL's id table, ADR 0422).
        StatementId.objects.filter(statement_id__in=[sid for _pk, sid in rows]).delete()
    return len(rows)
