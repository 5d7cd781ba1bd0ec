"""Forwarding to an upstream LRS: a real HTTP server on loopback receives the statements once,
in the order they were accepted, and the queue resumes after a failure (ADR 0406)."""

from collections.abc import Iterator
from datetime import timedelta
from uuid import UUID

import pytest
from django.db import connection
from django.utils import timezone

from openvet.core.models import OrgUnit
from openvet.identity.tests.factories import user_with_role
from openvet.lrs import forwarding
from openvet.lrs.models import ForwardEntry, Upstream
from openvet.lrs.services import record_learning_event, upstream_save
from openvet.lrs.tests.conftest import Lrs, basic, lrs_for, statement
from openvet.lrs.tests.upstream import Receiver, upstream_lrs

pytestmark = pytest.mark.django_db

KEY, SECRET = "province-key", "province-secret"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with upstream_lrs(basic(KEY, SECRET)) as found:
        yield found


def forward_to(receiver: Receiver, school: OrgUnit, *, version: str = "2.0.0") -> Upstream:
    return upstream_save(
        actor=None,
        school=school,
        endpoint=receiver.endpoint,
        key=KEY,
        secret=SECRET,
        version=version,
        is_active=True,
    )


def send(lrs: Lrs, count: int, start: int = 0) -> list[str]:
    ids = []
    for n in range(start, start + count):
        answer = lrs.request(
            "POST", "/statements", statement(object={"id": f"http://example.com/a/{n}"})
        )
        assert answer.status_code == 200, answer.content
        ids += answer.json()
    return ids


def test_statements_arrive_once_in_the_order_they_were_accepted(
    receiver: Receiver, school_a: OrgUnit, lrs: Lrs
) -> None:
    forward_to(receiver, school_a)
    ids = send(lrs, 3)
    batch = lrs.request("POST", "/statements", [statement(), statement()])
    ids += batch.json()
    assert ForwardEntry.objects.count() == 5

    assert forwarding.forward_due() == 5
    assert receiver.order == ids
    assert receiver.arrivals == ids
    assert not ForwardEntry.objects.exists()
    assert forwarding.forward_due() == 0
    assert receiver.arrivals == ids
    upstream = Upstream.objects.get()
    assert (upstream.sent_count, upstream.failures, upstream.last_error) == (5, 0, "")


def test_what_is_sent_is_the_statement_without_what_the_receiver_sets(
    receiver: Receiver, school_a: OrgUnit, lrs: Lrs
) -> None:
    forward_to(receiver, school_a)
    [sent_id] = send(lrs, 1)
    forwarding.forward_due()
    kept = lrs.request("GET", f"/statements?statementId={sent_id}").json()
    received = receiver.stored[sent_id]
    assert "stored" not in received
    assert "authority" not in received
    assert received == {k: v for k, v in kept.items() if k not in ("stored", "authority")}


