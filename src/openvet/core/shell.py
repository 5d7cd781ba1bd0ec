"""The UI shell's extension points: navigation entries and home-dashboard panels.

Apps register theirs from ``AppConfig.ready``; the shell shows each to the users whose
capabilities allow it, so core never needs to know the apps above it.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from openvet.core.policy import has_capability


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str
    icon: str
    capability: str | None = None  # None: every signed-in user
    order: int = 100
    section: str = ""  # key of a NavSection; "" stands on its own


@dataclass(frozen=True)
class NavSection:
    """A menu of the main navigation that gathers the entries of one area (teaching, ...)."""

    key: str
    label: str | Promise
    icon: str
    order: int = 100


@dataclass(frozen=True)
class NavGroup:
    """One entry of the navigation bar: a single link, or a section's menu of links."""

    items: tuple[NavItem, ...]
    section: NavSection | None = None

    @property
    def is_menu(self) -> bool:
        return self.section is not None

    def contains(self, url_name: str) -> bool:
        return any(item.url_name == url_name for item in self.items)


@dataclass(frozen=True)
class DashboardPanel:
    """A panel of the home page. ``build`` returns the template context, or None to hide."""

    key: str
    template: str
    capability: str | None  # None: every signed-in user (``build`` may still hide it)
    build: Callable[[Any], dict[str, Any] | None]
    order: int = 100


# How many people of a kind ("students") each org subtree holds, counted by the app that owns
# them: ``counter(paths)`` returns one number per path. The home pages count records, not
# sign-in accounts, so a student imported without an account is counted at once.
HeadCounter = Callable[[Sequence[str]], list[int]]


@dataclass(frozen=True)
class SchoolPanel:
    """A panel of one school's overview, opened by a regional administrator from their home
    page. ``build(school)`` returns the template context, or None to hide; the page has
    already checked that the school lies in the reader's region."""

    key: str
    template: str
    build: Callable[[Any], dict[str, Any] | None]
    order: int = 100


_nav: dict[str, NavItem] = {}
_school_panels: dict[str, SchoolPanel] = {}
_headcounters: dict[str, HeadCounter] = {}
_sections: dict[str, NavSection] = {}
_panels: dict[str, DashboardPanel] = {}
# Up to this many entries fit on one line of a desktop navbar: shown flat, no menus to open.
FLAT_NAV_LIMIT = 7


def register_nav_item(item: NavItem) -> None:
    _nav[item.key] = item


def register_nav_section(section: NavSection) -> None:
    _sections[section.key] = section


def register_dashboard_panel(panel: DashboardPanel) -> None:
    _panels[panel.key] = panel


def register_school_panel(panel: SchoolPanel) -> None:
    _school_panels[panel.key] = panel


def school_panels_for(school: Any) -> list[tuple[SchoolPanel, dict[str, Any]]]:
    shown = []
    for panel in sorted(_school_panels.values(), key=lambda p: (p.order, p.key)):
        context = panel.build(school)
        if context is not None:
            shown.append((panel, context))
    return shown


def register_headcount(key: str, counter: HeadCounter) -> None:
    _headcounters[key] = counter


def headcounts(key: str, paths: Sequence[str]) -> list[int] | None:
    """People of ``key`` in each subtree of ``paths``; None when no app counts them."""
    counter = _headcounters.get(key)
    return None if counter is None else counter(paths)


def nav_items_for(user: Any) -> list[NavItem]:
    items = [
        item
        for item in _nav.values()
        if item.capability is None or has_capability(user, item.capability)
    ]
    return sorted(items, key=lambda item: (item.order, item.key))


def nav_groups_for(user: Any) -> list[NavGroup]:
    """The navigation bar of ``user``: flat when short, else one menu per section.

    A section with a single visible entry shows that entry as a plain link.
    """
    items = nav_items_for(user)
    if len(items) <= FLAT_NAV_LIMIT:
        return [NavGroup(items=(item,)) for item in items]
    by_section: dict[str, list[NavItem]] = {}
    for item in items:
        section_key = item.section if item.section in _sections else ""
        by_section.setdefault(section_key or item.key, []).append(item)
    groups: list[NavGroup] = []
    for key, members in by_section.items():
        section = _sections.get(key)
        if section is None or len(members) == 1:
            groups.extend(NavGroup(items=(item,)) for item in members)
        else:
            groups.append(NavGroup(items=tuple(members), section=section))
    return sorted(groups, key=_group_order)


def _group_order(group: NavGroup) -> tuple[int, str]:
    if group.section is not None:
        return (group.section.order, group.section.key)
    item = group.items[0]
    return (item.order, item.key)


def dashboard_for(user: Any) -> list[tuple[DashboardPanel, dict[str, Any]]]:
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        if panel.capability is not None and not has_capability(user, panel.capability):
            continue
        context = panel.build(user)
        if context is not None:
            shown.append((panel, context))
    return shown
