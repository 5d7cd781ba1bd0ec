"""Core background jobs."""

from typing import Any

from celery import shared_task
from django.db import transaction

from openvet.core.audit import audit_purge_expired


def on_commit(task: Any, *args: Any) -> None:
    """Queue ``task`` once the surrounding transaction has committed."""
    transaction.on_commit(lambda: task.delay(*args))


@shared_task(name="core.purge_expired_audit_entries")  # type: ignore[untyped-decorator]
def purge_expired_audit_entries() -> int:
    return audit_purge_expired()
