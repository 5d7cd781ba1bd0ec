from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import override

from openvet.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from openvet.teaching.selection import selectors, services
from openvet.teaching.selection.models import (
    Offering,
    PreferenceOutcome,
    RoundKind,
    Selection,
)
from openvet.teaching.tests.conftest import Campus
from openvet.teaching.tests.daily_factories import (
    campus_student,
    offering_of,
    round_of,
    student_in,
    task_of,
)

pytestmark = pytest.mark.django_db


def _taken(offering: Offering) -> int:
    offering.refresh_from_db()
    return offering.taken


def test_student_takes_a_seat(campus: Campus) -> None:
    student = campus_student(campus)
    offering = offering_of(campus)
    round_of(campus)
    selection = services.selection_create(actor=campus.student, offering=offering)
    assert (selection.student_id, _taken(offering)) == (student.pk, 1)


def test_full_offering_is_refused_and_nothing_written(campus: Campus) -> None:
    offering = offering_of(campus, capacity=1)
    round_of(campus)
    first = student_in(campus)
    services.selection_create(actor=first.user, offering=offering)
    second = student_in(campus)
    fresh = Offering.objects.get(pk=offering.pk)
    with override("en"), pytest.raises(Conflict) as caught:
        services.selection_create(actor=second.user, offering=fresh)
    assert (caught.value.code, str(caught.value.message)) == ("full", "This course is full.")
    assert (_taken(offering), Selection.objects.filter(offering=offering).count()) == (1, 1)


def test_stale_hint_still_cannot_oversell(campus: Campus) -> None:
    offering = offering_of(campus, capacity=1)
    round_of(campus)
    stale = Offering.objects.get(pk=offering.pk)  # read before the first seat went
    services.selection_create(actor=student_in(campus).user, offering=offering)
    with pytest.raises(Conflict):
        services.selection_create(actor=student_in(campus).user, offering=stale)
    assert (_taken(offering), Selection.objects.filter(offering=offering).count()) == (1, 1)


def test_double_selection_is_refused(campus: Campus) -> None:
    campus_student(campus)
    offering = offering_of(campus, capacity=5)
    round_of(campus)
    services.selection_create(actor=campus.student, offering=offering)
    with pytest.raises(Conflict) as caught:
        services.selection_create(actor=campus.student, offering=offering)
    assert (caught.value.code, _taken(offering)) == ("already_selected", 1)


def test_selection_outside_the_window_is_refused(campus: Campus) -> None:
    campus_student(campus)
    offering = offering_of(campus)
    round_of(campus, opens=timezone.now() + timedelta(days=1))
    with override("en"), pytest.raises(ValidationFailed) as caught:
        services.selection_create(actor=campus.student, offering=offering)
    assert (caught.value.code, str(caught.value.message)) == (
        "outside_window",
        "Course selection is not open now.",
    )


def test_first_come_is_closed_during_the_preference_round(campus: Campus) -> None:
    campus_student(campus)
    offering = offering_of(campus)
    round_of(campus, kind=RoundKind.PREFERENCE)
    with pytest.raises(ValidationFailed) as caught:
        services.selection_create(actor=campus.student, offering=offering)
    assert caught.value.code == "outside_window"


def test_clash_with_a_selected_course_is_refused(campus: Campus) -> None:
    campus_student(campus)
    first = offering_of(campus, weekday=2, period=3)
    second = offering_of(campus, weekday=2, period=4)
    round_of(campus)
    services.selection_create(actor=campus.student, offering=first)
    with override("en"), pytest.raises(ValidationFailed) as caught:
        services.selection_create(actor=campus.student, offering=second)
    name = first.task.course.name
    assert (caught.value.code, str(caught.value.message)) == (
        "clash",
        f"This course clashes with {name}.",
    )
    assert _taken(second) == 0


