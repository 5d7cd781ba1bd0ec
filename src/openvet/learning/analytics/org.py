"""The dashboard of a place in the org tree (ADR 0410, 0411): a province or city by school, a
school by department, a department by major, a major by class; and the courses of the
current term below a school.

Learners are the student accounts granted below the place; their statements are grouped in
SQL per learner and week (``lrs.analytics.learner_weeks``) and folded here into the rows,
so the number of queries stays the same whatever the number of learners or statements.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from openvet.core.errors import NotFound
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.learning.models import OnlineCourse, Progress, Unit
from openvet.lrs import analytics as lrs
from openvet.teaching import selectors as teaching
from openvet.teaching.attendance.selectors import attendance_by_class

WEEKS = 16
RECENT_WEEKS = 2  # "active" in a table: a learning record this week or the week before
# The level each place is broken down by.
CHILD_KIND: dict[str, str] = {
    OrgKind.SCHOOL: OrgKind.DEPARTMENT,
    OrgKind.DEPARTMENT: OrgKind.MAJOR,
    OrgKind.MAJOR: OrgKind.CLASS,
}


@dataclass(frozen=True)
class Figures:
    """What a table row shows of a group of learners."""

    label: str
    org_id: int | None
    learners: int
    active: int
    statements: int
    completion: int | None
    attendance: Decimal | None
    warnings: int

    @property
    def active_percent(self) -> int | None:
        return self.active * 100 // self.learners if self.learners else None


@dataclass(frozen=True)
class OrgDashboard:
    org: OrgUnit
    row_kind: str
    rows: list[Figures]
    total: Figures
    weeks: list[tuple[date, int, int]]  # Monday, active learners, statements
    courses: list[Figures]
    term: Any


def org_for_analytics(*, actor: Actor, org_id: int) -> OrgUnit:
    org = OrgUnit.objects.filter(pk=org_id, is_active=True).first()
    if org is None or not lrs.can_view_analytics(actor, org):
        raise NotFound()
    return org


def home_org_for(*, actor: Actor) -> OrgUnit | None:
    """The place whose dashboard opens first: the highest one the actor may read."""
    paths = lrs.analytics_paths(actor)
    if not paths:
        return None
    ids = [int(path.strip("/").split("/")[-1]) for path in paths]
    return OrgUnit.objects.filter(pk__in=ids).order_by("depth", "path").first()


def _row_orgs(org: OrgUnit) -> list[OrgUnit]:
    kind = CHILD_KIND.get(org.kind)
    below = OrgUnit.objects.filter(path__startswith=org.path, is_active=True).exclude(pk=org.pk)
    if kind is None:  # a region: its schools
        return list(below.filter(kind=OrgKind.SCHOOL).order_by("path"))
    if kind == OrgKind.CLASS:
        return list(below.filter(kind=kind).order_by("name", "pk"))
    return list(below.filter(kind=kind).order_by("path"))


def _class_of(path: str) -> int:
    return int(path.strip("/").split("/")[-1])


def _completion(learners: dict[int, str]) -> tuple[dict[int, int], dict[int, int]]:
    """Per learner: units completed, and units of the online courses of their class's tasks
    and of the electives they hold a seat in (ADR 0766)."""
    class_ids = {_class_of(path) for path in learners.values()}
    chosen = teaching.selection_pairs(user_ids=list(learners))
    elective_course = dict(
        OnlineCourse.objects.filter(task_id__in={task_id for task_id, _u in chosen}).values_list(
            "task_id", "pk"
        )
    )
    units_of_course = dict(
        Unit.objects.filter(
            Q(course__task__classes__in=class_ids) | Q(course_id__in=list(elective_course.values()))
        )
        .values("course_id")
        .annotate(n=Count("id", distinct=True))
        .order_by()
        .values_list("course_id", "n")
    )
    per_class: dict[int, int] = defaultdict(int)
    for class_id, course_id in (
        OnlineCourse.objects.filter(task__classes__in=class_ids)
        .values_list("task__classes", "pk")
        .distinct()
    ):
        per_class[class_id] += units_of_course.get(course_id, 0)
    done = dict(
        Progress.objects.filter(
            unit__course_id__in=list(units_of_course), completed_at__isnull=False
        )
        .values("user_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("user_id", "n")
    )
    expected = {pk: per_class.get(_class_of(path), 0) for pk, path in learners.items()}
    for task_id, user_id in chosen:
        elective_id = elective_course.get(task_id)
        if elective_id is not None and user_id in expected:
            expected[user_id] += units_of_course.get(elective_id, 0)
    return {pk: done.get(pk, 0) for pk in learners}, expected


def _current_term(actor: Actor, school_id: int, today: date) -> Any:
    for term in teaching.term_list_for(actor=actor):
        if term.org_id != school_id:
            continue
        if term.start_date <= today < term.start_date + timedelta(weeks=term.weeks + 4):
            return term
    return None


def _attendance(actor: Actor, term: Any) -> dict[int, tuple[int, int]]:
    """Per class: lectures attended and lectures counted (leave left out) this term."""
    if term is None:
        return {}
    return {
        rates.class_unit.pk: (rates.total.attended, rates.total.sessions - rates.total.leave)
        for rates in attendance_by_class(actor=actor, term_id=term.pk)
    }


@dataclass
class _Sum:
    learners: int = 0
    active: int = 0
    statements: int = 0
    done: int = 0
    expected: int = 0
    attended: int = 0
    counted: int = 0
    warnings: int = 0

    def figures(self, label: str, org_id: int | None) -> Figures:
        return Figures(
            label=label,
            org_id=org_id,
            learners=self.learners,
            active=self.active,
            statements=self.statements,
            completion=self.done * 100 // self.expected if self.expected else None,
            attendance=(Decimal(100) * self.attended / self.counted).quantize(Decimal("0.1"))
            if self.counted
            else None,
            warnings=self.warnings,
        )


@dataclass(frozen=True)
class _Facts:
    learners: dict[int, str]
    recent: dict[int, int]
    done: dict[int, int]
    expected: dict[int, int]
    warnings: dict[int, int]
    attendance: dict[int, tuple[int, int]]


def _sum_of(facts: _Facts, user_ids: list[int], class_ids: set[int]) -> _Sum:
    total = _Sum(learners=len(user_ids))
    for pk in user_ids:
        total.active += 1 if facts.recent.get(pk) else 0
        total.statements += facts.recent.get(pk, 0)
        total.done += facts.done.get(pk, 0)
        total.expected += facts.expected.get(pk, 0)
        total.warnings += facts.warnings.get(pk, 0)
    for class_id in class_ids:
        attended, counted = facts.attendance.get(class_id, (0, 0))
        total.attended += attended
        total.counted += counted
    return total


def _course_rows(actor: Actor, org: OrgUnit, term: Any, facts: _Facts) -> list[Figures]:
    if term is None:
        return []
    by_class: dict[int, list[int]] = defaultdict(list)
    for pk, path in facts.learners.items():
        by_class[_class_of(path)].append(pk)
    tasks = list(teaching.task_list_for(actor=actor, term=term))
    chosen: dict[int, list[int]] = defaultdict(list)  # electives' selected learners (ADR 0766)
    for task_id, user_id in teaching.selection_pairs(task_ids=[t.pk for t in tasks]):
        if user_id in facts.learners:
            chosen[task_id].append(user_id)
    rows = []
    for task in tasks:
        class_ids = {c.pk for c in task.classes.all()}
        members = [pk for class_id in class_ids for pk in by_class.get(class_id, [])]
        members += [pk for pk in chosen.get(task.pk, []) if pk not in members]
        if not members:
            continue
        names = "、".join(c.name for c in task.classes.all())
        label = f"{task.course.name}（{names}）" if names else task.course.name
        rows.append(_sum_of(facts, members, class_ids).figures(label, task.pk))
    return rows


def org_dashboard(*, actor: Actor, org_id: int, today: date | None = None) -> OrgDashboard:
    org = org_for_analytics(actor=actor, org_id=org_id)
    today = today or timezone.localdate()
    learners = lrs.learners_under([org.path])
    schools = lrs.school_ids_of(org)
    mondays = lrs.weeks_back(WEEKS, today)
    weekly = lrs.learner_weeks(school_ids=schools, user_ids=list(learners), since=mondays[0])
    recent_from = mondays[-RECENT_WEEKS]
    recent: dict[int, int] = defaultdict(int)
    active_in: dict[date, set[int]] = defaultdict(set)
    statements_in: dict[date, int] = defaultdict(int)
    for row in weekly:
        active_in[row.week].add(row.user_id)
        statements_in[row.week] += row.statements
        if row.week >= recent_from:
            recent[row.user_id] += row.statements
    done, expected = _completion(learners)
    term = _current_term(actor, schools[0], today) if len(schools) == 1 else None
    facts = _Facts(
        learners=learners,
        recent=recent,
        done=done,
        expected=expected,
        warnings=lrs.open_warnings_by_learner(user_ids=list(learners)),
        attendance=_attendance(actor, term),
    )
    row_orgs = _row_orgs(org)
    members: dict[int, list[int]] = defaultdict(list)
    classes: dict[int, set[int]] = defaultdict(set)
    row_ids = {row.pk for row in row_orgs}
    for pk, path in learners.items():
        hit = next((int(p) for p in path.strip("/").split("/") if int(p) in row_ids), None)
        if hit is not None:
            members[hit].append(pk)
            classes[hit].add(_class_of(path))
    rows = [_sum_of(facts, members[o.pk], classes[o.pk]).figures(o.name, o.pk) for o in row_orgs]
    all_classes = {_class_of(path) for path in learners.values()}
    return OrgDashboard(
        org=org,
        row_kind=CHILD_KIND.get(org.kind, OrgKind.SCHOOL),
        rows=rows,
        total=_sum_of(facts, list(learners), all_classes).figures(org.name, org.pk),
        weeks=[(m, len(active_in[m]), statements_in[m]) for m in mondays],
        courses=_course_rows(actor, org, term, facts) if org.kind in CHILD_KIND else [],
        term=term,
    )
