import pytest

from openvet.core import shell
from openvet.core.roles import Role
from openvet.core.tests.actors import FakeActor, fake
from openvet.core.tests.factories import school

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(shell, "_nav", {})
    monkeypatch.setattr(shell, "_panels", {})


def _panel(key, capability, result, order=100):
    return shell.DashboardPanel(
        key=key, template="t.html", capability=capability, build=lambda user: result, order=order
    )


def test_nav_items_are_filtered_by_capability(registry):
    shell.register_nav_item(
        shell.NavItem("orgs", "Orgs", "core:org-list", "x", capability="core.view_orgunit")
    )
    shell.register_nav_item(
        shell.NavItem("audit", "Audit", "core:audit-list", "x", capability="core.view_auditentry")
    )
    keys = [item.key for item in shell.nav_items_for(fake(Role.TEACHER, school()))]
    assert keys == ["orgs"]


def test_nav_items_without_capability_show_to_everyone_in_order(registry):
    shell.register_nav_item(shell.NavItem("b", "B", "core:home", "x", order=2))
    shell.register_nav_item(shell.NavItem("a", "A", "core:home", "x", order=1))
    assert [item.key for item in shell.nav_items_for(FakeActor())] == ["a", "b"]


def test_registering_a_key_again_replaces_the_item(registry):
    shell.register_nav_item(shell.NavItem("a", "Old", "core:home", "x"))
    shell.register_nav_item(shell.NavItem("a", "New", "core:home", "x"))
    assert [item.label for item in shell.nav_items_for(FakeActor())] == ["New"]


def test_dashboard_shows_panels_the_user_may_see_in_order(registry):
    shell.register_dashboard_panel(_panel("late", "core.view_orgunit", {"n": 2}, order=5))
    shell.register_dashboard_panel(_panel("early", "core.view_orgunit", {"n": 1}, order=1))
    shell.register_dashboard_panel(_panel("audit", "core.view_auditentry", {"n": 3}))
    shown = shell.dashboard_for(fake(Role.TEACHER, school()))
    assert [(panel.key, context) for panel, context in shown] == [
        ("early", {"n": 1}),
        ("late", {"n": 2}),
    ]


def test_dashboard_hides_a_panel_whose_build_returns_none(registry):
    shell.register_dashboard_panel(_panel("empty", "core.view_orgunit", None))
    assert shell.dashboard_for(fake(Role.TEACHER, school())) == []


def test_core_registers_its_navigation():
    keys = {item.key: item for item in shell.nav_items_for(fake(Role.AUDIT_ADMIN, school()))}
    assert (keys["orgs"].url_name, keys["audit"].url_name) == ("core:org-list", "core:audit-list")


def test_every_registered_navigation_entry_has_a_page() -> None:
    from django.urls import reverse

    from openvet.core import shell

    assert shell._nav, "apps register their navigation entries when Django starts"
    for item in shell._nav.values():
        assert reverse(item.url_name).startswith("/"), item.key


def _items(count, section="s"):
    for n in range(count):
        shell.register_nav_item(
            shell.NavItem(f"i{n}", f"I{n}", "core:home", "x", order=n, section=section)
        )


def test_a_short_navigation_stays_flat(registry, monkeypatch):
    monkeypatch.setattr(shell, "_sections", {})
    shell.register_nav_section(shell.NavSection("s", "S", "x"))
    _items(shell.FLAT_NAV_LIMIT)
    groups = shell.nav_groups_for(FakeActor())
    assert [group.is_menu for group in groups] == [False] * shell.FLAT_NAV_LIMIT


def test_a_long_navigation_gathers_entries_into_their_section_menus(registry, monkeypatch):
    monkeypatch.setattr(shell, "_sections", {})
    shell.register_nav_section(shell.NavSection("late", "Late", "x", order=50))
    shell.register_nav_section(shell.NavSection("alone", "Alone", "x", order=1))
    _items(shell.FLAT_NAV_LIMIT, section="late")
    shell.register_nav_item(shell.NavItem("single", "One", "core:org-list", "x", section="alone"))
    shell.register_nav_item(shell.NavItem("loose", "Loose", "core:home", "x", order=10))
    groups = shell.nav_groups_for(FakeActor())
    # "alone" has one entry: a plain link, ordered by the entry; "late" is a menu.
    assert [(g.section.key if g.section else g.items[0].key) for g in groups] == [
        "loose",
        "late",
        "single",
    ]
    menu = groups[1]
    assert menu.is_menu
    assert [item.key for item in menu.items] == [f"i{n}" for n in range(shell.FLAT_NAV_LIMIT)]
    assert menu.contains("core:home")
    assert not menu.contains("core:org-list")
