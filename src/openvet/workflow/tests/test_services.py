from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from openvet.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from openvet.core.models import AuditEntry
from openvet.identity.tests.factories import UserFactory, grant
from openvet.workflow import selectors, services
from openvet.workflow.contracts import StepSpec
from openvet.workflow.models import (
    Delegation,
    InstanceStatus,
    Notification,
    NotificationKind,
    ProcessDefinition,
    ProcessInstance,
    Task,
    TaskStatus,
)
from openvet.workflow.tests.conftest import CODE, Outcomes, Tree

pytestmark = pytest.mark.django_db


def start(tree: Tree, **payload: Any) -> ProcessInstance:
    return services.instance_start(
        actor=tree.applicant,
        code=CODE,
        subject_type="tests.thing",
        subject_id=1,
        title="Leave for Applicant",
        org=tree.klass,
        payload=payload,
    )


def open_task(instance: ProcessInstance, role: str | None = None) -> Task:
    tasks = Task.objects.filter(instance=instance, status=TaskStatus.OPEN)
    if role:
        tasks = tasks.filter(role=role)
    return tasks.get()


def approve(user: Any, instance: ProcessInstance, role: str | None = None) -> Task:
    return services.task_decide(actor=user, task=open_task(instance, role), decision="approve")


# Sequential steps and conditions -----------------------------------------------------------


def test_start_opens_the_first_step_for_the_counsellor_of_the_subject(
    tree: Tree, outcomes: Outcomes
) -> None:
    instance = start(tree, days=3)

    task = open_task(instance)
    assert (instance.current_step, task.role, task.org_id) == (1, "counsellor", tree.klass.pk)
    assert list(selectors.task_list_for(actor=tree.counsellor)) == [task]
    assert list(selectors.task_list_for(actor=tree.head)) == []


def test_sequential_approval_skips_a_step_whose_condition_fails(
    tree: Tree, outcomes: Outcomes
) -> None:
    instance = start(tree, days=3)
    approve(tree.counsellor, instance)
    head_task = open_task(instance)
    assert (head_task.role, head_task.org_id) == ("department_head", tree.department.pk)

    approve(tree.head, instance)

    instance.refresh_from_db()
    assert instance.status == InstanceStatus.APPROVED
    assert instance.current_step is None
    assert outcomes.calls == [(instance.pk, "approved", tree.head.pk)]


def test_a_step_whose_condition_holds_is_required(tree: Tree, outcomes: Outcomes) -> None:
    instance = start(tree, days=30)
    approve(tree.counsellor, instance)
    approve(tree.head, instance)

    instance.refresh_from_db()
    assert (instance.status, instance.current_step) == (InstanceStatus.PENDING, 3)
    approve(tree.admin, instance)
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.APPROVED


def test_every_decision_is_audited_with_its_comment(tree: Tree, outcomes: Outcomes) -> None:
    instance = start(tree, days=3)
    task = services.task_decide(
        actor=tree.counsellor, task=open_task(instance), decision="approve", comment="Fine"
    )

    entry = AuditEntry.objects.get(object_type="workflow.task", object_id=str(task.pk))
    assert entry.actor == tree.counsellor
    assert entry.changes["decision"] == [None, "approve"]
    assert entry.changes["comment"] == [None, "Fine"]
    assert entry.org_path == tree.klass.path


def test_the_same_subject_cannot_be_started_twice(tree: Tree, outcomes: Outcomes) -> None:
    start(tree, days=3)
    with pytest.raises(Conflict):
        start(tree, days=3)


# Countersign and any-of --------------------------------------------------------------------


def test_countersign_waits_for_every_role(tree: Tree, outcomes: Outcomes) -> None:
    services.definition_create(
        actor=tree.admin,
        code=CODE,
        school=tree.school,
        steps=[
            StepSpec(
                name="Both",
                roles=("counsellor", "department_head"),
                org_level="subject",
                mode="all",
            ),
        ],
    )
    instance = start(tree)
    approve(tree.counsellor, instance, "counsellor")

    instance.refresh_from_db()
    assert instance.status == InstanceStatus.PENDING
    approve(tree.head, instance, "department_head")
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.APPROVED


