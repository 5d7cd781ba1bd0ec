from datetime import timedelta

import pytest
from django.utils import timezone

from openvet.identity.tests.factories import UserFactory
from openvet.workflow import permissions, services
from openvet.workflow.models import Task
from openvet.workflow.tests.conftest import CODE, Outcomes, Tree

pytestmark = pytest.mark.django_db


def _task(tree: Tree) -> Task:
    instance = services.instance_start(
        actor=tree.applicant, code=CODE, subject_type="t", subject_id=1, title="T", org=tree.klass
    )
    return Task.objects.get(instance=instance)


def test_holder_of_the_role_over_the_node_decides(tree: Tree, outcomes: Outcomes) -> None:
    task = _task(tree)
    assert permissions.decider_for(tree.counsellor, task) == (True, None)
    assert permissions.can_decide_task(tree.head, task) is False
    assert permissions.can_decide_task(tree.applicant, task) is False


def test_delegate_decides_on_behalf(tree: Tree, outcomes: Outcomes) -> None:
    deputy = UserFactory()
    today = timezone.localdate()
    services.delegation_create(
        actor=tree.counsellor, to_user=deputy, starts_on=today, ends_on=today + timedelta(days=1)
    )
    assert permissions.decider_for(deputy, _task(tree)) == (True, tree.counsellor)


def test_an_inactive_delegator_gives_nothing(tree: Tree, outcomes: Outcomes) -> None:
    deputy = UserFactory()
    today = timezone.localdate()
    services.delegation_create(
        actor=tree.counsellor, to_user=deputy, starts_on=today, ends_on=today
    )
    task = _task(tree)
    type(tree.counsellor).objects.filter(pk=tree.counsellor.pk).update(is_active=False)
    assert permissions.can_decide_task(deputy, task) is False


def test_expired_grant_gives_nothing(tree: Tree, outcomes: Outcomes) -> None:
    from openvet.identity.models import RoleAssignment

    task = _task(tree)
    RoleAssignment.objects.filter(user=tree.counsellor).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    tree.counsellor.forget_grants()
    assert permissions.can_decide_task(tree.counsellor, task) is False
