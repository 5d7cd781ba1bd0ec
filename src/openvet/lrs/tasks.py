"""Background jobs of the learning record store."""

from celery import shared_task

from openvet.lrs.forwarding import forward_due
from openvet.lrs.partitions import ensure_partitions
from openvet.lrs.retention import expire_statements
from openvet.lrs.services import warnings_evaluate


@shared_task(name="lrs.forward_statements")  # type: ignore[untyped-decorator]
def forward_statements() -> int:
    return forward_due()


@shared_task(name="lrs.evaluate_warnings")  # type: ignore[untyped-decorator]
def evaluate_warnings() -> int:
    return warnings_evaluate()


@shared_task(name="lrs.expire_statements")  # type: ignore[untyped-decorator]
def expire_old_statements() -> int:
    return expire_statements()


@shared_task(name="lrs.ensure_partitions")  # type: ignore[untyped-decorator]
def make_partitions_ahead() -> int:
    return len(ensure_partitions())
