from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LrsConfig(AppConfig):
    name = "openvet.lrs"
    label = "lrs"
    verbose_name = _("Learning records")

    def ready(self) -> None:
        from openvet.core.roles import Role, grant_capabilities
        from openvet.core.shell import NavItem, register_nav_item

        administration = {
            "lrs.view_client",
            "lrs.add_client",
            "lrs.change_upstream",
            "lrs.change_warningrule",
            "lrs.change_schoolretention",
        }
        grant_capabilities(Role.SCHOOL_ADMIN, administration)
        grant_capabilities(Role.PLATFORM_ADMIN, administration)
        # The monthly statement tables of the whole platform (ADR 0425).
        grant_capabilities(Role.PLATFORM_ADMIN, {"lrs.manage_statement_partitions"})
        grant_capabilities(Role.COUNSELLOR, {"lrs.view_learner_statements"})
        # Learning analytics of a subtree (ADR 0410): a department head sees their department.
        for role in (
            Role.SCHOOL_ADMIN,
            Role.DEPARTMENT_HEAD,
            Role.REGIONAL_ADMIN,
            Role.PLATFORM_ADMIN,
        ):
            grant_capabilities(role, {"lrs.view_learning_analytics"})
        register_nav_item(
            NavItem(
                key="lrs-clients",
                label=_("Learning record clients"),
                url_name="lrs:client-list",
                capability="lrs.view_client",
                icon="broadcast",
                order=88,
                section="administration",
            )
        )
        register_nav_item(
            NavItem(
                key="lrs-warnings",
                label=_("Early warnings"),
                url_name="lrs:warning-list",
                capability="lrs.view_learner_statements",
                icon="exclamation-triangle",
                order=61,
                section="records",
            )
        )
        register_nav_item(
            NavItem(
                key="lrs-my-warnings",
                label=_("My academic warnings"),
                url_name="lrs:warning-list",
                capability="core.view_dashboard_student",
                icon="exclamation-triangle",
                order=61,
                section="records",
            )
        )
        register_nav_item(
            NavItem(
                key="lrs-warning-rules",
                label=_("Early-warning rules"),
                url_name="lrs:warning-rules",
                capability="lrs.change_warningrule",
                icon="sliders",
                order=89,
                section="administration",
            )
        )
        register_nav_item(
            NavItem(
                key="lrs-retention",
                label=_("Learning record retention"),
                url_name="lrs:retention-list",
                capability="lrs.change_schoolretention",
                icon="hourglass-split",
                order=90,
                section="administration",
            )
        )
        register_nav_item(
            NavItem(
                key="lrs-my-statements",
                label=_("My learning records"),
                url_name="lrs:my-statements",
                capability="core.view_dashboard_student",
                icon="journal-text",
                order=60,
                section="records",
            )
        )
