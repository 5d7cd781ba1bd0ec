"""A demo-scale term for the demo's first college (``openvet teaching_demo seed-demo-term``).

Reads the org tree and accounts that ``openvet demo`` created (nothing of the demo app is
imported) and the term's data from ``teaching/data/demo_term.json``. Idempotent: a second run
adds only what is missing.
"""

import json
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from openvet.core import policy
from openvet.core.errors import NotFound
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.roles import Role
from openvet.identity.selectors import users_holding_role_over
from openvet.teaching.models import (
    CalendarDay,
    Course,
    Programme,
    ProgrammeCourse,
    Room,
    TeachingTask,
    Term,
)
from openvet.teaching.selectors import bell_periods
from openvet.teaching.services import programmes, setup, tasks

DATA = Path(__file__).resolve().parent.parent / "data" / "demo_term.json"
INTAKES = (2024, 2025, 2026)
MAX_TEACHER_LOAD = 16  # periods a week


@cache
def demo_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return data


@dataclass(frozen=True)
class DemoTermResult:
    term: Term
    rooms: int
    courses: int
    programmes: int
    tasks: int


def demo_school_admin(username: str = "admin1") -> tuple[Any, OrgUnit]:
    """The demo's first college and its administrator (``admin1`` in ``openvet demo``)."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    grant = (
        next((g for g in policy.current_grants(user) if g.role == Role.SCHOOL_ADMIN), None)
        if user is not None
        else None
    )
    if grant is None:
        raise NotFound(details={"username": username})
    return user, OrgUnit.objects.get(pk=grant.org_id)


def _term(actor: Any, school: OrgUnit) -> Term:
    values = dict(demo_data()["term"])
    values["start_date"] = date.fromisoformat(values["start_date"])
    term = Term.objects.filter(
        org=school, academic_year=values["academic_year"], number=values["number"]
    ).first()
    return term or setup.term_create(actor=actor, school=school, **values)


def _calendar(actor: Any, term: Term) -> None:
    if CalendarDay.objects.filter(term=term).exists():
        return
    for day, name in demo_data()["holidays"]:
        setup.calendar_day_set(
            actor=actor, term=term, day=date.fromisoformat(day), kind="holiday", name=name
        )
    for day, follows, name in demo_data()["workdays"]:
        setup.calendar_day_set(
            actor=actor,
            term=term,
            day=date.fromisoformat(day),
            kind="workday",
            follows_date=date.fromisoformat(follows),
            name=name,
        )


def _bells(actor: Any, school: OrgUnit) -> None:
    if bell_periods(school):
        return
    periods = [
        tuple(time.fromisoformat(part) for part in span.split("-")) for span in demo_data()["bells"]
    ]
    setup.bell_schedule_set(actor=actor, school=school, periods=periods)  # type: ignore[arg-type]


def _rooms(actor: Any, school: OrgUnit) -> int:
    if Room.objects.filter(org=school).exists():
        return 0
    created = 0
    for group in demo_data()["rooms"]:
        for number in range(1, group["count"] + 1):
            label = group.get("name", "")
            setup.room_create(
                actor=actor,
                school=school,
                building=group["building"],
                number=f"{number:03d}",
                capacity=group["capacity"],
                room_type=group["room_type"],
                name=f"{label}{number}" if label else "",
            )
            created += 1
    return created


def _course(actor: Any, school: OrgUnit, code: str, spec: dict[str, Any], name: str) -> Course:
    existing = Course.objects.filter(org=school, code=code).first()
    return existing or setup.course_create(
        actor=actor,
        school=school,
        code=code,
        name=name,
        course_type=spec["type"],
        assessment=spec["assessment"],
        theory_hours=spec["theory"],
        practice_hours=spec["practice"],
        credits=Decimal(spec["credits"]),
        room_type=spec["room_type"],
    )


def _programme_courses(
    actor: Any, school: OrgUnit, major: OrgUnit
) -> list[tuple[Course, dict[str, Any]]]:
    data = demo_data()
    rows = [
        (_course(actor, school, spec["code"], spec, spec["name"]), spec)
        for spec in data["public_courses"]
    ]
    rows += [
        (
            _course(
                actor,
                school,
                f"{major.code}{spec['suffix']}",
                spec,
                spec["name"].format(major=major.name),
            ),
            spec,
        )
        for spec in data["major_courses"]
    ]
    return rows


def _programmes(actor: Any, school: OrgUnit) -> int:
    created = 0
    majors = OrgUnit.objects.filter(
        kind=OrgKind.MAJOR, path__startswith=school.path, is_active=True
    ).order_by("path")
    for major in majors:
        if Programme.objects.filter(org=major).exists():
            continue
        first = programmes.programme_create(actor=actor, major=major, intake_year=INTAKES[0])
        for course, spec in _programme_courses(actor, school, major):
            programmes.programme_course_add(
                actor=actor,
                programme=first,
                course=course,
                semester=spec["semester"],
                is_required=not spec.get("elective", False),
                weekly_hours=spec["weekly"],
                block=spec.get("block", 1),
                training_weeks=spec.get("training_weeks", 0),
                certificates=spec.get("certificates", ""),
            )
        previous = first
        for intake in INTAKES[1:]:
            previous = programmes.programme_new_version(
                actor=actor, programme=previous, intake_year=intake
            )
        created += len(INTAKES)
    return created


def _teachers_by_department(school: OrgUnit) -> dict[int, list[Any]]:
    result: dict[int, list[Any]] = {}
    for dept in OrgUnit.objects.filter(kind=OrgKind.DEPARTMENT, path__startswith=school.path):
        result[dept.pk] = list(
            users_holding_role_over(role=Role.TEACHER, org_path=dept.path).filter(home_org=dept)
        )
    return result


def _assign_teachers(term: Term) -> int:
    """Give each task without a teacher the least loaded teacher of its department (public
    courses: of the whole school); loads stay under ``MAX_TEACHER_LOAD``."""
    by_dept = _teachers_by_department(term.org)
    everyone = [t for teachers in by_dept.values() for t in teachers]
    load: dict[int, int] = {t.pk: 0 for t in everyone}
    assigned = 0
    for task in (
        TeachingTask.objects.filter(term=term)
        .select_related("course", "org")
        .order_by("course__code", "pk")
    ):
        if task.teachers.exists():
            continue
        dept_id = task.org.ancestor_ids[-3] if task.org.kind == OrgKind.CLASS else None
        pool = everyone if task.course.code.startswith("GB") else by_dept.get(dept_id or 0, [])
        pool = [t for t in pool if load[t.pk] + task.weekly_hours <= MAX_TEACHER_LOAD] or pool
        if not pool:
            continue
        teacher = min(pool, key=lambda t: (load[t.pk], t.pk))
        load[teacher.pk] += task.weekly_hours
        task.teachers.add(teacher)
        assigned += 1
    return assigned


@transaction.atomic
def seed_demo_term(*, actor: Any, school: OrgUnit) -> DemoTermResult:
    term = _term(actor, school)
    _calendar(actor, term)
    _bells(actor, school)
    rooms = _rooms(actor, school)
    created_programmes = _programmes(actor, school)
    generated = tasks.teaching_tasks_generate(actor=actor, term=term)
    _assign_teachers(term)
    courses = Course.objects.filter(org=school).count()
    return DemoTermResult(term, rooms, courses, created_programmes, generated.created)


__all__ = ["DemoTermResult", "ProgrammeCourse", "demo_school_admin", "seed_demo_term"]
