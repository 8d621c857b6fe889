"""Bad input to the petitions pages and API is a clear 400 (or 404) in the request's
language and changes nothing; never a server error (issue 16)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from petitions import services
from petitions.models import Petition, PetitionEvent, Status
from tests.factories import submit_petition
from tests.petitions.conftest import *  # noqa: F403  (fixtures shared with the page tests)

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "Không được dùng ký tự null."


def said(msgid: str, **values: object) -> str:
    """A message as the Vietnamese site says it (its translation once the catalogue
    has one: the new messages of issue 16 are listed for the translators)."""
    with translation.override("vi"):
        return translation.gettext(msgid) % values if values else translation.gettext(msgid)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.mark.parametrize(
    "path",
    [
        "/tra-cuu/%00/",
        "/tra-cuu/?q=%00",
        "/staff/petitions/?q=%00",
        "/staff/recommendations/?q=%00",
        "/staff/recommendations/inbox/?q=%00",
        "/kien-nghi-cu-tri/?q=%00",
        "/api/v1/petitions/?q=%00",
        "/api/v1/agencies/?q=%00",
        "/?next=%00",
    ],
)
def test_a_nul_byte_in_the_address_is_a_400_in_vietnamese(client, handler, path):
    client.force_login(handler)
    response = client.get(path)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


def test_the_nul_message_speaks_english_too(client):
    client.cookies["django_language"] = "en"
    response = client.get("/tra-cuu/%00/")
    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()


def test_a_nul_byte_in_a_tracking_post_is_a_400_and_writes_nothing(client, agency):
    submitted = submit_petition(agency=agency)
    response = client.post(reverse("petitions:track"), {"reference": "\x00", "code": "\x00"})
    assert response.status_code == 400
    assert PetitionEvent.objects.filter(petition=submitted.petition).count() == 1


def _nested(depth: int) -> str:
    return '{"note": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deeply_nested_json_is_a_400_and_writes_nothing(api, agency, lead, depth):
    petition = submit_petition(agency=agency).petition
    api.force_login(lead)
    response = api.post(
        f"/api/v1/petitions/{petition.pk}/accept/",
        _nested(depth),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == said(
        "The JSON body is nested too deeply (at most %(depth)s levels).", depth=32
    )
    petition.refresh_from_db()
    assert petition.status == Status.RECEIVED


def test_a_lone_surrogate_in_a_choice_is_a_400(api, agency, lead):
    petition = submit_petition(agency=agency).petition
    api.force_login(lead)
    body = '{"reason": "\\ud800", "note": "x"}'
    response = api.post(
        f"/api/v1/petitions/{petition.pk}/not_accept/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == said(
        "The JSON body contains invalid characters (a lone surrogate)."
    )
    petition.refresh_from_db()
    assert petition.status == Status.RECEIVED


@pytest.mark.parametrize(
    "spell",
    [
        lambda pk: pk + 0.9,
        float,
        lambda pk: True,
        lambda pk: f"{pk}.9",
        lambda pk: f"{pk}.0",
        lambda pk: [pk],
        lambda pk: {"id": pk},
        lambda pk: 2**64,
    ],
    ids=["float", "whole-float", "bool", "float-text", "whole-float-text", "list", "dict", "huge"],
)
def test_an_agency_id_must_be_an_integer(api, agency, other_agency, handler, spell):
    petition = submit_petition(agency=agency).petition
    api.force_login(handler)
    chosen = spell(other_agency.pk)
    response = api.post(
        f"/api/v1/petitions/{petition.pk}/transfer/",
        json.dumps({"to_agency": chosen}),
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "to_agency" in response.json()
    petition.refresh_from_db()
    assert petition.status == Status.RECEIVED
    assert Petition.objects.count() == 1


def test_an_agency_id_as_an_integer_or_its_digits_is_accepted(api, agency, other_agency, handler):
    first = submit_petition(agency=agency).petition
    api.force_login(handler)
    for petition, value in ((first, other_agency.pk), (None, str(other_agency.pk))):
        petition = petition or submit_petition(agency=agency).petition
        response = api.post(
            f"/api/v1/petitions/{petition.pk}/transfer/",
            {"to_agency": value},
            format="json",
        )
        assert response.status_code == 201, response.content


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31"])
def test_an_implausible_decision_date_is_refused(api, agency, lead, day):
    petition = submit_petition(agency=agency).petition
    services.petition_accept(petition=petition, actor=lead)
    api.force_login(lead)
    response = api.post(
        f"/api/v1/petitions/{petition.pk}/resolve/",
        {
            "outcome": "adopted",
            "decision_number": "12/QĐ-UBND",
            "decision_date": day,
            "result_summary": "Đã giải quyết.",
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "decision_date" in response.json()
    petition.refresh_from_db()
    assert petition.status == Status.ACCEPTED
    assert petition.decision_date is None or petition.decision_date >= date(2000, 1, 1)