def test_clash_with_the_class_timetable_is_refused(campus: Campus) -> None:
    campus_student(campus)
    task_of(campus, classes=[campus.class_a], weekday=3, period=1)
    offering = offering_of(campus, weekday=3, period=2)
    round_of(campus)
    with pytest.raises(ValidationFailed) as caught:
        services.selection_create(actor=campus.student, offering=offering)
    assert caught.value.code == "clash"


def test_courses_at_different_times_do_not_clash(campus: Campus) -> None:
    campus_student(campus)
    first = offering_of(campus, weekday=2, period=1)
    second = offering_of(campus, weekday=2, period=3)
    round_of(campus)
    services.selection_create(actor=campus.student, offering=first)
    services.selection_create(actor=campus.student, offering=second)
    assert Selection.objects.filter(student__user=campus.student).count() == 2


def test_missing_prerequisite_is_refused(campus: Campus) -> None:
    campus_student(campus)
    offering = offering_of(campus, prerequisites=["PRE01"])
    round_of(campus)
    with override("en"), pytest.raises(ValidationFailed) as caught:
        services.selection_create(actor=campus.student, offering=offering)
    assert (caught.value.code, str(caught.value.message)) == (
        "prerequisite_missing",
        "You have not passed the prerequisite courses: PRE01.",
    )


def test_other_major_is_refused(campus: Campus) -> None:
    campus_student(campus)
    offering = offering_of(campus)
    from openvet.core.tests.factories import OrgUnitFactory

    other_major = OrgUnitFactory(kind="major", parent=campus.department, name="Other")
    offering.eligible_majors.set([other_major])
    round_of(campus)
    with pytest.raises(ValidationFailed) as caught:
        services.selection_create(actor=campus.student, offering=offering)
    assert caught.value.code == "not_eligible"


def test_other_grade_is_refused(campus: Campus) -> None:
    campus_student(campus)
    offering = offering_of(campus)
    Offering.objects.filter(pk=offering.pk).update(eligible_grades=[2024])
    offering.refresh_from_db()
    round_of(campus)
    with pytest.raises(ValidationFailed) as caught:
        services.selection_create(actor=campus.student, offering=offering)
    assert caught.value.code == "not_eligible"


def test_student_of_another_school_cannot_see_or_select(campus: Campus, other: Campus) -> None:
    offering = offering_of(campus)
    round_of(campus)
    outsider = campus_student(other)
    with pytest.raises(NotFound):
        selectors.offering_get_for(actor=outsider.user, offering_id=offering.pk)
    with pytest.raises(ValidationFailed) as caught:
        services.selection_create(actor=outsider.user, offering=offering)
    assert (caught.value.code, _taken(offering)) == ("not_eligible", 0)


def test_account_without_student_record_cannot_select(campus: Campus) -> None:
    offering = offering_of(campus)
    round_of(campus)
    with pytest.raises(PermissionDenied):
        services.selection_create(actor=campus.teacher, offering=offering)


def test_drop_gives_the_seat_back(campus: Campus) -> None:
    campus_student(campus)
    offering = offering_of(campus, capacity=1)
    round_of(campus)
    selection = services.selection_create(actor=campus.student, offering=offering)
    services.selection_drop(actor=campus.student, selection=selection)
    assert (_taken(offering), Selection.objects.filter(offering=offering).exists()) == (0, False)


def test_drop_outside_the_window_is_refused(campus: Campus) -> None:
    campus_student(campus)
    offering = offering_of(campus)
    selection_round = round_of(campus)
    selection = services.selection_create(actor=campus.student, offering=offering)
    later = selection_round.closes_at + timedelta(minutes=1)
    with pytest.raises(ValidationFailed):
        services.selection_drop(actor=campus.student, selection=selection, now=later)
    assert _taken(offering) == 1


