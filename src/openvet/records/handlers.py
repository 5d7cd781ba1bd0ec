"""Wiring: capabilities of records' roles, navigation, and the approval process it owns."""

from django.utils.translation import gettext_lazy as _

from openvet.core.roles import Role, grant_capabilities
from openvet.core.shell import NavItem, register_nav_item
from openvet.records.services.change_facts import describe_status_changes
from openvet.records.services.changes import (
    DEFAULT_STEPS,
    PROCESS_CODE,
    detail_url,
    on_process_outcome,
)
from openvet.workflow.contracts import ProcessKind
from openvet.workflow.services import process_register

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


def connect() -> None:
    grant_capabilities(Role.SCHOOL_ADMIN, _MANAGE)
    grant_capabilities(Role.PLATFORM_ADMIN, _VIEW)
    grant_capabilities(Role.REGIONAL_ADMIN, _VIEW)
    grant_capabilities(Role.DEPARTMENT_HEAD, {*_VIEW, "records.apply_statuschange"})
    grant_capabilities(
        Role.COUNSELLOR,
        {"records.view_student", "records.change_student", "records.apply_statuschange"},
    )
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
