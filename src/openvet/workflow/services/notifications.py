"""Notifications of approvers and applicants, and reminders of overdue tasks."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from openvet.core.policy import Actor
from openvet.identity.selectors import users_holding_role_over
from openvet.workflow.models import (
    Delegation,
    InstanceStatus,
    Notification,
    NotificationKind,
    ProcessInstance,
    Task,
    TaskStatus,
)

REMINDER_INTERVAL = timedelta(hours=24)


def task_candidates(task: Task) -> list[Any]:
    holders = list(users_holding_role_over(role=task.role, org_path=task.org_path))
    today = timezone.localdate()
    delegates = [
        d.to_user
        for d in Delegation.objects.filter(
            from_user__in=holders,
            starts_on__lte=today,
            ends_on__gte=today,
            revoked_at__isnull=True,
        ).select_related("to_user")
    ]
    return list({user.pk: user for user in [*holders, *delegates]}.values())


def notify_users(
    users: Iterable[Any], kind: str, instance: ProcessInstance, task: Task | None
) -> None:
    Notification.objects.bulk_create(
        Notification(user=user, kind=kind, instance=instance, task=task) for user in users
    )


@transaction.atomic
def reminders_send(*, now: datetime | None = None) -> int:
    """Notify the approvers of every open task past its deadline; again a day later."""
    now = now or timezone.now()
    overdue = (
        Task.objects.select_for_update(of=("self",))
        .filter(status=TaskStatus.OPEN, due_at__lt=now, instance__status=InstanceStatus.PENDING)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - REMINDER_INTERVAL))
        .select_related("instance")
    )
    sent = 0
    for task in overdue:
        users = task_candidates(task)
        notify_users(users, NotificationKind.TASK_OVERDUE, task.instance, task)
        Task.objects.filter(pk=task.pk).update(reminded_at=now)
        sent += len(users)
    return sent


def notification_mark_read(*, actor: Actor, notification_ids: Iterable[int] | None = None) -> int:
    queryset = Notification.objects.filter(user=actor.pk, read_at__isnull=True)
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=list(notification_ids))
    return queryset.update(read_at=timezone.now())
