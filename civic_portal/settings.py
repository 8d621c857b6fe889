"""civic-portal settings: one file, read from the environment, with laptop defaults.

Every variable is listed in README.md. With DEBUG off, a missing SECRET_KEY or
ALLOWED_HOSTS raises instead of starting an insecure server.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from civic_portal.database_url import parse_database_url
from civic_portal.replica_urls import replica_databases

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

_DEV_SECRET = "dev-only-secret-key-civic-portal-never-use-in-production-0123456789"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _DEV_SECRET

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Keys (Fernet, comma-separated, newest first) for personal data at rest: denouncers'
# identities, citizens' addresses. Required in production and checked at start; in
# development a key is derived from SECRET_KEY.
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY")
if FIELD_ENCRYPTION_KEY:
    from cryptography.fernet import Fernet

    try:
        for _key in FIELD_ENCRYPTION_KEY.split(","):
            Fernet(_key.strip().encode())
    except ValueError as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be Fernet keys, comma-separated. Create one with: "
            "python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'"
        ) from exc
elif not DEBUG:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be set when DEBUG is off.")

SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    # Two-factor authentication (TOTP apps and single-use recovery codes); the rule of
    # who must use it and its pages are in twofactor/.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "sealing",
    "agencies",
    "notifications",
    "casework",
    "petitions",
    "recommendations",
    "dashboards",
    "open311",
    "mediation",
    "verdict",
    "schedules",
    "reception",
    # After django_otp's plugins: its admin hides theirs (devices are reset with an
    # audit row, on the colleagues' page or with manage.py reset_two_factor).
    "twofactor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header (django-csp), on every response below it.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for slow links (static files come compressed from whitenoise,
    # above). Django pads each response with random bytes against BREACH, and the CSRF
    # token is masked anew on every response.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "casework.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "casework.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Leads, monitors and administrators reach no page, API call or export until their
    # session has passed the second step (twofactor.middleware; the one gate).
    "twofactor.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "civic_portal.urls"
WSGI_APPLICATION = "civic_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# DATABASE_URL may name a primary and its standbys, as libpq writes it
# (postgres://u@h1:5432,h2:5432/db?target_session_attrs=read-write): new connections
# find whichever is the primary now. A connection kept between requests (CONN_MAX_AGE)
# is checked before reuse (health checks), so one the failover dropped is replaced
# instead of failing the request; README "Production: database failover".
# The session settings of every PostgreSQL connection (primary and replicas).
_WORK_MEM = env_str("DB_WORK_MEM", "32MB")
if not re.fullmatch(r"\d+(kB|MB|GB)", _WORK_MEM):
    raise ImproperlyConfigured("DB_WORK_MEM: a size such as 32MB (kB, MB or GB).")
PG_SESSION = f"-c jit=off -c work_mem={_WORK_MEM}"
DATABASES = {
    "default": parse_database_url(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'civic_portal.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The figures are short aggregates over an index: compiling them with LLVM (JIT)
    # costs more than it saves (up to 40 ms a query in `make bench`). A setting of the
    # session, so a shared server keeps its own defaults for other applications.
    # A dashboard page groups the open cases six ways in one pass (petitions.figures
    # one_pass): with the server's default 4 MB it sorts two of them on disk (121 ms at
    # 1,000,000 petitions); with 32 MB it hashes all six (93 ms). Per session too.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("options", PG_SESSION)
    # Per host: a server that died without closing its sockets must not hold a
    # request (or the next host of a multi-host URL) for the kernel's two minutes.
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5))
# Read-only replicas (one URL, or several separated by commas): the dashboards, the stats
# API, the exports and the public pages read from one of them; writes and everything a
# user must see right after their own change never do (casework/replicas.py; README
# "Đọc từ bản sao (replicas)"). Unset: everything reads the default database.
DATABASES.update(
    replica_databases(
        env_str("DATABASE_REPLICA_URL"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        connect_timeout=env_int("DB_REPLICA_CONNECT_TIMEOUT", 2),
        session=PG_SESSION,
    )
)
DATABASE_READ_REPLICAS = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["casework.replicas.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A file cache by default so that web, worker and beat share it (rate limits, heartbeat).
CACHES: dict[str, dict[str, object]] = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}
if env_str("REDIS_URL"):
    # The broker's server: while it is down the cache acts empty instead of raising
    # (casework.cache), so an outage never refuses a citizen at the rate limit.
    CACHES = {
        "default": {
            "BACKEND": "casework.cache.ForgivingRedisCache",
            "LOCATION": env_str("REDIS_URL"),
            "KEY_PREFIX": "civic",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out client before a password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins (/login/ and /admin/login/): 10 per client address and username in an
# hour, the username counted as authentication reads it (NFKC, no blanks, any case).
# The pair, not each alone, so a guesser can neither lock a colleague out from
# elsewhere nor an office behind one address out of every account.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "casework.throttle.login_username"
AXES_CLIENT_IP_CALLABLE = "casework.throttle.login_address"
AXES_LOCKOUT_CALLABLE = "dashboards.site.lockout_response"
AXES_RESET_ON_SUCCESS = True
# The password is never stored with a failed attempt (axes' default list, kept explicit).
AXES_SENSITIVE_PARAMETERS = ["password"]
LOGIN_URL = "login"
# Two-factor authentication (twofactor/): the issuer name authenticator apps show, wrong
# codes a user may type in an hour before the code page answers 429, and how often a
# session that needs no code re-reads whether it does now (a handler made a lead).
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Cổng đơn thư")
TWO_FACTOR_FAILURE_LIMIT = env_int("TWO_FACTOR_FAILURE_LIMIT", 10)
TWO_FACTOR_RECHECK_SECONDS = env_int("TWO_FACTOR_RECHECK_SECONDS", 300)
LOGIN_REDIRECT_URL = "agencies:staff_home"
LOGOUT_REDIRECT_URL = "home"

# Vietnamese first; English available.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["civic_portal.formats"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files whitenoise serves at the site's root: /favicon.ico (asked for by pages that name
# no icon: the admin, the API docs) and /robots.txt.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 60 * 1024 * 1024

# --- E-mail: console/file locally, SMTP in production -----------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = Path(env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail")))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Cổng đơn thư <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery: Redis when REDIS_URL is set, otherwise a broker that needs no server --
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
_BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = (
    {
        "data_folder_in": str(_BROKER_DIR),
        "data_folder_out": str(_BROKER_DIR),
        "control_folder": str(VAR_DIR / "broker-control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem://")
    # A broker host that does not answer must not hold a citizen's request for long.
    else {"visibility_timeout": 3600, "socket_connect_timeout": 2, "socket_timeout": 5}
)
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The static beat schedule. Each entry says when it runs, in words.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Every minute: write a heartbeat so /healthz can tell that beat and a worker run.
    "heartbeat": {"task": "dashboards.tasks.heartbeat", "schedule": 60.0},
    # Every night at 01:30: refresh the next two years of the working-day calendar cache.
    "calendar-warmup": {
        "task": "agencies.tasks.calendar_warmup",
        "schedule": crontab(hour=1, minute=30),
    },
    # Every minute: send the e-mails still pending in the outbox (broker outage, failed
    # try now due again, a worker killed mid-send); a run nobody picks up within the
    # minute is dropped, the next one does the same work.
    "notifications-resend-pending": {
        "task": "notifications.tasks.resend_pending",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Every 10 minutes: fold the delta rows of the figures' facts and tallies into one
    # row per key (petitions/facts.py, recommendations/tallies.py); readers sum either
    # way, so a missed run only costs rows.
    "figures-compact": {
        "task": "dashboards.tasks.compact_figures",
        "schedule": 600.0,
        "options": {"expires": 540},
    },
    # Every 15 minutes: petition deadline reminders (due soon, due today, overdue, long
    # overdue); each step is claimed once, so overlapping runs are harmless.
    "petitions-reminders": {
        "task": "petitions.tasks.send_reminders",
        "schedule": 900.0,
        "options": {"expires": 840},
    },
    # Every 15 minutes: mediation reminders (the 3-day start, the land mediation's 30
    # days); each step is claimed once, so overlapping runs are harmless.
    "mediation-reminders": {
        "task": "mediation.tasks.send_reminders",
        "schedule": 900.0,
        "options": {"expires": 840},
    },
    # Every 15 minutes: reminders of the answer owed to citizens received at the desk
    # (10 working days, Luật Tiếp công dân art. 28); each step is claimed once.
    "reception-reminders": {
        "task": "reception.tasks.send_reminders",
        "schedule": 900.0,
        "options": {"expires": 840},
    },
    # Every 15 minutes: reminders for agencies' answers to voter recommendations.
    "recommendations-reminders": {
        "task": "recommendations.tasks.send_reminders",
        "schedule": 900.0,
        "options": {"expires": 840},
    },
    # Every 15 minutes: reception-day reminders to the leader and the reception office
    # (two working days before, on the day, and after it until it is recorded).
    "schedules-reminders": {
        "task": "schedules.tasks.send_reminders",
        "schedule": 900.0,
        "options": {"expires": 840},
    },
    # Every Monday at 07:00: each lead's weekly digest of overdue and due-soon cases.
    "weekly-digest": {
        "task": "dashboards.tasks.weekly_digest",
        "schedule": crontab(day_of_week="mon", hour=7, minute=0),
    },
    # Every hour: ask once more, by e-mail, the citizens who have not said whether their
    # resolved case is settled (VERDICT_REMINDER_DAYS after the resolution); each
    # reminder is claimed once, so overlapping runs are harmless.
    "verdict-reminders": {
        "task": "verdict.tasks.send_reminders",
        "schedule": 3600.0,
        "options": {"expires": 3500},
    },
    # Every night at 00:30: close resolved petitions whose decision has taken effect.
    "petitions-close-effective": {
        "task": "petitions.tasks.close_due_petitions",
        "schedule": crontab(hour=0, minute=30),
    },
}

# --- REST API -----------------------------------------------------------------------
# Days an API token stays valid from its creation (0: forever); renew with
# `manage.py drf_create_token -r <user>` (casework.drf.auth).
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 180)

REST_FRAMEWORK = {
    # Token first: an unauthenticated call gets 401 with WWW-Authenticate, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "casework.drf.auth.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON with a nesting limit and no lone surrogates (casework.drf.parsers); the
    # answers' documents come as multipart, some clients post forms.
    "DEFAULT_PARSER_CLASSES": [
        "casework.drf.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "casework.drf.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "civic-portal API",
    "DESCRIPTION": "Petitions and voter recommendations of Vietnamese local government.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and docs stay public on purpose: they describe an open-source API and
    # reveal no data; every endpoint they list requires authentication.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Security: strict whenever DEBUG is off ------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy, enforced (not report-only), in development too: everything
# from our own origin, no inline script or style, no plugins, no framing, forms post
# only here. `data:` images for the SVG icons Bootstrap's CSS embeds (select arrow,
# navbar toggler, accordion chevrons, form validation). Django's admin needs nothing
# more. The API docs pages relax it for themselves (civic_portal.api). Templates use
# data attributes wired by static/js/portal.js instead of onclick="…" and classes in
# static/css instead of style="…"; tests/security/test_csp.py and the browser tests
# (tests/e2e/conftest.py) fail on a violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Submissions per client address per hour (citizen form).
SUBMISSION_RATE_LIMIT = env_int("SUBMISSION_RATE_LIMIT", 10)
# `python -m bench.surge` only: mounts /bench/reference/, a view that inserts one row
# into a bench-only table, as the yardstick of the public form's throughput. Off
# unless the bench's own server sets BENCH_REFERENCE=1; never set it in production.
BENCH_REFERENCE_VIEW = env_bool("BENCH_REFERENCE", False)
# The citizen's verdict (verdict app): days after a resolution when a citizen who has
# not answered is reminded once, and voters' verdicts per client address an hour.
VERDICT_REMINDER_DAYS = env_int("VERDICT_REMINDER_DAYS", 7)
VOTER_VOTE_RATE_LIMIT = env_int("VOTER_VOTE_RATE_LIMIT", 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Lockouts and failed attempts are warnings; its INFO lines are every login.
        "axes": {"level": "WARNING"},
    },
}
