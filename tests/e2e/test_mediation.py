"""Grassroots mediation in a real browser on a phone: the team leader assigns a case,
the mediator records a session and a written settlement, and the commune's official
sees the success rate move."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from agencies.models import Agency, Locality, Role
from mediation import services
from mediation.models import MemberRole, Team, TeamMember
from mediation.parties import PartyData
from tests.factories import AgencyFactory, CommuneFactory, ProvinceFactory, UserFactory, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 780}


def _login(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto(page.base_url + "/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("mat-khau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name="Cơ quan và vai trò của tôi").wait_for()


def _rate(page) -> str:
    page.goto(page.base_url + "/staff/mediation/figures/")
    return page.locator("#mediation-success-rate").inner_text().replace(",", ".").strip()


def _world():
    # A transactional test starts from an empty database: the mediation clocks again.
    importlib.import_module("mediation.migrations.0002_deadline_policies").create(apps, None)
    province = ProvinceFactory(name="Tỉnh Ninh Bình")
    commune = CommuneFactory(name="Xã Gia Viễn", parent=province)
    committee = AgencyFactory(
        unit=commune, name="Ủy ban nhân dân xã Gia Viễn", kind=Agency.Kind.PEOPLES_COMMITTEE
    )
    locality = Locality.objects.create(commune=commune, name="Thôn Đông", kind="thon")
    team = Team.objects.create(locality=locality, name="Tổ hòa giải Thôn Đông")
    people = {}
    for username, name, role in (
        ("totruong", "Lê Văn Thọ", MemberRole.LEADER),
        ("hoagiai", "Nguyễn Thị Mai", MemberRole.MEDIATOR),
    ):
        user = UserFactory(username=username, first_name=name)
        people[username] = TeamMember.objects.create(
            team=team, user=user, full_name=name, role=role, term_start=timezone.localdate()
        )
    # A commune handler: oversees the teams (and needs no second factor).
    official = member(Role.HANDLER, committee, username="xuly.xa", first_name="Phạm Thu Trang")
    leader = people["totruong"].user
    parties = [
        PartyData(name="Phạm Văn Hùng", phone="0912345678"),
        PartyData(name="Đinh Thị Lan", phone="0987654321"),
    ]
    # One mediation already failed today: the rate starts at 0 %.
    failed = services.open_case(
        actor=leader,
        kind="grassroots",
        ground="party_request",
        field="other",
        subject="Mâu thuẫn do tiếng ồn karaoke",
        summary="Hát karaoke đến khuya.",
        parties=parties,
        team=team,
    )
    services.case_assign(case=failed, actor=leader, mediator=people["hoagiai"])
    services.case_record_session(
        case=failed, actor=leader, held_on=timezone.localdate(), place="Nhà văn hóa"
    )
    services.case_fail(case=failed, actor=leader)
    case = services.open_case(
        actor=leader,
        kind="grassroots",
        ground="party_request",
        field="land",
        subject="Tranh chấp ranh giới đất giữa hai hộ liền kề",
        summary="Hai hộ tranh chấp 12 m² đất giáp ranh phía sau nhà.",
        parties=parties,
        team=team,
    )
    return case, official


def test_a_leader_assigns_the_mediator_settles_and_the_commune_sees_the_rate_move(page):
    case, _official = _world()
    page.set_viewport_size(PHONE)
    today = timezone.localdate().isoformat()

    _login(page, "xuly.xa")
    assert _rate(page) == "0.0 %"

    # The team leader assigns the case to a mediator.
    _login(page, "totruong")
    page.goto(page.base_url + f"/staff/mediation/{case.pk}/")
    page.locator('[data-bs-target="#act-assign"]').click()
    page.locator("#id_assign_mediator").select_option(label="Nguyễn Thị Mai (Hòa giải viên)")
    page.locator('button[name="submit-assign"]').click()
    assert "Phân công hòa giải viên" in page.get_by_role("alert").first.inner_text()
    assert "Nguyễn Thị Mai" in page.locator("#mediator").inner_text()
    # The leader sees the parties' phones; the mask is for everyone else.
    assert "0912345678" in page.locator("#parties").inner_text()

    # The mediator, on a phone, records the session and the written settlement.
    _login(page, "hoagiai")
    page.goto(page.base_url + f"/staff/mediation/{case.pk}/")
    page.locator('[data-bs-target="#act-session"]').click()
    page.locator("#id_session_held_on").fill(today)
    page.locator("#id_session_place").fill("Nhà văn hóa thôn Đông")
    page.locator("#id_session_is_public").check()
    page.locator("#id_session_notes").fill("Hai bên trình bày; đo lại mốc giới.")
    page.locator('button[name="submit-session"]').click()
    assert "Nhà văn hóa thôn Đông" in page.locator("#sessions").inner_text()

    page.locator('[data-bs-target="#act-succeed"]').click()
    page.locator("#id_succeed_written").check()
    page.locator("#id_succeed_basis").fill("Theo yêu cầu của hai bên.")
    page.locator("#id_succeed_course").fill("Một buổi hòa giải tại nhà văn hóa.")
    page.locator("#id_succeed_agreement").fill("Hộ ông Hùng lùi tường rào 0,5 m.")
    page.locator("#id_succeed_rights_and_obligations").fill("Mỗi bên thực hiện phần của mình.")
    page.locator("#id_succeed_performance_method").fill("Trong 30 ngày, tổ hòa giải theo dõi.")
    first = case.parties.first()
    page.locator(f"#id_succeed_what_{first.pk}").fill("Lùi tường rào 0,5 m")
    page.locator(f"#id_succeed_due_{first.pk}").fill("2027-01-15")
    page.locator("#id_succeed_signed").check()
    page.locator('button[name="submit-succeed"]').click()
    assert page.locator("#status").inner_text() == "Hòa giải thành"
    settlement = page.locator("#settlement").inner_text()
    assert "Lùi tường rào 0,5 m" in settlement and "15/01/2027" in settlement
    # Nothing is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The commune official sees the rate move: 1 of 2 concluded.
    _login(page, "xuly.xa")
    assert _rate(page) == "50.0 %"
    assert "0912345678" not in page.content()
