"""Bounded and strict value types every API schema and route signature uses (ADR 0014).

Two kinds of input reach a route, and they need different strictness:

* path and query parameters arrive as text, so their numbers are parsed from strings; what
  they need is a bound, so that a number the database cannot hold (beyond a signed 64-bit
  integer) is a 422 or 404, never a database error;
* JSON bodies carry typed values, so they are checked strictly: ``false`` is not an id,
  ``"12"`` is not a number and ``1`` is not a boolean, whatever pydantic's lax mode would
  accept. ``InputSchema`` also refuses a body that is not a JSON object.
"""

from typing import Annotated, Any

from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import Field, Strict, model_validator
from pydantic_core import PydanticCustomError

# The largest value of a signed 64-bit integer: the range of ids on SQLite and PostgreSQL.
INT64_MAX = 2**63 - 1

IdParam = Annotated[int, Field(ge=1, le=INT64_MAX)]
"""An object id in a path or a query string."""

IdField = Annotated[int, Strict(), Field(ge=1, le=INT64_MAX)]
"""An object id in a JSON body: an integer, never a boolean, a string or a float."""

IntField = Annotated[int, Strict(), Field(ge=-INT64_MAX, le=INT64_MAX)]
"""A whole number in a JSON body; narrow it further with ``Field(ge=..., le=...)``."""

BoolField = Annotated[bool, Strict()]
"""A boolean in a JSON body: ``true`` or ``false``, never ``0``, ``1`` or ``"yes"``."""

FloatField = Annotated[float, Strict()]
"""A number in a JSON body (an integer is accepted), never a string."""


class InputSchema(Schema):
    """The base of every JSON request body: it must be an object.

    Ninja's ``Schema`` reads fields with ``getattr`` so that it can load ORM objects; for a
    request body that means a JSON array (or a number) whose fields are all optional would be
    taken as an empty object. This refuses anything but an object, with a 422.
    """

    @model_validator(mode="before")
    @classmethod
    def _body_is_an_object(cls, values: Any) -> Any:
        # Ninja's own validator runs first and wraps the input in a ``DjangoGetter``.
        given = values._obj if isinstance(values, DjangoGetter) else values
        if not isinstance(given, dict):
            raise PydanticCustomError("dict_type", "Input should be an object")
        return values


__all__ = [
    "INT64_MAX",
    "BoolField",
    "FloatField",
    "IdField",
    "IdParam",
    "InputSchema",
    "IntField",
]