def test_student_cannot_drop_another_students_seat(campus: Campus) -> None:
    campus_student(campus)
    offering = offering_of(campus)
    round_of(campus)
    other = student_in(campus)
    selection = services.selection_create(actor=other.user, offering=offering)
    with pytest.raises(NotFound):
        selectors.selection_get_for(actor=campus.student, selection_id=selection.pk)
    with pytest.raises(PermissionDenied):
        services.selection_drop(actor=campus.student, selection=selection)


def _preference_setup(campus: Campus, students: int, capacity: int) -> tuple[Offering, object]:
    offering = offering_of(campus, capacity=capacity)
    selection_round = round_of(campus, kind=RoundKind.PREFERENCE)
    for _n in range(students):
        record = student_in(campus)
        services.preferences_set(
            actor=record.user, selection_round=selection_round, offerings=[offering]
        )
    return offering, selection_round


def test_lottery_never_assigns_more_than_capacity(campus: Campus) -> None:
    offering, selection_round = _preference_setup(campus, students=5, capacity=2)
    later = selection_round.closes_at + timedelta(minutes=1)
    services.lottery_run(actor=campus.admin, selection_round=selection_round, seed=7, now=later)
    outcomes = sorted(selection_round.preferences.values_list("outcome", flat=True))
    assert (_taken(offering), outcomes) == (
        2,
        [PreferenceOutcome.LOST] * 3 + [PreferenceOutcome.WON] * 2,
    )


def test_lottery_is_reproducible_from_its_seed() -> None:
    ids = list(range(1, 40))
    assert services._lottery_order(ids, 1234) == services._lottery_order(list(reversed(ids)), 1234)
    assert services._lottery_order(ids, 1234) != services._lottery_order(ids, 1235)


def test_lottery_records_its_seed_and_runs_once(campus: Campus) -> None:
    _offering, selection_round = _preference_setup(campus, students=2, capacity=1)
    later = selection_round.closes_at + timedelta(minutes=1)
    done = services.lottery_run(
        actor=campus.admin, selection_round=selection_round, seed=99, now=later
    )
    assert done.lottery_seed == 99
    with pytest.raises(Conflict):
        services.lottery_run(actor=campus.admin, selection_round=selection_round, now=later)


def test_lottery_before_the_round_closes_is_refused(campus: Campus) -> None:
    _offering, selection_round = _preference_setup(campus, students=1, capacity=1)
    with pytest.raises(Conflict):
        services.lottery_run(actor=campus.admin, selection_round=selection_round)


def test_teacher_cannot_run_the_lottery(campus: Campus) -> None:
    _offering, selection_round = _preference_setup(campus, students=1, capacity=1)
    later = selection_round.closes_at + timedelta(minutes=1)
    with pytest.raises(PermissionDenied):
        services.lottery_run(actor=campus.teacher, selection_round=selection_round, now=later)


def test_preferences_above_the_limit_are_refused(campus: Campus) -> None:
    campus_student(campus)
    selection_round = round_of(campus, kind=RoundKind.PREFERENCE)
    offerings = [offering_of(campus, weekday=d) for d in range(1, 5)]
    with pytest.raises(ValidationFailed) as caught:
        services.preferences_set(
            actor=campus.student, selection_round=selection_round, offerings=offerings
        )
    assert caught.value.code == "too_many"


def test_admin_of_other_school_cannot_create_offerings(campus: Campus, other: Campus) -> None:
    task = task_of(campus)
    with pytest.raises(PermissionDenied):
        services.offering_create(actor=other.admin, task=task, capacity=10)


def test_capacity_cannot_drop_below_seats_taken(campus: Campus) -> None:
    campus_student(campus)
    offering = offering_of(campus, capacity=3)
    round_of(campus)
    services.selection_create(actor=campus.student, offering=offering)
    services.selection_create(actor=student_in(campus).user, offering=offering)
    with pytest.raises(ValidationFailed):
        services.offering_set_capacity(actor=campus.admin, offering=offering, capacity=1)
    assert Offering.objects.get(pk=offering.pk).capacity == 3
