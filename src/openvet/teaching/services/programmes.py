"""Talent-training programmes: one per major and intake year, versioned."""

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from openvet.core.errors import Conflict
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.core.selectors import org_school_get
from openvet.teaching.models import Course, Programme, ProgrammeCourse
from openvet.teaching.permissions import MANAGE_PROGRAMME
from openvet.teaching.services.common import (
    AuditAction,
    check,
    record,
    require,
    require_kind,
)

MAX_SEMESTER = 10
PC_FIELDS = ("semester", "is_required", "weekly_hours", "block", "training_weeks", "certificates")


def _default_name(major: OrgUnit, intake_year: int) -> str:
    return _("%(major)s training programme %(year)s") % {"major": major.name, "year": intake_year}


def _next_version(major: OrgUnit) -> int:
    current = Programme.objects.filter(org=major).aggregate(v=Max("version"))["v"]
    return (current or 0) + 1


def _check_intake_free(major: OrgUnit, intake_year: int) -> None:
    if Programme.objects.filter(org=major, intake_year=intake_year).exists():
        message = _("This major already has a programme for that intake year.")
        raise Conflict(message, details={"intake_year": message})


@transaction.atomic
def programme_create(
    *, actor: Actor, major: OrgUnit, intake_year: int, name: str = ""
) -> Programme:
    require(actor, MANAGE_PROGRAMME, major)
    require_kind(major, OrgKind.MAJOR, "major")
    # Lock the major's programmes so that two versions cannot get one number.
    list(Programme.objects.select_for_update().filter(org=major))
    _check_intake_free(major, intake_year)
    programme = Programme.objects.create(
        org=major,
        intake_year=intake_year,
        version=_next_version(major),
        name=name.strip() or _default_name(major, intake_year),
    )
    record(
        actor=actor,
        obj=programme,
        org=major,
        after={"intake_year": intake_year, "version": programme.version},
    )
    return programme


@transaction.atomic
def programme_new_version(
    *, actor: Actor, programme: Programme, intake_year: int, name: str = ""
) -> Programme:
    """A programme for a new intake, copied from ``programme``; the old one stays as it is."""
    new = programme_create(actor=actor, major=programme.org, intake_year=intake_year, name=name)
    new.based_on = programme
    new.save(update_fields=["based_on"])
    ProgrammeCourse.objects.bulk_create(
        ProgrammeCourse(
            programme=new,
            course_id=pc.course_id,
            **{field: getattr(pc, field) for field in PC_FIELDS},
        )
        for pc in programme.courses.all()
    )
    return new


def _pc_errors(pc: ProgrammeCourse, course: Course, school: OrgUnit) -> dict[str, str]:
    errors: dict[str, str] = {}
    if course.org_id != school.pk:
        errors["course"] = _("Choose a course of this school's catalogue.")
    if not 1 <= pc.semester <= MAX_SEMESTER:
        errors["semester"] = _("The semester is 1 to %(max)s.") % {"max": MAX_SEMESTER}
    if pc.weekly_hours > 30:
        errors["weekly_hours"] = _("At most 30 periods a week.")
    if pc.block not in (1, 2, 3):
        errors["block"] = _("Lectures come singly or in blocks of 2 or 3 periods.")
    elif pc.weekly_hours % pc.block:
        errors["block"] = _("The periods per week must be a multiple of the block length.")
    if pc.weekly_hours == 0 and pc.training_weeks == 0:
        errors["weekly_hours"] = _("Give periods per week or whole training weeks.")
    return errors


@transaction.atomic
def programme_course_add(
    *, actor: Actor, programme: Programme, course: Course, **values: Any
) -> ProgrammeCourse:
    require(actor, MANAGE_PROGRAMME, programme.org)
    pc = ProgrammeCourse(
        programme=programme, course=course, **{k: v for k, v in values.items() if k in PC_FIELDS}
    )
    check(_pc_errors(pc, course, org_school_get(org=programme.org, field="org")))
    if ProgrammeCourse.objects.filter(
        programme=programme, course=course, semester=pc.semester
    ).exists():
        message = _("The course is already in this semester of the programme.")
        raise Conflict(message, details={"course": message})
    pc.save()
    record(
        actor=actor,
        obj=pc,
        org=programme.org,
        after={"course": course.code, "semester": pc.semester},
    )
    return pc


@transaction.atomic
def programme_course_remove(*, actor: Actor, programme_course: ProgrammeCourse) -> None:
    org = programme_course.programme.org
    require(actor, MANAGE_PROGRAMME, org)
    record(actor=actor, obj=programme_course, org=org, action=AuditAction.DELETE)
    programme_course.delete()
