from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    """Capabilities of the roles and the navigation entries of the resource libraries."""

    name = "openvet.resources"
    label = "resources"
    verbose_name = _("Teaching resource libraries")

    def ready(self) -> None:
        _grant_capabilities()
        _register_navigation()


def _grant_capabilities() -> None:
    from openvet.core.roles import Role, grant_capabilities
    from openvet.resources import permissions as p

    readers = (
        Role.PLATFORM_ADMIN,
        Role.REGIONAL_ADMIN,
        Role.SCHOOL_ADMIN,
        Role.DEPARTMENT_HEAD,
        Role.TEACHER,
        Role.COUNSELLOR,
        Role.STUDENT,
    )
    for role in readers:
        grant_capabilities(role, {p.VIEW})
    for role in (Role.TEACHER, Role.DEPARTMENT_HEAD, Role.SCHOOL_ADMIN):
        grant_capabilities(role, {p.ADD, p.CONTRIBUTE})
    # Enterprise people take part in the projects their enterprise is a member of (ADR 0538).
    grant_capabilities(Role.ENTERPRISE_MENTOR, {p.CONTRIBUTE})
    # Experts of certification: teachers and department heads of the province's schools.
    for role in (Role.TEACHER, Role.DEPARTMENT_HEAD):
        grant_capabilities(role, {p.REVIEW})
    grant_capabilities(Role.SCHOOL_ADMIN, {p.MANAGE, p.NOMINATE, p.CONFIRM_PAYMENT})
    grant_capabilities(Role.DEPARTMENT_HEAD, {p.NOMINATE})
    for role in (Role.REGIONAL_ADMIN, Role.PLATFORM_ADMIN):
        grant_capabilities(role, {p.DECIDE_NOMINATION, p.HARVEST})


def _register_navigation() -> None:
    from openvet.core.shell import NavItem, NavSection, register_nav_item, register_nav_section
    from openvet.resources import permissions as p

    register_nav_section(
        NavSection(key="resources", label=_("Resources"), icon="collection", order=45)
    )
    entries = (
        ("resources-library", _("Resource library"), "resources:library", "search", p.VIEW, 45),
        ("resources-mine", _("My resources"), "resources:mine", "folder", p.ADD, 46),
        (
            "resources-reviews",
            _("Certification reviews"),
            "resources:review-list",
            "patch-check",
            p.REVIEW,
            47,
        ),
        (
            "resources-nominations",
            _("Library nominations"),
            "resources:nomination-list",
            "arrow-up-circle",
            p.DECIDE_NOMINATION,
            48,
        ),
        (
            "resources-harvest",
            _("Harvested libraries"),
            "resources:harvest-list",
            "cloud-download",
            p.HARVEST,
            52,
        ),
        ("resources-orders", _("My orders"), "resources:order-list", "receipt", p.VIEW, 49),
        (
            "resources-payments",
            _("Payments to confirm"),
            "resources:payment-list",
            "bank",
            p.CONFIRM_PAYMENT,
            50,
        ),
        (
            "resources-invoices",
            _("Invoices"),
            "resources:invoice-list",
            "file-earmark-text",
            p.VIEW,
            53,
        ),
        (
            "resources-settlement",
            _("Licence income settlement"),
            "resources:settlement",
            "cash-coin",
            p.CONFIRM_PAYMENT,
            51,
        ),
    )
    cocon = (
        (
            "resources-projects",
            _("Library projects"),
            "resources:project-list",
            "people",
            p.CONTRIBUTE,
            53,
        ),
        ("resources-paths", _("Learning paths"), "resources:path-list", "signpost", p.VIEW, 54),
    )
    for key, label, url_name, icon, capability, order in (*entries, *cocon):
        register_nav_item(
            NavItem(
                key=key,
                label=label,
                url_name=url_name,
                icon=icon,
                capability=capability,
                order=order,
                section="resources",
            )
        )
