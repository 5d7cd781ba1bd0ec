"""A demo-scale term for the demo's first college (``openvet teaching_demo seed-demo-term``).

Reads the org tree and accounts that ``openvet demo`` created (nothing of the demo app is
imported) and the term's data from ``teaching/data/demo_term.json``. The term is the one of the
school calendar that contains the day of seeding (``demo_calendar``), so the demo is current
whenever it is seeded. Idempotent: a second run on the same day adds nothing, and the same day
gives the same data. ``seed_demo_teaching`` adds a first timetable (``demo_timetable``) and
course selection: the term's elective tasks offered to their cohort, a preference round
(closed, lottery run with a recorded seed) and a first-come round open on the day of seeding.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from openvet.core import policy
from openvet.core.errors import NotFound
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.core.roles import Role
from openvet.identity.selectors import users_holding_role_over
from openvet.records.selectors import students_of_classes
from openvet.teaching.models import (
    CalendarDay,
    Course,
    Programme,
    ProgrammeCourse,
    Room,
    TeachingTask,
    Term,
)
from openvet.teaching.selection import services as selection
from openvet.teaching.selection.models import Offering, RoundKind, SelectionRound
from openvet.teaching.selectors import bell_periods
from openvet.teaching.services import programmes, setup, tasks
from openvet.teaching.services.demo_calendar import (
    TermDates,
    holidays_in,
    make_up_days_in,
    term_dates_around,
)
from openvet.teaching.services.demo_timetable import demo_timetable_seed

DATA = Path(__file__).resolve().parent.parent / "data" / "demo_term.json"
COHORTS = 3  # a higher vocational programme lasts three years
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


def _term(actor: Actor, school: OrgUnit, today: date) -> Term:
    """The school's term around ``today``, created with the calendar's dates when missing."""
    spec = demo_data()["term"]
    dates = term_dates_around(today, spec)
    term = Term.objects.filter(
        org=school, academic_year=dates.academic_year, number=dates.number
    ).first()
    return term or setup.term_create(
        actor=actor,
        school=school,
        academic_year=dates.academic_year,
        number=dates.number,
        start_date=dates.start_date,
        weeks=dates.weeks,
        max_daily_periods=spec["max_daily_periods"],
    )


def _calendar(actor: Actor, term: Term) -> None:
    """The public holidays and make-up working days of the term's dates."""
    if CalendarDay.objects.filter(term=term).exists():
        return
    dates = TermDates(term.academic_year, term.number, term.start_date, term.weeks)
    for holiday in holidays_in(dates, term.teaching_days):
        setup.calendar_day_set(
            actor=actor, term=term, day=holiday.day, kind="holiday", name=holiday.name
        )
    for workday in make_up_days_in(dates, demo_data()["make_up_day_name"]):
        setup.calendar_day_set(
            actor=actor,
            term=term,
            day=workday.day,
            kind="workday",
            follows_date=workday.follows,
            name=workday.name,
        )


def _bells(actor: Actor, school: OrgUnit) -> None:
    if bell_periods(school):
        return
    periods = [
        tuple(time.fromisoformat(part) for part in span.split("-")) for span in demo_data()["bells"]
    ]
    setup.bell_schedule_set(actor=actor, school=school, periods=periods)  # type: ignore[arg-type]


def _rooms(actor: Actor, school: OrgUnit) -> int:
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


def _course(actor: Actor, school: OrgUnit, code: str, spec: dict[str, Any], name: str) -> Course:
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
    actor: Actor, school: OrgUnit, major: OrgUnit
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


def _first_programme(actor: Actor, school: OrgUnit, major: OrgUnit, intake: int) -> Programme:
    programme = programmes.programme_create(actor=actor, major=major, intake_year=intake)
    for course, spec in _programme_courses(actor, school, major):
        programmes.programme_course_add(
            actor=actor,
            programme=programme,
            course=course,
            semester=spec["semester"],
            is_required=not spec.get("elective", False),
            weekly_hours=spec["weekly"],
            block=spec.get("block", 1),
            training_weeks=spec.get("training_weeks", 0),
            certificates=spec.get("certificates", ""),
        )
    return programme


