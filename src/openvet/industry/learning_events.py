"""The one call site for learning events (xAPI statements) of internships.

Check-ins, journals and evaluations are learning events (DESIGN.md: apps call ``lrs`` to
record xAPI statements). Until the ``lrs`` app is wired in this is a documented no-op: the
services already call it with everything a statement needs, so landing the LRS means changing
only this function, not the services.
"""

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps


@dataclass(frozen=True)
class LearningEvent:
    """What an xAPI statement will be built from: actor (user id), verb, object, result."""

    user_id: int | None
    verb: str  # "attended" (check-in), "reported" (journal), "scored" (evaluation)
    object_type: str  # "industry.placement", "industry.journal", "industry.evaluation"
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
    """Record one learning event. Today: build it and return it (no LRS wired)."""
    event = LearningEvent(user_id, verb, object_type, str(object_id), dict(result or {}))
    if apps.is_installed("openvet.lrs"):
        # When the LRS is wired: openvet.lrs.services.statement_record(...) on commit, here.
        pass
    return event
