from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from agencies.models import Role
from tests.factories import AgencyFactory, ProvinceFactory, member

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year: int, month: int, day: int, hour: int = 9):
    """Travel to a Vietnam-time moment (the clock ticks on)."""
    return time_machine.travel(datetime(year, month, day, hour, tzinfo=VN), tick=True)


@pytest.fixture
def province():
    return ProvinceFactory()


@pytest.fixture
def parent_agency(province):
    return AgencyFactory(unit=province, name="Ủy ban nhân dân tỉnh", kind="ubnd")


@pytest.fixture
def agency(province, parent_agency):
    return AgencyFactory(unit=province, name="Sở Nông nghiệp và Môi trường", parent=parent_agency)


@pytest.fixture
def other_agency(province, parent_agency):
    return AgencyFactory(unit=province, name="Sở Xây dựng", parent=parent_agency)


@pytest.fixture
def handler(agency):
    return member(Role.HANDLER, agency, username="xuly")


@pytest.fixture
def lead(agency):
    return member(Role.LEAD, agency, username="lanhdao")


@pytest.fixture
def other_lead(other_agency):
    return member(Role.LEAD, other_agency, username="lanhdao.xd")


@pytest.fixture
def other_handler(other_agency):
    return member(Role.HANDLER, other_agency, username="xuly.xd")


@pytest.fixture
def monitor(province):
    return member(
        Role.MONITOR, AgencyFactory(unit=province, name="Thanh tra tỉnh"), username="giamsat"
    )
