"""Discovery, the service list and a service's definition, field by field against the
specification's examples, in JSON and XML."""

from __future__ import annotations

import pytest

from agencies.models import Field
from open311.models import Jurisdiction
from tests.factories import ProvinceFactory

from .conftest import BASE, parse_xml

pytestmark = pytest.mark.django_db

SERVICE_FIELDS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]
ATTRIBUTE_FIELDS = [
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
]


def test_discovery_in_json_has_every_field_of_the_specification(client, jurisdiction):
    response = client.get(f"{BASE}/discovery.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert list(body) == ["changeset", "contact", "key_service", "endpoints"]
    (endpoint,) = body["endpoints"]
    assert list(endpoint) == ["specification", "url", "changeset", "type", "formats"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["type"] in {"production", "test"}
    assert endpoint["formats"] == ["text/xml", "application/json"]


def test_discovery_in_xml_lists_formats_as_format_elements(client, jurisdiction):
    response = client.get(f"{BASE}/discovery.xml")
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = parse_xml(response.content)
    assert root.tag == "discovery"
    assert [child.tag for child in root] == ["changeset", "contact", "key_service", "endpoints"]
    endpoint = root.find("endpoints/endpoint")
    assert endpoint.findtext("url") == "http://testserver/open311/v2"
    assert [f.text for f in endpoint.findall("formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_the_service_list_offers_each_field_for_recommendations_and_reflections(
    client, jurisdiction
):
    body = client.get(f"{BASE}/services.json").json()
    codes = [service["service_code"] for service in body]
    assert len(codes) == 2 * len(Field.values)
    assert "reflection-land" in codes and "recommendation-health" in codes
    # Complaints and denunciations have legal forms: not offered here.
    assert not [c for c in codes if c.startswith(("complaint", "denunciation"))]
    first = body[0]
    assert list(first) == SERVICE_FIELDS
    assert first["metadata"] is True  # a JSON boolean, as in the example
    assert first["type"] == "realtime"
    assert isinstance(first["keywords"], str) and isinstance(first["group"], str)


def test_the_service_list_in_xml_is_services_service(client, jurisdiction):
    root = parse_xml(client.get(f"{BASE}/services.xml").content)
    assert root.tag == "services"
    service = root.find("service")
    assert [child.tag for child in service] == SERVICE_FIELDS
    assert service.findtext("metadata") == "true"
    assert service.findtext("type") == "realtime"


def test_a_service_definition_asks_for_the_commune_by_its_code(client, jurisdiction, commune):
    response = client.get(f"{BASE}/services/reflection-land.json")
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["service_code", "attributes"]
    assert body["service_code"] == "reflection-land"
    commune_attribute, subject = body["attributes"]
    assert list(commune_attribute) == ATTRIBUTE_FIELDS
    assert commune_attribute["code"] == "commune_code"
    assert commune_attribute["datatype"] == "singlevaluelist"
    assert commune_attribute["required"] is True and commune_attribute["variable"] is True
    assert commune_attribute["order"] == 1
    assert commune_attribute["values"] == [{"key": "14329", "name": "Xã Gia Viễn"}]
    assert (subject["code"], subject["datatype"], subject["required"]) == (
        "subject",
        "string",
        False,
    )


def test_a_service_definition_in_xml_nests_attributes_and_values(client, jurisdiction, commune):
    root = parse_xml(client.get(f"{BASE}/services/reflection-land.xml").content)
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "reflection-land"
    attribute = root.find("attributes/attribute")
    assert [child.tag for child in attribute] == ATTRIBUTE_FIELDS
    assert attribute.findtext("required") == "true"
    value = attribute.find("values/value")
    assert (value.findtext("key"), value.findtext("name")) == ("14329", "Xã Gia Viễn")


def test_an_unknown_service_code_is_a_404_error_array(client, jurisdiction):
    response = client.get(f"{BASE}/services/complaint-land.json")
    assert response.status_code == 404
    (error,) = response.json()
    assert error["code"] == 404 and error["description"]


def test_an_unknown_jurisdiction_is_a_404(client, jurisdiction):
    response = client.get(f"{BASE}/services.json", {"jurisdiction_id": "hanoi.gov.vn"})
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404


def test_with_several_jurisdictions_the_id_is_required(client, jurisdiction):
    Jurisdiction.objects.create(jurisdiction_id="hanoi.gov.vn", province=ProvinceFactory())
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 400
    assert (
        client.get(f"{BASE}/services.json", {"jurisdiction_id": "hanoi.gov.vn"}).status_code == 200
    )


def test_other_methods_are_refused_in_the_error_format(client, jurisdiction):
    response = client.post(f"{BASE}/services.xml")
    assert response.status_code == 405
    assert parse_xml(response.content).tag == "errors"


def test_the_service_definition_is_two_queries_whatever_the_communes(
    client, jurisdiction, commune, django_assert_num_queries
):
    # 1 the jurisdictions (the only one is the default), 2 the province's communes.
    with django_assert_num_queries(2):
        client.get(f"{BASE}/services/reflection-land.json")


def test_the_service_list_is_one_query(client, jurisdiction, django_assert_num_queries):
    # 1 the jurisdictions (the only one is the default); the services are the choices.
    with django_assert_num_queries(1):
        client.get(f"{BASE}/services.json")
