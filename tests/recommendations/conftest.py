from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from agencies.models import Agency, Role
from tests.factories import AgencyFactory, CommuneFactory, ProvinceFactory, member

from .factories import CouncilFactory, CouncilSessionFactory, TermFactory, VoterMeetingFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year: int, month: int, day: int, hour: int = 9):
    """Travel to a Vietnam-time moment (the clock ticks on)."""
    return time_machine.travel(datetime(year, month, day, hour, tzinfo=VN), tick=True)


@pytest.fixture(autouse=True)
def _today():
    # Monday 03/08/2026: the mid-year session closed on 17/07, its items are out for answers.
    with at(2026, 8, 3):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    # locmem caches outlive a test; ids are reused after rollbacks.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def province():
    return ProvinceFactory(name="Tỉnh Ninh Bình")


@pytest.fixture
def commune(province):
    return CommuneFactory(parent=province, name="Xã Gia Viễn")


@pytest.fixture
def council(province):
    return CouncilFactory(unit=province, name="Hội đồng nhân dân tỉnh Ninh Bình")


@pytest.fixture
def department(province):
    return AgencyFactory(unit=province, name="Sở Xây dựng tỉnh Ninh Bình", short_name="Sở Xây dựng")


@pytest.fixture
def other_department(province):
    return AgencyFactory(
        unit=province,
        name="Sở Y tế tỉnh Ninh Bình",
        short_name="Sở Y tế",
        kind=Agency.Kind.DEPARTMENT,
    )


@pytest.fixture
def staff(council):
    return member(Role.COUNCIL_STAFF, council, username="hdnd", first_name="Hoàng Minh Tuấn")


@pytest.fixture
def lead(department):
    return member(Role.LEAD, department, username="lanhdao.xd", first_name="Vũ Thị Lan")


@pytest.fixture
def handler(department):
    return member(Role.HANDLER, department, username="xuly.xd", first_name="Lê Hoàng Nam")


@pytest.fixture
def other_lead(other_department):
    return member(Role.LEAD, other_department, username="lanhdao.yt")


@pytest.fixture
def monitor(province):
    return member(
        Role.MONITOR, AgencyFactory(unit=province, name="Thanh tra tỉnh"), username="giamsat"
    )


@pytest.fixture
def term(council):
    return TermFactory(council=council)


@pytest.fixture
def session(term):
    return CouncilSessionFactory(term=term, number=2)


@pytest.fixture
def next_session(term):
    return CouncilSessionFactory(
        term=term,
        number=3,
        opens_on=datetime(2026, 12, 8).date(),
        closes_on=datetime(2026, 12, 10).date(),
    )


@pytest.fixture
def meeting(session, commune):
    return VoterMeetingFactory(session=session, commune=commune)


@pytest.fixture
def other_meeting(session, province):
    return VoterMeetingFactory(
        session=session,
        commune=CommuneFactory(parent=province, name="Phường Hoa Lư"),
        place="Hội trường UBND phường Hoa Lư",
        held_on=datetime(2026, 6, 24).date(),
    )
