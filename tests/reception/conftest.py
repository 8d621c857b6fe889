from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from agencies.models import Role
from reception.identity import Representative, Visitor
from reception.services import VisitDetails, visit_register
from tests.factories import AgencyFactory, CommuneFactory, ProvinceFactory, member

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year: int, month: int, day: int, hour: int = 9):
    """Travel to a Vietnam-time moment (the clock ticks on)."""
    return time_machine.travel(datetime(year, month, day, hour, tzinfo=VN), tick=True)


@pytest.fixture
def province():
    return ProvinceFactory()


@pytest.fixture
def commune(province):
    return CommuneFactory(parent=province, name="Xã Gia Viễn")


@pytest.fixture
def agency(province):
    return AgencyFactory(unit=province, name="Ủy ban nhân dân tỉnh", kind="ubnd")


@pytest.fixture
def other_agency(province):
    return AgencyFactory(unit=province, name="Sở Xây dựng")


@pytest.fixture
def officer(agency):
    return member(Role.RECEPTION_OFFICER, agency, username="tiepdan.test")


@pytest.fixture
def other_officer(other_agency):
    return member(Role.RECEPTION_OFFICER, other_agency, username="tiepdan.xd")


@pytest.fixture
def lead(agency):
    return member(Role.LEAD, agency, username="lanhdao.test")


@pytest.fixture
def handler(agency):
    return member(Role.HANDLER, agency, username="xuly.test")


@pytest.fixture
def monitor(province):
    return member(
        Role.MONITOR, AgencyFactory(unit=province, name="Thanh tra tỉnh"), username="giamsat.t"
    )


def details(agency, **overrides) -> VisitDetails:
    """A visit as the desk writes it: one citizen with a complaint about land."""
    values: dict = {
        "agency": agency,
        # The day the test travels to (conftest.at).
        "visited_on": timezone.localdate(),
        "place": "Trụ sở Tiếp công dân tỉnh",
        "receiver_kind": "official",
        "receiver_name": "Trần Thị Hoa",
        "visitor": Visitor(
            name="Nguyễn Văn An",
            id_number="037012345678",
            phone="0912345678",
            email="an.nv@example.vn",
            address="Thôn Đông, xã Gia Viễn",
        ),
        "field": "land",
        "classification": "complaint",
        "subject": "Khiếu nại quyết định thu hồi đất",
        "content": "Gia đình tôi không đồng ý với quyết định thu hồi đất số 123/QĐ-UBND.",
    }
    values.update(overrides)
    return VisitDetails(**values)


def delegation(agency, people: int = 12, **overrides) -> VisitDetails:
    reps = [
        Representative("Nguyễn Văn An", "037012345678"),
        Representative("Lê Thị Bình", "037087654321"),
    ]
    visitor = Visitor(name="Nguyễn Văn An", id_number="037012345678", representatives=reps)
    return details(agency, is_delegation=True, people_count=people, visitor=visitor, **overrides)


def register(actor, agency, **overrides):
    return visit_register(actor=actor, details=details(agency, **overrides))
