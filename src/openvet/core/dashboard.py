"""Home-dashboard panels built from core's own tables: the org tree and the audit log.

Panels that count people live in ``identity.dashboard``: core knows no accounts. Each panel
reads its figures with one aggregate query (GROUP BY), never one query per row. The chart
helpers here are public so that other apps draw their charts the same way.
"""

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openvet.core import policy, selectors
from openvet.core.models import AuditAction, OrgKind, OrgUnit
from openvet.core.shell import (
    DashboardPanel,
    NavItem,
    NavSection,
    SchoolPanel,
    register_dashboard_panel,
    register_nav_item,
    register_nav_section,
    register_school_panel,
)

GENERIC_TEMPLATE = "core/panels/_generic.html"


def within(paths: Sequence[str], field: str = "path") -> Q:
    """Rows whose ``field`` lies in one of the subtrees ``paths`` (nothing when empty)."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def local_midnight(day: date) -> datetime:
    """The start of ``day`` in the platform's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def bar_chart(
    labels: Sequence[str], values: Sequence[int], *, series: str | Promise = ""
) -> dict[str, Any]:
    """An ECharts option for a bar chart of counts, readable on a phone."""
    many = len(labels) > 6
    return {
        "tooltip": {"trigger": "axis"},
        # Rotated labels reach left of the first bar: leave them room on narrow screens.
        "grid": {
            "left": 48 if many else 8,
            "right": 8,
            "top": 24,
            "bottom": 8,
            "containLabel": True,
        },
        "xAxis": {
            "type": "category",
            "data": [str(label) for label in labels],
            # Upright names break onto a second line rather than hide each other on a phone
            # ("信息技术学院" is wider than a quarter of a phone's chart).
            "axisLabel": {"rotate": 40, "interval": 0, "hideOverlap": True}
            if many
            else {
                "interval": 0,
                "hideOverlap": True,
                "width": 52,
                "overflow": "break",
                "lineHeight": 14,
            },
        },
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "type": "bar",
                "name": str(series),
                "data": list(values),
                "barMaxWidth": 36,
                "label": {"show": not many, "position": "top"},
            }
        ],
    }


def pie_chart(items: Sequence[tuple[str, int]], *, series: str | Promise = "") -> dict[str, Any]:
    """An ECharts option for a doughnut of shares."""
    return {
        "tooltip": {"trigger": "item", "formatter": "{b}: {c} ({d}%)"},
        "legend": {"bottom": 0, "type": "scroll"},
        "series": [
            {
                "type": "pie",
                "name": str(series),
                "radius": ["38%", "66%"],
                "center": ["50%", "45%"],
                "avoidLabelOverlap": True,
                # Counts on the ring, names in the legend: a label outside the ring is cut
                # off at the edge of a phone's chart.
                "label": {"position": "inside", "formatter": "{c}"},
                "data": [{"name": str(name), "value": value} for name, value in items],
            }
        ],
    }


def chart(key: str, title: str | Promise, option: dict[str, Any]) -> dict[str, Any]:
    return {"id": f"chart-{key}", "title": title, "option": option}


# -- school overview (school administrators, evaluators) -------------------------------------


_COUNTED_KINDS = (OrgKind.SCHOOL, OrgKind.DEPARTMENT, OrgKind.MAJOR, OrgKind.CLASS)


def build_school_overview(user: Any) -> dict[str, Any] | None:
    return org_overview(policy.capability_paths(user, "core.view_dashboard_school"))


def org_overview(paths: list[str]) -> dict[str, Any]:
    """Departments, majors and classes in the subtrees ``paths`` (schools when several)."""
    rows = (
        OrgUnit.objects.active()
        .filter(within(paths), kind__in=_COUNTED_KINDS)
        .values("kind")
        .annotate(total=Count("id"))
        .order_by()
    )
    counts = {row["kind"]: row["total"] for row in rows}
    labels = {
        OrgKind.SCHOOL: _("Schools"),
        OrgKind.DEPARTMENT: _("Departments"),
        OrgKind.MAJOR: _("Majors"),
        OrgKind.CLASS: _("Classes"),
    }
    shown = [kind for kind in _COUNTED_KINDS if kind != OrgKind.SCHOOL or counts.get(kind, 0) > 1]
    return {
        "title": _("Organisation overview"),
        "icon": "diagram-3",
        "stats": [{"label": labels[kind], "value": counts.get(kind, 0)} for kind in shown],
    }


