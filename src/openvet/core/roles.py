"""The roles of the platform and what each may do.

Roles are granted on a node of the org tree and reach everything below it. Capabilities are
named ``<app>.<verb>_<model>``. Apps that come later add their capabilities with
``grant_capabilities`` from their ``AppConfig.ready``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")
    REGIONAL_ADMIN = "regional_admin", _("Regional administrator")
    SCHOOL_ADMIN = "school_admin", _("School administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    TEACHER = "teacher", _("Teacher")
    COUNSELLOR = "counsellor", _("Counsellor")
    STUDENT = "student", _("Student")
    ENTERPRISE_MENTOR = "enterprise_mentor", _("Enterprise mentor")
    EVALUATOR = "evaluator", _("Evaluator (read-only)")


# 三员分立 (GB/T 22239-2019 8.1.4.2 access control): system, security and audit
# administration are held by different accounts.
SYSTEM_ADMIN_ROLES = frozenset({Role.PLATFORM_ADMIN, Role.REGIONAL_ADMIN, Role.SCHOOL_ADMIN})
SEPARATED_DUTIES: tuple[frozenset[str], ...] = (
    frozenset(SYSTEM_ADMIN_ROLES),
    frozenset({Role.SECURITY_ADMIN}),
    frozenset({Role.AUDIT_ADMIN}),
)
ADMIN_ROLES = frozenset(SYSTEM_ADMIN_ROLES | {Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
ROLES_NEEDING_EXPIRY = frozenset({Role.EVALUATOR})

_READ_ORG = {"core.view_orgunit"}
_MANAGE_ORG = {
    "core.view_orgunit",
    "core.add_orgunit",
    "core.change_orgunit",
    "core.delete_orgunit",
}
_MANAGE_USERS = {
    "identity.view_user",
    "identity.add_user",
    "identity.change_user",
    "identity.assign_role",
    "identity.view_roleassignment",
}

CAPABILITIES: dict[str, set[str]] = {
    Role.PLATFORM_ADMIN: {*_MANAGE_ORG, *_MANAGE_USERS, "core.view_dashboard_region"},
    Role.REGIONAL_ADMIN: {*_MANAGE_ORG, *_MANAGE_USERS, "core.view_dashboard_region"},
    Role.SCHOOL_ADMIN: {
        *_MANAGE_ORG,
        *_MANAGE_USERS,
        "core.view_dashboard_school",
        "identity.reveal_pii",
    },
    Role.SECURITY_ADMIN: {
        *_READ_ORG,
        "identity.view_user",
        "identity.unlock_user",
        "identity.reset_password",
        "identity.view_security",
    },
    Role.AUDIT_ADMIN: {*_READ_ORG, "core.view_auditentry"},
    Role.DEPARTMENT_HEAD: {*_READ_ORG, "identity.view_user", "core.view_dashboard_teacher"},
    Role.TEACHER: {*_READ_ORG, "identity.view_user", "core.view_dashboard_teacher"},
    Role.COUNSELLOR: {
        *_READ_ORG,
        "identity.view_user",
        "identity.reveal_pii",
        "core.view_dashboard_teacher",
    },
    Role.STUDENT: {"core.view_dashboard_student"},
    Role.ENTERPRISE_MENTOR: {"core.view_dashboard_mentor"},
    Role.EVALUATOR: {*_READ_ORG, "core.view_dashboard_school"},
}


def grant_capabilities(role: str, capabilities: set[str]) -> None:
    """Let a later app give a role its own capabilities (called from ``AppConfig.ready``)."""
    CAPABILITIES[role] |= capabilities


def roles_with(capability: str) -> set[str]:
    return {role for role, caps in CAPABILITIES.items() if capability in caps}


def duty_conflict(roles: set[str]) -> bool:
    """True when one account would hold roles from two separated duties."""
    held = [group for group in SEPARATED_DUTIES if roles & group]
    return len(held) > 1


# Kinds of org node a regional administrator is granted on.
REGIONAL_KINDS_ROLES = frozenset({"province", "city", "county"})
