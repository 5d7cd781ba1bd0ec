from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class TeachingConfig(AppConfig):
    name = "openvet.teaching"
    label = "teaching"
    verbose_name = _("Teaching")

    def ready(self) -> None:
        from openvet.core.roles import grant_capabilities
        from openvet.core.shell import NavItem, register_nav_item
        from openvet.teaching.permissions import ROLE_CAPABILITIES

        for role, capabilities in ROLE_CAPABILITIES.items():
            grant_capabilities(role, capabilities)
        register_nav_item(
            NavItem(
                key="teaching-timetable",
                label=_("My timetable"),
                url_name="teaching:my-timetable",
                icon="calendar-week",
                capability="teaching.use_dailyteaching",
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
        if apps.is_installed("openvet.workflow"):
            from openvet.teaching.services.adjustments import register_process

            register_process()
        from openvet.teaching.selection.hooks import register_daily_teaching
        from openvet.teaching.today import register as register_today

        register_daily_teaching()
        register_today()
