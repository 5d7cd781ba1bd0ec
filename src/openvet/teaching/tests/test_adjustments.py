"""Adjustments through the workflow process ``teaching.adjustment``."""

from datetime import date

import pytest

from openvet.core.errors import Conflict, PermissionDenied, ValidationFailed
from openvet.teaching import selectors, services
from openvet.teaching.models import Adjustment, AdjustmentStatus, Notice, TeachingTask
from openvet.teaching.tests.conftest import Campus, needs_workflow
from openvet.teaching.tests.factories import EntryFactory, RoomFactory, TeachingTaskFactory

pytestmark = [pytest.mark.django_db, needs_workflow]

MONDAY_WEEK_2 = date(2025, 9, 8)


def lecture(campus: Campus) -> TeachingTask:
    task = TeachingTaskFactory(
        term=campus.term, org=campus.class_a, classes=[campus.class_a], teachers=[campus.teacher]
    )
    EntryFactory(
        task=task, weekday=1, period_start=1, length=2, room=RoomFactory(org=campus.school)
    )
    return task


def decide(campus: Campus, adjustment: Adjustment, decision: str) -> None:
    from openvet.workflow import selectors as workflow_selectors
    from openvet.workflow import services as workflow_services

    instance = workflow_selectors.instance_get_for(
        actor=campus.head, instance_id=adjustment.process_id or 0
    )
    task = workflow_services.decidable_task_of(actor=campus.head, instance=instance)
    workflow_services.task_decide(actor=campus.head, task=task, decision=decision, comment="Noted")


def reschedule(campus: Campus, task: TeachingTask, **kwargs: object) -> Adjustment:
    values = {
        "original_date": MONDAY_WEEK_2,
        "original_period_start": 1,
        "new_date": date(2025, 9, 10),
        "new_period_start": 5,
        "reason": "Conference",
    }
    values.update(kwargs)
    return services.adjustment_request(actor=campus.teacher, task=task, kind="reschedule", **values)


def test_request_waits_for_approval(campus: Campus) -> None:
    task = lecture(campus)
    adjustment = reschedule(campus, task)
    assert adjustment.status == AdjustmentStatus.PENDING
    assert adjustment.process_id is not None
    dates = [
        o.date for o in selectors.occurrences(campus.term, selectors.entries_for(term=campus.term))
    ][:2]
    assert dates == [date(2025, 9, 1), MONDAY_WEEK_2]


def test_approval_moves_the_lecture_and_notifies(campus: Campus) -> None:
    task = lecture(campus)
    adjustment = reschedule(campus, task)
    decide(campus, adjustment, "approve")
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.APPROVED
    found = selectors.occurrences(campus.term, selectors.entries_for(term=campus.term))
    assert [(o.date, o.period_start, o.kind) for o in found[:2]] == [
        (date(2025, 9, 1), 1, "normal"),
        (date(2025, 9, 10), 5, "moved"),
    ]
    assert set(Notice.objects.values_list("user_id", flat=True)) == {
        campus.teacher.pk,
        campus.student.pk,
    }


def test_rejection_changes_nothing(campus: Campus) -> None:
    task = lecture(campus)
    adjustment = reschedule(campus, task)
    decide(campus, adjustment, "reject")
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.REJECTED
    assert not Notice.objects.exists()


def test_cancellation_removes_the_lecture_on_approval(campus: Campus) -> None:
    task = lecture(campus)
    adjustment = services.adjustment_request(
        actor=campus.teacher,
        task=task,
        kind="cancel",
        original_date=MONDAY_WEEK_2,
        original_period_start=1,
        reason="Sick",
    )
    decide(campus, adjustment, "approve")
    dates = [
        o.date for o in selectors.occurrences(campus.term, selectors.entries_for(term=campus.term))
    ]
    assert MONDAY_WEEK_2 not in dates
    assert len(dates) == 17


def test_makeup_adds_a_lecture_on_approval(campus: Campus) -> None:
    task = lecture(campus)
    adjustment = services.adjustment_request(
        actor=campus.teacher,
        task=task,
        kind="makeup",
        new_date=date(2025, 9, 13),
        new_period_start=1,
        new_length=2,
        reason="Make up",
    )
    decide(campus, adjustment, "approve")
    found = selectors.occurrences(campus.term, selectors.entries_for(term=campus.term))
    assert [(o.date, o.kind) for o in found if o.kind == "makeup"] == [
        (date(2025, 9, 13), "makeup")
    ]


def test_manager_request_is_approved_at_once(campus: Campus) -> None:
    task = lecture(campus)
    adjustment = services.adjustment_request(
        actor=campus.head,
        task=task,
        kind="cancel",
        original_date=MONDAY_WEEK_2,
        original_period_start=1,
        reason="Sports day",
    )
    assert adjustment.status == AdjustmentStatus.APPROVED


def test_no_lecture_at_that_time_is_refused(campus: Campus) -> None:
    task = lecture(campus)
    with pytest.raises(ValidationFailed) as exc:
        reschedule(campus, task, original_date=date(2025, 9, 9))
    assert list(exc.value.details) == ["original_date"]
    assert not Adjustment.objects.exists()


def test_new_time_clashing_with_the_class_is_refused(campus: Campus) -> None:
    task = lecture(campus)
    other = TeachingTaskFactory(
        term=campus.term, org=campus.class_a, classes=[campus.class_a], teachers=[campus.teacher2]
    )
    EntryFactory(task=other, weekday=3, period_start=5, length=2)
    with pytest.raises(Conflict):
        reschedule(campus, task)
    assert not Adjustment.objects.exists()


def test_moving_within_its_own_slot_is_allowed(campus: Campus) -> None:
    task = lecture(campus)
    adjustment = reschedule(campus, task, new_date=MONDAY_WEEK_2, new_period_start=2)
    assert adjustment.pk is not None


def test_teacher_of_another_task_cannot_request(campus: Campus) -> None:
    task = lecture(campus)
    with pytest.raises(PermissionDenied):
        services.adjustment_request(
            actor=campus.teacher2,
            task=task,
            kind="cancel",
            original_date=MONDAY_WEEK_2,
            original_period_start=1,
            reason="x",
        )


def test_student_cannot_request(campus: Campus) -> None:
    task = lecture(campus)
    with pytest.raises(PermissionDenied):
        services.adjustment_request(
            actor=campus.student,
            task=task,
            kind="cancel",
            original_date=MONDAY_WEEK_2,
            original_period_start=1,
            reason="x",
        )
