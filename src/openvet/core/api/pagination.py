"""Limit/offset pages for list endpoints, with a limit capped by settings."""

from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Model, QuerySet
from ninja import Schema
from pydantic import Field

M = TypeVar("M", bound=Model)

DEFAULT_LIMIT = 50


class PageIn(Schema):
    """``limit`` above ``NINJA_PAGINATION_MAX_LIMIT`` is lowered to it, not refused."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, description="Items per page; capped by the server.")
    offset: int = Field(0, ge=0)


def max_limit() -> int:
    return int(settings.NINJA_PAGINATION_MAX_LIMIT)


def paginate(queryset: QuerySet[M], page: PageIn) -> dict[str, Any]:
    """``{count, items}`` for one page: two queries, whatever the page size."""
    limit = min(page.limit, max_limit())
    items = list(queryset[page.offset : page.offset + limit])
    return {"count": queryset.count(), "items": items}
