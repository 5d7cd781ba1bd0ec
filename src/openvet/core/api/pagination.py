"""Limit/offset pages: the one way every list route of the API pages its results (ADR 0014).

A list route takes ``page: Query[PageIn]`` and returns ``paginate(rows, page)`` (or with
``item=`` to shape each row), answered as ``PageOut[...]``: ``{count, items}``. ``limit`` and
``offset`` are bounded in the schema, so a page beyond them is a 422 in the error shape, never
a database error; ``tests/api`` checks that every list operation has both.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from ninja import Schema
from pydantic import Field

DEFAULT_LIMIT = 50
MAX_LIMIT = int(settings.NINJA_PAGINATION_MAX_LIMIT)
# Far beyond any list of the platform, and well inside what a database accepts as OFFSET.
MAX_OFFSET = 1_000_000_000


class PageIn(Schema):
    """Which page: ``limit`` items from ``offset``; a ``limit`` above the cap is refused."""

    limit: int = Field(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page, at most the cap."
    )
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")


def paginate(
    rows: "QuerySet[Any] | Sequence[Any]",
    page: PageIn,
    *,
    item: Callable[[Any], Any] | None = None,
) -> dict[str, Any]:
    """``{count, items}`` for one page: on a queryset, two queries whatever the page size."""
    window = rows[page.offset : page.offset + page.limit]
    items = [item(row) for row in window] if item is not None else list(window)
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    return {"count": count, "items": items}


__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "MAX_OFFSET", "PageIn", "paginate"]