def test_any_of_several_roles_closes_the_others(tree: Tree, outcomes: Outcomes) -> None:
    services.definition_create(
        actor=tree.admin,
        code=CODE,
        school=tree.school,
        steps=[
            StepSpec(name="Either", roles=("counsellor", "department_head"), org_level="subject"),
        ],
    )
    instance = start(tree)
    approve(tree.head, instance, "department_head")

    statuses = dict(Task.objects.filter(instance=instance).values_list("role", "status"))
    assert statuses == {"counsellor": TaskStatus.SKIPPED, "department_head": TaskStatus.APPROVED}


# Definitions -------------------------------------------------------------------------------


def test_a_schools_definition_overrides_the_platform_default(
    tree: Tree, other_tree: Tree, outcomes: Outcomes
) -> None:
    own = services.definition_create(
        actor=tree.admin,
        code=CODE,
        school=tree.school,
        steps=[StepSpec(name="Only admin", roles=("school_admin",), org_level="school")],
    )

    assert services.definition_for(code=CODE, school=tree.school) == own
    default = services.definition_for(code=CODE, school=other_tree.school)
    assert (default.school, default.steps.count()) == (None, 3)


def test_a_new_version_leaves_running_instances_on_theirs(tree: Tree, outcomes: Outcomes) -> None:
    instance = start(tree, days=3)
    services.definition_create(
        actor=tree.admin,
        code=CODE,
        school=tree.school,
        steps=[StepSpec(name="Only admin", roles=("school_admin",), org_level="school")],
    )

    approve(tree.counsellor, instance)
    assert open_task(instance).role == "department_head"
    assert (
        ProcessDefinition.objects.filter(code=CODE, school=tree.school, is_active=True).count() == 1
    )


def test_a_school_admin_cannot_define_another_schools_process(
    tree: Tree, other_tree: Tree, outcomes: Outcomes
) -> None:
    with pytest.raises(PermissionDenied):
        services.definition_create(
            actor=tree.admin,
            code=CODE,
            school=other_tree.school,
            steps=[StepSpec(name="x", roles=("school_admin",), org_level="school")],
        )
    assert not ProcessDefinition.objects.filter(school=other_tree.school).exists()


