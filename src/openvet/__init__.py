"""OpenVET: an open-source digital campus for vocational education."""

from openvet.config.celery import app as celery_app

__all__ = ["celery_app"]
