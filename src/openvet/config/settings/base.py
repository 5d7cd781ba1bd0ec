"""Every setting of the platform.

With no environment this runs the embedded default: SQLite under ``var/``, local-memory
cache, eager background jobs. Production is this file plus environment variables, all of them
documented in ``.env.example`` at the repository root.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ

from openvet.config.schedules import BEAT_SCHEDULE
from openvet.config.secrets import read_or_create_secret

BASE_DIR = Path(__file__).resolve().parents[4]
SOURCE_DIR = BASE_DIR / "src" / "openvet"

env = environ.Env()
VAR_DIR = Path(env.str("OPENVET_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or read_or_create_secret(
    VAR_DIR / "secret_key"
)
# Key for citizen ID and mobile numbers at rest (Fernet, 32 url-safe base64 bytes).
PII_ENCRYPTION_KEY = env.str("OPENVET_PII_KEY", default="") or read_or_create_secret(
    VAR_DIR / "pii_key", fernet=True
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Demo installs relax two-factor login for administrators, and the login page says so.
DEMO_MODE = env.bool("OPENVET_DEMO", default=False)
REQUIRE_ADMIN_TOTP = env.bool("OPENVET_REQUIRE_ADMIN_TOTP", default=not DEMO_MODE)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "axes",
    "ninja",
    "openvet.core",
    "openvet.identity",
    "openvet.workflow",
    "openvet.lrs",
    "openvet.records",
    "openvet.teaching",
    "openvet.industry",
    "openvet.resources",
    "openvet.learning",
    "openvet.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "openvet.core.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "openvet.core.middleware.RequestContextMiddleware",
    "openvet.identity.middleware.IdleTimeoutMiddleware",
    "openvet.identity.middleware.SecurityGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "openvet.config.urls"
WSGI_APPLICATION = "openvet.config.wsgi.application"
ASGI_APPLICATION = "openvet.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "openvet.core.context_processors.shell",
            ],
        },
    }
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'openvet.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and a worker share the embedded database.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    # Django's psycopg pool, not persistent connections: under ASGI every request runs in a
    # thread of its own, so CONN_MAX_AGE kept one backend per thread and leaked them (ADR 0009).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=2),
        "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=20),
        "timeout": env.int("DATABASE_POOL_TIMEOUT", default=10),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
CACHES: dict[str, Any] = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cache"
    if REDIS_URL
    else ("django.contrib.sessions.backends.db")
)

# Live in-class mode (ADR 0710): the channel layer carries a live session's messages between
# the phones' connections and the classroom screen's; in memory within one server process,
# Redis across processes.
CHANNEL_REDIS_URL = env.str("OPENVET_CHANNEL_REDIS_URL", default=REDIS_URL)
# Messages a connection may have waiting: the screen of a class hears every answer and
# comment, and a group send past the layer's default of 100 is silently dropped.
LIVE_CHANNEL_CAPACITY = env.int("OPENVET_LIVE_CHANNEL_CAPACITY", default=5000)
CHANNEL_LAYERS: dict[str, Any] = {
    "default": (
        {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # A read timeout longer than the layer's 5 s blocking pop: redis-py 8 would
            # otherwise time the idle pop out and end every quiet connection.
            "CONFIG": {
                "hosts": [{"address": CHANNEL_REDIS_URL, "socket_timeout": 30}],
                "prefix": "openvet-live",
                "capacity": LIVE_CHANNEL_CAPACITY,
            },
        }
        if CHANNEL_REDIS_URL
        else {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": LIVE_CHANNEL_CAPACITY},
        }
    )
}

AUTH_USER_MODEL = "identity.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "openvet.identity.backends.IdentifierBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# GB/T 22239-2019 8.1.4.1 (identity authentication): complex passwords changed regularly.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "openvet.identity.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "openvet.identity.passwords.CharacterClassValidator"},
    {"NAME": "openvet.identity.passwords.NotUsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "openvet.identity.passwords.PasswordHistoryValidator"},
]
PASSWORD_HISTORY_LENGTH = 5
LOGIN_URL = "identity:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "identity:login"

# Lockout: 5 failures lock the account, and separately the client address, for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Failures count per resolved account, whatever identifier was typed; a success clears only
# that account's failures (identity.lockout), never those of others from the same address.
AXES_USERNAME_CALLABLE = "openvet.identity.lockout.lockout_username"
AXES_RESET_ON_SUCCESS = False  # ADR 0011
AXES_LOCKOUT_CALLABLE = "openvet.identity.lockout.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("OPENVET_PROXY_COUNT", default=0)

SESSION_IDLE_TIMEOUT = timedelta(minutes=env.int("OPENVET_SESSION_IDLE_MINUTES", default=30))
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

HTTPS = env.bool("OPENVET_HTTPS", default=False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env.bool("OPENVET_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# The largest request body a form or API call may send (bytes); imports raise their own limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "Simplified Chinese"), ("en", "English")]
LOCALE_PATHS: list[Path] = []
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages come from npm at install time; none are committed.
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/tus", NODE_MODULES / "tus-js-client" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# Background jobs: eager unless a broker is configured (Redis or RabbitMQ in production).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL == "memory://"
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE
CELERY_TASK_ACKS_LATE = True

# 等保 2.0 level 3 asks audit records be kept at least six months.
AUDIT_RETENTION_DAYS = max(180, env.int("OPENVET_AUDIT_RETENTION_DAYS", default=365))

NINJA_PAGINATION_MAX_LIMIT = 200
API_RATE_LIMIT_LOGIN = env.str("OPENVET_API_RATE_LOGIN", default="10/m")

OTP_TOTP_ISSUER = "OpenVET"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("OPENVET_LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# The xAPI version the LRS answers a request that names none under (ADR 0402).
XAPI_VERSION_WITHOUT_HEADER = env.str("OPENVET_XAPI_VERSION_WITHOUT_HEADER", default="2.0.0")
# Days the LRS keeps a statement after storing it; 0 keeps every statement (ADR 0417).
LRS_RETENTION_DAYS = env.int("OPENVET_LRS_RETENTION_DAYS", default=0)

# The library levels the OAI-PMH provider offers (ADR 0506); a school instance that feeds its
# province's harvester sets "school" (ADR 0512).
RESOURCES_OAI_LEVELS = env.list("OPENVET_OAI_LEVELS", default=["provincial", "national"])

# A second host name of this deployment that serves SCORM and H5 packages, so that their scripts
# cannot read the platform's pages or cookies (ADR 0705); empty serves them from the platform's.
LEARNING_PACKAGE_ORIGIN = env.str("OPENVET_LEARNING_PACKAGE_ORIGIN", default="")
