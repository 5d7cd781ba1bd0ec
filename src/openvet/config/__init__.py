"""Composition root. Loading the settings loads the Celery app, so tasks bind to it."""

from openvet.config.celery import app as celery_app

__all__ = ["celery_app"]
