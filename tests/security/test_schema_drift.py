"""What the API returns is what its schema says (issue 16, schema drift)."""

import pytest
from rest_framework.test import APIClient

from agencies.models import Role
from tests.factories import AgencyFactory, member

pytestmark = pytest.mark.django_db


def test_an_agency_without_an_e_mail_reads_null_as_the_schema_allows(client):
    agency = AgencyFactory(email="")
    written = AgencyFactory(email="vanthu@snmt.ninhbinh.gov.vn")
    api = APIClient()
    api.force_login(member(Role.HANDLER, agency))
    assert api.get(f"/api/v1/agencies/{agency.pk}/").json()["email"] is None
    assert api.get(f"/api/v1/agencies/{written.pk}/").json()["email"] == written.email
    schema = client.get("/api/schema/", {"format": "json"}).json()
    email = schema["components"]["schemas"]["Agency"]["properties"]["email"]
    assert email["format"] == "email"
    assert email["nullable"] is True
