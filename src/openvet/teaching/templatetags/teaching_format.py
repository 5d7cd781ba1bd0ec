"""Template filters of teaching pages: attendance rates and GPAs, written by ``formatting``."""

from decimal import Decimal

from django import template

from openvet.teaching import formatting

register = template.Library()


@register.filter
def attendance_rate(rate: Decimal | None) -> str:
    """``{{ r.rate|attendance_rate }}`` → "95.0%", or "No lectures yet" when none counts."""
    return formatting.rate_text(rate)


@register.filter
def gpa(value: Decimal | None) -> str:
    """``{{ transcript.counted_gpa|gpa }}`` → "3.25", or a dash before any credit."""
    return formatting.gpa_text(value)
