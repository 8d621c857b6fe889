"""A denouncer's own documents may name them by their file names: a lead sees those
names only after revealing the identity (with a reason, in the audit log), on the page
and in the API alike (found by the permission sweep, issue 16 item 8)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from petitions.models import Attachment
from tests.factories import submit_petition
from tests.petitions.conftest import *  # noqa: F403  (agency, lead, handler)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NAME = "don-to-cao-cua-nguyen-van-binh.pdf"


@pytest.fixture
def denunciation(agency):
    petition = submit_petition(agency=agency, kind="denunciation").petition
    Attachment.objects.create(
        petition=petition,
        file=SimpleUploadedFile(NAME, PDF),
        original_name=NAME,
        content_type="application/pdf",
        size=len(PDF),
        is_identifying=True,
    )
    return petition


def test_a_lead_does_not_read_the_denouncers_file_names_before_a_reveal(client, denunciation, lead):
    client.force_login(lead)
    page = client.get(reverse("petitions:detail", args=[denunciation.pk])).content.decode()
    api = client.get(f"/api/v1/petitions/{denunciation.pk}/").json()
    assert NAME not in page
    assert NAME not in str(api) and api["hidden_attachments"] == 1


def test_after_the_logged_reveal_the_lead_sees_them(client, denunciation, lead):
    client.force_login(lead)
    client.post(
        reverse("petitions:action", args=[denunciation.pk, "reveal"]),
        {"reason": "Mời người tố cáo đến làm việc"},
    )
    page = client.get(reverse("petitions:detail", args=[denunciation.pk])).content.decode()
    assert NAME in page
    assert NAME in str(client.get(f"/api/v1/petitions/{denunciation.pk}/").json())


def test_a_handler_never_sees_them(client, denunciation, handler):
    client.force_login(handler)
    page = client.get(reverse("petitions:detail", args=[denunciation.pk])).content.decode()
    assert NAME not in page
