from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    """Wiring through other apps' public APIs: capabilities of the roles and navigation."""

    name = "openvet.learning"
    label = "learning"
    verbose_name = _("Online learning")

    def ready(self) -> None:
        from openvet.core.roles import grant_capabilities
        from openvet.learning import panels
        from openvet.learning.permissions import ROLE_CAPABILITIES

        for role, capabilities in ROLE_CAPABILITIES.items():
            grant_capabilities(role, capabilities)
        _register_navigation()
        panels.register()


def _register_navigation() -> None:
    from openvet.core.shell import NavItem, NavSection, register_nav_item, register_nav_section
    from openvet.learning import permissions

    register_nav_section(NavSection("learning", _("Online learning"), "laptop", 35))
    entries = (
        ("space", _("My learning space"), "learning:space", "laptop", permissions.LEARN, 50),
        ("teach", _("My online courses"), "learning:space", "easel", permissions.TEACH, 51),
        (
            "follow",
            _("Online courses"),
            "learning:course-list",
            "collection-play",
            permissions.VIEW,
            52,
        ),
        (
            "analytics",
            _("Learning analytics"),
            "learning:analytics-home",
            "graph-up",
            "lrs.view_learning_analytics",
            53,
        ),
    )
    for key, label, url_name, icon, capability, order in entries:
        register_nav_item(
            NavItem(
                key=f"learning-{key}",
                label=label,
                url_name=url_name,
                icon=icon,
                capability=capability,
                order=order,
                section="learning",
            )
        )
