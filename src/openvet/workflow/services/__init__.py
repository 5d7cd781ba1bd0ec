"""The approval engine: definitions, instances (start, decide, return and resubmit, withdraw,
cancel), delegation, notifications and reminders.

Every write runs in a transaction and is audited. Callers import from here; the modules of
this package are its parts.
"""

from openvet.workflow.services.definitions import (
    MAX_DEADLINE_HOURS,
    MAX_STEP_NAME,
    definition_create,
    definition_for,
    process_register,
)
from openvet.workflow.services.delegations import delegation_create, delegation_revoke
from openvet.workflow.services.instances import (
    decidable_task_of,
    info_of,
    instance_cancel,
    instance_resubmit,
    instance_start,
    instance_withdraw,
    task_decide,
)
from openvet.workflow.services.notifications import (
    REMINDER_INTERVAL,
    notification_mark_read,
    reminders_send,
)

__all__ = [
    "MAX_DEADLINE_HOURS",
    "MAX_STEP_NAME",
    "REMINDER_INTERVAL",
    "decidable_task_of",
    "definition_create",
    "definition_for",
    "delegation_create",
    "delegation_revoke",
    "info_of",
    "instance_cancel",
    "instance_resubmit",
    "instance_start",
    "instance_withdraw",
    "notification_mark_read",
    "process_register",
    "reminders_send",
    "task_decide",
]
