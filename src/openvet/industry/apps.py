from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndustryConfig(AppConfig):
    """Wiring through other apps' public APIs: capabilities of the roles and navigation."""

    name = "openvet.industry"
    label = "industry"
    verbose_name = _("School–enterprise cooperation")

    def ready(self) -> None:
        from openvet.core.roles import grant_capabilities
        from openvet.industry.permissions import ROLE_CAPABILITIES
        from openvet.industry.permissions_cooperation import COOPERATION_CAPABILITIES
        from openvet.industry.processes import register_processes

        for role, capabilities in ROLE_CAPABILITIES.items():
            grant_capabilities(role, capabilities)
        for role, capabilities in COOPERATION_CAPABILITIES.items():
            grant_capabilities(role, capabilities)
        _register_navigation()
        _register_cooperation_navigation()
        register_processes()


def _register_navigation() -> None:
    from openvet.core.shell import NavItem, NavSection, register_nav_item, register_nav_section
    from openvet.industry import permissions

    register_nav_section(NavSection("industry", _("Enterprises and internships"), "building", 40))

    entries = (
        (
            "enterprises",
            _("Partner enterprises"),
            "industry:enterprise-list",
            "building",
            permissions.VIEW_ENTERPRISE,
            60,
        ),
        (
            "standards",
            _("Job-skill standards"),
            "industry:standard-list",
            "clipboard-check",
            permissions.VIEW_STANDARD,
            60,
        ),
        (
            "placements",
            _("Internships"),
            "industry:placement-list",
            "briefcase",
            permissions.VIEW_PLACEMENT,
            61,
        ),
        ("mentoring", _("My interns"), "industry:placement-list", "people", permissions.MENTOR, 61),
        (
            "my-internship",
            _("My internship"),
            "industry:my-internship",
            "geo-alt",
            permissions.CHECK_IN,
            62,
        ),
        (
            "alerts",
            _("Internship alerts"),
            "industry:alert-list",
            "exclamation-triangle",
            permissions.VIEW_PLACEMENT,
            61,
        ),
        (
            "mentor-alerts",
            _("Alerts of my interns"),
            "industry:alert-list",
            "exclamation-triangle",
            permissions.MENTOR,
            61,
        ),
        (
            "employment",
            _("Graduate employment"),
            "industry:employment",
            "bar-chart",
            permissions.VIEW_EMPLOYMENT,
            63,
        ),
        (
            "surveys",
            _("Graduate surveys"),
            "industry:survey-list",
            "ui-checks",
            permissions.VIEW_SURVEY,
            63,
        ),
        # Graduates and employers' mentors answer from the same page (ADR 0623).
        (
            "my-surveys",
            _("My surveys"),
            "industry:survey-list",
            "ui-checks",
            permissions.CHECK_IN,
            62,
        ),
        (
            "mentor-surveys",
            _("Surveys of our graduates"),
            "industry:survey-list",
            "ui-checks",
            permissions.CHANGE_ENTERPRISE,
            62,
        ),
    )
    for key, label, url_name, icon, capability, order in entries:
        register_nav_item(
            NavItem(
                key=f"industry-{key}",
                label=label,
                url_name=url_name,
                icon=icon,
                capability=capability,
                order=order,
                section="industry",
            )
        )


def _register_cooperation_navigation() -> None:
    from openvet.core.shell import NavItem, register_nav_item
    from openvet.industry import permissions_cooperation as perms

    entries = (
        ("demand", _("Talent demand"), "industry:demand-list", "people", perms.VIEW_DEMAND, 60),
        (
            "projects",
            _("Cooperation projects"),
            "industry:project-list",
            "diagram-3",
            perms.VIEW_PROJECT,
            60,
        ),
        ("cases", _("Innovation cases"), "industry:case-list", "lightbulb", perms.VIEW_CASE, 63),
    )
    for key, label, url_name, icon, capability, order in entries:
        register_nav_item(
            NavItem(
                key=f"industry-{key}",
                label=label,
                url_name=url_name,
                icon=icon,
                capability=capability,
                order=order,
                section="industry",
            )
        )
