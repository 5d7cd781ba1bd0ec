"""Formats of the industry pages."""

from django import template

register = template.Library()


@register.filter
def fen_yuan(fen: int | None) -> str:
    """Fen shown as yuan to the fen: ``123456`` → ``¥1,234.56``."""
    if fen is None:
        return ""
    whole, part = divmod(int(fen), 100)
    return f"¥{whole:,}.{part:02d}"


@register.filter
def lookup(mapping: dict[str, str], key: str) -> str:
    """The name of a code (``mapping[key]``), or the code when the table does not know it."""
    return mapping.get(key, key)