def _programmes(actor: Actor, school: OrgUnit, term: Term) -> int:
    """A programme per major for each cohort studying in the term (the intakes of the last
    three years), each missing one a new version of the latest earlier one."""
    intakes = range(term.academic_year - COHORTS + 1, term.academic_year + 1)
    created = 0
    majors = OrgUnit.objects.filter(
        kind=OrgKind.MAJOR, path__startswith=school.path, is_active=True
    ).order_by("path")
    for major in majors:
        have = {p.intake_year: p for p in Programme.objects.filter(org=major)}
        for intake in intakes:
            if intake in have:
                continue
            earlier = [have[year] for year in sorted(have) if year < intake]
            have[intake] = (
                programmes.programme_new_version(
                    actor=actor, programme=earlier[-1], intake_year=intake
                )
                if earlier
                else _first_programme(actor, school, major, intake)
            )
            created += 1
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
    courses: of the whole school); loads stay under ``MAX_TEACHER_LOAD``. Department courses
    go first, so that public courses fill the gaps and no department runs short."""
    by_dept = _teachers_by_department(term.org)
    everyone = [t for teachers in by_dept.values() for t in teachers]
    load: dict[int, int] = {t.pk: 0 for t in everyone}
    assigned = 0
    unassigned = (
        TeachingTask.objects.filter(term=term, teachers__isnull=True)
        .select_related("course", "org")
        .order_by("course__code", "pk")
    )
    for task in sorted(unassigned, key=lambda t: t.course.code.startswith("GB")):
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
def seed_demo_term(*, actor: Actor, school: OrgUnit, today: date | None = None) -> DemoTermResult:
    """The term around ``today`` (default: the local date) ready for the solver."""
    term = _term(actor, school, today or timezone.localdate())
    _calendar(actor, term)
    _bells(actor, school)
    rooms = _rooms(actor, school)
    created_programmes = _programmes(actor, school, term)
    generated = tasks.teaching_tasks_generate(actor=actor, term=term)
    _assign_teachers(term)
    courses = Course.objects.filter(org=school).count()
    return DemoTermResult(term, rooms, courses, created_programmes, generated.created)


@dataclass(frozen=True)
class DemoTeachingResult:
    term: DemoTermResult
    lectures: int  # weekly lectures placed by this run, like offerings, rounds and preferences
    offerings: int
    rounds: int
    preferences: int


def _elective_tasks(term: Term) -> list[TeachingTask]:
    return list(
        TeachingTask.objects.filter(term=term, source__is_required=False)
        .prefetch_related("classes")
        .select_related("course")
        .order_by("course__code", "pk")
    )


def _offerings(actor: Actor, term: Term) -> list[Offering]:
    """Each elective task of the term offered to its cohort (the grade of its classes), with
    seats for about ``seat_share`` of a class, so that popular courses are oversubscribed."""
    share = Decimal(str(demo_data()["selection"]["seat_share"]))
    offered = {o.task_id: o for o in Offering.objects.filter(term=term)}
    result = []
    for task in _elective_tasks(term):
        if task.pk in offered:
            result.append(offered[task.pk])
            continue
        grades = sorted({c.grade_year for c in task.classes.all() if c.grade_year})
        result.append(
            selection.offering_create(
                actor=actor,
                task=task,
                capacity=max(2, int(task.student_count * share)),
                eligible_grades=grades,
            )
        )
    return result


def _cohort_students(offerings: list[Offering], limit: int) -> list[Any]:
    """Students who may rank the offerings (their grade is eligible), with an account."""
    grades = {g for o in offerings for g in o.eligible_grades}
    class_ids = [
        c.pk
        for o in offerings
        for c in o.task.classes.all()
        if not grades or c.grade_year in grades
    ]
    students = students_of_classes(class_ids=class_ids).filter(user__isnull=False)
    return list(students.select_related("user")[:limit])


def _rank(student: Any, offerings: list[Offering], count: int) -> list[Offering]:
    """A student's choices: other classes' courses of their cohort, starting at a place that
    depends on the student, so that choices spread but some courses stay popular."""
    mine = [
        o
        for o in offerings
        if student.grade_year in o.eligible_grades
        and student.class_unit_id not in {c.pk for c in o.task.classes.all()}
    ]
    if not mine:
        return []
    start = (student.pk % 3) % len(mine)  # three popular first choices
    return [mine[(start + i) % len(mine)] for i in range(min(count, len(mine)))]


def _moment(today: date, days_and_time: list[Any]) -> datetime:
    """``[days after today, "HH:MM"]`` of the demo data as an aware local time."""
    days, clock = days_and_time
    return timezone.make_aware(
        datetime.combine(today + timedelta(days=days), time.fromisoformat(clock))
    )


def _round(actor: Actor, term: Term, spec: dict[str, Any], today: date) -> SelectionRound:
    return selection.round_create(
        actor=actor,
        term=term,
        name=spec["name"],
        kind=spec["kind"],
        opens_at=_moment(today, spec["opens"]),
        closes_at=_moment(today, spec["closes"]),
        max_choices=spec["max_choices"],
    )


def _rounds(actor: Actor, term: Term, offerings: list[Offering], today: date) -> tuple[int, int]:
    """The selection rounds of the demo term; the preference round is ranked by the cohort and
    its lottery run with the recorded seed. Nothing when the term has rounds already."""
    if not offerings or SelectionRound.objects.filter(term=term).exists():
        return 0, 0
    spec = demo_data()["selection"]
    made = [_round(actor, term, r, today) for r in spec["rounds"]]
    ranked = 0
    for preference_round in (r for r in made if r.kind == RoundKind.PREFERENCE):
        during = preference_round.opens_at + timedelta(hours=1)
        for student in _cohort_students(offerings, spec["students_ranking"]):
            choices = _rank(student, offerings, preference_round.max_choices)
            if choices:
                selection.preferences_set(
                    actor=student.user,
                    selection_round=preference_round,
                    offerings=choices,
                    now=during,
                )
                ranked += len(choices)
        selection.lottery_run(
            actor=actor,
            selection_round=preference_round,
            seed=spec["lottery_seed"],
            now=preference_round.closes_at,
        )
    return len(made), ranked


@transaction.atomic
def seed_demo_teaching(
    *, actor: Actor, school: OrgUnit, today: date | None = None
) -> DemoTeachingResult:
    """The demo term around ``today`` (default: the local date; ``seed_demo_term``) with a
    first timetable, its elective offerings and selection rounds: the preference round closed
    two days before ``today`` with its lottery drawn, the first-come round open all day."""
    today = today or timezone.localdate()
    term_result = seed_demo_term(actor=actor, school=school, today=today)
    term = term_result.term
    lectures = demo_timetable_seed(actor=actor, term=term)
    already = Offering.objects.filter(term=term).count()
    offerings = _offerings(actor, term)
    rounds, preferences = _rounds(actor, term, offerings, today)
    return DemoTeachingResult(term_result, lectures, len(offerings) - already, rounds, preferences)


__all__ = [
    "DemoTeachingResult",
    "DemoTermResult",
    "ProgrammeCourse",
    "demo_school_admin",
    "seed_demo_teaching",
    "seed_demo_term",
]
