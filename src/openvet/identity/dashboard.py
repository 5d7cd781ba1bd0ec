"""Home-dashboard panels that count people: users hold roles on org nodes.

A person is counted where they hold a role (``RoleAssignment.org``), so a student belongs to
the class they are enrolled in. Each panel reads its figures with a fixed number of aggregate
queries (GROUP BY), never one query per row.
"""

from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core import policy, selectors, shell
from openvet.core.dashboard import (
    GENERIC_TEMPLATE,
    bar_chart,
    chart,
    local_midnight,
    pie_chart,
    within,
)
from openvet.core.models import AuditAction, AuditEntry, OrgKind, OrgUnit
from openvet.core.roles import Role
from openvet.core.shell import (
    DashboardPanel,
    SchoolPanel,
    register_dashboard_panel,
    register_school_panel,
)
from openvet.identity.models import RoleAssignment, User

STAFF_ROLES = (
    Role.SCHOOL_ADMIN,
    Role.DEPARTMENT_HEAD,
    Role.TEACHER,
    Role.COUNSELLOR,
    Role.SECURITY_ADMIN,
    Role.AUDIT_ADMIN,
)
# Above this many classes a chart per class is unreadable on a phone: chart per grade instead.
MAX_CLASS_BARS = 16


def _gender_label(code: str) -> str:
    # GB/T 2261.1: 1 male, 2 female.
    return {"1": _("Male"), "2": _("Female")}.get(code, _("Not stated"))


def _students() -> Any:
    return RoleAssignment.objects.filter(role=Role.STUDENT)


# -- student --------------------------------------------------------------------------------


def build_student(user: Any) -> dict[str, Any] | None:
    grant = next((g for g in policy.current_grants(user) if g.role == Role.STUDENT), None)
    if grant is None:
        return None
    placed = OrgUnit.objects.filter(pk=grant.org_id).first()
    if placed is None:
        return None
    chain = [*selectors.org_ancestors(placed)]
    if placed.pk not in {org.pk for org in chain}:
        chain.append(placed)
    by_kind = {org.kind: org for org in chain}
    on_roll = _students_in([placed.path])
    classmates = on_roll[0] if on_roll is not None else _accounts_in(placed)
    facts = [
        {"label": label, "value": by_kind[kind].name}
        for kind, label in (
            (OrgKind.CLASS, _("Class")),
            (OrgKind.MAJOR, _("Major")),
            (OrgKind.DEPARTMENT, _("Department")),
            (OrgKind.SCHOOL, _("School")),
        )
        if kind in by_kind
    ]
    # No charts of classmates (a gender split of one class says nothing a student needs).
    return {
        "title": _("My class"),
        "icon": "people",
        "facts": facts,
        "stats": [{"label": _("Classmates"), "value": max(classmates - 1, 0)}],
    }


def _accounts_in(org: OrgUnit) -> int:
    return int(_students().filter(org=org).values("user").distinct().count())


def _students_in(paths: list[str]) -> list[int] | None:
    """Students on roll in each subtree, as the records app counts them (None without it)."""
    return shell.headcounts("students", paths)


def _staff_in(paths: list[str]) -> list[int] | None:
    """Staff employed in each subtree, as the records app counts them (None without it)."""
    return shell.headcounts("staff", paths)


def _outermost(paths: list[str]) -> list[str]:
    """``paths`` without those inside another one, so that their counts add up exactly."""
    return [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]


# -- teachers, department heads, counsellors ------------------------------------------------


def _places_name(user: Any, places: list[OrgUnit]) -> str:
    """The department a counsellor's classes belong to, rather than a list of classes."""
    home = getattr(user, "home_org", None)
    if home is not None and places and all(p.path.startswith(home.path) for p in places):
        return str(home.name)
    return ", ".join(org.name for org in places)


def build_teaching(user: Any) -> dict[str, Any] | None:
    paths = policy.capability_paths(user, "core.view_dashboard_teacher")
    places = list(OrgUnit.objects.filter(path__in=paths).order_by("path"))
    per_class = (
        _students()
        .filter(org_id=OuterRef("pk"))
        .values("org_id")
        .annotate(total=Count("user", distinct=True))
        .values("total")
    )
    classes = list(
        OrgUnit.objects.active()
        .filter(within(paths), kind=OrgKind.CLASS)
        .annotate(students=Coalesce(Subquery(per_class, output_field=IntegerField()), 0))
        .order_by("grade_year", "name")
        .values("name", "grade_year", "students", "path")
    )
    on_roll = _students_in([row["path"] for row in classes])
    if on_roll is not None:
        for row, count in zip(classes, on_roll, strict=True):
            row["students"] = count
    students = sum(row["students"] for row in classes)
    if len(classes) <= MAX_CLASS_BARS:
        figure = bar_chart(
            [row["name"] for row in classes],
            [row["students"] for row in classes],
            series=_("Students"),
        )
        title = _("Students per class")
    else:
        grades: dict[str, int] = {}
        for row in classes:
            grade = str(row["grade_year"] or "?")
            grades[grade] = grades.get(grade, 0) + row["students"]
        figure = bar_chart(list(grades), list(grades.values()), series=_("Students"))
        title = _("Students per grade")
    return {
        "title": _("My department"),
        "icon": "easel",
        "subtitle": _places_name(user, places),
        "stats": [
            {"label": _("Students"), "value": students},
            {"label": _("Classes"), "value": len(classes)},
        ],
        "charts": [chart("teaching-classes", title, figure)] if classes else [],
    }


