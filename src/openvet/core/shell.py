"""The UI shell's extension points: navigation entries and home-dashboard panels.

Apps register theirs from ``AppConfig.ready``; the shell shows each to the users whose
capabilities allow it, so core never needs to know the apps above it.
"""

from collections.abc import Callable
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


@dataclass(frozen=True)
class DashboardPanel:
    """A panel of the home page. ``build`` returns the template context, or None to hide."""

    key: str
    template: str
    capability: str
    build: Callable[[Any], dict[str, Any] | None]
    order: int = 100


_nav: dict[str, NavItem] = {}
_panels: dict[str, DashboardPanel] = {}


def register_nav_item(item: NavItem) -> None:
    _nav[item.key] = item


def register_dashboard_panel(panel: DashboardPanel) -> None:
    _panels[panel.key] = panel


def nav_items_for(user: Any) -> list[NavItem]:
    items = [
        item
        for item in _nav.values()
        if item.capability is None or has_capability(user, item.capability)
    ]
    return sorted(items, key=lambda item: (item.order, item.key))


def dashboard_for(user: Any) -> list[tuple[DashboardPanel, dict[str, Any]]]:
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        if not has_capability(user, panel.capability):
            continue
        context = panel.build(user)
        if context is not None:
            shown.append((panel, context))
    return shown
