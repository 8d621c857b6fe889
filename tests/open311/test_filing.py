"""POST requests: a filing becomes a petition on its clock, in the right inbox, marked
with its partner; every refusal is the specification's error array."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from open311 import services
from open311.models import PartnerRequest
from petitions.models import Channel, Kind, Petition, Status
from petitions.selectors import InboxFilters, inbox

from .conftest import BASE, parse_xml

pytestmark = pytest.mark.django_db


def test_filing_answers_the_specifications_response_with_the_reference(file_request):
    response = file_request()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    petition = Petition.objects.get()
    assert isinstance(body, list) and len(body) == 1
    assert list(body[0]) == ["service_request_id", "service_notice", "account_id"]
    assert body[0]["service_request_id"] == petition.reference
    assert body[0]["service_request_id"].startswith("PA-2026-")
    assert body[0]["account_id"] is None


def test_filing_in_xml_answers_service_requests_request(file_request):
    response = file_request("xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = parse_xml(response.content)
    assert root.tag == "service_requests"
    (request,) = root
    assert request.tag == "request"
    assert [child.tag for child in request] == [
        "service_request_id",
        "service_notice",
        "account_id",
    ]
    assert request.findtext("service_request_id") == Petition.objects.get().reference
    assert request.find("account_id").text is None  # <account_id/>


def test_a_filed_request_is_a_petition_in_the_communes_inbox_on_its_handling_clock(
    file_request, commune_committee, commune, commune_handler, partner
):
    file_request()
    petition = Petition.objects.get()
    assert petition.kind == Kind.REFLECTION
    assert petition.field == "environment"
    assert petition.channel == Channel.PARTNER
    with translation.override("en"):
        assert petition.get_channel_display() == "Forwarded by a partner system"
    assert petition.status == Status.RECEIVED
    assert petition.handling_agency == commune_committee
    assert petition.commune == commune
    assert petition.subject == "Bãi rác tự phát bên kênh"
    # 10 working days from Tuesday 3 March 2026.
    assert petition.handling_due_on == date(2026, 3, 17)
    assert petition.clock_due_on == date(2026, 3, 17)
    assert petition.events.get().action == "submit"
    rows = list(inbox(commune_handler, InboxFilters(), today=date(2026, 3, 3)))
    assert rows == [petition]
    # Marked with its partner on the case: the link row and the content the handler reads.
    link = PartnerRequest.objects.get()
    assert link.petition == petition and link.partner == partner
    assert partner.name in petition.content
    assert "Thôn Đông, xã Gia Viễn" in petition.content


def test_the_location_is_stored_as_sent(file_request):
    file_request()
    link = PartnerRequest.objects.get()
    assert (link.lat, link.long) == ("20.3215047", "105.8493120")
    assert link.address_string == "Thôn Đông, xã Gia Viễn"
    assert link.media_url == "https://example.vn/anh/123.jpg"
    assert link.service_code == "reflection-environment"


def test_a_commune_without_its_own_committee_goes_to_the_provinces(
    file_request, province_committee
):
    assert file_request(**{"attribute[commune_code]": "14330"}).status_code == 200
    assert Petition.objects.get().handling_agency == province_committee


def test_the_tracking_code_goes_only_to_the_caller_and_opens_the_tracking_page(
    client, file_request
):
    notice = file_request().json()[0]["service_notice"]
    petition = Petition.objects.get()
    code = notice.rsplit(" ", 1)[-1].rstrip(".")
    assert len(code) == 10
    response = client.post(
        reverse("petitions:track"), {"reference": petition.reference, "code": code}
    )
    assert response.status_code == 302
    # … and no later answer carries it.
    later = client.get(f"{BASE}/requests/{petition.reference}.json")
    assert code not in later.content.decode()


def test_the_petitioner_is_stored_encrypted_and_named_family_name_first(file_request):
    file_request()
    petition = Petition.objects.get()
    assert petition.display_name == "Nguyễn Văn An"
    assert "0912345678" not in petition.identity
    assert petition.has_email


def test_a_recommendation_service_files_a_recommendation(file_request):
    file_request(service_code="recommendation-transport")
    petition = Petition.objects.get()
    assert (petition.kind, petition.field) == (Kind.RECOMMENDATION, "transport")
    assert petition.reference.startswith("KI-")


def _errors(response, status):
    assert response.status_code == status
    body = response.json()
    assert all(list(error) == ["code", "description"] for error in body)
    assert all(error["code"] == status for error in body)
    return [error["description"] for error in body]


def test_a_missing_required_attribute_is_a_400_error_array(file_request):
    descriptions = _errors(file_request(**{"attribute[commune_code]": None}), 400)
    assert len(descriptions) == 1
    assert "attribute[commune_code]" in descriptions[0]
    assert not Petition.objects.exists()


def test_every_problem_is_one_error_of_the_array(file_request):
    response = file_request(
        **{
            "attribute[commune_code]": "99999",
            "lat": None,
            "long": None,
            "address_string": None,
            "description": "",
            "email": "not-an-address",
        }
    )
    assert len(_errors(response, 400)) == 4  # location, description, commune, e-mail


def test_a_missing_error_in_xml_is_errors_error_code_description(file_request):
    response = file_request("xml", **{"attribute[commune_code]": None})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = parse_xml(response.content)
    assert root.tag == "errors"
    (error,) = root
    assert error.tag == "error"
    assert [child.tag for child in error] == ["code", "description"]
    assert error.findtext("code") == "400"
    assert "attribute[commune_code]" in error.findtext("description")


@pytest.mark.parametrize("key", [None, "", "not-a-key"])
def test_a_missing_or_bad_key_is_a_403(file_request, key):
    assert len(_errors(file_request(api_key=key), 403)) == 1
    assert not Petition.objects.exists()


def test_a_revoked_key_is_a_403(file_request, partner):
    services.partner_revoke(partner=partner)
    _errors(file_request(), 403)


def test_an_expired_key_is_a_403(file_request, partner):
    partner.expires_on = date(2026, 3, 2)
    partner.save()
    _errors(file_request(), 403)


def test_a_key_filed_for_another_jurisdiction_is_a_403(file_request):
    _errors(file_request(jurisdiction_id="hanoi.gov.vn"), 403)


def test_the_jurisdiction_id_may_be_left_out_it_is_the_keys(file_request):
    assert file_request(jurisdiction_id=None).status_code == 200


def test_an_unknown_service_code_is_a_404_and_a_missing_one_a_400(file_request):
    _errors(file_request(service_code="complaint-land"), 404)
    _errors(file_request(service_code="denunciation-land"), 404)
    _errors(file_request(service_code=None), 400)


def test_each_key_has_its_own_hourly_allowance(file_request, partner, settings):
    partner.requests_per_hour = 2
    partner.save()
    assert file_request().status_code == 200
    assert file_request().status_code == 200
    descriptions = _errors(file_request(), 429)
    assert descriptions
    assert Petition.objects.count() == 2


def test_a_refused_filing_never_echoes_the_key(file_request, api_key):
    response = file_request(**{"attribute[commune_code]": None})
    assert api_key not in json.dumps(response.json())


def test_a_nul_character_is_a_400_and_files_nothing(file_request):
    _errors(file_request(description="Rác\x00thải"), 400)
    assert not Petition.objects.exists()
