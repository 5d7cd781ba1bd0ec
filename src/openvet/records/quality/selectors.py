"""Scoped reads of the data-quality figures."""

from django.db.models import QuerySet

from openvet.core import policy
from openvet.core.errors import NotFound
from openvet.core.models import OrgUnit
from openvet.core.policy import Actor
from openvet.records.bulk.selectors import school_get_for, schools_for
from openvet.records.models import Student
from openvet.records.permissions import QUALITY_CAPABILITY
from openvet.records.quality.checks import BY_KEY, Check, figures, offending


def quality_schools_for(*, actor: Actor) -> list[OrgUnit]:
    return schools_for(actor=actor, capabilities=(QUALITY_CAPABILITY,))


def _students(actor: Actor, school: OrgUnit) -> QuerySet[Student]:
    return policy.scope(Student.objects.all(), actor, QUALITY_CAPABILITY).filter(school=school)


def quality_figures_for(*, actor: Actor, school_id: int | None = None) -> dict[int, dict[str, int]]:
    """Figures per school the actor may see (one school when ``school_id`` is given)."""
    scoped = policy.scope(Student.objects.all(), actor, QUALITY_CAPABILITY)
    if school_id is not None:
        school = school_get_for(
            actor=actor, school_id=school_id, capabilities=(QUALITY_CAPABILITY,)
        )
        scoped = scoped.filter(school=school)
    return figures(scoped)


def quality_offending_for(
    *, actor: Actor, school_id: int, check_key: str
) -> tuple[OrgUnit, Check, QuerySet[Student]]:
    school = school_get_for(actor=actor, school_id=school_id, capabilities=(QUALITY_CAPABILITY,))
    check = BY_KEY.get(check_key)
    if check is None:
        raise NotFound()
    queryset = offending(_students(actor, school), check)
    return school, check, queryset.select_related("major", "class_unit").order_by("student_number")
