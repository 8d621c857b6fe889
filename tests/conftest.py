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
    # Reads stay on the test database's primary connection; tests/replicas turns the
    # replica router on (with DATABASE_REPLICA_URL, CI's streaming replica).
    settings.DATABASE_READ_REPLICAS = []
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


@pytest.fixture(autouse=True)
def _logins_pass_the_second_step(request, monkeypatch):
    """`Client.force_login(user)` (and `Client.login`) stand in for typing the password;
    here they stand in for typing the two-factor code as well: the user gets a real
    confirmed authenticator (twofactor: django-otp's TOTPDevice) unless they have one,
    and the session is marked verified with it, exactly as the code page does. So the
    tests of leads, monitors and administrators need not know about the second step.
    A test that needs a session stopped at the code page asks for the fixture
    `real_two_factor` (defined in tests/security/test_2fa.py), which leaves the client
    alone."""
    if "real_two_factor" in request.fixturenames:
        return
    from django.http import HttpRequest
    from django.test.client import ClientMixin

    original = ClientMixin._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from twofactor.session import mark_verified

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        request = HttpRequest()
        request.session = self.session  # the store behind the cookie just set
        mark_verified(request, device)
        request.session.save()

    monkeypatch.setattr(ClientMixin, "_login", _login)
