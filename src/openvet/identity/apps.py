from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "openvet.identity"
    label = "identity"
    verbose_name = _("Identity")

    def ready(self) -> None:
        from openvet.identity import dashboard, handlers

        handlers.connect()
        dashboard.register()
        _register_navigation()


def _register_navigation() -> None:
    from openvet.core.shell import NavItem, register_nav_item

    # The management capability, not identity.view_user: teachers hold view_user and must
    # not be shown a link to pages that refuse them.
    register_nav_item(
        NavItem(
            key="users",
            label=_("Users"),
            url_name="identity:user-list",
            icon="people",
            capability="identity.change_user",
            order=80,
            section="administration",
        )
    )
    register_nav_item(
        NavItem(
            key="security",
            label=_("Security"),
            url_name="identity:security",
            icon="shield-lock",
            capability="identity.view_security",
            order=85,
            section="administration",
        )
    )
