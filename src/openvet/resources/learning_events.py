"""The one call site for learning events (xAPI statements) of the resource libraries.

Pages call ``record_learning_event`` when someone views, downloads or plays a resource. Until
the ``lrs`` app is wired in this is a documented no-op with the signature of
``teaching.learning_events``: landing the LRS changes only this function.
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class LearningEvent:
    user_id: int | None
    verb: str  # "viewed", "downloaded", "played"
    object_type: str  # "resources.resource"
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
    """Build the event; no store receives it yet."""
    return LearningEvent(user_id, verb, object_type, str(object_id), dict(result or {}))
