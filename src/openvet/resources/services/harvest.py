"""Harvesting school libraries into a provincial (or the national) library (ADR 0512).

A run asks the source for the records changed since the newest datestamp of its last
complete run (``from``, inclusive: records at that second come again and are matched by
identifier), follows the resumption tokens and writes each page in one transaction: a new
identifier becomes a published resource of the library, a known one is updated, a deleted one
is withdrawn. Only a complete run moves ``last_datestamp``, so a run cut short is taken up
again from the same point. A failed run is retried by the periodic job after a backoff that
doubles each time (as the forwarding of learning records does, ADR 0406); a lease on the
source keeps two workers from harvesting it at once.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.audit import audit_record
from openvet.core.errors import PermissionDenied, ValidationFailed
from openvet.core.models import AuditAction, CodeItem, OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.core.tasks import on_commit
from openvet.resources import permissions as perms
from openvet.resources.harvesting.client import HarvestFailed, OaiClient, Page, Record, Sleep
from openvet.resources.harvesting.records import mapped
from openvet.resources.models import (
    Contributor,
    HarvestedRecord,
    HarvestSource,
    LibraryLevel,
    Resource,
    ResourceStatus,
)
from openvet.resources.selectors import harvest_sources_due
from openvet.resources.services.resources import MAJOR_TABLE, resource_reindex

LEASE = timedelta(minutes=30)
BACKOFF_FIRST = timedelta(minutes=5)
BACKOFF_LONGEST = timedelta(hours=24)
MAX_PAGES_PER_RUN = 10_000
IDENTIFIER_MAX = HarvestedRecord._meta.get_field("identifier").max_length or 300


def backoff(failures: int) -> timedelta:
    """5 min, 10 min, 20 min, … at most a day after ``failures`` failed runs in a row."""
    if failures <= 0:
        return timedelta(0)
    wait: timedelta = BACKOFF_FIRST * 2 ** min(failures - 1, 20)
    return min(wait, BACKOFF_LONGEST)


def source_create(*, actor: Actor, name: str, base_url: str, set_spec: str = "") -> HarvestSource:
    """Register a library to harvest into the library the actor administers."""
    roots = policy.capability_paths(actor, perms.HARVEST)
    if not roots:
        raise PermissionDenied()
    org = OrgUnit.objects.get(path=roots[0])
    if not base_url.startswith(("http://", "https://")):
        raise ValidationFailed(details={"base_url": _("Give the address as http:// or https://.")})
    try:
        with transaction.atomic():
            source = HarvestSource.objects.create(
                org=org,
                name=name.strip(),
                base_url=base_url.strip(),
                set_spec=set_spec.strip(),
                created_by_id=actor.pk,
            )
            audit_record(action=AuditAction.CREATE, obj=source, org=org)
    except IntegrityError as exc:
        raise ValidationFailed(
            details={"base_url": _("This address and set are harvested already.")}
        ) from exc
    return source


@dataclass
class RunCounts:
    added: int = 0
    updated: int = 0
    deleted: int = 0


def _level_of(source: HarvestSource) -> str:
    return LibraryLevel.NATIONAL if source.org.kind == OrgKind.NATION else LibraryLevel.PROVINCIAL


def _write_page(source: HarvestSource, page: Page, majors: set[str], counts: RunCounts) -> None:
    with transaction.atomic():
        for record in page.records:
            # An identifier longer than the column is no OAI identifier we can match later.
            if record.identifier and len(record.identifier) <= IDENTIFIER_MAX:
                _write_record(source, record, majors, counts)


def _write_record(
    source: HarvestSource, record: Record, majors: set[str], counts: RunCounts
) -> None:
    known = (
        HarvestedRecord.objects.select_related("resource")
        .filter(source=source, identifier=record.identifier)
        .first()
    )
    if record.deleted:
        if known is not None and not known.deleted:
            _withdraw(known, record.datestamp)
            counts.deleted += 1
        return
    fields = mapped(record, majors=majors)
    if known is None:
        resource = Resource.objects.create(
            org=source.org,
            owner_id=source.created_by_id,
            status=ResourceStatus.PUBLISHED,
            level=_level_of(source),
            **fields.values,
        )
        HarvestedRecord.objects.create(
            source=source,
            identifier=record.identifier,
            datestamp=record.datestamp,
            resource=resource,
            link=fields.link,
            rights=fields.rights,
        )
        counts.added += 1
    elif _unchanged(known, fields.values, fields.link):
        return  # the record at the ``from`` boundary, as the last run saw it
    else:
        resource = known.resource
        Resource.objects.filter(pk=resource.pk).update(
            status=ResourceStatus.PUBLISHED,
            level=_level_of(source),
            updated_at=timezone.now(),
            **fields.values,
        )
        HarvestedRecord.objects.filter(pk=known.pk).update(
            datestamp=record.datestamp, link=fields.link, rights=fields.rights, deleted=False
        )
        resource.contributors.all().delete()
        counts.updated += 1
    Contributor.objects.bulk_create(
        Contributor(resource=resource, name=name, share=0) for name in fields.creators
    )
    resource.refresh_from_db()
    resource_reindex(resource=resource)


def _unchanged(known: HarvestedRecord, values: dict[str, Any], link: str) -> bool:
    """Datestamps are to the second: a record changed within the second of the last run's
    newest one comes again with the same datestamp, so the content decides."""
    resource = known.resource
    same = all(getattr(resource, name) == value for name, value in values.items())
    return same and not known.deleted and known.link == link


def _withdraw(known: HarvestedRecord, datestamp: datetime) -> None:
    """The source deleted the record: it leaves the library (a draft of the source's owner),
    and comes back if the source publishes it again."""
    Resource.objects.filter(pk=known.resource_id).update(
        status=ResourceStatus.DRAFT, level="", updated_at=timezone.now()
    )
    HarvestedRecord.objects.filter(pk=known.pk).update(deleted=True, datestamp=datestamp)


def _claim(source_id: int, now: datetime, *, force: bool) -> bool:
    free = Q(leased_until__isnull=True) | Q(leased_until__lt=now)
    due = Q() if force else Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    claimed = HarvestSource.objects.filter(free, due, pk=source_id, is_active=True).update(
        leased_until=now + LEASE
    )
    return claimed == 1


def _from_argument(source: HarvestSource) -> dict[str, str]:
    arguments = {"set": source.set_spec} if source.set_spec else {}
    if source.last_datestamp is not None:
        pattern = "%Y-%m-%d" if source.day_granularity else "%Y-%m-%dT%H:%M:%SZ"
        arguments["from"] = source.last_datestamp.strftime(pattern)
    return arguments


def _run(source: HarvestSource, sleep: Sleep | None, counts: RunCounts) -> datetime | None:
    client = OaiClient(source.base_url, **({"sleep": sleep} if sleep else {}))
    day = client.day_granularity()
    HarvestSource.objects.filter(pk=source.pk).update(day_granularity=day)
    source.day_granularity = day
    majors = set(CodeItem.objects.filter(table=MAJOR_TABLE).values_list("code", flat=True))
    newest = source.last_datestamp
    for number, page in enumerate(client.list_records(**_from_argument(source))):
        if number >= MAX_PAGES_PER_RUN:
            raise HarvestFailed("More pages than one run takes; the next run goes on.")
        _write_page(source, page, majors, counts)
        for record in page.records:
            newest = record.datestamp if newest is None else max(newest, record.datestamp)
    return newest


def source_harvest(
    source_id: int, *, now: datetime | None = None, force: bool = False, sleep: Sleep | None = None
) -> RunCounts | None:
    """One run for one source if it is due (``force``: now, whatever its backoff); None when
    it was not run. A failure is recorded on the source, never raised."""
    now = now or timezone.now()
    if not _claim(source_id, now, force=force):
        return None
    source = HarvestSource.objects.select_related("org").get(pk=source_id)
    counts = RunCounts()
    ran = {"last_run_at": now, "leased_until": None}
    try:
        newest = _run(source, sleep, counts)
    except HarvestFailed as exc:
        failures = source.failures + 1
        HarvestSource.objects.filter(pk=source_id).update(
            failures=failures,
            next_attempt_at=now + backoff(failures),
            last_error=exc.message[:1000],
            last_error_at=now,
            last_added=counts.added,
            last_updated=counts.updated,
            last_deleted=counts.deleted,
            **ran,
        )
        return counts
    except BaseException:
        HarvestSource.objects.filter(pk=source_id).update(leased_until=None)
        raise
    HarvestSource.objects.filter(pk=source_id).update(
        failures=0,
        next_attempt_at=None,
        last_error="",
        last_datestamp=newest,
        last_success_at=now,
        last_added=counts.added,
        last_updated=counts.updated,
        last_deleted=counts.deleted,
        **ran,
    )
    return counts


def source_harvest_request(*, actor: Actor, source: HarvestSource) -> None:
    """Harvest now, for the administrator of the source's library: the run is queued (a
    large library takes minutes), whatever backoff the source was waiting out."""
    from openvet.resources.tasks import harvest_source

    if not policy.has_capability(actor, perms.HARVEST, source.org):
        raise PermissionDenied()
    with transaction.atomic():
        HarvestSource.objects.filter(pk=source.pk).update(is_active=True, next_attempt_at=None)
        audit_record(action=AuditAction.UPDATE, obj=source, org=source.org)
        on_commit(harvest_source, source.pk)


def harvest_due(*, now: datetime | None = None) -> int:
    """Run every source that is on and due (the periodic job); the number of records read."""
    now = now or timezone.now()
    total = 0
    for source_id in harvest_sources_due(now=now):
        counts = source_harvest(source_id, now=now)
        if counts is not None:
            total += counts.added + counts.updated + counts.deleted
    return total
