"""Messages of the automated checks and previews, translated where shown."""

from typing import Any

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def check_message(check: dict[str, Any]) -> str:
    """A stored check's message in the reader's language, its placeholders filled."""
    message = gettext(str(check.get("message", "")))
    params = check.get("params")
    if isinstance(params, dict):
        try:
            return message % params
        except (KeyError, TypeError, ValueError):
            return message
    return message


@register.filter
def reason_message(reason: str) -> str:
    return gettext(reason) if reason else ""
