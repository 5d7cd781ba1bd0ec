"""Schemas every app's API shares: the error shape, pages of results, datetimes."""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, ClassVar, Generic, Self, TypeVar

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, Field, PlainSerializer, model_validator
from pydantic_core import PydanticCustomError

from openvet.core import codes, validation

T = TypeVar("T")


def _local_iso(value: datetime) -> str:
    # Aware datetimes leave the API in the platform's time zone with an explicit offset
    # ("2026-03-01T08:00:00+08:00"), never as a naive local time.
    return timezone.localtime(value).isoformat()


LocalDatetime = Annotated[datetime, PlainSerializer(_local_iso, return_type=str)]


# Field checks of input schemas. A field's limits are defined once, as an ``Annotated`` type
# with one of these, and both ``<Entity>CreateIn`` and ``<Entity>UpdateIn`` use that type (the
# update as ``Type | None = None``), so the two cannot drift. The message is written when the
# request is validated, in the request's language; the error handler passes it on.
FIELD_INVALID = "field_invalid"


def _refuse(message: str) -> PydanticCustomError:
    return PydanticCustomError(FIELD_INVALID, "{message}", {"message": message})


def name_check(label: str | Promise, *, required: bool = True) -> AfterValidator:
    """Refuse what ``codes.name_problem`` refuses; store the name NFC-normalised, trimmed."""

    def check(value: str) -> str:
        message = validation.name_error(value, label=label, required=required)
        if message:
            raise _refuse(message)
        return codes.name_normalise(value)

    return AfterValidator(check)


def _text_check(error: Callable[..., str | None], label: str | Promise) -> AfterValidator:
    def check(value: str) -> str:
        message = error(value, label=label)
        if message:
            raise _refuse(message)
        return value.strip()

    return AfterValidator(check)


def phone_check(label: str | Promise) -> AfterValidator:
    """A mobile number or a landline with its area code; empty is allowed."""
    return _text_check(validation.phone_error, label)


def mobile_check(label: str | Promise) -> AfterValidator:
    """An 11-digit mainland mobile number; empty is allowed."""
    return _text_check(validation.mobile_error, label)


class UpdateIn(Schema):
    """Base of ``<Entity>UpdateIn``: only the fields sent change, and a null is refused unless
    the field is in ``nullable`` (a null for a name would otherwise reach the service)."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _no_null_for_required(self) -> Self:
        for field in self.model_fields_set:
            if getattr(self, field) is None and field not in self.nullable:
                raise _refuse_field(field, _("This field cannot be null; leave it out instead."))
        return self


def _refuse_field(field: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(FIELD_INVALID, "{message}", {"message": message, "field": field})


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


__all__ = [
    "FIELD_INVALID",
    "ErrorOut",
    "LocalDatetime",
    "PageOut",
    "UpdateIn",
    "error_responses",
    "mobile_check",
    "name_check",
    "phone_check",
]
