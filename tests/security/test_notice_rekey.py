"""The outbox's old citizen keys are rewritten so that they tie nothing together."""

import importlib

import pytest
from django.apps import apps

from notifications.models import Notice
from notifications.services import notify
from sealing.crypto import keyed_digest

pytestmark = pytest.mark.django_db

rekey = importlib.import_module("notifications.migrations.0003_unlink_citizen_notice_keys")


def test_old_citizen_keys_are_rewritten_as_new_notices_are_keyed():
    fresh = notify(
        key="petition:7:received:citizen",
        kind="petition.received",
        template="petitions/citizen_received",
        context={"reference": "TC-2026-000007"},
        email="dan@example.org",
        channels=("email",),
    )[0]
    expected = fresh.key
    old = "e" + keyed_digest("dan@example.org", purpose="notice-recipient")[:16]
    Notice.objects.filter(pk=fresh.pk).update(key=f"petition:7:received:citizen:{old}:email")
    rekey.rekey(apps, None)
    fresh.refresh_from_db()
    assert fresh.key == expected
