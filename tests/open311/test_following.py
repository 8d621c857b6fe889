"""GET requests and requests/<id>: a filed request followed as its case moves — its
status, notes and agency — with the petitioner's identity nowhere, and a constant
number of queries."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from agencies.models import Role
from petitions import services as petition_services
from petitions.models import Petition
from tests.factories import AgencyFactory, member, submit_petition

from .conftest import BASE, VN, parse_xml

pytestmark = pytest.mark.django_db

REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
IDENTITY = ("Nguyễn Văn", "An", "an.nv@example.vn", "0912345678")


def _filed(file_request, **changes):
    reference = file_request(**changes).json()[0]["service_request_id"]
    return reference, Petition.objects.get(reference=reference)


def _one(client, reference, fmt="json", **params):
    return client.get(f"{BASE}/requests/{reference}.{fmt}", params)


def test_a_request_reads_as_the_specifications_example_field_by_field(client, file_request):
    reference, _petition = _filed(file_request)
    response = _one(client, reference)
    assert response.status_code == 200
    (body,) = response.json()  # a one-element list, as the specification answers
    assert list(body) == REQUEST_FIELDS
    assert body["service_request_id"] == reference
    assert body["status"] == "open"
    assert body["status_notes"]
    assert body["service_code"] == "reflection-environment"
    assert body["service_name"]
    assert body["agency_responsible"] == "Ủy ban nhân dân xã Gia Viễn"
    assert body["requested_datetime"] == "2026-03-03T09:00:00+07:00"
    assert body["updated_datetime"] == "2026-03-03T09:00:00+07:00"
    # The handling clock's last day, to its end.
    assert body["expected_datetime"] == "2026-03-17T23:59:59+07:00"
    # To anyone but the filing partner, what was written and where stays out.
    for name in ("description", "address", "lat", "long", "media_url"):
        assert body[name] is None


def test_the_filing_partner_reads_what_it_sent(client, file_request, api_key):
    reference, _petition = _filed(file_request)
    (body,) = _one(client, reference, api_key=api_key).json()
    assert body["description"].startswith("Bãi rác tự phát bên kênh")
    assert body["address"] == "Thôn Đông, xã Gia Viễn"
    assert (body["lat"], body["long"]) == (20.3215047, 105.849312)
    assert body["media_url"] == "https://example.vn/anh/123.jpg"


def test_a_request_in_xml_is_service_requests_request_with_every_field(client, file_request):
    reference, _petition = _filed(file_request)
    response = _one(client, reference, "xml")
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = parse_xml(response.content)
    assert root.tag == "service_requests"
    (request,) = root.findall("request")
    assert [child.tag for child in request] == REQUEST_FIELDS
    assert request.findtext("status") == "open"
    assert request.findtext("service_request_id") == reference
    assert request.find("zipcode").text is None


def test_an_unknown_id_is_a_404_error_array(client, jurisdiction):
    response = _one(client, "PA-2026-999999")
    assert response.status_code == 404
    (error,) = response.json()
    assert error["code"] == 404
    xml = _one(client, "PA-2026-999999", "xml")
    assert xml.status_code == 404
    assert parse_xml(xml.content).findtext("error/code") == "404"


def test_a_petition_not_filed_through_open311_is_not_found(client, jurisdiction, commune_committee):
    other = submit_petition(agency=commune_committee, kind="reflection").petition
    assert _one(client, other.reference).status_code == 404


def test_a_bad_key_on_a_read_is_a_403(client, file_request):
    reference, _petition = _filed(file_request)
    assert _one(client, reference, api_key="wrong").status_code == 403


def test_the_status_follows_the_case_as_it_moves(client, file_request, commune_lead):
    reference, petition = _filed(file_request)
    with time_machine.travel(datetime(2026, 3, 5, 10, tzinfo=VN), tick=False):
        petition_services.petition_accept(
            petition=Petition.objects.get(pk=petition.pk), actor=commune_lead
        )
    (body,) = _one(client, reference).json()
    assert body["status"] == "open"
    assert body["updated_datetime"] == "2026-03-05T10:00:00+07:00"
    # Now the resolution clock: 30 calendar days from 5 March.
    assert body["expected_datetime"] == "2026-04-06T23:59:59+07:00"
    with time_machine.travel(datetime(2026, 3, 20, 15, tzinfo=VN), tick=False):
        petition_services.petition_resolve(
            petition=Petition.objects.get(pk=petition.pk),
            actor=commune_lead,
            outcome="adopted",
            decision_number="12/TB-UBND",
            result_summary="Đã thu gom rác và cắm biển cấm đổ rác.",
        )
    (body,) = _one(client, reference).json()
    assert body["status"] == "closed"
    assert "Đã thu gom rác và cắm biển cấm đổ rác." in body["status_notes"]
    assert body["updated_datetime"] == "2026-03-20T15:00:00+07:00"
    assert body["expected_datetime"] is None


def test_a_transferred_request_is_followed_to_the_receiving_agency(
    client, file_request, commune_handler, province
):
    reference, petition = _filed(file_request)
    department = AgencyFactory(unit=province, name="Sở Nông nghiệp và Môi trường")
    petition_services.petition_transfer(
        petition=Petition.objects.get(pk=petition.pk), actor=commune_handler, to_agency=department
    )
    (body,) = _one(client, reference).json()
    assert body["service_request_id"] == reference  # the partner's id stays
    assert body["status"] == "open"
    assert body["agency_responsible"] == "Sở Nông nghiệp và Môi trường"
    listed = client.get(f"{BASE}/requests.json", {"status": "open"}).json()
    assert [row["service_request_id"] for row in listed] == [reference]
    assert client.get(f"{BASE}/requests.json", {"status": "closed"}).json() == []


def test_the_petitioners_identity_never_appears(client, file_request, api_key, commune_lead):
    reference, petition = _filed(file_request)
    petition_services.petition_accept(
        petition=Petition.objects.get(pk=petition.pk), actor=commune_lead
    )
    answers = [
        _one(client, reference, fmt, **key).content.decode()
        for fmt in ("json", "xml")
        for key in ({}, {"api_key": api_key})
    ] + [
        client.get(f"{BASE}/requests.{fmt}", key).content.decode()
        for fmt in ("json", "xml")
        for key in ({}, {"api_key": api_key})
    ]
    for answer in answers:
        for part in IDENTITY:
            assert part not in answer


def test_the_list_filters_by_status_service_code_dates_and_ids(client, file_request, commune_lead):
    first, petition = _filed(file_request)
    with time_machine.travel(datetime(2026, 3, 4, 9, tzinfo=VN), tick=False):
        second, _p = _filed(file_request, service_code="recommendation-transport")
    petition_services.petition_terminate(
        petition=Petition.objects.get(pk=petition.pk), actor=commune_lead, reason="Trùng lặp."
    )

    def ids(**params):
        response = client.get(f"{BASE}/requests.json", params)
        assert response.status_code == 200, response.content
        return [row["service_request_id"] for row in response.json()]

    with time_machine.travel(datetime(2026, 3, 5, 9, tzinfo=VN), tick=False):
        assert ids() == [second, first]  # newest first
        assert ids(status="open") == [second]
        assert ids(status="closed") == [first]
        assert ids(status="open,closed") == [second, first]
        assert ids(service_code="recommendation-transport") == [second]
        assert ids(service_code="reflection-environment,recommendation-transport") == [
            second,
            first,
        ]
        assert ids(start_date="2026-03-04T00:00:00+07:00") == [second]
        # 09:00 on 4 March in Vietnam is 02:00 UTC: after this end.
        assert ids(end_date="2026-03-03T23:59:59Z") == [first]
        assert ids(start_date="2026-03-03T00:00:00Z", end_date="2026-03-03T12:00:00+07:00") == [
            first
        ]
        # service_request_id overrides every other argument.
        assert ids(service_request_id=f"{first},{second}", status="open") == [second, first]


def test_bad_filters_are_400_error_arrays(client, jurisdiction):
    for params in (
        {"status": "pending"},
        {"start_date": "yesterday"},
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
        {"page": "0"},
    ):
        response = client.get(f"{BASE}/requests.json", params)
        assert response.status_code == 400, params
        assert response.json()[0]["code"] == 400


def test_the_list_is_paginated_with_a_link_to_the_next_page(client, file_request):
    references = []
    for hour in (9, 10, 11):
        with time_machine.travel(datetime(2026, 3, 3, hour, tzinfo=VN), tick=False):
            references.append(_filed(file_request)[0])
    with time_machine.travel(datetime(2026, 3, 4, 9, tzinfo=VN), tick=False):
        first = client.get(f"{BASE}/requests.json", {"page_size": "2"})
        assert [r["service_request_id"] for r in first.json()] == references[::-1][:2]
        assert 'rel="next"' in first["Link"] and "page=2" in first["Link"]
        second = client.get(f"{BASE}/requests.json", {"page_size": "2", "page": "2"})
        assert [r["service_request_id"] for r in second.json()] == references[:1]
        assert "Link" not in second


def test_listing_requests_takes_the_same_queries_for_one_or_many(
    client, file_request, django_assert_num_queries
):
    def listing():
        with time_machine.travel(datetime(2026, 3, 4, 9, tzinfo=VN), tick=False):
            return client.get(f"{BASE}/requests.json")

    _filed(file_request)
    # 1 the jurisdictions (the only one is the default), 2 the page of requests with
    # their cases, agencies and latest public notes.
    with django_assert_num_queries(2):
        assert len(listing().json()) == 1
    for _ in range(4):
        _filed(file_request)
    with django_assert_num_queries(2):
        assert len(listing().json()) == 5


def test_a_transferred_request_costs_one_query_per_step_not_per_request(
    client, file_request, commune_handler, province, django_assert_num_queries
):
    department = AgencyFactory(unit=province, name="Sở Xây dựng")
    for _ in range(3):
        _reference, petition = _filed(file_request)
        petition_services.petition_transfer(
            petition=Petition.objects.get(pk=petition.pk),
            actor=commune_handler,
            to_agency=department,
        )
    # 1 jurisdictions, 2 the page, 3 the cases the transfers opened.
    with django_assert_num_queries(3):
        client.get(f"{BASE}/requests.json")


def test_filed_requests_are_counted_on_the_dashboard_by_channel(
    client, file_request, commune_committee
):
    _filed(file_request)
    monitor = member(Role.MONITOR, commune_committee, username="giamsat")
    client.force_login(monitor)
    response = client.get(
        reverse("stats:by", kwargs={"dimension": "channel"}),
        {"from": "01/03/2026", "to": "31/03/2026"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(row["key"], row["received"]) for row in rows] == [("partner", 1)]
    assert rows[0]["label"] == "Forwarded by a partner system"


def test_the_request_list_in_xml_is_one_request_element_per_request(client, file_request):
    _filed(file_request)
    _filed(file_request)
    root = parse_xml(client.get(f"{BASE}/requests.xml").content)
    assert root.tag == "service_requests"
    assert len(root.findall("request")) == 2


def test_reads_are_limited_per_client(client, jurisdiction, monkeypatch):
    monkeypatch.setattr("open311.throttle.ANONYMOUS_PER_HOUR", 2)
    assert client.get(f"{BASE}/services.json").status_code == 200
    assert client.get(f"{BASE}/services.json").status_code == 200
    assert client.get(f"{BASE}/services.json").status_code == 429


def test_dates_are_w3_with_the_offset(client, file_request):
    reference, _petition = _filed(file_request)
    (body,) = _one(client, reference).json()
    moment = datetime.fromisoformat(body["requested_datetime"])
    assert moment.utcoffset() == timedelta(hours=7)


def test_one_request_is_two_queries(client, file_request, django_assert_num_queries):
    reference, _petition = _filed(file_request)
    # 1 the jurisdictions, 2 the request with its case, agency and latest public note.
    with django_assert_num_queries(2):
        assert _one(client, reference).status_code == 200
