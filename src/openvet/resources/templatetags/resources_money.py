"""Amounts kept in fen, shown in yuan."""

from django import template

register = template.Library()


@register.filter
def yuan(fen: int | None) -> str:
    """``123456`` → ``¥1,234.56`` (a negative amount keeps its sign before the symbol)."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(int(fen)), 100)
    return f"{sign}¥{whole:,}.{part:02d}"
