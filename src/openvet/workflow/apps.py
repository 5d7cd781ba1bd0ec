from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "openvet.workflow"
    label = "workflow"
    verbose_name = _("Approvals")

    def ready(self) -> None:
        from openvet.core.audit_words import register_change_words
        from openvet.core.roles import Role, grant_capabilities
        from openvet.core.shell import NavItem, register_nav_item
        from openvet.workflow.home import register

        register()
        from openvet.workflow.registry import process_kind

        def process_label(code: object) -> str | None:
            kind = process_kind(str(code))
            return str(kind.label) if kind is not None else None

        register_change_words("workflow.processinstance", "code", process_label)
        register_change_words("workflow.task", "decision", _decision_label)

        monitor = {
            "workflow.view_processinstance",
            "workflow.cancel_processinstance",
            "workflow.view_processdefinition",
            "workflow.change_processdefinition",
        }
        grant_capabilities(Role.SCHOOL_ADMIN, monitor)
        grant_capabilities(Role.PLATFORM_ADMIN, monitor)
        grant_capabilities(
            Role.REGIONAL_ADMIN,
            {"workflow.view_processinstance", "workflow.view_processdefinition"},
        )
        register_nav_item(
            NavItem(
                key="workflow-monitor",
                label=_("Process monitoring"),
                url_name="workflow:monitor",
                capability="workflow.view_processinstance",
                icon="diagram-3",
                order=61,
                section="approvals",
            )
        )
        register_nav_item(
            NavItem(
                key="workflow-definitions",
                label=_("Approval processes"),
                url_name="workflow:definition-list",
                capability="workflow.view_processdefinition",
                icon="signpost-split",
                order=62,
                section="approvals",
            )
        )


def _decision_label(value: object) -> str | None:
    from openvet.workflow.models import Decision

    return str(Decision(str(value)).label) if value in Decision.values else None
