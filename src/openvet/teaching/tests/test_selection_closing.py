"""Closing a preference round now and drawing its lottery: service and page."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openvet.core.audit import AuditAction
from openvet.core.errors import Conflict, PermissionDenied
from openvet.core.models import AuditEntry
from openvet.identity.models import User
from openvet.identity.tests.support import sign_in
from openvet.teaching.selection import services
from openvet.teaching.selection.closing import round_close_now
from openvet.teaching.selection.models import (
    PreferenceOutcome,
    RoundKind,
    Selection,
    SelectionRound,
)
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.daily_factories import campus_student, offering_of, round_of

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    return sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), user)


def _ranked_round(campus: Campus) -> SelectionRound:
    """An open preference round in which the campus student ranked one course."""
    campus_student(campus)
    offering = offering_of(campus, capacity=1)
    selection_round = round_of(campus, kind=RoundKind.PREFERENCE)
    services.preferences_set(
        actor=campus.student, selection_round=selection_round, offerings=[offering]
    )
    return selection_round


def test_closing_now_ends_the_window_and_draws_with_the_seed(campus: Campus) -> None:
    selection_round = _ranked_round(campus)
    now = timezone.now()

    closed = round_close_now(actor=campus.admin, selection_round=selection_round, seed=7, now=now)

    closed.refresh_from_db()
    assert (closed.closes_at, closed.lottery_seed, closed.lottery_run_at) == (now, 7, now)
    assert closed.preferences.get().outcome == PreferenceOutcome.WON
    assert Selection.objects.filter(student__user=campus.student).count() == 1
    closing = AuditEntry.objects.filter(
        action=AuditAction.UPDATE, object_id=str(closed.pk), changes__has_key="closes_at"
    )
    assert closing.count() == 1


def test_a_closed_round_is_refused_and_left_alone(campus: Campus) -> None:
    selection_round = round_of(
        campus, kind=RoundKind.PREFERENCE, opens=timezone.now() - timedelta(days=2), hours=1
    )

    with pytest.raises(Conflict) as refused:
        round_close_now(actor=campus.admin, selection_round=selection_round)

    assert refused.value.code == "round_closed"
    selection_round.refresh_from_db()
    assert selection_round.lottery_run_at is None


def test_a_round_not_yet_open_or_first_come_is_refused(campus: Campus) -> None:
    later = round_of(campus, kind=RoundKind.PREFERENCE, opens=timezone.now() + timedelta(days=1))
    first_come = round_of(campus, kind=RoundKind.FIRST_COME)

    with pytest.raises(Conflict) as not_open:
        round_close_now(actor=campus.admin, selection_round=later)
    with pytest.raises(Conflict) as not_preference:
        round_close_now(actor=campus.admin, selection_round=first_come)

    assert (not_open.value.code, not_preference.value.code) == (
        "round_not_open",
        "not_preference",
    )


def test_a_failing_lottery_leaves_the_window_as_it_was(campus: Campus) -> None:
    selection_round = _ranked_round(campus)
    closes_at = selection_round.closes_at

    with pytest.raises(Conflict):  # the lottery refuses a time before the round opened
        round_close_now(
            actor=campus.admin,
            selection_round=selection_round,
            now=selection_round.opens_at - timedelta(seconds=1),
        )

    selection_round.refresh_from_db()
    assert selection_round.closes_at == closes_at


def test_only_a_manager_of_the_school_may_close(campus: Campus, other: Campus) -> None:
    selection_round = _ranked_round(campus)

    for outsider in (campus.teacher, campus.student, other.admin):
        with pytest.raises(PermissionDenied):
            round_close_now(actor=outsider, selection_round=selection_round)

    selection_round.refresh_from_db()
    assert selection_round.lottery_run_at is None


def test_the_page_confirms_then_closes_and_refuses_a_second_time(campus: Campus) -> None:
    selection_round = _ranked_round(campus)
    client = _client(campus.admin)
    admin_page = client.get(reverse("teaching:round-admin", args=[campus.term.pk]))
    url = reverse("teaching:round-close", args=[selection_round.pk])
    assert url in admin_page.content.decode()

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Close round now and run the lottery" in confirm.content.decode()
    assert SelectionRound.objects.get().lottery_run_at is None  # a GET changes nothing

    done = client.post(url, {"seed": "4242"}, follow=True)
    assert "The round is closed and the lottery has assigned the seats." in done.content.decode()
    assert "with seed 4242" in done.content.decode()
    again = client.post(url, {"seed": "1"}, follow=True)
    assert "closed at" in again.content.decode()
    assert SelectionRound.objects.get().lottery_seed == 4242


def test_the_page_is_refused_to_students_and_other_schools(campus: Campus, other: Campus) -> None:
    selection_round = _ranked_round(campus)
    url = reverse("teaching:round-close", args=[selection_round.pk])

    assert _client(campus.student).get(url).status_code == 403
    assert _client(campus.student).post(url, {"seed": "1"}).status_code == 403
    assert _client(other.admin).post(url, {"seed": "1"}).status_code == 404
    assert SelectionRound.objects.get().lottery_run_at is None
