"""Forwarding accepted statements to a school's upstream LRS (ADR 0406).

Statements are queued in ``ForwardEntry`` in the transaction that stores them and sent in
queue order, ``BATCH`` at a time, as one xAPI statements POST. An entry is deleted only after
the upstream accepted its batch, so a crash between the two sends the batch again (at least
once; the upstream accepts a statement it already holds, since its id and content are the
same). A refused batch is retried after ``backoff(failures)``; nothing after it is sent first,
so each school's statements arrive in the order they were accepted. A lease on the upstream
row keeps two workers from sending the same queue at once.
"""

import base64
import json
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from openvet.lrs.models import ForwardEntry, Upstream, UpstreamVersion

BATCH = 100
MAX_BATCHES_PER_RUN = 100
TIMEOUT_SECONDS = 30
LEASE = timedelta(minutes=10)
BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_LONGEST = timedelta(hours=1)
# Properties the receiving LRS sets itself.
_SET_BY_RECEIVER = ("stored", "authority")


def backoff(failures: int) -> timedelta:
    """How long to wait after ``failures`` failed attempts in a row: 30 s, 1 min, 2 min, …,
    at most an hour."""
    if failures <= 0:
        return timedelta(0)
    wait: timedelta = BACKOFF_FIRST * 2 ** min(failures - 1, 20)
    return min(wait, BACKOFF_LONGEST)


def outgoing(body: dict[str, Any], version: str) -> dict[str, Any]:
    """The statement as sent upstream: without what the receiver sets, and without a 2.0
    ``version`` property when the upstream speaks 1.0.3."""
    found = {key: value for key, value in body.items() if key not in _SET_BY_RECEIVER}
    if version == UpstreamVersion.V1 and str(found.get("version", "")).startswith("2"):
        del found["version"]
    return found


def post_statements(upstream: Upstream, statements: list[dict[str, Any]]) -> str:
    """POST a batch to the upstream's statements resource; "" when it accepted them, else
    what went wrong in one line."""
    credentials = base64.b64encode(f"{upstream.key}:{upstream.secret}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 - the address is an http(s) URLField
        upstream.endpoint.rstrip("/") + "/statements",
        data=json.dumps(statements).encode(),
        method="POST",
        headers={
            "Authorization": f"Basic {credentials}",
            "Content-Type": "application/json",
            "X-Experience-API-Version": upstream.version,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
            answer.read()
    except urllib.error.HTTPError as exc:
        text = exc.read(300).decode(errors="replace").strip()
        return f"HTTP {exc.code} {exc.reason}: {text}".strip(": ")
    except (urllib.error.URLError, OSError) as exc:
        return str(getattr(exc, "reason", exc)) or type(exc).__name__
    return ""


def _claim(upstream_id: int, now: datetime) -> bool:
    free = Q(leased_until__isnull=True) | Q(leased_until__lt=now)
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    claimed = Upstream.objects.filter(free, due, pk=upstream_id, is_active=True).update(
        leased_until=now + LEASE
    )
    return claimed == 1


def _accepted(upstream_id: int, entry_ids: list[int], now: datetime) -> None:
    """The upstream accepted these entries' statements: leave the queue, count them."""
    with transaction.atomic():
        ForwardEntry.objects.filter(pk__in=entry_ids).delete()
        Upstream.objects.filter(pk=upstream_id).update(
            failures=0,
            next_attempt_at=None,
            last_sent_at=now,
            sent_count=F("sent_count") + len(entry_ids),
        )


def forward_upstream(upstream_id: int, *, now: datetime | None = None) -> int:
    """Send what is queued for one upstream, if it is due; returns how many were accepted."""
    now = now or timezone.now()
    if not _claim(upstream_id, now):
        return 0
    upstream = Upstream.objects.get(pk=upstream_id)
    sent = 0
    try:
        for _batch in range(MAX_BATCHES_PER_RUN):
            entries = list(
                ForwardEntry.objects.filter(upstream_id=upstream_id)
                .order_by("id")
                .select_related("statement")[:BATCH]
            )
            if not entries:
                break
            error = post_statements(
                upstream, [outgoing(entry.statement.body, upstream.version) for entry in entries]
            )
            if error:
                failures = upstream.failures + 1
                Upstream.objects.filter(pk=upstream_id).update(
                    failures=failures,
                    next_attempt_at=now + backoff(failures),
                    last_error=error[:1000],
                    last_error_at=now,
                )
                break
            _accepted(upstream_id, [entry.pk for entry in entries], now)
            upstream.failures = 0
            sent += len(entries)
    finally:
        Upstream.objects.filter(pk=upstream_id).update(leased_until=None)
    return sent


def forward_due(*, now: datetime | None = None) -> int:
    """Send the queues of every upstream that is on and due (the periodic job)."""
    now = now or timezone.now()
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    ids = Upstream.objects.filter(due, is_active=True).values_list("pk", flat=True)
    return sum(forward_upstream(upstream_id, now=now) for upstream_id in list(ids))
