"""A province served through Open311: its People's Committee, two communes (one with
its own committee), a jurisdiction and a partner holding a key."""

from __future__ import annotations

from datetime import datetime
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import pytest
import time_machine

from agencies.models import Agency, Role
from open311 import services
from open311.models import Jurisdiction
from tests.factories import AgencyFactory, CommuneFactory, ProvinceFactory, member

VN = ZoneInfo("Asia/Ho_Chi_Minh")
BASE = "/open311/v2"


@pytest.fixture(autouse=True)
def _a_working_tuesday():
    # Tuesday 3 March 2026, 09:00 in Vietnam: clocks start on an ordinary working day.
    with time_machine.travel(datetime(2026, 3, 3, 9, tzinfo=VN), tick=False):
        yield


@pytest.fixture
def province():
    return ProvinceFactory(code="37", name="Tỉnh Ninh Bình")


@pytest.fixture
def commune(province):
    return CommuneFactory(parent=province, code="14329", name="Xã Gia Viễn")


@pytest.fixture
def bare_commune(province):
    """A commune whose People's Committee is not on the portal yet."""
    return CommuneFactory(parent=province, code="14330", name="Xã Gia Hưng")


@pytest.fixture
def province_committee(province):
    return AgencyFactory(
        unit=province, name="Ủy ban nhân dân tỉnh Ninh Bình", kind=Agency.Kind.PEOPLES_COMMITTEE
    )


@pytest.fixture
def commune_committee(commune, province_committee):
    return AgencyFactory(
        unit=commune,
        name="Ủy ban nhân dân xã Gia Viễn",
        kind=Agency.Kind.PEOPLES_COMMITTEE,
        parent=province_committee,
    )


@pytest.fixture
def jurisdiction(province):
    return Jurisdiction.objects.create(jurisdiction_id="ninhbinh.gov.vn", province=province)


@pytest.fixture
def issued(jurisdiction):
    return services.partner_create(name="Ứng dụng Ninh Bình Số", jurisdiction=jurisdiction)


@pytest.fixture
def partner(issued):
    return issued.partner


@pytest.fixture
def api_key(issued):
    return issued.key


@pytest.fixture
def commune_lead(commune_committee):
    return member(Role.LEAD, commune_committee, username="lanhdao.xa")


@pytest.fixture
def commune_handler(commune_committee):
    return member(Role.HANDLER, commune_committee, username="xuly.xa")


@pytest.fixture
def filing(api_key, commune, bare_commune, commune_committee):
    """The specification's example request, in a Vietnamese commune."""
    return {
        "api_key": api_key,
        "jurisdiction_id": "ninhbinh.gov.vn",
        "service_code": "reflection-environment",
        "lat": "20.3215047",
        "long": "105.8493120",
        "address_string": "Thôn Đông, xã Gia Viễn",
        "email": "an.nv@example.vn",
        "device_id": "tt222111",
        "account_id": "123456",
        "first_name": "An",
        "last_name": "Nguyễn Văn",
        "phone": "0912345678",
        "description": "Bãi rác tự phát bên kênh\nRác thải đổ xuống kênh tưới tiêu.",
        "media_url": "https://example.vn/anh/123.jpg",
        "attribute[commune_code]": "14329",
    }


@pytest.fixture
def file_request(client, filing):
    """POST requests.json; returns the response."""

    def post(fmt: str = "json", **changes: str):
        data = {**filing, **changes}
        data = {k: v for k, v in data.items() if v is not None}
        return client.post(f"{BASE}/requests.{fmt}", data)

    return post


def parse_xml(content: bytes) -> ET.Element:
    # The portal's own answer, in a test: not untrusted input.
    return ET.fromstring(content)  # noqa: S314
