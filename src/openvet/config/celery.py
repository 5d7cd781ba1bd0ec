"""The Celery application; schedules live in `config.schedules`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openvet.config.settings.base")

app = Celery("openvet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
