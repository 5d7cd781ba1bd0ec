"""Tests: base settings made fast and isolated. ``DATABASE_URL`` selects PostgreSQL."""

import tempfile
from pathlib import Path

from openvet.config.settings.base import *  # noqa: F403

_tmp = Path(tempfile.mkdtemp(prefix="openvet-test-"))
MEDIA_ROOT = _tmp / "media"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = True
REQUIRE_ADMIN_TOTP = True
DEMO_MODE = False
PII_ENCRYPTION_KEY = "b3BlbnZldC10ZXN0LWtleS0wMDAwMDAwMDAwMDAwMDA="
SECRET_KEY = "openvet-tests-only"  # noqa: S105

# Live sessions run over the in-memory channel layer in both passes: under the whole
# PostgreSQL pass a Redis layer left a refused socket's receive uncancellable when the test's
# event loop closed (the run hung). ``OPENVET_TEST_CHANNEL_REDIS=1`` runs them over Redis.
if env.bool("OPENVET_TEST_CHANNEL_REDIS", default=False):  # noqa: F405
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": env.str(  # noqa: F405
                            "OPENVET_CHANNEL_REDIS_URL", default="redis://127.0.0.1:6379/0"
                        ),
                        "socket_timeout": 30,
                    }
                ],
                "prefix": f"openvet-test-{_tmp.name}",
                "capacity": LIVE_CHANNEL_CAPACITY,  # noqa: F405
            },
        }
    }

# One request at a time on the browser journeys' server (see the module's docstring).
MIDDLEWARE = ["openvet.config.serial_requests.SerialRequestsMiddleware", *MIDDLEWARE]  # noqa: F405
