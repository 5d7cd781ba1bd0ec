"""Schemas every app's API shares: the error shape, pages of results, datetimes."""

from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from django.utils import timezone
from ninja import Schema
from pydantic import Field, PlainSerializer

T = TypeVar("T")


def _local_iso(value: datetime) -> str:
    # Aware datetimes leave the API in the platform's time zone with an explicit offset
    # ("2026-03-01T08:00:00+08:00"), never as a naive local time.
    return timezone.localtime(value).isoformat()


LocalDatetime = Annotated[datetime, PlainSerializer(_local_iso, return_type=str)]


class ErrorOut(Schema):
    """Every failure: a stable machine code, a message in the request's language, details."""

    code: str = Field(examples=["not_found"])
    message: str
    details: Any = Field(
        default=None,
        description="For validation failures an object {field: message}; otherwise extra data.",
    )


class PageOut(Schema, Generic[T]):
    """One page of a list: the total number of matches and this page's items."""

    count: int
    items: list[T]


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error statuses an operation documents, all with the one error shape."""
    return dict.fromkeys(statuses, ErrorOut)


__all__ = ["ErrorOut", "LocalDatetime", "PageOut", "error_responses"]
