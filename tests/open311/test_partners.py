"""Partner keys: issued once and stored hashed, renewed, revoked, expiring; managed
in the admin and from the command line."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse

from open311 import demo, services
from open311.keys import key_digest
from open311.models import Jurisdiction, Partner
from tests.factories import ProvinceFactory, UserFactory

from .conftest import BASE

pytestmark = pytest.mark.django_db


def test_a_key_is_stored_only_as_its_digest(issued):
    partner = Partner.objects.get()
    assert issued.key not in {partner.key_digest, partner.key_prefix}
    assert partner.key_digest == key_digest(issued.key)
    assert issued.key.startswith(partner.key_prefix)
    # A year, by default.
    assert partner.expires_on == date(2027, 3, 3)


def test_a_new_key_replaces_the_old_one(file_request, partner, api_key):
    renewed = services.partner_issue_key(partner=partner)
    assert file_request(api_key=api_key).status_code == 403
    assert file_request(api_key=renewed.key).status_code == 200


def test_a_revoked_partners_requests_stay_readable(client, file_request, partner):
    reference = file_request().json()[0]["service_request_id"]
    services.partner_revoke(partner=partner)
    assert client.get(f"{BASE}/requests/{reference}.json").status_code == 200


def _admin(client):
    client.force_login(UserFactory(username="quantri", is_staff=True, is_superuser=True))


def test_the_admin_shows_a_new_partners_key_once(client, jurisdiction):
    _admin(client)
    response = client.post(
        reverse("admin:open311_partner_add"),
        {
            "name": "Tổng đài 1022",
            "jurisdiction": jurisdiction.pk,
            "contact": "",
            "expires_on": "2026-12-31",
            "requests_per_hour": "100",
        },
        follow=True,
    )
    assert response.status_code == 200
    partner = Partner.objects.get(name="Tổng đài 1022")
    assert partner.requests_per_hour == 100
    assert partner.expires_on == date(2026, 12, 31)
    (message,) = [m for m in get_messages(response.wsgi_request) if partner.key_prefix in str(m)]
    key = str(message).split(": ", 1)[1].split(" ", 1)[0]
    assert key_digest(key) == partner.key_digest


def test_the_admin_revokes_and_renews_keys(client, partner):
    _admin(client)
    url = reverse("admin:open311_partner_changelist")
    client.post(url, {"action": "revoke", "_selected_action": [partner.pk]})
    partner.refresh_from_db()
    assert partner.revoked_at is not None and not partner.is_usable()
    client.post(url, {"action": "issue_new_key", "_selected_action": [partner.pk]})
    partner.refresh_from_db()
    assert partner.revoked_at is None and partner.is_usable()


def test_the_command_gives_a_partner_a_key(jurisdiction):
    out = StringIO()
    call_command("open311_partner", "Kiosk xã Gia Viễn", jurisdiction="ninhbinh.gov.vn", stdout=out)
    key = out.getvalue().strip().rsplit("\n", 1)[-1].strip()
    assert Partner.objects.get(name="Kiosk xã Gia Viễn").key_digest == key_digest(key)
    call_command("open311_partner", "Kiosk xã Gia Viễn", revoke=True, stdout=out)
    assert not Partner.objects.get(name="Kiosk xã Gia Viễn").is_usable()


def test_the_demo_partner_gets_a_fresh_key_each_run():
    ProvinceFactory(code="37", name="Tỉnh Ninh Bình")
    first = demo.seed()
    second = demo.seed()
    assert first is not None and second is not None
    assert Jurisdiction.objects.get().jurisdiction_id == "ninhbinh.gov.vn"
    assert Partner.objects.count() == 1
    assert Partner.objects.get().key_digest == key_digest(second.key) != key_digest(first.key)
