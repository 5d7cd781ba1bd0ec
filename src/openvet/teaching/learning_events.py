"""The one call site for learning events (xAPI statements) of daily teaching.

Sign-ins, course selections and grades are learning events (DESIGN.md: apps call ``lrs`` to
record xAPI statements). Until the ``lrs`` app exists this is a documented no-op: the services
already call it with everything a statement needs, so landing the LRS means changing only this
function, not the services.
"""

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps


@dataclass(frozen=True)
class LearningEvent:
    """What an xAPI statement will be built from: actor (user id), verb, object, result."""

    user_id: int | None
    verb: str  # "selected", "dropped", "attended", "scored"
    object_type: str  # "teaching.offering", "teaching.attendancesession", "teaching.grade"
    object_id: str
    result: dict[str, Any] = field(default_factory=dict)


def record_learning_event(
    *,
    user_id: int | None,
    verb: str,
    object_type: str,
    object_id: Any,
    result: dict[str, Any] | None = None,
) -> LearningEvent:
    """Record one learning event. Today: build it and return it (no LRS installed)."""
    event = LearningEvent(user_id, verb, object_type, str(object_id), dict(result or {}))
    if apps.is_installed("openvet.lrs"):
        # When the LRS lands: openvet.lrs.services.statement_record(...) on commit, here.
        pass
    return event
