"""Who sees what: a mediator only their team's cases; parties' contacts for the case's
mediator, its leader and (land mediation) the commune's officials; monitors the
province's figures only."""

import pytest
from django.urls import reverse

from mediation import selectors, services
from mediation.models import Kind
from mediation.parties import PartyData
from tests.mediation.conftest import PARTIES, assigned, open_grassroots

pytestmark = pytest.mark.django_db


def _page(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(name, args=args))


def test_a_mediator_sees_only_the_cases_of_their_own_team(client, world):
    ours = open_grassroots(world, subject="Tranh chấp lối đi chung")
    theirs = open_grassroots(
        world, team=world.other_team, actor=world.other_mediator.user, subject="Mâu thuẫn karaoke"
    )
    body = _page(client, world.mediator.user, "mediation:list").content.decode()
    assert ours.reference in body and theirs.reference not in body
    assert _page(client, world.mediator.user, "mediation:detail", theirs.pk).status_code == 404
    assert _page(client, world.mediator.user, "mediation:detail", ours.pk).status_code == 200
    assert (
        _page(client, world.mediator.user, "mediation:register", world.other_team.pk).status_code
        == 404
    )
    # The commune's official oversees both teams.
    body = _page(client, world.commune_handler, "mediation:list").content.decode()
    assert ours.reference in body and theirs.reference in body


def test_the_parties_contacts_are_for_the_cases_mediator_and_leader_only(client, world):
    case = assigned(world)
    allowed = [world.mediator.user, world.leader.user]
    masked = [world.second.user, world.commune_handler, world.commune_lead]
    for user in allowed:
        body = _page(client, user, "mediation:detail", case.pk).content.decode()
        assert "0912345678" in body and "Thôn Đông, xã Gia Viễn" in body
    for user in masked:
        body = _page(client, user, "mediation:detail", case.pk).content.decode()
        assert "Phạm Văn Hùng" in body  # the names are shown
        assert "0912345678" not in body and "0987654321" not in body
        assert "(được bảo mật)" in body
    # Nor in the register, its export or any list.
    body = _page(client, world.leader.user, "mediation:register", world.team.pk).content.decode()
    assert "Phạm Văn Hùng" in body and "0912345678" not in body
    body = _page(client, world.leader.user, "mediation:list").content.decode()
    assert "0912345678" not in body


def test_the_communes_officials_see_the_contacts_of_a_land_mediation(world):
    case = services.open_case(
        actor=world.commune_handler,
        kind=Kind.LAND,
        ground="party_request",
        field="land",
        subject="Tranh chấp thửa đất 125",
        summary="Hai hộ cùng kê khai.",
        parties=[PartyData(name="A", phone="0911111111"), PartyData(name="B")],
        commune=world.commune,
    )
    views = selectors.parties_for(world.commune_handler, case)
    assert views[0].contact is not None and views[0].contact.phone == "0911111111"
    # A team member does not see a land mediation at all.
    assert case not in selectors.case_list(world.mediator.user, selectors.CaseFilters())


def test_a_monitor_sees_the_provinces_figures_but_no_case(client, world):
    case = open_grassroots(world)
    assert _page(client, world.monitor, "mediation:detail", case.pk).status_code == 404
    response = _page(client, world.monitor, "mediation:list")
    assert response.status_code == 302 and response.url == reverse("mediation:figures")
    assert _page(client, world.monitor, "mediation:figures").status_code == 200
    data = client.get(reverse("mediation_stats:figures")).json()
    assert data["summary"]["requested"] == 1


def test_an_official_outside_mediation_finds_nothing_and_no_figures(client, world):
    case = open_grassroots(world)
    from agencies.models import Role
    from tests.factories import member

    outsider = member(Role.HANDLER, world.department, username="xuly")
    response = _page(client, outsider, "mediation:list")
    assert response.status_code == 200 and case.reference not in response.content.decode()
    assert _page(client, outsider, "mediation:detail", case.pk).status_code == 404
    assert _page(client, outsider, "mediation:figures").status_code == 404
    assert client.get(reverse("mediation_stats:figures")).status_code == 403
    client.logout()
    assert client.get(reverse("mediation_stats:figures")).status_code in (401, 403)
    assert client.get(reverse("mediation:list")).status_code == 302  # to the login page


def test_an_expired_term_of_service_ends_the_members_access(client, world):
    from datetime import date

    case = open_grassroots(world)
    world.mediator.term_end = date(2025, 12, 31)
    world.mediator.save()
    assert _page(client, world.mediator.user, "mediation:detail", case.pk).status_code == 404


def test_contacts_never_reach_a_notice(world):
    from notifications.models import Notice

    assigned(world)
    notices = list(Notice.objects.all())
    assert notices  # the mediator was told of the assignment
    for notice in notices:
        for party in PARTIES:
            assert party.phone not in notice.body_text + notice.subject + notice.body_html
            assert party.name not in notice.body_text + notice.subject