# -- audit (audit administrators) -----------------------------------------------------------


def build_audit_overview(user: Any) -> dict[str, Any] | None:
    today = timezone.localdate()
    first_day = today - timedelta(days=6)
    rows = (
        selectors.audit_list_for(actor=user, date_from=first_day)
        .annotate(day=TruncDate("at"))
        .values("day")
        .annotate(total=Count("id"), failed=Count("id", filter=Q(action=AuditAction.LOGIN_FAILED)))
        .order_by("day")
    )
    by_day = {row["day"]: row for row in rows}
    days = [first_day + timedelta(days=n) for n in range(7)]
    failed = [by_day[day]["failed"] if day in by_day else 0 for day in days]
    return {
        "title": _("Audit log"),
        "icon": "journal-text",
        "stats": [
            {"label": _("Entries today"), "value": by_day.get(today, {}).get("total", 0)},
            {"label": _("Failed sign-ins today"), "value": failed[-1]},
            {"label": _("Failed sign-ins, last 7 days"), "value": sum(failed)},
        ],
        "charts": [
            chart(
                "audit-failed",
                _("Failed sign-ins, last 7 days"),
                bar_chart(
                    [day.strftime("%m-%d") for day in days], failed, series=_("Failed sign-ins")
                ),
            )
        ],
        "link": {"url_name": "core:audit-list", "label": _("Open the audit log")},
    }


# -- enterprise mentors ---------------------------------------------------------------------


def build_mentor_overview(user: Any) -> dict[str, Any] | None:
    paths = policy.capability_paths(user, "core.view_dashboard_mentor")
    enterprises = list(
        OrgUnit.objects.filter(path__in=paths).select_related("parent").order_by("name")
    )
    if not enterprises:
        return None
    return {
        "title": _("My enterprise"),
        "icon": "building",
        "facts": [
            {
                "label": org.get_kind_display(),
                "value": org.name,
                "detail": " · ".join(part for part in (org.code, str(org.parent or "")) if part),
            }
            for org in enterprises
        ],
    }


# The areas of the platform (DESIGN.md's modules, as users name them). An app's entry joins
# one with ``NavItem.section``; modules still to come add their own sections.
NAV_SECTIONS = (
    NavSection("records", gettext_lazy("Students and staff"), "people", order=20),
    NavSection("teaching", gettext_lazy("Teaching"), "journal-bookmark", order=30),
    NavSection("approvals", gettext_lazy("Approvals"), "check2-square", order=60),
    NavSection("administration", gettext_lazy("Administration"), "gear", order=70),
)


def register() -> None:
    """Core's entries in the shell: the navigation's sections, its pages and home panels."""
    for section in NAV_SECTIONS:
        register_nav_section(section)
    register_nav_item(
        NavItem(
            key="orgs",
            label=gettext_lazy("Organisations"),
            url_name="core:org-list",
            icon="diagram-3",
            capability="core.view_orgunit",
            order=70,
            section="administration",
        )
    )
    register_nav_item(
        NavItem(
            key="audit",
            label=gettext_lazy("Audit log"),
            url_name="core:audit-list",
            icon="journal-text",
            capability="core.view_auditentry",
            order=90,
            section="administration",
        )
    )
    for panel in (
        DashboardPanel(
            key="core.school_overview",
            template=GENERIC_TEMPLATE,
            capability="core.view_dashboard_school",
            build=build_school_overview,
            order=20,
        ),
        DashboardPanel(
            key="core.audit",
            template=GENERIC_TEMPLATE,
            capability="core.view_auditentry",
            build=build_audit_overview,
            order=60,
        ),
        DashboardPanel(
            key="core.mentor",
            template=GENERIC_TEMPLATE,
            capability="core.view_dashboard_mentor",
            build=build_mentor_overview,
            order=30,
        ),
    ):
        register_dashboard_panel(panel)
    register_school_panel(
        SchoolPanel(
            key="core.school_overview",
            template=GENERIC_TEMPLATE,
            build=lambda school: org_overview([school.path]),
            order=20,
        )
    )
