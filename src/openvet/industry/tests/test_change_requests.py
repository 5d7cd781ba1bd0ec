"""A student asks to end their internship early; the counsellor and the department approve,
and the placement ends on the asked day."""

from datetime import date
from typing import Any

import pytest

from openvet.core.errors import PermissionDenied, ValidationFailed
from openvet.core.roles import Role
from openvet.identity.tests.factories import user_with_role
from openvet.industry import services
from openvet.industry.models import PlacementStatus
from openvet.industry.tests.conftest import World
from openvet.workflow import services as workflow
from openvet.workflow.models import InstanceStatus

pytestmark = pytest.mark.django_db


def test_student_ends_a_placement_through_approval(world: World) -> None:
    placement = world.place()
    counsellor = user_with_role(Role.COUNSELLOR, world.campus.klass)
    head = user_with_role(Role.DEPARTMENT_HEAD, world.campus.department)
    instance = services.placement_change_request(
        actor=world.student_user,
        placement=placement,
        action="end",
        last_day=date(2026, 5, 29),
        reason="Family moved to another city.",
    )
    for decider in (counsellor, head):
        task = workflow.decidable_task_of(actor=decider, instance=instance)
        workflow.task_decide(actor=decider, task=task, decision="approve")
    instance.refresh_from_db()
    placement.refresh_from_db()
    assert instance.status == InstanceStatus.APPROVED
    assert placement.status == PlacementStatus.ENDED
    assert placement.end_date == date(2026, 5, 29)


def test_only_the_student_asks_and_within_the_period(world: World) -> None:
    placement = world.place()
    with pytest.raises(PermissionDenied):
        services.placement_change_request(
            actor=world.teacher,
            placement=placement,
            action="end",
            last_day=date(2026, 5, 29),
            reason="Not mine to ask.",
        )
    with pytest.raises(ValidationFailed) as caught:
        services.placement_change_request(
            actor=world.student_user,
            placement=placement,
            action="end",
            last_day=date(2027, 1, 1),
            reason="Too late a day.",
        )
    assert set(caught.value.details) == {"last_day"}


def test_a_rejected_request_leaves_the_placement(world: World, settings: Any) -> None:
    placement = world.place()
    counsellor = user_with_role(Role.COUNSELLOR, world.campus.klass)
    instance = services.placement_change_request(
        actor=world.student_user,
        placement=placement,
        action="change",
        last_day=date(2026, 5, 29),
        reason="I want a post closer to my major.",
    )
    task = workflow.decidable_task_of(actor=counsellor, instance=instance)
    workflow.task_decide(actor=counsellor, task=task, decision="reject", comment="Stay on.")
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.ACTIVE