# -- school administrators and evaluators ---------------------------------------------------


def build_school_people(user: Any) -> dict[str, Any] | None:
    return school_people(_outermost(policy.capability_paths(user, "core.view_dashboard_school")))


def school_people(paths: list[str]) -> dict[str, Any]:
    """The people panel of the subtrees ``paths`` (a school administrator's, or one school of
    a region opened from the regional overview)."""
    scoped = RoleAssignment.objects.filter(within(paths, "org__path"))
    month_start = timezone.localdate().replace(day=1)
    created = User.objects.filter(
        within(paths, "home_org__path"),
        date_joined__gte=local_midnight(month_start),
    ).count()
    departments, grades = _students_per_department_and_grade(paths, scoped)
    charts = []
    if departments:
        charts.append(
            chart(
                "school-departments",
                _("Students per department"),
                bar_chart(
                    [name or "?" for name, _total in departments],
                    [total for _name, total in departments],
                    series=_("Students"),
                ),
            )
        )
    if grades:
        charts.append(
            chart(
                "school-grades",
                _("Students per grade"),
                pie_chart(
                    [
                        (_("Grade %(year)s") % {"year": year or "?"}, total)
                        for year, total in grades
                    ],
                    series=_("Students"),
                ),
            )
        )
    students, staff = _head_counts(paths, scoped)
    return {
        "title": _("People"),
        "icon": "person-badge",
        "stats": [
            {"label": _("Students"), "value": students},
            {"label": _("Staff"), "value": staff},
            {"label": _("Accounts created this month"), "value": created},
        ],
        "charts": charts,
    }


def _head_counts(paths: list[str], scoped: Any) -> tuple[int, int]:
    """Students on roll and staff employed, as the records app counts them; without it, the
    accounts holding a student or a staff role (read only then)."""
    on_roll, employed = _students_in(paths), _staff_in(paths)
    if on_roll is not None and employed is not None:
        return sum(on_roll), sum(employed)
    totals = scoped.aggregate(
        students=Count("user", distinct=True, filter=Q(role=Role.STUDENT)),
        staff=Count("user", distinct=True, filter=Q(role__in=STAFF_ROLES)),
    )
    students = sum(on_roll) if on_roll is not None else totals["students"]
    staff = sum(employed) if employed is not None else totals["staff"]
    return students, staff


def _students_per_department_and_grade(
    paths: list[str], scoped: Any
) -> tuple[list[tuple[str, int]], list[tuple[Any, int]]]:
    """Students in classes per department and per grade: records on roll when the records
    app counts them, else student accounts."""
    classes = list(
        OrgUnit.objects.filter(within(paths), kind=OrgKind.CLASS).values(
            "path", "grade_year", "parent__parent__name"
        )
    )
    on_roll = _students_in([row["path"] for row in classes])
    if on_roll is None:
        in_classes = scoped.filter(role=Role.STUDENT, org__kind=OrgKind.CLASS)
        pairs = [
            (row["org__parent__parent__name"], row["org__grade_year"], row["total"])
            for row in in_classes.values("org__parent__parent__name", "org__grade_year")
            .annotate(total=Count("user", distinct=True))
            .order_by()
        ]
    else:
        pairs = [
            (row["parent__parent__name"], row["grade_year"], count)
            for row, count in zip(classes, on_roll, strict=True)
        ]
    departments: dict[str, int] = {}
    grades: dict[Any, int] = {}
    for department, grade, total in pairs:
        if total:
            departments[department or ""] = departments.get(department or "", 0) + total
            grades[grade] = grades.get(grade, 0) + total
    return sorted(departments.items()), sorted(grades.items(), key=lambda item: item[0] or 0)


# -- regional and platform administrators ---------------------------------------------------


def _school_of_path(path: str, schools: dict[str, OrgUnit]) -> OrgUnit | None:
    # A path is "/00000001/00000002/...": try each ancestor prefix, shortest first.
    end = path.find("/", 1)
    while end != -1:
        school = schools.get(path[: end + 1])
        if school is not None:
            return school
        end = path.find("/", end + 1)
    return None


