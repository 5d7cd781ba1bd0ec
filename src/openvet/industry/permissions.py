"""Capabilities of industry and the object rules over them.

The enterprise library is open to the staff of every school (guidance §5: libraries co-built
with enterprises); an enterprise keeps its own entry and posts. Placements belong to the
student's class: school staff reach them through their grants, a student their own, an
enterprise mentor those they mentor.
"""

from openvet.core import policy
from openvet.core.models import OrgUnit
from openvet.core.policy import Actor
from openvet.core.roles import Role

VIEW_ENTERPRISE = "industry.view_enterpriseprofile"
CHANGE_ENTERPRISE = "industry.change_enterpriseprofile"
PUBLISH_POST = "industry.add_internshippost"
MANAGE_PLACEMENT = "industry.add_placement"
VIEW_PLACEMENT = "industry.view_placement"
CHECK_IN = "industry.add_checkin"
# Mentors reach the placements they mentor (and only those) from the navigation.
MENTOR = "industry.change_journal"
VIEW_STANDARD = "industry.view_jobstandard"
CHANGE_STANDARD = "industry.change_jobstandard"
VIEW_EMPLOYMENT = "industry.view_graduatedestination"
RECORD_EMPLOYMENT = "industry.add_graduatedestination"

ROLE_CAPABILITIES: dict[str, set[str]] = {
    Role.SCHOOL_ADMIN: {
        VIEW_STANDARD,
        CHANGE_STANDARD,
        VIEW_ENTERPRISE,
        MANAGE_PLACEMENT,
        VIEW_PLACEMENT,
        VIEW_EMPLOYMENT,
        RECORD_EMPLOYMENT,
    },
    Role.DEPARTMENT_HEAD: {
        VIEW_STANDARD,
        CHANGE_STANDARD,
        VIEW_ENTERPRISE,
        MANAGE_PLACEMENT,
        VIEW_PLACEMENT,
        VIEW_EMPLOYMENT,
        RECORD_EMPLOYMENT,
    },
    Role.COUNSELLOR: {VIEW_ENTERPRISE, VIEW_PLACEMENT, VIEW_EMPLOYMENT, RECORD_EMPLOYMENT},
    Role.TEACHER: {VIEW_ENTERPRISE, VIEW_STANDARD, MENTOR},
    Role.EVALUATOR: {VIEW_ENTERPRISE, VIEW_STANDARD, VIEW_PLACEMENT, VIEW_EMPLOYMENT},
    Role.ENTERPRISE_MENTOR: {VIEW_ENTERPRISE, CHANGE_ENTERPRISE, PUBLISH_POST, MENTOR},
    Role.STUDENT: {CHECK_IN},
}


def can_change_enterprise(actor: Actor, enterprise: OrgUnit) -> bool:
    return policy.has_capability(actor, CHANGE_ENTERPRISE, enterprise)


def can_publish_post(actor: Actor, enterprise: OrgUnit) -> bool:
    return policy.has_capability(actor, PUBLISH_POST, enterprise)


def can_manage_placements(actor: Actor, org: OrgUnit) -> bool:
    return policy.has_capability(actor, MANAGE_PLACEMENT, org)


def is_school_mentor(actor: Actor, placement: object) -> bool:
    return getattr(placement, "school_mentor_id", None) == getattr(actor, "pk", -1)


def is_enterprise_mentor(actor: Actor, placement: object) -> bool:
    return getattr(placement, "enterprise_mentor_id", None) == getattr(actor, "pk", -1)


def can_change_standard(actor: Actor, school: OrgUnit) -> bool:
    """School administrators keep their school's standards; department heads too (their grant
    is below the school: any grant of the capability inside the school counts)."""
    return any(
        path.startswith(school.path) or school.path.startswith(path)
        for path in policy.capability_paths(actor, CHANGE_STANDARD)
    )
