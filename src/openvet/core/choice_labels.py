"""Choice labels (``get_<field>_display``) looked up in a table per language.

Django builds ``dict(make_hashable(field.flatchoices))`` on every call, hashing each lazily
translated label, so that one call costs a translation per choice: a list of 25 students
with a 17-code status asked for 425 translations to show 25 labels (ADR 0023). The labels
of a field are fixed per language, so each field keeps one table per language code.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partialmethod
from typing import Any

from django.apps import apps
from django.db.models import Field, Model
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language


def _display_of(field: Field[Any, Any]) -> Callable[[Model], Any]:
    tables: dict[str, dict[Any, Any]] = {}

    def display(self: Model) -> Any:
        language = get_language() or ""
        table = tables.get(language)
        if table is None:
            table = {
                make_hashable(value): force_str(label, strings_only=True)
                for value, label in field.flatchoices
            }
            tables[language] = table
        value = getattr(self, field.attname)
        return force_str(table.get(make_hashable(value), value), strings_only=True)

    display.__name__ = f"get_{field.name}_display"
    display.__doc__ = f"The label of {field.name}'s value in the active language."
    return display


def install(prefix: str = "openvet.") -> int:
    """Replace Django's generated ``get_<field>_display`` of the models under ``prefix`` by
    the table lookup; a method a model defines itself, or choices computed by a callable,
    stay as they are. Returns how many were replaced."""
    replaced = 0
    for model in apps.get_models():
        if not model.__module__.startswith(prefix):
            continue
        for field in model._meta.concrete_fields:
            name = f"get_{field.name}_display"
            generated = model.__dict__.get(name)
            if field.choices is None or not isinstance(generated, partialmethod):
                continue
            if not isinstance(field.choices, list | tuple):
                continue
            setattr(model, name, _display_of(field))
            replaced += 1
    return replaced
