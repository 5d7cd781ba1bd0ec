"""Shared by the pages of teaching and its sub-packages: the page decorator, the shape of a
page with one form, and the school and term a request may reach."""

from typing import Any

from django.http import HttpRequest

from openvet.core import policy
from openvet.core.errors import NotFound
from openvet.core.models import OrgUnit
from openvet.core.view_helpers import form_page as form_page
from openvet.core.view_helpers import page as page
from openvet.teaching import selectors
from openvet.teaching.models import Term


def can(request: HttpRequest, capability: str, org: OrgUnit) -> bool:
    return policy.has_capability(request.user, capability, org)


def visible_school(request: HttpRequest, school_id: int) -> OrgUnit:
    school = selectors.schools_for(actor=request.user).filter(pk=school_id).first()
    if school is None:
        raise NotFound()
    return school


def staff_term(request: HttpRequest, term_id: int) -> Term:
    term = selectors.term_get_for(actor=request.user, term_id=term_id)
    if not selectors.is_staff_of(request.user, term.org):
        raise NotFound()  # students reach only their own timetable
    return term


def teacher_choices(term: Term) -> list[tuple[int, str]]:
    return [(t.pk, t.full_name) for t in selectors.teachers_of(term.org)]


def task_label(task: Any) -> str:
    return f"{task.course.name} · {', '.join(c.name for c in task.classes.all())}"
