"""Capabilities of the enterprise-side libraries and cooperation projects (ADR 0610–0612).

Talent demand and the case library are open to the staff of every school, like the enterprise
library; an enterprise keeps its own demand and cases. A cooperation project belongs to its
school and its partner enterprises: the school's staff and the partners' own users reach it,
nobody else.
"""

from openvet.core import policy
from openvet.core.models import OrgUnit
from openvet.core.policy import Actor
from openvet.core.roles import Role

VIEW_DEMAND = "industry.view_talentdemand"
ADD_DEMAND = "industry.add_talentdemand"
VIEW_PROJECT = "industry.view_cooperationproject"
ADD_PROJECT = "industry.add_cooperationproject"
# Milestones, deliverables and funds: both sides of a project keep them.
CHANGE_PROJECT = "industry.change_cooperationproject"
VIEW_CASE = "industry.view_innovationcase"
ADD_CASE = "industry.add_innovationcase"

COOPERATION_CAPABILITIES: dict[str, set[str]] = {
    Role.SCHOOL_ADMIN: {
        VIEW_DEMAND,
        VIEW_PROJECT,
        ADD_PROJECT,
        CHANGE_PROJECT,
        VIEW_CASE,
        ADD_CASE,
    },
    Role.DEPARTMENT_HEAD: {
        VIEW_DEMAND,
        VIEW_PROJECT,
        ADD_PROJECT,
        CHANGE_PROJECT,
        VIEW_CASE,
        ADD_CASE,
    },
    Role.TEACHER: {VIEW_DEMAND, VIEW_PROJECT, VIEW_CASE},
    Role.COUNSELLOR: {VIEW_DEMAND, VIEW_CASE},
    Role.EVALUATOR: {VIEW_DEMAND, VIEW_PROJECT, VIEW_CASE},
    Role.ENTERPRISE_MENTOR: {
        VIEW_DEMAND,
        ADD_DEMAND,
        VIEW_PROJECT,
        CHANGE_PROJECT,
        VIEW_CASE,
        ADD_CASE,
    },
}


def _reaches(actor: Actor, capability: str, org: OrgUnit) -> bool:
    """A grant at or above ``org``, or inside it (a department head's grant reaches the
    school's projects)."""
    return any(
        org.path.startswith(path) or path.startswith(org.path)
        for path in policy.capability_paths(actor, capability)
    )


def can_keep_demand(actor: Actor, enterprise: OrgUnit) -> bool:
    return policy.has_capability(actor, ADD_DEMAND, enterprise)


def can_create_project(actor: Actor, school: OrgUnit) -> bool:
    return _reaches(actor, ADD_PROJECT, school)


def can_change_project(actor: Actor, project: object) -> bool:
    """The project's school staff, or the users of its lead or partner enterprises."""
    orgs = [getattr(project, "org"), getattr(project, "enterprise")]  # noqa: B009
    orgs += list(getattr(project, "partners").all())  # noqa: B009
    return any(_reaches(actor, CHANGE_PROJECT, org) for org in orgs)


def can_keep_case(actor: Actor, org: OrgUnit) -> bool:
    return _reaches(actor, ADD_CASE, org)
