"""Capabilities of online learning and the object rules over them.

A course belongs to its teaching task: the task's teachers build and teach it, the students
of the task's classes learn in it, and school and department staff holding
``learning.view_onlinecourse`` over the task follow it. Nobody else sees it (another
school's users get a 404).
"""

from typing import Any

from openvet.core import policy
from openvet.core.policy import Actor
from openvet.core.roles import Role

VIEW = "learning.view_onlinecourse"  # follow the courses of a subtree (read only)
TEACH = "learning.add_onlinecourse"  # build courses for the tasks one teaches
LEARN = "learning.add_progress"  # learn in the courses of one's classes

ROLE_CAPABILITIES: dict[str, set[str]] = {
    Role.SCHOOL_ADMIN: {VIEW},
    Role.DEPARTMENT_HEAD: {VIEW},
    Role.TEACHER: {TEACH},
    Role.STUDENT: {LEARN},
}


def teaches(actor: Actor, teacher_ids: set[int]) -> bool:
    return getattr(actor, "pk", None) in teacher_ids


def can_build_course(actor: Actor, teacher_ids: set[int]) -> bool:
    """Only a teacher of the course's task changes the course, its units and its questions."""
    return policy.has_capability(actor, TEACH) and teaches(actor, teacher_ids)


def can_follow_course(actor: Actor, course: Any, teacher_ids: set[int]) -> bool:
    """Teachers of the task, and staff over the task's place in the tree, see every learner."""
    return teaches(actor, teacher_ids) or policy.has_capability(actor, VIEW, course.org)


def can_grade(actor: Actor, teacher_ids: set[int]) -> bool:
    return teaches(actor, teacher_ids)
