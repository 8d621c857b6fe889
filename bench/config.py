"""Where the benchmark's databases live and the environment its processes run with.

Everything here runs before `django.setup()`: settings read the environment once, so
the bench database and a production-like configuration (DEBUG off) are chosen here.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
# Files of the bench processes (cache, broker folders, gunicorn log), never var/ itself.
VAR_DIR = BASE_DIR / "var" / "bench"

MAIN_URL = "postgres://postgres@127.0.0.1:5432/civic_portal_bench"
SWEEP_URL = "postgres://postgres@127.0.0.1:5432/civic_portal_bench_sweep"
# Shared by the generator and the servers so identities encrypted at load decrypt later.
SECRET_KEY = "bench-only-secret-key-not-for-production-civic-portal-0123456789"  # noqa: S105
# A fixed Fernet key (required with DEBUG off) for the identities the generator encrypts.
FIELD_ENCRYPTION_KEY = base64.urlsafe_b64encode(hashlib.sha256(SECRET_KEY.encode()).digest())


# The size of the main dataset (BENCH_SCALE petitions, a tenth as many voter
# recommendations); 1,000,000 is the reference every other scale is compared with.
REFERENCE_SCALE = 1_000_000


def scale() -> int:
    return int(os.environ.get("BENCH_SCALE") or REFERENCE_SCALE)


def main_url(at_scale: int | None = None) -> str:
    """The main dataset of a scale: civic_portal_bench at 1,000,000, _3000000 beside it."""
    at_scale = scale() if at_scale is None else at_scale
    if os.environ.get("BENCH_DATABASE_URL") and at_scale == scale():
        return os.environ["BENCH_DATABASE_URL"]
    return MAIN_URL if at_scale == REFERENCE_SCALE else f"{MAIN_URL}_{at_scale}"


def sweep_url() -> str:
    return os.environ.get("BENCH_SWEEP_DATABASE_URL") or SWEEP_URL


def server_environment(database_url: str) -> dict[str, str]:
    """The environment of a production-like process (DEBUG off) on the bench database."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    for folder in ("broker", "broker-control", "mail", "cache", "static"):
        (VAR_DIR / folder).mkdir(exist_ok=True)
    return {
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "FIELD_ENCRYPTION_KEY": FIELD_ENCRYPTION_KEY.decode(),
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_MANIFEST": "0",
        "DATABASE_URL": database_url,
        "VAR_DIR": str(VAR_DIR),
        # Notices queued by the sweep go to a broker folder nobody consumes: other
        # engineers' workers on the shared Redis must never see bench notice ids.
        "CELERY_BROKER_URL": "filesystem://",
        "REDIS_URL": "",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "civic_portal.settings",
    }


def setup_django(database_url: str) -> None:
    """Point this process at `database_url` and start Django (call once, first)."""
    os.environ.update(server_environment(database_url))
    import django

    django.setup()


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _maintenance_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, parts.fragment))


def _connect(url: str):  # type: ignore[no-untyped-def]
    import psycopg2

    connection = psycopg2.connect(url.replace("postgres://", "postgresql://", 1))
    connection.autocommit = True
    return connection


def ensure_database(url: str, *, recreate: bool = False) -> bool:
    """Create the database named in `url` if missing (or drop it first); True if created."""
    from psycopg2 import sql

    name = database_name(url)
    connection = _connect(_maintenance_url(url))
    try:
        with connection.cursor() as cursor:
            if recreate:
                cursor.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    finally:
        connection.close()
