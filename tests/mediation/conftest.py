"""A commune with its People's Committee, two villages with a team each, and the people
of mediation: the leader and two mediators of Thôn Đông, a mediator of Thôn Tây, a
handler and a lead of the commune, a monitor of the province."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from agencies.models import Agency, Locality, Role
from agencies.scope import forget_scope
from mediation import services
from mediation.models import Kind, MediationCase, MemberRole, Team, TeamMember
from mediation.parties import PartyData
from mediation.scope import forget_mediation_scope
from tests.factories import AgencyFactory, CommuneFactory, ProvinceFactory, UserFactory, member

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TERM_START = date(2025, 1, 1)


def at(year: int, month: int, day: int, hour: int = 9):
    """Travel to a Vietnam-time moment (the clock ticks on)."""
    return time_machine.travel(datetime(year, month, day, hour, tzinfo=VN), tick=True)


def fresh(user: Any) -> Any:
    """The same user with its memoised scopes dropped (after roles change in a test)."""
    forget_scope(user)
    forget_mediation_scope(user)
    return user


def team_member(team: Team, role: str, username: str, full_name: str) -> TeamMember:
    user = UserFactory(username=username, first_name=full_name)
    return TeamMember.objects.create(
        team=team, user=user, full_name=full_name, role=role, term_start=TERM_START
    )


@dataclass
class World:
    province: Any
    commune: Any
    committee: Agency
    team: Team
    other_team: Team
    leader: TeamMember
    mediator: TeamMember
    second: TeamMember
    other_mediator: TeamMember
    commune_handler: Any
    commune_lead: Any
    monitor: Any
    department: Agency


@pytest.fixture
def world(db) -> World:
    province = ProvinceFactory(name="Tỉnh Ninh Bình")
    commune = CommuneFactory(name="Xã Gia Viễn", parent=province)
    committee = AgencyFactory(
        unit=commune, name="Ủy ban nhân dân xã Gia Viễn", kind=Agency.Kind.PEOPLES_COMMITTEE
    )
    department = AgencyFactory(unit=province, name="Sở Nông nghiệp và Môi trường")
    east = Locality.objects.create(commune=commune, name="Thôn Đông", kind=Locality.Kind.VILLAGE)
    west = Locality.objects.create(commune=commune, name="Thôn Tây", kind=Locality.Kind.VILLAGE)
    team = Team.objects.create(locality=east, name="Tổ hòa giải Thôn Đông")
    other_team = Team.objects.create(locality=west, name="Tổ hòa giải Thôn Tây")
    inspectorate = AgencyFactory(unit=province, name="Thanh tra tỉnh", kind="thanh_tra")
    return World(
        province=province,
        commune=commune,
        committee=committee,
        team=team,
        other_team=other_team,
        leader=team_member(team, MemberRole.LEADER, "totruong", "Lê Văn Thọ"),
        mediator=team_member(team, MemberRole.MEDIATOR, "hoagiai", "Nguyễn Thị Mai"),
        second=team_member(team, MemberRole.MEDIATOR, "hoagiai2", "Trần Văn Bình"),
        other_mediator=team_member(other_team, MemberRole.MEDIATOR, "hoagiai.tay", "Đỗ Thị Hằng"),
        commune_handler=member(Role.HANDLER, committee, username="xuly.xa"),
        commune_lead=member(Role.LEAD, committee, username="lanhdao.xa"),
        monitor=member(Role.MONITOR, inspectorate, username="giamsat"),
        department=department,
    )


PARTIES = [
    PartyData(name="Phạm Văn Hùng", phone="0912345678", address="Thôn Đông, xã Gia Viễn"),
    PartyData(name="Đinh Thị Lan", phone="0987654321", address="Thôn Đông, xã Gia Viễn"),
]


def open_grassroots(world: World, *, team: Team | None = None, **overrides: Any) -> MediationCase:
    fields: dict[str, Any] = {
        "kind": Kind.GRASSROOTS,
        "ground": "party_request",
        "field": "land",
        "subject": "Tranh chấp ranh giới đất giữa hai hộ liền kề",
        "summary": "Hai hộ tranh chấp 12 m² đất giáp ranh phía sau nhà.",
        "parties": PARTIES,
        "team": team or world.team,
    }
    fields.update(overrides)
    actor = fields.pop("actor", world.leader.user)
    return services.open_case(actor=actor, **fields)


def assigned(world: World, **overrides: Any) -> MediationCase:
    case = open_grassroots(world, **overrides)
    services.case_assign(case=case, actor=world.leader.user, mediator=world.mediator)
    return case


def in_progress(world: World, day: date | None = None, **overrides: Any) -> MediationCase:
    case = assigned(world, **overrides)
    services.case_record_session(
        case=case,
        actor=world.mediator.user,
        held_on=day or case.assigned_on,
        place="Nhà văn hóa thôn Đông",
    )
    return case