def test_definitions_with_unknown_roles_or_levels_are_refused(
    tree: Tree, outcomes: Outcomes
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.definition_create(
            actor=tree.admin,
            code=CODE,
            school=tree.school,
            steps=[
                StepSpec(
                    name="x",
                    roles=("dean",),
                    org_level="galaxy",
                    condition={"field": "a", "maybe": [1]},
                )
            ],
        )
    assert set(caught.value.details) == {"steps.1.roles", "steps.1.org_level", "steps.1.condition"}


# Reject, return, resubmit, withdraw --------------------------------------------------------


def test_reject_needs_a_comment(tree: Tree, outcomes: Outcomes) -> None:
    instance = start(tree, days=3)
    with pytest.raises(ValidationFailed):
        services.task_decide(actor=tree.counsellor, task=open_task(instance), decision="reject")
    assert open_task(instance).status == TaskStatus.OPEN


def test_reject_ends_the_instance_and_tells_the_applicant(tree: Tree, outcomes: Outcomes) -> None:
    instance = start(tree, days=3)
    services.task_decide(
        actor=tree.counsellor, task=open_task(instance), decision="reject", comment="No"
    )

    instance.refresh_from_db()
    assert instance.status == InstanceStatus.REJECTED
    assert outcomes.calls == [(instance.pk, "rejected", tree.counsellor.pk)]
    assert (
        Notification.objects.filter(user=tree.applicant, kind=NotificationKind.REJECTED).count()
        == 1
    )


def test_return_then_resubmit_restarts_at_the_first_step(tree: Tree, outcomes: Outcomes) -> None:
    instance = start(tree, days=3)
    approve(tree.counsellor, instance)
    services.task_decide(
        actor=tree.head,
        task=open_task(instance),
        decision="return",
        comment="Attach the certificate",
    )
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.RETURNED
    assert outcomes.calls == [(instance.pk, "returned", tree.head.pk)]

    services.instance_resubmit(actor=tree.applicant, instance=instance, payload={"days": 4})

    instance.refresh_from_db()
    assert (instance.status, instance.round, instance.payload) == (
        InstanceStatus.PENDING,
        2,
        {"days": 4},
    )
    task = open_task(instance)
    assert (task.role, task.round) == ("counsellor", 2)


def test_only_the_applicant_resubmits_and_only_a_returned_request(
    tree: Tree, outcomes: Outcomes
) -> None:
    instance = start(tree, days=3)
    with pytest.raises(Conflict):
        services.instance_resubmit(actor=tree.applicant, instance=instance)
    services.task_decide(
        actor=tree.counsellor, task=open_task(instance), decision="return", comment="Fix"
    )
    with pytest.raises(PermissionDenied):
        services.instance_resubmit(actor=tree.counsellor, instance=instance)


def test_the_applicant_withdraws_and_open_tasks_close(tree: Tree, outcomes: Outcomes) -> None:
    instance = start(tree, days=3)
    with pytest.raises(PermissionDenied):
        services.instance_withdraw(actor=tree.counsellor, instance=instance)

    services.instance_withdraw(actor=tree.applicant, instance=instance)

    instance.refresh_from_db()
    assert instance.status == InstanceStatus.WITHDRAWN
    assert list(Task.objects.filter(instance=instance).values_list("status", flat=True)) == [
        TaskStatus.SKIPPED
    ]
    assert outcomes.calls == [(instance.pk, "withdrawn", tree.applicant.pk)]


def test_a_school_admin_cancels_but_not_in_another_school(
    tree: Tree, other_tree: Tree, outcomes: Outcomes
) -> None:
    instance = start(tree, days=3)
    with pytest.raises(PermissionDenied):
        services.instance_cancel(actor=other_tree.admin, instance=instance)
    services.instance_cancel(actor=tree.admin, instance=instance)
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.CANCELLED


# Who may decide ----------------------------------------------------------------------------


def test_someone_without_the_role_cannot_decide(tree: Tree, outcomes: Outcomes) -> None:
    instance = start(tree, days=3)
    with pytest.raises(PermissionDenied):
        services.task_decide(actor=tree.head, task=open_task(instance), decision="approve")
    assert open_task(instance).status == TaskStatus.OPEN


def test_approvers_of_another_school_neither_see_nor_decide(
    tree: Tree, other_tree: Tree, outcomes: Outcomes
) -> None:
    instance = start(tree, days=3)
    task = open_task(instance)

    assert list(selectors.task_list_for(actor=other_tree.counsellor)) == []
    with pytest.raises(NotFound):
        selectors.task_get_for(actor=other_tree.counsellor, task_id=task.pk)
    with pytest.raises(NotFound):
        selectors.instance_get_for(actor=other_tree.admin, instance_id=instance.pk)
    with pytest.raises(PermissionDenied):
        services.task_decide(actor=other_tree.counsellor, task=task, decision="approve")
    assert open_task(instance).status == TaskStatus.OPEN


def test_the_applicants_own_step_counts_as_approved_by_them(tree: Tree, outcomes: Outcomes) -> None:
    instance = services.instance_start(
        actor=tree.counsellor,
        code=CODE,
        subject_type="tests.thing",
        subject_id=2,
        title="Own",
        org=tree.klass,
    )

    first = Task.objects.get(instance=instance, step_order=1)
    assert (first.status, first.decided_by) == (TaskStatus.APPROVED, tree.counsellor)
    assert open_task(instance).role == "department_head"
    assert list(selectors.task_list_for(actor=tree.counsellor)) == []


def test_nobody_decides_their_own_request(tree: Tree, outcomes: Outcomes) -> None:
    deputy = UserFactory(home_org=tree.klass)
    today = timezone.localdate()
    services.delegation_create(actor=tree.head, to_user=deputy, starts_on=today, ends_on=today)
    instance = services.instance_start(
        actor=deputy,
        code=CODE,
        subject_type="tests.thing",
        subject_id=3,
        title="Deputy's",
        org=tree.klass,
    )
    approve(tree.counsellor, instance)

    with pytest.raises(PermissionDenied):
        approve(deputy, instance)
    assert open_task(instance).status == TaskStatus.OPEN


def test_instance_is_visible_to_applicant_approver_and_monitor(
    tree: Tree, outcomes: Outcomes
) -> None:
    instance = start(tree, days=3)
    for user in (tree.applicant, tree.counsellor, tree.admin):
        assert selectors.instance_get_for(actor=user, instance_id=instance.pk) == instance
    with pytest.raises(NotFound):
        selectors.instance_get_for(actor=UserFactory(), instance_id=instance.pk)


# Concurrency -------------------------------------------------------------------------------


def test_a_task_decided_meanwhile_cannot_be_decided_again(tree: Tree, outcomes: Outcomes) -> None:
    services.definition_create(
        actor=tree.admin,
        code=CODE,
        school=tree.school,
        steps=[StepSpec(name="Either", roles=("counsellor",), org_level="subject")],
    )
    colleague = grant(UserFactory(full_name="Second counsellor"), "counsellor", tree.klass)
    instance = start(tree)
    first_view = open_task(instance)
    second_view = Task.objects.get(pk=first_view.pk)  # both loaded before either decides

    services.task_decide(actor=tree.counsellor, task=first_view, decision="approve")
    with pytest.raises(Conflict):
        services.task_decide(
            actor=colleague, task=second_view, decision="reject", comment="Too late"
        )

    second_view.refresh_from_db()
    assert (second_view.status, second_view.decided_by) == (TaskStatus.APPROVED, tree.counsellor)
    assert outcomes.calls == [(instance.pk, "approved", tree.counsellor.pk)]


# Delegation --------------------------------------------------------------------------------


def test_a_delegate_decides_on_behalf_of_the_absent_approver(
    tree: Tree, outcomes: Outcomes
) -> None:
    deputy = UserFactory(full_name="Deputy", home_org=tree.klass)
    today = timezone.localdate()
    services.delegation_create(
        actor=tree.counsellor, to_user=deputy, starts_on=today, ends_on=today + timedelta(days=3)
    )
    instance = start(tree, days=3)
    task = open_task(instance)

    assert list(selectors.task_list_for(actor=deputy)) == [task]
    decided = services.task_decide(actor=deputy, task=task, decision="approve")

    assert (decided.decided_by, decided.on_behalf_of) == (deputy, tree.counsellor)


def test_a_revoked_or_future_delegation_gives_nothing(tree: Tree, outcomes: Outcomes) -> None:
    deputy = UserFactory(home_org=tree.klass)
    today = timezone.localdate()
    later = services.delegation_create(
        actor=tree.counsellor,
        to_user=deputy,
        starts_on=today + timedelta(days=2),
        ends_on=today + timedelta(days=5),
    )
    now = services.delegation_create(
        actor=tree.counsellor, to_user=deputy, starts_on=today, ends_on=today
    )
    services.delegation_revoke(actor=tree.counsellor, delegation=now)
    instance = start(tree, days=3)

    assert list(selectors.task_list_for(actor=deputy)) == []
    with pytest.raises(PermissionDenied):
        services.task_decide(actor=deputy, task=open_task(instance), decision="approve")
    assert Delegation.objects.filter(pk=later.pk, revoked_at__isnull=True).exists()


def test_delegation_dates_and_delegate_are_checked(tree: Tree) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as caught:
        services.delegation_create(
            actor=tree.counsellor,
            to_user=tree.counsellor,
            starts_on=today,
            ends_on=today - timedelta(days=1),
        )
    assert set(caught.value.details) == {"to_user", "ends_on"}


# Deadlines and reminders -------------------------------------------------------------------


def test_overdue_tasks_remind_their_approvers_once_a_day(tree: Tree, outcomes: Outcomes) -> None:
    instance = start(tree, days=3)
    task = open_task(instance)
    assert task.due_at is not None

    assert services.reminders_send(now=task.due_at - timedelta(minutes=1)) == 0
    assert services.reminders_send(now=task.due_at + timedelta(hours=1)) == 1
    assert services.reminders_send(now=task.due_at + timedelta(hours=2)) == 0
    assert services.reminders_send(now=task.due_at + timedelta(hours=26)) == 1

    notices = Notification.objects.filter(kind=NotificationKind.TASK_OVERDUE)
    assert list(notices.values_list("user", flat=True)) == [tree.counsellor.pk] * 2


def test_the_celery_task_sends_reminders(tree: Tree, outcomes: Outcomes) -> None:
    from openvet.workflow.tasks import send_reminders

    instance = start(tree, days=3)
    with time_machine.travel(open_task(instance).due_at + timedelta(hours=1)):  # type: ignore[operator]
        assert send_reminders.delay().get() == 1


def test_new_tasks_notify_their_approvers(tree: Tree, outcomes: Outcomes) -> None:
    start(tree, days=3)
    assert list(
        Notification.objects.filter(kind=NotificationKind.TASK_ASSIGNED).values_list(
            "user", flat=True
        )
    ) == [tree.counsellor.pk]


# Monitoring --------------------------------------------------------------------------------


def test_monitoring_counts_open_overdue_and_average_time(
    tree: Tree, other_tree: Tree, outcomes: Outcomes
) -> None:
    first = start(tree, days=3)
    services.instance_start(
        actor=tree.applicant,
        code=CODE,
        subject_type="tests.thing",
        subject_id=9,
        title="Second",
        org=tree.klass,
        payload={"days": 3},
    )
    approve(tree.counsellor, first)
    due = (
        Task.objects.filter(instance__org=tree.klass, status=TaskStatus.OPEN, step_order=1)
        .get()
        .due_at
    )

    figures = selectors.monitoring_for(actor=tree.admin, now=due + timedelta(hours=1))

    assert [(f.step_order, f.count) for f in figures["by_step"]] == [(1, 1), (2, 1)]
    assert [t.step_order for t in figures["overdue"]] == [1]
    assert [(f.step_order, f.count) for f in figures["averages"]] == [(1, 1)]
    assert figures["averages"][0].average is not None
    other = selectors.monitoring_for(actor=other_tree.admin)
    assert (other["by_step"], other["overdue"], other["averages"]) == ([], [], [])


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_approvers_deciding_at_once_cannot_both_win(tree: Tree, outcomes: Outcomes) -> None:
    """Real concurrent transactions: the row lock and the conditional update let one win."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    services.definition_create(
        actor=tree.admin,
        code=CODE,
        school=tree.school,
        steps=[StepSpec(name="Either", roles=("counsellor",), org_level="subject")],
    )
    colleague = grant(UserFactory(full_name="Second counsellor"), "counsellor", tree.klass)
    instance = start(tree)
    task_id = open_task(instance).pk
    barrier = threading.Barrier(2)
    results: list[str] = []

    def decide(user: Any) -> None:
        try:
            task = Task.objects.get(pk=task_id)
            barrier.wait()
            services.task_decide(actor=user, task=task, decision="approve")
            results.append("won")
        except Conflict:
            results.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(u,)) for u in (tree.counsellor, colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["conflict", "won"]
    assert len(outcomes.calls) == 1
    assert Task.objects.filter(instance=instance, status=TaskStatus.APPROVED).count() == 1
