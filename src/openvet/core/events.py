"""A small in-process event bus: lower tiers tell higher ones what happened.

Events are frozen dataclasses named in the past tense. ``publish`` delivers them after the
surrounding transaction commits, so a subscriber never sees a change that was rolled back.
Subscribers register from their app's ``AppConfig.ready`` (in ``handlers.py``).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

Handler = Callable[[Any], None]
_subscribers: dict[type, list[Handler]] = defaultdict(list)


def subscribe(event_type: type, handler: Handler) -> None:
    if handler not in _subscribers[event_type]:
        _subscribers[event_type].append(handler)


def publish(event: Any) -> None:
    def deliver() -> None:
        for handler in list(_subscribers[type(event)]):
            handler(event)

    transaction.on_commit(deliver)


@dataclass(frozen=True)
class OrgUnitChanged:
    org_id: int
    kind: str
    created: bool


@dataclass(frozen=True)
class UserRolesChanged:
    user_id: int
