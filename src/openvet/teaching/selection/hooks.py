"""Start-up registration of daily teaching (selection, attendance, grades, evaluation):
capabilities, navigation entries and workflow processes. Called from ``TeachingConfig.ready``.
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _


def register_daily_teaching() -> None:
    from openvet.core.roles import grant_capabilities
    from openvet.core.shell import NavItem, register_nav_item
    from openvet.teaching.selection.permissions import (
        DAILY_CAPABILITIES,
        TAKE_PART,
        TAKING_PART,
        VIEW_ATTENDANCE,
    )

    for role, capabilities in DAILY_CAPABILITIES.items():
        grant_capabilities(role, capabilities)
    for role in TAKING_PART:
        grant_capabilities(role, {TAKE_PART})
    for key, label, url_name, icon, order in (
        ("teaching-selection", _("Course selection"), "teaching:selection-home", "ui-checks", 32),
        ("teaching-attendance", _("Attendance"), "teaching:attendance-home", "person-check", 33),
        ("teaching-grades", _("Grades"), "teaching:grades-home", "mortarboard", 34),
        (
            "teaching-evaluation",
            _("Teaching evaluation"),
            "teaching:evaluation-home",
            "star-half",
            35,
        ),
    ):
        register_nav_item(
            NavItem(
                key=key,
                label=label,
                url_name=url_name,
                icon=icon,
                capability=TAKE_PART,
                order=order,
                section="teaching",
            )
        )
    register_nav_item(
        NavItem(
            key="teaching-attendance-rates",
            label=_("Attendance rates"),
            url_name="teaching:attendance-rates",
            icon="graph-up",
            capability=VIEW_ATTENDANCE,
            order=33,
            section="teaching",
        )
    )
    if apps.is_installed("openvet.workflow"):
        from openvet.teaching.attendance.services import register_process as register_leave
        from openvet.teaching.grades.services import register_processes as register_grades

        register_grades()
        register_leave()
