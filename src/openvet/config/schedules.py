"""Every periodic job of the platform, in one place (Celery beat)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "core.purge_expired_audit_entries": {
        "task": "core.purge_expired_audit_entries",
        "schedule": crontab(hour=3, minute=17),
    },
    "workflow.send_reminders": {
        "task": "workflow.send_reminders",
        "schedule": crontab(minute=5),
    },
    "lrs.forward_statements": {
        "task": "lrs.forward_statements",
        "schedule": crontab(),  # every minute; each upstream waits out its own backoff
    },
    "lrs.evaluate_warnings": {
        "task": "lrs.evaluate_warnings",
        "schedule": crontab(hour=5, minute=40),  # before the school day
    },
    "lrs.ensure_partitions": {
        "task": "lrs.ensure_partitions",
        "schedule": crontab(hour=2, minute=40),  # monthly partitions ahead (ADR 0422)
    },
    "lrs.expire_statements": {
        "task": "lrs.expire_statements",
        "schedule": crontab(hour=2, minute=50),  # at night: batched deletes (ADR 0417)
    },
    "resources.harvest_libraries": {
        "task": "resources.harvest_libraries",
        "schedule": crontab(minute=23),  # hourly; each source waits out its own backoff
    },
}
