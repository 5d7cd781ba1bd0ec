"""Template helpers of the UI shell."""

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django import template
from django.apps import apps
from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from openvet.core.audit_words import ChangeLine, audit_change_lines, object_label_words
from openvet.core.models import AuditEntry
from openvet.core.shell import NavGroup

register = template.Library()


@register.filter
def model_verbose_name(label: str) -> str:
    """``identity.user`` → the model's translated name ("用户"), or the label if unknown."""
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


@register.filter
def audit_object_label(label: str) -> str:
    """A job's recorded label ("import student") in the reader's words (``core.audit_words``)."""
    return object_label_words(label)


@register.filter
def audit_changes(entry: AuditEntry) -> list[ChangeLine]:
    """An audit entry's recorded changes in the reader's words (``core.audit_words``)."""
    return audit_change_lines(entry)


@register.filter
def nav_group_contains(group: NavGroup, url_name: str) -> bool:
    """Whether a menu of the navigation holds the page shown now (to mark the menu active)."""
    return group.contains(url_name)


# The main navigation as rendered, per set of entries, page shown and language: the same for
# everyone whose capabilities give the same entries, and about 60 % of rendering the page
# shell when rebuilt on every request (ADR 0022). Bounded: roles x pages x languages.
_MAIN_NAV_CACHE: dict[tuple[Any, ...], SafeString] = {}
_MAIN_NAV_CACHE_SIZE = 2048


@register.simple_tag(takes_context=True)
def main_nav(context: template.Context) -> SafeString:
    """The entries of the navigation bar (``nav_groups``), the page shown marked active."""
    groups: Sequence[NavGroup] = context.get("nav_groups") or ()
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    current = (match.view_name if match is not None else "") or ""
    key = (
        tuple(
            (group.section.key if group.section else "", tuple(i.key for i in group.items))
            for group in groups
        ),
        current,
        get_language(),
        get_script_prefix(),
        get_urlconf(),
    )
    html = _MAIN_NAV_CACHE.get(key)
    if html is None:
        html = mark_safe(  # noqa: S308 - rendered by the template engine, which escapes
            render_to_string(
                "core/partials/_main_nav.html", {"nav_groups": groups, "current": current}
            )
        )
        if len(_MAIN_NAV_CACHE) >= _MAIN_NAV_CACHE_SIZE:
            _MAIN_NAV_CACHE.clear()
        _MAIN_NAV_CACHE[key] = html
    return html


def _forget_main_nav(**_kwargs: Any) -> None:
    _MAIN_NAV_CACHE.clear()


# Tests that change URLs, templates or languages see a navigation built afresh.
setting_changed.connect(_forget_main_nav)


@register.filter
def duration_words(value: timedelta | None) -> str:
    """A span of time in words, its two largest units ("2 天 3 小时"), as people say it; a
    raw ``timedelta`` reads "0:00:04.068278"."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    if minutes < 1:
        return gettext("less than a minute")
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [
        ngettext("%(n)d day", "%(n)d days", days) % {"n": days} if days else "",
        ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours} if hours else "",
        ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
        if minutes and not days
        else "",
    ]
    return " ".join(part for part in parts if part)
