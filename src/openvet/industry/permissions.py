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
# Enterprise library completion and surveys (ADR 0620–0624).
RATE_ENTERPRISE = "industry.add_enterpriserating"
ASSESS_ENTERPRISE = "industry.add_enterpriseassessment"
VIEW_SURVEY = "industry.view_surveyround"
MANAGE_SURVEY = "industry.add_surveyround"

ROLE_CAPABILITIES: dict[str, set[str]] = {
    Role.SCHOOL_ADMIN: {
        VIEW_STANDARD,
        CHANGE_STANDARD,
        VIEW_ENTERPRISE,
        MANAGE_PLACEMENT,
        VIEW_PLACEMENT,
        VIEW_EMPLOYMENT,
        RECORD_EMPLOYMENT,
        RATE_ENTERPRISE,
        ASSESS_ENTERPRISE,
        VIEW_SURVEY,
        MANAGE_SURVEY,
    },
    Role.DEPARTMENT_HEAD: {
        VIEW_STANDARD,
        CHANGE_STANDARD,
        VIEW_ENTERPRISE,
        MANAGE_PLACEMENT,
        VIEW_PLACEMENT,
        VIEW_EMPLOYMENT,
        RECORD_EMPLOYMENT,
        RATE_ENTERPRISE,
        VIEW_SURVEY,
    },
    Role.COUNSELLOR: {
        VIEW_ENTERPRISE,
        VIEW_PLACEMENT,
        VIEW_EMPLOYMENT,
        RECORD_EMPLOYMENT,
        VIEW_SURVEY,
    },
    Role.TEACHER: {VIEW_ENTERPRISE, VIEW_STANDARD, MENTOR},
    Role.EVALUATOR: {VIEW_ENTERPRISE, VIEW_STANDARD, VIEW_PLACEMENT, VIEW_EMPLOYMENT, VIEW_SURVEY},
    # A city or province sees the employment of the schools below it (ADR 0624).
    Role.REGIONAL_ADMIN: {VIEW_EMPLOYMENT, VIEW_SURVEY},
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


def can_reveal_contact(actor: Actor, enterprise: OrgUnit) -> bool:
    """An enterprise contact's phone is revealed to the enterprise's own mentors and to the
    school staff who arrange placements (each reveal audited)."""
    return can_change_enterprise(actor, enterprise) or policy.has_capability(
        actor, MANAGE_PLACEMENT
    )
