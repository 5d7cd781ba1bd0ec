from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """Wiring through other apps' public APIs: capabilities of the roles, navigation entries
    and the approval process records owns."""

    name = "openvet.records"
    label = "records"
    verbose_name = _("Student and staff records")

    def ready(self) -> None:
        # The task module is imported so that workers know ``records.run_import``.
        from openvet.records.bulk import tasks  # noqa: F401

        _grant_capabilities()
        _register_navigation()
        _register_processes()
        _register_headcount()
        _register_change_words()


_VIEW = {"records.view_student", "records.view_staff"}
_MANAGE = {
    *_VIEW,
    "records.add_student",
    "records.change_student",
    "records.add_staff",
    "records.change_staff",
    "records.apply_statuschange",
    "records.change_majorintakeplan",
    "records.change_dualqualificationrule",
}


def _grant_capabilities() -> None:
    from openvet.core.roles import Role, grant_capabilities
    from openvet.records.permissions import QUALITY_CAPABILITY

    grant_capabilities(Role.SCHOOL_ADMIN, _MANAGE)
    grant_capabilities(Role.PLATFORM_ADMIN, _VIEW)
    grant_capabilities(Role.REGIONAL_ADMIN, _VIEW)
    grant_capabilities(Role.DEPARTMENT_HEAD, {*_VIEW, "records.apply_statuschange"})
    grant_capabilities(
        Role.COUNSELLOR,
        {"records.view_student", "records.change_student", "records.apply_statuschange"},
    )
    for role in (Role.SCHOOL_ADMIN, Role.REGIONAL_ADMIN, Role.PLATFORM_ADMIN):
        grant_capabilities(role, {QUALITY_CAPABILITY})


def _register_processes() -> None:
    from openvet.records.services.change_facts import describe_status_changes
    from openvet.records.services.changes import (
        DEFAULT_STEPS,
        PROCESS_CODE,
        detail_url,
        on_process_outcome,
    )
    from openvet.workflow.contracts import ProcessKind
    from openvet.workflow.services import process_register

    process_register(
        ProcessKind(
            code=PROCESS_CODE,
            label=_("Student status change"),
            default_steps=DEFAULT_STEPS,
            on_outcome=on_process_outcome,
            detail_url=detail_url,
            describe=describe_status_changes,
        )
    )


def _register_headcount() -> None:
    from openvet.records.headcount import register

    register()


def _register_change_words() -> None:
    from openvet.records.presenters import register_change_words_of_records

    register_change_words_of_records()


def _register_navigation() -> None:
    from openvet.core.shell import NavItem, register_nav_item
    from openvet.records.permissions import QUALITY_CAPABILITY

    register_nav_item(
        NavItem(
            key="records-students",
            label=_("Students"),
            url_name="records:student-list",
            icon="people",
            capability="records.view_student",
            order=20,
            section="records",
        )
    )
    register_nav_item(
        NavItem(
            key="records-staff",
            label=_("Staff"),
            url_name="records:staff-list",
            icon="person-badge",
            capability="records.view_staff",
            order=21,
            section="records",
        )
    )
    register_nav_item(
        NavItem(
            key="records-me",
            label=_("My student record"),
            url_name="records:my-record",
            icon="person-vcard",
            capability="core.view_dashboard_student",
            order=22,
            section="records",
        )
    )
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
