"""Test-wide settings and the rule that CI never silently skips a real-service test."""

from __future__ import annotations

import os
import uuid

import pytest

# In CI (.ci/run sets CIVIC_REQUIRE_ALL=1) a test that cannot reach the database server,
# the broker, a worker or the browser fails instead of skipping.
REQUIRE_ALL = os.environ.get("CIVIC_REQUIRE_ALL") == "1"


def skip_or_fail(reason: str) -> None:
    if REQUIRE_ALL:
        pytest.fail(f"required in CI but unavailable: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "vi"
    # A fresh in-memory cache per test: rate limits and heartbeats must not leak.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4()}",
        }
    }


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    """Tests never publish to a real broker unless they start one themselves
    (tests/notifications/test_worker.py): queued tasks run inline."""
    from civic_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _default_policies(request):
    """Transactional tests flush the database, and with it the rows data migrations made
    (the default deadline policies): put them back for the tests that need them."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "live_server" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if not transactional:
        return
    import importlib

    from django.apps import apps

    request.getfixturevalue("transactional_db")
    migration = importlib.import_module("agencies.migrations.0003_default_deadline_policies")
    migration.create(apps, None)
