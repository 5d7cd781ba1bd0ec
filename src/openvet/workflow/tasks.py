"""Background jobs of the approval engine."""

from celery import shared_task

from openvet.workflow.services import reminders_send


@shared_task(name="workflow.send_reminders")  # type: ignore[untyped-decorator]
def send_reminders() -> int:
    return reminders_send()
