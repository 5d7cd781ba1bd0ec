"""The one call site for learning events (xAPI statements) of daily teaching.

Sign-ins, course selections and grades are learning events: each becomes an xAPI statement
in the learning record store (``lrs.services.record_learning_event``), written in the
caller's transaction so that it exists exactly when the change the user saw succeed exists.
The lean selection route writes its seat in one SQL statement on the event loop; the
statement is part of that SQL (``learning_event_insert_sql``), so it commits with the seat.
"""

from dataclasses import dataclass, field
from typing import Any

from openvet.lrs import services as lrs


@dataclass(frozen=True)
class LearningEvent:
    """What the xAPI statement was built from: actor (user id), verb, object, result."""

    user_id: int | None
    verb: str  # "selected", "dropped", "attended", "scored"
    object_type: str  # "teaching.offering", "teaching.attendancesession", "teaching.grade"
    object_id: str
    result: dict[str, Any] = field(default_factory=dict)
    statement_id: str | None = None  # None when the learner has no account or school


def record_learning_event(
    *,
    user_id: int | None,
    verb: str,
    object_type: str,
    object_id: Any,
    result: dict[str, Any] | None = None,
) -> LearningEvent:
    """Record one learning event as a statement, in the current transaction."""
    statement_id = lrs.record_learning_event(
        user_id=user_id, verb=verb, object_type=object_type, object_id=object_id, result=result
    )
    return LearningEvent(
        user_id, verb, object_type, str(object_id), dict(result or {}), statement_id
    )


def learning_event_insert_sql(*, source: str) -> str:
    """For the lean selection route, which writes in one SQL statement: CTEs storing the
    statement of each row of ``source`` in that same statement (``lrs`` builds them)."""
    return lrs.learning_event_insert_sql(source=source)


def learning_event_insert_params(
    *, user_id: int, verb: str, object_type: str, object_id: Any, school_id: int
) -> list[Any]:
    return lrs.learning_event_insert_params(
        user_id=user_id,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        school_id=school_id,
    )