def test_a_failure_is_retried_with_growing_waits_and_resumes_where_it_stopped(
    receiver: Receiver, school_a: OrgUnit, lrs: Lrs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(forwarding, "BATCH", 2)
    forward_to(receiver, school_a)
    ids = send(lrs, 5)
    now = timezone.now()

    receiver.fail_next = 1
    assert forwarding.forward_due(now=now) == 0
    upstream = Upstream.objects.get()
    assert upstream.failures == 1
    assert upstream.last_error.startswith("HTTP 503")
    assert upstream.next_attempt_at == now + timedelta(seconds=30)
    assert ForwardEntry.objects.count() == 5

    # Not due yet: nothing is sent, not even a request.
    requests = receiver.requests
    assert forwarding.forward_due(now=now + timedelta(seconds=29)) == 0
    assert receiver.requests == requests

    # The second attempt fails too: the wait doubles.
    receiver.fail_next = 1
    later = now + timedelta(seconds=30)
    assert forwarding.forward_due(now=later) == 0
    upstream.refresh_from_db()
    assert (upstream.failures, upstream.next_attempt_at) == (2, later + timedelta(minutes=1))

    # Then the upstream answers: everything goes, in order, once.
    assert forwarding.forward_due(now=later + timedelta(minutes=1)) == 5
    assert receiver.arrivals == ids
    upstream.refresh_from_db()
    assert (upstream.failures, upstream.next_attempt_at, upstream.sent_count) == (0, None, 5)
    assert upstream.last_error.startswith("HTTP 503")  # kept for the administrator to see


def test_a_failure_in_the_middle_resumes_with_the_batch_that_failed(
    receiver: Receiver, school_a: OrgUnit, lrs: Lrs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(forwarding, "BATCH", 2)
    forward_to(receiver, school_a)
    ids = send(lrs, 5)
    real_post = forwarding.post_statements
    calls = []

    def second_fails(upstream: Upstream, statements: list[dict[str, object]]) -> str:
        calls.append(len(statements))
        if len(calls) == 2:
            receiver.fail_next = 1
        return real_post(upstream, statements)

    monkeypatch.setattr(forwarding, "post_statements", second_fails)
    now = timezone.now()
    assert forwarding.forward_due(now=now) == 2
    assert receiver.arrivals == ids[:2]
    assert list(
        ForwardEntry.objects.order_by("id").values_list("statement__statement_id", flat=True)
    ) == [UUID(i) for i in ids[2:]]

    assert forwarding.forward_due(now=now + timedelta(seconds=30)) == 3
    assert receiver.arrivals == ids


def test_a_batch_sent_again_after_a_crash_is_stored_once_upstream(
    receiver: Receiver, school_a: OrgUnit, lrs: Lrs, monkeypatch: pytest.MonkeyPatch
) -> None:
    forward_to(receiver, school_a)
    ids = send(lrs, 3)

    def crash(*args: object) -> None:
        raise KeyboardInterrupt  # the process dies after the upstream accepted the batch

    monkeypatch.setattr(forwarding, "_accepted", crash)
    with pytest.raises(KeyboardInterrupt):
        forwarding.forward_due()
    monkeypatch.undo()
    assert ForwardEntry.objects.count() == 3
    upstream = Upstream.objects.get()
    assert upstream.leased_until is None

    assert forwarding.forward_due() == 3
    assert receiver.arrivals == ids + ids  # at least once
    assert receiver.order == ids  # stored once, in order


def test_platform_learning_events_are_forwarded_too(receiver: Receiver, school_a: OrgUnit) -> None:
    forward_to(receiver, school_a)
    student = user_with_role("student", school_a)
    made = record_learning_event(
        user_id=student.pk, verb="attended", object_type="teaching.session", object_id=7
    )
    assert forwarding.forward_due() == 1
    assert receiver.order == [made]


def test_only_the_forwarding_schools_statements_are_queued(
    receiver: Receiver, school_a: OrgUnit, school_b: OrgUnit
) -> None:
    upstream = forward_to(receiver, school_a)
    send(lrs_for(school_b), 2)
    assert not ForwardEntry.objects.exists()
    upstream_save(
        actor=None,
        school=school_a,
        endpoint=upstream.endpoint,
        key=KEY,
        secret="",
        version="2.0.0",
        is_active=False,
    )
    send(lrs_for(school_a), 1)
    assert not ForwardEntry.objects.exists()
    assert forwarding.forward_due() == 0
    assert receiver.requests == 0


def test_an_unreachable_upstream_is_an_error_not_a_crash(school_a: OrgUnit, lrs: Lrs) -> None:
    with upstream_lrs(basic(KEY, SECRET)) as gone:
        endpoint = gone.endpoint
    upstream_save(
        actor=None,
        school=school_a,
        endpoint=endpoint,
        key=KEY,
        secret=SECRET,
        version="2.0.0",
        is_active=True,
    )
    send(lrs, 1)
    assert forwarding.forward_due() == 0
    upstream = Upstream.objects.get()
    assert upstream.failures == 1
    assert "refused" in upstream.last_error.lower()
    assert ForwardEntry.objects.count() == 1


def test_a_wrong_secret_is_an_error_and_keeps_the_queue(
    receiver: Receiver, school_a: OrgUnit, lrs: Lrs
) -> None:
    upstream_save(
        actor=None,
        school=school_a,
        endpoint=receiver.endpoint,
        key=KEY,
        secret="wrong",
        version="2.0.0",
        is_active=True,
    )
    send(lrs, 1)
    assert forwarding.forward_due() == 0
    assert Upstream.objects.get().last_error.startswith("HTTP 401")
    assert ForwardEntry.objects.count() == 1


def test_the_secret_is_encrypted_in_the_database(receiver: Receiver, school_a: OrgUnit) -> None:
    upstream = forward_to(receiver, school_a)
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM lrs_upstream WHERE id = %s", [upstream.pk])
        (raw,) = cursor.fetchone()
    assert SECRET not in raw
    assert Upstream.objects.get().secret == SECRET


def test_a_1_0_3_upstream_gets_no_2_0_version(
    receiver: Receiver, school_a: OrgUnit, lrs: Lrs
) -> None:
    forward_to(receiver, school_a, version="1.0.3")
    [sent_id] = send(lrs, 1)
    assert forwarding.forward_due() == 1
    assert "version" not in receiver.stored[sent_id]


def test_waits_double_up_to_an_hour() -> None:
    waits = [forwarding.backoff(n).total_seconds() for n in (0, 1, 2, 3, 8, 50)]
    assert waits == [0, 30, 60, 120, 3600, 3600]
