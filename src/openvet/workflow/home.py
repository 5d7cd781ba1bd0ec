"""Workflow in the shell: the approvals entries of the menu and the home page's to-do panel.

"My approvals" is for the roles that decide requests, "My requests" for those that submit
them; security and audit administrators, evaluators and students see only what they use.
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openvet.core import policy
from openvet.core.roles import Role, grant_capabilities
from openvet.core.shell import DashboardPanel, NavItem, register_dashboard_panel, register_nav_item
from openvet.workflow import selectors
from openvet.workflow.describe import request_cards

DECIDE = "workflow.change_task"  # is asked to decide requests: "My approvals"
APPLY = "workflow.add_processinstance"  # submits requests: "My requests"
DECIDING_ROLES = (
    Role.PLATFORM_ADMIN,
    Role.REGIONAL_ADMIN,
    Role.SCHOOL_ADMIN,
    Role.DEPARTMENT_HEAD,
    Role.TEACHER,
    Role.COUNSELLOR,
    Role.ENTERPRISE_MENTOR,
)
APPLYING_ROLES = (
    Role.SCHOOL_ADMIN,
    Role.DEPARTMENT_HEAD,
    Role.TEACHER,
    Role.COUNSELLOR,
    Role.STUDENT,
)
TODO_CARDS = 3


def build_todo(user: Any) -> dict[str, Any] | None:
    """What waits for me today: requests to decide, my own still open, unread notices."""
    may_decide = policy.has_capability(user, DECIDE)
    may_apply = policy.has_capability(user, APPLY)
    if not (may_decide or may_apply):
        return None
    first, waiting = (
        selectors.task_first_for(actor=user, limit=TODO_CARDS) if may_decide else ([], 0)
    )
    cards = request_cards(task.instance for task in first)
    counts = selectors.open_counts_for(actor=user, requests=may_apply)
    stats = []
    if may_decide:
        stats.append({"label": _("Awaiting my decision"), "value": waiting})
    if may_apply:
        stats.append({"label": _("My requests in progress"), "value": counts["requests"]})
    stats.append(
        {
            "label": _("Unread notices"),
            "value": counts["unread"],
            "url_name": "workflow:notification-list",
        }
    )
    return {
        "title": _("To do"),
        "icon": "check2-square",
        "stats": stats,
        "cards": [cards[task.instance_id] for task in first],
        "link": {"url_name": "workflow:task-list", "label": _("Open my approvals")}
        if may_decide
        else {"url_name": "workflow:request-list", "label": _("Open my requests")},
    }


def register() -> None:
    for role in DECIDING_ROLES:
        grant_capabilities(role, {DECIDE})
    for role in APPLYING_ROLES:
        grant_capabilities(role, {APPLY})
    register_nav_item(
        NavItem(
            key="workflow-tasks",
            label=gettext_lazy("My approvals"),
            url_name="workflow:task-list",
            capability=DECIDE,
            icon="check2-square",
            order=60,
            section="approvals",
        )
    )
    register_nav_item(
        NavItem(
            key="workflow-requests",
            label=gettext_lazy("My requests"),
            url_name="workflow:request-list",
            capability=APPLY,
            icon="send",
            order=60,
            section="approvals",
        )
    )
    register_dashboard_panel(
        DashboardPanel(
            key="workflow.todo",
            template="workflow/panels/_todo.html",
            capability=None,
            build=build_todo,
            order=5,
        )
    )
