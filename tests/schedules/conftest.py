"""Fixtures of the schedule's tests: one provincial agency with its reception office, a
leader with an account, a handler, and another agency's officer; days and bookings made
through the real services on fixed dates (Vietnam time)."""

from __future__ import annotations

import importlib
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from agencies.models import Agency, Role
from schedules import services
from schedules.identity import Visitor
from schedules.models import DayKind, Leader, LeaderKind
from tests.factories import AgencyFactory, ProvinceFactory, member

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# A Tuesday; the demo's days fall on the Thursday after.
TODAY = date(2026, 12, 1)
DAY = date(2026, 12, 10)


def at(year: int, month: int, day: int, hour: int = 9):
    """Travel to a Vietnam-time moment (the clock ticks on)."""
    return time_machine.travel(datetime(year, month, day, hour, tzinfo=VN), tick=True)


@pytest.fixture(autouse=True)
def _today():
    with at(TODAY.year, TODAY.month, TODAY.day):
        yield


@pytest.fixture(autouse=True)
def _schedule_rules(request):
    """Transactional tests flush the rows of the data migration: put them back."""
    marker = request.node.get_closest_marker("django_db")
    if "live_server" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction")
    ):
        from django.apps import apps

        request.getfixturevalue("transactional_db")
        importlib.import_module("schedules.migrations.0002_legal_minimums").create(apps, None)


@pytest.fixture
def province():
    return ProvinceFactory()


@pytest.fixture
def agency(province) -> Agency:
    return AgencyFactory(unit=province, name="Ủy ban nhân dân tỉnh", kind="ubnd")


@pytest.fixture
def other_agency(province) -> Agency:
    return AgencyFactory(unit=province, name="Sở Xây dựng")


@pytest.fixture
def officer(agency):
    return member(Role.RECEPTION_OFFICER, agency, username="tiepdan")


@pytest.fixture
def lead(agency):
    return member(Role.LEAD, agency, username="chutich")


@pytest.fixture
def other_lead(agency):
    return member(Role.LEAD, agency, username="phochutich")


@pytest.fixture
def handler(agency):
    return member(Role.HANDLER, agency, username="xuly")


@pytest.fixture
def outsider(other_agency):
    return member(Role.RECEPTION_OFFICER, other_agency, username="tiepdan.xd")


@pytest.fixture
def leader(agency, lead) -> Leader:
    return Leader.objects.create(
        agency=agency,
        user=lead,
        name="Phạm Quang Ngọc",
        title="Chủ tịch UBND tỉnh",
        kind=LeaderKind.PROVINCIAL_CHAIRMAN,
    )


def plan_day(officer, agency, leader, *, on=DAY, capacity=5, online=False, kind=DayKind.REGULAR):
    return services.day_plan(
        actor=officer,
        agency=agency,
        plan=services.DayPlan(
            leader=leader,
            kind=kind,
            date=on,
            starts_at=time(7, 30),
            ends_at=time(11, 30),
            place="Trụ sở Tiếp công dân tỉnh",
            capacity=capacity,
            offers_online=online,
            reason="Đoàn đông người" if kind == DayKind.AD_HOC else "",
        ),
    )


def published_day(officer, agency, leader, **kwargs):
    day = plan_day(officer, agency, leader, **kwargs)
    services.day_publish(day=day, actor=officer)
    return day


@pytest.fixture
def day(officer, agency, leader):
    return published_day(officer, agency, leader)


def visitor(n: int = 0, *, email: str = "an.nv@example.vn") -> Visitor:
    return Visitor(
        name=f"Nguyễn Văn An {n}",
        id_number=f"03708000{n:04d}",
        phone="0912345678",
        email=email,
        address="Thôn Đông, xã Gia Viễn",
    )


def book(day, n: int = 0, **kwargs):
    return services.booking_create(
        day=day,
        visitor=kwargs.pop("person", None) or visitor(n),
        field="land",
        matter="Đề nghị xem xét lại giá bồi thường.",
        **kwargs,
    )
