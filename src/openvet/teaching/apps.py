from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeachingConfig(AppConfig):
    """Wiring through other apps' public APIs: capabilities of the roles, navigation entries
    and the workflow processes teaching owns."""

    name = "openvet.teaching"
    label = "teaching"
    verbose_name = _("Teaching")

    def ready(self) -> None:
        from openvet.teaching.oneroster import register as register_oneroster
        from openvet.teaching.processes import register_processes

        _grant_capabilities()
        _register_navigation()
        from openvet.teaching.today import register as register_today

        register_processes()
        register_oneroster()
        register_today()
        _register_learner_source()


def _register_learner_source() -> None:
    from openvet.lrs.services import ABSENCES, learner_source_register, warning_facts_register
    from openvet.teaching.attendance.selectors import absences_by_account
    from openvet.teaching.students import learner_user_ids_taught_by

    learner_source_register(name="teaching", source=learner_user_ids_taught_by)
    warning_facts_register(name=ABSENCES, source=absences_by_account)


def _grant_capabilities() -> None:
    from openvet.core.roles import grant_capabilities
    from openvet.teaching.capabilities import DAILY_CAPABILITIES, TAKE_PART, TAKING_PART
    from openvet.teaching.permissions import ROLE_CAPABILITIES

    for granted in (ROLE_CAPABILITIES, DAILY_CAPABILITIES):
        for role, capabilities in granted.items():
            grant_capabilities(role, capabilities)
    for role in TAKING_PART:
        grant_capabilities(role, {TAKE_PART})


def _register_navigation() -> None:
    from openvet.core.shell import NavItem, register_nav_item
    from openvet.teaching.capabilities import TAKE_PART, VIEW_ATTENDANCE

    register_nav_item(
        NavItem(
            key="teaching-timetable",
            label=_("My timetable"),
            url_name="teaching:my-timetable",
            icon="calendar-week",
            capability=TAKE_PART,
            order=30,
            section="teaching",
        )
    )
    register_nav_item(
        NavItem(
            key="teaching-terms",
            label=_("Teaching"),
            url_name="teaching:term-list",
            icon="journal-bookmark",
            capability="teaching.view_term",
            order=31,
            section="teaching",
        )
    )
    daily = (
        ("selection", _("Course selection"), "ui-checks", 32),
        ("attendance", _("Attendance"), "person-check", 33),
        ("grades", _("Grades"), "mortarboard", 34),
        ("evaluation", _("Teaching evaluation"), "star-half", 35),
    )
    for area, label, icon, order in daily:
        register_nav_item(
            NavItem(
                key=f"teaching-{area}",
                label=label,
                url_name=f"teaching:{area}-home",
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
