"""The pages: forms that run the services, refusals told in words, no input a 500."""

import pytest
from django.urls import reverse
from django.utils import timezone

from mediation.models import MediationCase, Status
from tests.mediation.conftest import assigned, in_progress, open_grassroots

pytestmark = pytest.mark.django_db


def _open_data(world, **overrides):
    data = {
        "kind": "grassroots",
        "team": world.team.pk,
        "ground": "witnessed",
        "field": "environment",
        "subject": "Nước thải chăn nuôi chảy sang nhà bên cạnh",
        "summary": "Chuồng lợn xả nước thải ra rãnh chung.",
        "requested_on": timezone.localdate().isoformat(),
        "party1_name": "Vũ Văn Tâm",
        "party1_phone": "0912 345 678",
        "party2_name": "Ngô Thị Hằng",
    }
    data.update(overrides)
    return data


def test_a_mediator_opens_a_case_from_the_page(client, world):
    client.force_login(world.mediator.user)
    response = client.post(reverse("mediation:open"), _open_data(world))
    case = MediationCase.objects.get()
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    assert [p.name for p in case.parties.all()] == ["Vũ Văn Tâm", "Ngô Thị Hằng"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"party2_name": ""},
        {"team": "99999999999999999999"},
        {"team": "x"},
        {"party1_phone": "abc"},
        {"requested_on": "31/02/2026"},
        {"requested_on": "2099-01-01"},
        {"kind": "land", "commune": ""},
        {"field": "nonsense"},
    ],
)
def test_bad_input_to_the_opening_form_is_told_and_nothing_is_opened(client, world, overrides):
    client.force_login(world.leader.user)
    response = client.post(reverse("mediation:open"), _open_data(world, **overrides))
    assert response.status_code == 400
    assert not MediationCase.objects.exists()


def test_the_leader_assigns_and_the_mediator_records_a_session_and_a_settlement(client, world):
    case = open_grassroots(world)
    client.force_login(world.leader.user)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Phân công hòa giải viên" in page
    response = client.post(
        reverse("mediation:action", args=[case.pk, "assign"]), {"mediator": world.mediator.pk}
    )
    assert response.status_code == 302
    client.force_login(world.mediator.user)
    client.post(
        reverse("mediation:action", args=[case.pk, "session"]),
        {"held_on": timezone.localdate().isoformat(), "place": "Nhà văn hóa", "is_public": "on"},
    )
    first = case.parties.first()
    response = client.post(
        reverse("mediation:action", args=[case.pk, "succeed"]),
        {
            "written": "on",
            "basis": "Theo yêu cầu của hai bên.",
            "course": "Một buổi hòa giải.",
            "agreement": "Lùi tường 0,5 m.",
            "rights_and_obligations": "Như trên.",
            "performance_method": "Trong 30 ngày.",
            f"what_{first.pk}": "Lùi tường rào 0,5 m",
            f"due_{first.pk}": "2030-12-31",
            "signed": "on",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.SUCCESSFUL
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Lùi tường rào 0,5 m" in page and "31/12/2030" in page


def test_a_move_the_case_does_not_allow_is_refused_in_words(client, world):
    case = open_grassroots(world)
    client.force_login(world.leader.user)
    response = client.post(
        reverse("mediation:action", args=[case.pk, "fail"]), {"note": "x"}, follow=True
    )
    assert response.status_code == 200
    assert "Không thể" in response.content.decode()
    assert client.post(reverse("mediation:action", args=[case.pk, "nonsense"])).status_code == 404


def test_garbage_in_an_action_form_is_a_400_not_a_500(client, world):
    case = assigned(world)
    client.force_login(world.leader.user)
    for data in (
        {"mediator": "99999999999999999999999"},
        {"mediator": "abc"},
        {"mediator": world.other_mediator.pk, "reason": "x"},
    ):
        response = client.post(reverse("mediation:action", args=[case.pk, "replace"]), data)
        assert response.status_code == 400
    response = client.post(
        reverse("mediation:action", args=[case.pk, "session"]),
        {"held_on": "0001-01-01", "place": "x"},
    )
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED


def test_every_page_survives_odd_query_strings(client, world):
    in_progress(world)
    client.force_login(world.leader.user)
    for name, args in (("mediation:list", []), ("mediation:figures", [])):
        for query in ({"page": "x"}, {"team": "9" * 30}, {"start": "x", "end": "0000-00-00"}):
            assert client.get(reverse(name, args=args), query).status_code == 200
    register = reverse("mediation:register", args=[world.team.pk])
    assert client.get(register, {"start": "2026-12-31", "end": "2026-01-01"}).status_code == 200
    assert client.get(reverse("mediation:detail", args=[99999999])).status_code == 404


def test_a_referral_from_the_page_opens_a_petition(client, world):
    from mediation import services

    case = in_progress(world)
    services.case_fail(case=case, actor=world.mediator.user)
    client.force_login(world.mediator.user)
    response = client.post(
        reverse("mediation:action", args=[case.pk, "refer"]),
        {"petition_agency": world.committee.pk, "petition_kind": "recommendation"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.referred_petition is not None
    page = client.get(case.get_absolute_url()).content.decode()
    assert case.referred_petition.reference in page


@pytest.mark.parametrize("many", [False, True])
def test_the_case_page_costs_the_same_queries_whatever_its_history(
    client, world, many, django_assert_num_queries
):
    from mediation import services

    case = in_progress(world)
    if many:
        for day in range(3):
            services.case_add_note(case=case, actor=world.leader.user, note=f"Ghi chú {day}")
            services.case_record_session(
                case=case,
                actor=world.mediator.user,
                held_on=timezone.localdate(),
                place=f"Nhà số {day}",
            )
    client.force_login(world.leader.user)
    # 1 session, 2 user, 3-4 the scope, 5 the case with its links, 6 the parties with
    # their contacts, 7 the parties for the settlement form, 8 the bell, 9 the sessions,
    # 10 the settlements, 11 the events with their actors, 12 the team's serving members
    # (the replace form), 13 the parties for the end form.
    with django_assert_num_queries(13):
        assert client.get(case.get_absolute_url()).status_code == 200


def test_the_dashboard_of_a_commune_lead_shows_the_mediation_rate(client, world):
    from mediation import services

    case = in_progress(world)
    services.case_succeed(case=case, actor=world.mediator.user)
    client.force_login(world.commune_lead)
    body = client.get(reverse("dashboards:dashboard")).content.decode()
    assert 'id="mediation-success-rate">100' in body
    assert "Tỷ lệ hòa giải thành" in body