def build_region(user: Any) -> dict[str, Any] | None:
    paths = policy.capability_paths(user, "core.view_dashboard_region")
    schools = {
        org.path: org
        for org in OrgUnit.objects.filter(within(paths), kind=OrgKind.SCHOOL).order_by("path")
    }
    figures: dict[int, dict[str, Any]] = {
        org.pk: {"school": org, "students": 0, "staff": 0, "majors": 0} for org in schools.values()
    }
    people = (
        RoleAssignment.objects.filter(within(paths, "org__path"))
        .filter(Q(role=Role.STUDENT) | Q(role__in=STAFF_ROLES))
        .values("org__path", "role")
        .annotate(total=Count("user", distinct=True))
        .order_by()
    )
    for row in people:
        school = _school_of_path(row["org__path"], schools)
        if school is not None:
            key = "students" if row["role"] == Role.STUDENT else "staff"
            figures[school.pk][key] += row["total"]
    for key, counts in (
        ("students", _students_in(list(schools))),
        ("staff", _staff_in(list(schools))),
    ):
        if counts is not None:
            for school, count in zip(schools.values(), counts, strict=True):
                figures[school.pk][key] = count
    majors = (
        OrgUnit.objects.filter(within(paths), kind=OrgKind.MAJOR)
        .values("parent__parent_id")
        .annotate(total=Count("id"))
        .order_by()
    )
    for row in majors:
        if row["parent__parent_id"] in figures:
            figures[row["parent__parent_id"]]["majors"] = row["total"]
    rows = sorted(figures.values(), key=lambda row: (-row["students"], row["school"].name))
    return {
        "title": _("Schools in my region"),
        "icon": "bank",
        "stats": [
            {"label": _("Schools"), "value": len(rows)},
            {"label": _("Students"), "value": sum(row["students"] for row in rows)},
            {"label": _("Staff"), "value": sum(row["staff"] for row in rows)},
        ],
        "table": {
            "headings": [_("School"), _("Students"), _("Staff"), _("Majors")],
            "rows": [
                [
                    {
                        "text": row["school"].name,
                        "url": reverse("core:school-overview", args=[row["school"].pk]),
                    },
                    row["students"],
                    row["staff"],
                    row["majors"],
                ]
                for row in rows
            ],
        },
        "charts": [
            chart(
                "region-schools",
                _("Students per school"),
                bar_chart(
                    [row["school"].name for row in rows[:20]],
                    [row["students"] for row in rows[:20]],
                    series=_("Students"),
                ),
            )
        ]
        if rows
        else [],
    }


# -- security administrators ----------------------------------------------------------------


def build_security(user: Any) -> dict[str, Any] | None:
    paths = policy.capability_paths(user, "identity.view_security")
    now = timezone.now()
    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=now - settings.AXES_COOLOFF_TIME,
    )
    if not _at_nation_root(paths):
        usernames = User.objects.filter(within(paths, "home_org__path")).values("username")
        attempts = attempts.filter(username__in=Subquery(usernames))
    locked = attempts.count()
    failed_today = AuditEntry.objects.filter(
        within(paths, "org_path"),
        action=AuditAction.LOGIN_FAILED,
        at__gte=local_midnight(timezone.localdate()),
    ).count()
    return {
        "title": _("Sign-in security"),
        "icon": "shield-lock",
        "stats": [
            {"label": _("Active lockouts"), "value": locked},
            {"label": _("Failed sign-ins today"), "value": failed_today},
        ],
    }


def _at_nation_root(paths: list[str]) -> bool:
    return OrgUnit.objects.filter(path__in=paths, kind=OrgKind.NATION).exists()


def register() -> None:
    for panel in (
        DashboardPanel(
            key="identity.student",
            template=GENERIC_TEMPLATE,
            capability="core.view_dashboard_student",
            build=build_student,
            order=10,
        ),
        DashboardPanel(
            key="identity.teaching",
            template=GENERIC_TEMPLATE,
            capability="core.view_dashboard_teacher",
            build=build_teaching,
            order=10,
        ),
        DashboardPanel(
            key="identity.school_people",
            template=GENERIC_TEMPLATE,
            capability="core.view_dashboard_school",
            build=build_school_people,
            order=21,
        ),
        DashboardPanel(
            key="identity.region",
            template=GENERIC_TEMPLATE,
            capability="core.view_dashboard_region",
            build=build_region,
            order=15,
        ),
        DashboardPanel(
            key="identity.security",
            template=GENERIC_TEMPLATE,
            capability="identity.view_security",
            build=build_security,
            order=50,
        ),
    ):
        register_dashboard_panel(panel)
    register_school_panel(
        SchoolPanel(
            key="identity.school_people",
            template=GENERIC_TEMPLATE,
            build=lambda school: school_people([school.path]),
            order=21,
        )
    )
