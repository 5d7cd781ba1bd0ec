"""Reads of the destination page (ADR 0627): the classes whose graduates the actor records
(a counsellor their classes, the employment office its school), the class list with each
graduate's destination, and a destination's history."""

from typing import Any

from django.db.models import QuerySet

from openvet.core import policy
from openvet.core.errors import NotFound
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.industry import permissions
from openvet.industry.models import GraduateDestination
from openvet.industry.models_destinations import DestinationRevision
from openvet.records.selectors import student_get_for, student_list_for


def recording_classes_for(*, actor: Actor) -> QuerySet[OrgUnit]:
    """Classes inside the actor's grants of the record capability, newest grade first."""
    return policy.scope(
        OrgUnit.objects.filter(kind=OrgKind.CLASS),
        actor,
        permissions.RECORD_EMPLOYMENT,
        path_field="path",
    ).order_by("-grade_year", "path")


def recording_class_get_for(*, actor: Actor, class_id: int) -> OrgUnit:
    found = recording_classes_for(actor=actor).filter(pk=class_id).first()
    if found is None:
        raise NotFound()
    return found


def roster_of(*, actor: Actor, klass: OrgUnit) -> list[tuple[Any, GraduateDestination | None]]:
    """Every student of the class the actor may see (graduated ones included), with their
    destination when one is recorded."""
    students = list(student_list_for(actor=actor, class_id=klass.pk))
    recorded = {
        d.student_id: d
        for d in GraduateDestination.objects.filter(
            student_id__in=[s.pk for s in students]
        ).select_related("employer_unit")
    }
    return [(s, recorded.get(s.pk)) for s in students]


def graduate_get_for(*, actor: Actor, student_id: int) -> Any:
    """A student whose destination the actor may record; 404 otherwise."""
    student = student_get_for(actor=actor, student_id=student_id)
    if not policy.has_capability(actor, permissions.RECORD_EMPLOYMENT, student.org):
        raise NotFound()
    return student


def destination_of(student: Any) -> GraduateDestination | None:
    return (
        GraduateDestination.objects.filter(student=student).select_related("employer_unit").first()
    )


def revisions_of(destination: GraduateDestination | None) -> QuerySet[DestinationRevision]:
    if destination is None:
        return DestinationRevision.objects.none()
    return destination.revisions.select_related("recorded_by")


def graduation_year_of(student: Any) -> int:
    return int(student.grade_year or 0) + int(student.schooling_years or 3)
