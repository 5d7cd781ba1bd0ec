"""Settings of the server that ``course_selection.py`` starts: base settings plus a pool.

Under ASGI every request runs its sync code in a fresh thread, so a persistent connection
(CONN_MAX_AGE > 0) per thread leaks one PostgreSQL backend per request. Django 5.1+ pools
connections with psycopg's pool when ``psycopg_pool`` is installed; without it the bench
opens and closes one connection per request (CONN_MAX_AGE = 0).
"""

import importlib.util
import os

from openvet.config.settings.base import *  # noqa: F403
from openvet.config.settings.base import DATABASES, LOGGING

DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
if importlib.util.find_spec("psycopg_pool") and os.environ.get("BENCH_POOL", "1") == "1":
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": 4,
            "max_size": int(os.environ.get("BENCH_POOL_SIZE", "16")),
            "timeout": 20,
        },
    }
# Connections of each worker's lean route (ADR 0314).
OPENVET_LEAN_POOL_SIZE = int(os.environ.get("BENCH_LEAN_POOL_SIZE", "4"))
# Refusals (409 full, 422 clash) are answers, not incidents: keep django.request's warnings
# for each of them off the console, as OPENVET_LOG_LEVEL=ERROR asks.
LOGGING["loggers"]["django.request"] = {"level": "ERROR"}
