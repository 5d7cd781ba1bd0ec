"""Template helpers of the UI shell."""

from datetime import timedelta

from django import template
from django.apps import apps
from django.utils.translation import gettext, ngettext

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
