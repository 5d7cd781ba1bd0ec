"""Who may decide a task: a holder of its role over its org node, or their delegate."""

from datetime import date
from typing import Any

from django.utils import timezone

from openvet.core import policy
from openvet.workflow.models import Delegation, Task


def holds_task_role(user: Any, task: Task) -> bool:
    return any(
        grant.role == task.role and task.org_path.startswith(grant.org_path)
        for grant in policy.current_grants(user)
    )


def active_delegations_to(user: Any, today: date | None = None) -> list[Delegation]:
    if not getattr(user, "is_authenticated", False):
        return []
    today = today or timezone.localdate()
    return list(
        Delegation.objects.filter(
            to_user=user, starts_on__lte=today, ends_on__gte=today, revoked_at__isnull=True
        ).select_related("from_user")
    )


def decider_for(user: Any, task: Task) -> tuple[bool, Any]:
    """(may decide, on whose behalf): the second is None when the user decides in their own
    right, or the absent colleague whose delegate the user is."""
    if holds_task_role(user, task):
        return True, None
    for delegation in active_delegations_to(user):
        if delegation.from_user.is_active and holds_task_role(delegation.from_user, task):
            return True, delegation.from_user
    return False, None


def can_decide_task(user: Any, task: Task) -> bool:
    return decider_for(user, task)[0]
