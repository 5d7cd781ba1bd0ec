"""Template helpers of the UI shell."""

from django import template
from django.apps import apps

from openvet.core.audit_words import ChangeLine, audit_change_lines
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
def audit_changes(entry: AuditEntry) -> list[ChangeLine]:
    """An audit entry's recorded changes in the reader's words (``core.audit_words``)."""
    return audit_change_lines(entry)


@register.filter
def nav_group_contains(group: NavGroup, url_name: str) -> bool:
    """Whether a menu of the navigation holds the page shown now (to mark the menu active)."""
    return group.contains(url_name)
