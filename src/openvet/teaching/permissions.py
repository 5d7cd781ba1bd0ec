"""Capabilities of the teaching app and the object rules built on them.

Capabilities are granted to roles in ``TeachingConfig.ready``; scoping follows the org tree
(``core.policy``): terms, rooms and courses belong to a school, programmes to a major, tasks
to the smallest unit holding all of their classes.
"""

from typing import Any

from openvet.core import policy
from openvet.core.policy import Actor
from openvet.core.roles import Role

VIEW = "teaching.view_term"  # see terms, tasks and every timetable in the subtree
MANAGE_TERM = "teaching.change_term"  # terms, calendar, bell schedule, rooms, catalogue
MANAGE_PROGRAMME = "teaching.change_programme"
MANAGE_TASK = "teaching.change_teachingtask"
MANAGE_TIMETABLE = "teaching.change_timetableentry"  # manual edits, solver, publish
REQUEST_ADJUSTMENT = "teaching.add_adjustment"

ROLE_CAPABILITIES: dict[str, set[str]] = {
    Role.PLATFORM_ADMIN: {VIEW},
    Role.REGIONAL_ADMIN: {VIEW},
    Role.SCHOOL_ADMIN: {
        VIEW,
        MANAGE_TERM,
        MANAGE_PROGRAMME,
        MANAGE_TASK,
        MANAGE_TIMETABLE,
        REQUEST_ADJUSTMENT,
    },
    Role.DEPARTMENT_HEAD: {VIEW, MANAGE_PROGRAMME, MANAGE_TASK, REQUEST_ADJUSTMENT},
    Role.TEACHER: {VIEW},
    Role.COUNSELLOR: {VIEW},
    Role.EVALUATOR: {VIEW},
}


def can_request_adjustment(actor: Actor, task: Any, teacher_ids: set[int]) -> bool:
    """A teacher may ask to move their own lectures; managers any lecture they reach."""
    if policy.has_capability(actor, REQUEST_ADJUSTMENT, task.org):
        return True
    return getattr(actor, "pk", None) in teacher_ids
