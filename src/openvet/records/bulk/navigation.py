"""Wiring of bulk import, export and data quality: capabilities, navigation, the task."""

from django.utils.translation import gettext_lazy as _

from openvet.core.roles import Role, grant_capabilities
from openvet.core.shell import NavItem, register_nav_item

QUALITY_CAPABILITY = "records.view_quality"


def register() -> None:
    # The task module is imported so that workers know ``records.run_import``.
    from openvet.records.bulk import tasks  # noqa: F401

    for role in (Role.SCHOOL_ADMIN, Role.REGIONAL_ADMIN, Role.PLATFORM_ADMIN):
        grant_capabilities(role, {QUALITY_CAPABILITY})
    register_nav_item(
        NavItem(
            key="records-import",
            label=_("Import from Excel"),
            url_name="records-bulk:import",
            icon="file-earmark-arrow-up",
            capability="records.add_student",
            order=23,
            section="records",
        )
    )
    register_nav_item(
        NavItem(
            key="records-quality",
            label=_("Data quality"),
            url_name="records-bulk:quality",
            icon="clipboard-check",
            capability=QUALITY_CAPABILITY,
            order=24,
            section="records",
        )
    )
