"""Credit limits of a selection round (ADR 0308), in the first-come service and the lottery."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import override

from openvet.core.errors import ValidationFailed
from openvet.teaching.selection import credits, services
from openvet.teaching.selection.models import (
    Offering,
    Preference,
    PreferenceOutcome,
    RoundKind,
    Selection,
    SelectionRound,
)
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.daily_factories import (
    campus_student,
    offering_of,
    round_of,
    student_in,
)

pytestmark = pytest.mark.django_db


def _credits(offering: Offering, value: str) -> Offering:
    course = offering.task.course
    course.credits = Decimal(value)
    course.save(update_fields=["credits"])
    return offering


def _capped(selection_round: SelectionRound, cap: str) -> SelectionRound:
    selection_round.max_credits_per_student = Decimal(cap)
    selection_round.save(update_fields=["max_credits_per_student"])
    return selection_round


def test_selection_up_to_the_cap_is_taken_and_over_it_refused(campus: Campus) -> None:
    student = campus_student(campus)
    selection_round = _capped(round_of(campus), "4")
    three = _credits(offering_of(campus, weekday=1), "3")
    one = _credits(offering_of(campus, weekday=2), "1")
    half = _credits(offering_of(campus, weekday=3), "0.5")
    services.selection_create(actor=campus.student, offering=three)
    services.selection_create(actor=campus.student, offering=one)  # exactly 4: allowed
    with override("en"), pytest.raises(ValidationFailed) as caught:
        services.selection_create(actor=campus.student, offering=half)
    message = (
        "This course has 0.5 credits: with the 4 you already hold in this round it would "
        "exceed the limit of 4 credits."
    )
    assert (caught.value.code, str(caught.value.message), caught.value.details) == (
        "credit_cap",
        message,
        {"offering": message},
    )
    half.refresh_from_db()
    assert (half.taken, Selection.objects.filter(student=student).count()) == (0, 2)
    assert credits.credits_used(student=student, selection_round=selection_round) == Decimal(4)


def test_the_refusal_is_in_chinese(campus: Campus) -> None:
    campus_student(campus)
    _capped(round_of(campus), "2")
    big = _credits(offering_of(campus), "2.5")
    with override("zh-hans"), pytest.raises(ValidationFailed) as caught:
        services.selection_create(actor=campus.student, offering=big)
    assert str(caught.value.message) == (
        "该课程 2.5 学分：加上你在本轮已选的 0 学分，将超过本轮 2 学分的上限。"
    )


def test_without_a_cap_credits_are_not_limited(campus: Campus) -> None:
    campus_student(campus)
    round_of(campus)
    for day in (1, 2, 3):
        services.selection_create(
            actor=campus.student, offering=_credits(offering_of(campus, weekday=day), "9")
        )
    assert Selection.objects.filter(student__user=campus.student).count() == 3


def test_seats_of_another_round_do_not_count(campus: Campus) -> None:
    student = campus_student(campus)
    earlier = round_of(campus, opens=timezone.now() - timedelta(hours=5), hours=1)
    _capped(round_of(campus), "3")
    old = _credits(offering_of(campus, weekday=1), "3")
    services.selection_create(
        actor=campus.student, offering=old, now=earlier.opens_at + timedelta(minutes=1)
    )
    services.selection_create(
        actor=campus.student, offering=_credits(offering_of(campus, weekday=2), "3")
    )
    assert Selection.objects.filter(student=student).count() == 2


def test_lottery_skips_a_choice_over_the_cap(campus: Campus) -> None:
    student = student_in(campus)
    opened = timezone.now() - timedelta(hours=3)
    selection_round = _capped(
        round_of(campus, kind=RoundKind.PREFERENCE, opens=opened, hours=1), "3"
    )
    first = _credits(offering_of(campus, weekday=1), "2")
    second = _credits(offering_of(campus, weekday=2), "2")
    third = _credits(offering_of(campus, weekday=3), "1")
    services.preferences_set(
        actor=student.user,
        selection_round=selection_round,
        offerings=[first, second, third],
        now=opened + timedelta(minutes=1),
    )
    services.lottery_run(actor=campus.admin, selection_round=selection_round, seed=1)
    outcomes = dict(
        Preference.objects.filter(student=student).values_list("offering_id", "outcome")
    )
    assert outcomes == {
        first.pk: PreferenceOutcome.WON,
        second.pk: PreferenceOutcome.SKIPPED,
        third.pk: PreferenceOutcome.WON,
    }


@pytest.mark.parametrize("cap", ["0", "-1", "100"])
def test_round_with_a_cap_out_of_range_is_refused(campus: Campus, cap: str) -> None:
    now = timezone.now()
    with override("en"), pytest.raises(ValidationFailed) as caught:
        services.round_create(
            actor=campus.admin,
            term=campus.term,
            name="Electives",
            kind=RoundKind.FIRST_COME,
            opens_at=now,
            closes_at=now + timedelta(days=1),
            max_credits_per_student=Decimal(cap),
        )
    assert caught.value.details == {
        "max_credits_per_student": "Choose a credit limit above 0 and at most 99."
    }
    assert not SelectionRound.objects.filter(name="Electives").exists()


def test_round_keeps_its_cap(campus: Campus) -> None:
    now = timezone.now()
    created = services.round_create(
        actor=campus.admin,
        term=campus.term,
        name="Electives",
        kind=RoundKind.FIRST_COME,
        opens_at=now,
        closes_at=now + timedelta(days=1),
        max_credits_per_student=Decimal("6.5"),
    )
    assert SelectionRound.objects.get(pk=created.pk).max_credits_per_student == Decimal("6.5")
