"""Every ``<Entity>UpdateIn`` holds each field to the limits of its ``<Entity>CreateIn``.

An update schema that accepts what the create schema refuses (a 1 MB household
registration, a 500-character guardian name) let bad data in through PATCH; the field types
are shared, and this test fails when a pair drifts apart or a new pair is added without them.
"""

import importlib
import pkgutil
from typing import Annotated, Any, get_args, get_origin

import pytest
from ninja import Schema
from pydantic import BaseModel
from pydantic.fields import FieldInfo

import openvet


def _schema_modules() -> list[Any]:
    found = []
    for info in pkgutil.walk_packages(openvet.__path__, "openvet."):
        if info.name.endswith((".api.schemas", ".api.schemas_org")):
            found.append(importlib.import_module(info.name))
    return found


def _pairs() -> list[tuple[type[BaseModel], type[BaseModel]]]:
    pairs = []
    for module in _schema_modules():
        for name, update in vars(module).items():
            if not (name.endswith("UpdateIn") and isinstance(update, type)):
                continue
            create = getattr(module, name.removesuffix("UpdateIn") + "CreateIn", None)
            if isinstance(create, type) and issubclass(create, Schema):
                pairs.append((create, update))
    return pairs


def _metadata(field: FieldInfo) -> list[Any]:
    """Everything attached to a field: its own metadata and that of an ``Annotated`` type
    inside ``X | None``, with nested ``Field(...)`` objects opened up."""
    pending = list(field.metadata)
    for arg in get_args(field.annotation):
        if get_origin(arg) is Annotated:
            pending += list(arg.__metadata__)
    flat = []
    while pending:
        item = pending.pop(0)
        if isinstance(item, FieldInfo):
            pending += list(item.metadata)
        else:
            flat.append(item)
    return flat


def _constraints(field: FieldInfo) -> dict[str, Any]:
    """The limits and the validators of a field, without its null branch."""
    limits = {}
    validators = []
    for item in _metadata(field):
        for key in ("max_length", "min_length", "ge", "le", "gt", "lt", "pattern"):
            if getattr(item, key, None) is not None:
                limits[key] = getattr(item, key)
        if type(item).__name__.endswith("Validator"):
            validators.append(item.func)
    return {"limits": limits, "validators": validators}


def test_every_update_schema_has_a_create_schema_to_compare_with() -> None:
    names = sorted(update.__name__ for _create, update in _pairs())
    assert names == ["OrgUpdateIn", "StaffUpdateIn", "StudentUpdateIn", "UserUpdateIn"]


@pytest.mark.parametrize(
    ("create", "update"), _pairs(), ids=lambda model: getattr(model, "__name__", "")
)
def test_update_fields_have_the_limits_of_create_fields(
    create: type[BaseModel], update: type[BaseModel]
) -> None:
    shared = set(create.model_fields) & set(update.model_fields)
    assert shared, f"{update.__name__} shares no field with {create.__name__}"
    for name in sorted(shared):
        expected = _constraints(create.model_fields[name])
        actual = _constraints(update.model_fields[name])
        assert actual == expected, f"{update.__name__}.{name} differs from {create.__name__}"


@pytest.mark.parametrize(
    ("create", "update"), _pairs(), ids=lambda model: getattr(model, "__name__", "")
)
def test_every_update_field_is_optional(create: type[BaseModel], update: type[BaseModel]) -> None:
    required = [name for name, field in update.model_fields.items() if field.is_required()]
    assert required == []
