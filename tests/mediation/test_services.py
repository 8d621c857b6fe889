"""Every move of a mediation: the happy path with exactly one event, an illegal move that
raises and writes nothing, a lost race, side effects only after commit."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from casework.errors import ConcurrentChange, NotPermitted, TransitionNotAllowed
from mediation import moves, services
from mediation.models import (
    Kind,
    MediationCase,
    MediationEvent,
    Outcome,
    Session,
    Settlement,
    Status,
)
from mediation.parties import PartyData, unseal
from notifications.models import Notice
from petitions.identity import decrypt_identity
from petitions.models import Channel, Petition
from tests.mediation.conftest import PARTIES, assigned, at, in_progress, open_grassroots

pytestmark = pytest.mark.django_db


def _events(case: MediationCase) -> list[tuple[str, str, str]]:
    return list(
        MediationEvent.objects.filter(case=case)
        .order_by("id")
        .values_list("action", "from_status", "to_status")
    )


def _fresh(case: MediationCase) -> MediationCase:
    return MediationCase.objects.get(pk=case.pk)


def _settlement(case: MediationCase) -> dict:
    first, second = case.parties.all()
    return {
        "written": True,
        "texts": {
            "basis": "Theo yêu cầu của hai bên.",
            "course": "Hai buổi hòa giải tại nhà văn hóa.",
            "agreement": "Hộ ông Hùng lùi tường rào 0,5 m.",
            "rights_and_obligations": "Mỗi bên thực hiện phần việc của mình.",
            "performance_method": "Thực hiện trong 30 ngày.",
        },
        "obligations": [
            services.ObligationData(
                party=first, what="Lùi tường rào 0,5 m", due_on=date(2026, 4, 30)
            ),
            services.ObligationData(party=second, what="Không yêu cầu bồi thường", due_on=None),
        ],
        "signed": True,
    }


# --- opening --------------------------------------------------------------------------


def test_opening_a_grassroots_mediation_numbers_it_seals_the_contacts_and_writes_one_event(world):
    with at(2026, 3, 2):
        case = open_grassroots(world)
    assert case.reference == "HG-2026-000001"
    assert case.status == Status.REQUESTED
    assert case.commune == world.commune and case.agency == world.committee
    assert case.clock == ""  # a grassroots mediation's clock starts at assignment
    first, second = case.parties.all()
    assert (first.name, second.name) == ("Phạm Văn Hùng", "Đinh Thị Lan")
    assert "0912345678" not in first.contact  # encrypted at rest
    assert unseal(first.contact).phone == "0912345678"
    assert "0912345678" not in case.search_text
    assert _events(case) == [("open", "", "requested")]


def test_a_land_mediation_starts_its_30_day_clock_when_requested(world):
    with at(2026, 3, 2):
        case = services.open_case(
            actor=world.commune_handler,
            kind=Kind.LAND,
            ground="party_request",
            field="land",
            subject="Tranh chấp quyền sử dụng thửa đất số 125",
            summary="Hai hộ cùng kê khai thửa đất.",
            parties=PARTIES,
            commune=world.commune,
        )
    assert case.reference == "HGĐ-2026-000001"
    assert case.team is None
    assert case.clock == "land"
    assert case.clock_due_on == date(2026, 4, 1)  # 30 calendar days
    assert case.clock_rule["policy"] == "mediation.land"


def test_a_dispute_needs_two_named_parties_and_nothing_is_written_without_them(world):
    with pytest.raises(ValidationError) as error:
        open_grassroots(world, parties=[PartyData(name="Phạm Văn Hùng"), PartyData(name=" ")])
    assert "parties" in error.value.message_dict
    assert not MediationCase.objects.exists()


def test_a_mediator_cannot_open_a_case_for_another_team(world):
    with pytest.raises(NotPermitted):
        open_grassroots(world, actor=world.other_mediator.user)
    assert not MediationCase.objects.exists()


def test_another_app_hands_a_dispute_over_with_its_petition_linked(world):
    from tests.factories import submit_petition

    petition = submit_petition(agency=world.committee, kind="reflection").petition
    from casework.actors import SYSTEM

    case = open_grassroots(world, actor=SYSTEM, source_petition=petition, ground="agency_request")
    assert case.source_petition == petition
    event = case.events.get()
    assert petition.reference in event.said_text
    assert event.note == ""  # the system's sentence is data, never a typed note


# --- assignment and the start clock ---------------------------------------------------------


def test_assigning_starts_the_3_day_clock_and_tells_the_mediator_after_commit(
    world, django_capture_on_commit_callbacks
):
    with at(2026, 3, 2):  # Monday
        case = open_grassroots(world)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.case_assign(
                case=case, actor=world.leader.user, mediator=world.mediator, chosen_by_parties=True
            )
        assert Notice.objects.filter(user=world.mediator.user, kind="mediation.assigned").exists()
        assert mail.outbox == []  # nothing leaves before the commit
        for callback in callbacks:
            callback()
    assert len(mail.outbox) == 1
    case = _fresh(case)
    assert case.status == Status.ASSIGNED
    assert case.mediator == world.mediator and case.chosen_by_parties
    assert case.assigned_on == date(2026, 3, 2)
    assert case.start_due_on == case.clock_due_on == date(2026, 3, 5)
    assert case.clock == "start"
    assert _events(case) == [("open", "", "requested"), ("assign", "requested", "assigned")]
    assert "05/03/2026" in case.events.last().said_text


def test_only_the_leader_assigns_and_only_a_requested_case(world):
    case = open_grassroots(world)
    with pytest.raises(NotPermitted):
        services.case_assign(case=case, actor=world.mediator.user, mediator=world.mediator)
    services.case_assign(case=case, actor=world.leader.user, mediator=world.mediator)
    with pytest.raises(TransitionNotAllowed):
        services.case_assign(case=case, actor=world.leader.user, mediator=world.second)
    assert len(_events(case)) == 2


def test_a_mediator_of_another_team_cannot_be_assigned(world):
    case = open_grassroots(world)
    with pytest.raises(ValidationError):
        services.case_assign(case=case, actor=world.leader.user, mediator=world.other_mediator)
    assert _fresh(case).status == Status.REQUESTED


def test_two_leaders_assigning_at_once_one_wins_and_the_other_is_told(world):
    case = open_grassroots(world)
    stale = _fresh(case)
    services.case_assign(case=case, actor=world.leader.user, mediator=world.mediator)
    # The stale copy still reads "requested": the guarded update finds nothing to change.
    with pytest.raises(ConcurrentChange):
        services.case_assign(case=stale, actor=world.leader.user, mediator=world.second)
    case = _fresh(case)
    assert case.mediator == world.mediator
    assert [a for a, *_ in _events(case)] == ["open", "assign"]


def test_a_conflicted_mediator_is_replaced_and_the_start_counts_again(world):
    with at(2026, 3, 2):
        case = assigned(world)
    with at(2026, 3, 3):
        services.case_replace_mediator(
            case=case,
            actor=world.leader.user,
            mediator=world.second,
            reason="Là họ hàng của một bên.",
        )
    case = _fresh(case)
    assert case.mediator == world.second
    assert case.status == Status.ASSIGNED
    assert case.clock_due_on == date(2026, 3, 6)
    event = case.events.last()
    assert (event.action, event.note) == ("replace", "Là họ hàng của một bên.")
    with pytest.raises(ValidationError):
        services.case_replace_mediator(
            case=case, actor=world.leader.user, mediator=world.second, reason="x"
        )


# --- sessions and outcomes -------------------------------------------------------------------


def test_the_first_session_stops_the_start_clock_and_later_ones_keep_it_in_progress(world):
    with at(2026, 3, 2):
        case = assigned(world)
    with at(2026, 3, 4):
        services.case_record_session(
            case=case,
            actor=world.mediator.user,
            held_on=date(2026, 3, 4),
            place="Nhà văn hóa",
            is_public=True,
            notes="Nghe hai bên trình bày.",
        )
    case = _fresh(case)
    assert case.status == Status.IN_PROGRESS
    assert case.first_session_on == date(2026, 3, 4)
    assert case.days_to_first_session == 2
    assert case.clock == "" and case.next_reminder_on is None
    with at(2026, 3, 6):
        services.case_record_session(
            case=case, actor=world.mediator.user, held_on=date(2026, 3, 6), place="Nhà ông Hùng"
        )
    case = _fresh(case)
    assert case.status == Status.IN_PROGRESS and case.first_session_on == date(2026, 3, 4)
    assert Session.objects.filter(case=case).count() == 2
    assert [e[0] for e in _events(case)] == ["open", "assign", "session", "session"]


def test_a_session_cannot_be_recorded_before_the_assignment_or_by_another_mediator(world):
    with at(2026, 3, 2):
        case = assigned(world)
        with pytest.raises(ValidationError):
            services.case_record_session(
                case=case, actor=world.mediator.user, held_on=date(2026, 3, 1), place="Nhà văn hóa"
            )
        with pytest.raises(NotPermitted):
            services.case_record_session(
                case=case, actor=world.second.user, held_on=date(2026, 3, 2), place="Nhà văn hóa"
            )
    assert not Session.objects.exists()


def test_a_successful_mediation_keeps_its_written_settlement_with_each_partys_obligation(world):
    with at(2026, 3, 2):
        case = in_progress(world)
        services.case_succeed(case=case, actor=world.mediator.user, **_settlement(case))
    case = _fresh(case)
    assert (case.status, case.outcome) == (Status.SUCCESSFUL, Outcome.SUCCESSFUL)
    assert case.concluded_on == date(2026, 3, 2)
    settlement = Settlement.objects.get(case=case)
    assert settlement.signed
    assert [o.what for o in settlement.obligations.all()] == [
        "Lùi tường rào 0,5 m",
        "Không yêu cầu bồi thường",
    ]
    assert _events(case)[-1] == ("succeed", "in_progress", "successful")


def test_a_written_settlement_missing_a_part_of_article_24_changes_nothing(world):
    case = in_progress(world)
    data = _settlement(case)
    data["texts"]["performance_method"] = ""
    with pytest.raises(ValidationError) as error:
        services.case_succeed(case=case, actor=world.mediator.user, **data)
    assert "performance_method" in error.value.message_dict
    assert _fresh(case).status == Status.IN_PROGRESS
    assert not Settlement.objects.exists()


def test_a_success_without_a_written_settlement(world):
    case = in_progress(world)
    services.case_succeed(case=case, actor=world.mediator.user, note="Hai bên bắt tay.")
    assert _fresh(case).outcome == Outcome.SUCCESSFUL
    assert not Settlement.objects.exists()


def test_an_unsuccessful_mediation_may_be_mediated_again_which_clears_its_conclusion(world):
    case = in_progress(world)
    services.case_fail(case=case, actor=world.mediator.user, note="Giữ nguyên quan điểm.")
    assert _fresh(case).outcome == Outcome.UNSUCCESSFUL
    services.case_resume(case=case, actor=world.mediator.user)
    case = _fresh(case)
    assert (case.status, case.outcome, case.concluded_on) == (Status.IN_PROGRESS, "", None)
    assert [e[0] for e in _events(case)][-2:] == ["fail", "resume"]


def test_a_party_ends_the_mediation_and_the_parties_may_refuse_it(world):
    case = in_progress(world)
    party = case.parties.last()
    services.case_end(case=case, actor=world.mediator.user, party=party, reason="Tự thỏa thuận.")
    case = _fresh(case)
    assert (case.status, case.outcome) == (Status.ENDED, Outcome.ENDED)
    assert party.name in case.events.last().said_text
    other = open_grassroots(world)
    with pytest.raises(ValidationError):
        services.case_refuse(case=other, actor=world.leader.user, reason=" ")
    services.case_refuse(case=other, actor=world.leader.user, reason="Bà Lan không đồng ý.")
    assert _fresh(other).outcome == Outcome.REFUSED
    with pytest.raises(TransitionNotAllowed):
        services.case_fail(case=_fresh(other), actor=world.leader.user)


# --- follow-up, court, referral ---------------------------------------------------------------


def test_a_settlement_is_followed_up_then_recognised_by_the_court(world):
    with at(2026, 3, 2):
        case = in_progress(world)
        services.case_succeed(case=case, actor=world.mediator.user, **_settlement(case))
    with at(2026, 4, 6):
        services.case_performed(case=case, actor=world.mediator.user)
        services.case_recognise(
            case=case,
            actor=world.leader.user,
            court_decision="12/2026/QĐST-DS",
            recognised_on=date(2026, 4, 3),
        )
    case = _fresh(case)
    assert (case.status, case.performance) == (Status.PERFORMED, "performed")
    assert case.followed_up_on == date(2026, 4, 6)
    assert case.court_recognised_on == date(2026, 4, 3)
    with pytest.raises(TransitionNotAllowed):  # recognised once
        services.case_recognise(
            case=case, actor=world.leader.user, court_decision="x", recognised_on=date(2026, 4, 3)
        )


def test_only_a_written_settlement_can_be_recognised(world):
    case = in_progress(world)
    services.case_succeed(case=case, actor=world.mediator.user)
    with pytest.raises(TransitionNotAllowed):
        services.case_recognise(
            case=case,
            actor=world.leader.user,
            court_decision="1/QĐ",
            recognised_on=date(2026, 1, 2),
        )


def test_a_settlement_not_performed_is_mediated_again(world):
    case = in_progress(world)
    services.case_succeed(case=case, actor=world.mediator.user)
    services.case_not_performed(case=case, actor=world.mediator.user, note="Chưa lùi tường.")
    assert _fresh(case).status == Status.NOT_PERFORMED
    services.case_resume(case=case, actor=world.mediator.user)
    case = _fresh(case)
    assert (case.status, case.outcome, case.performance) == (Status.IN_PROGRESS, "", "")


def test_a_referral_opens_a_linked_petition_at_the_competent_agency(world):
    case = in_progress(world)
    services.case_fail(case=case, actor=world.mediator.user)
    event = services.case_refer(
        case=case,
        actor=world.mediator.user,
        petition_agency=world.committee,
        petition_kind="recommendation",
    )
    case = _fresh(case)
    petition = case.referred_petition
    assert isinstance(petition, Petition)
    assert case.status == Status.REFERRED
    assert case.referred_to == world.committee.name
    assert petition.handling_agency == world.committee
    assert petition.channel == Channel.FORWARDED
    assert petition.commune == world.commune
    assert petition.subject == case.subject
    assert case.reference in petition.content
    assert decrypt_identity(petition.identity).phone == "0912345678"
    assert petition.reference in event.said_text


def test_a_failed_grassroots_land_dispute_goes_to_the_communes_land_mediation(world):
    with at(2026, 3, 2):
        case = in_progress(world)
        services.case_fail(case=case, actor=world.mediator.user)
        services.case_refer(case=case, actor=world.mediator.user, open_land=True)
    land = MediationCase.objects.get(kind=Kind.LAND)
    assert land.previous == case and land.commune == world.commune
    assert land.clock_due_on == date(2026, 4, 1)
    assert [p.name for p in land.parties.all()] == [p.name for p in PARTIES]
    assert _fresh(case).status == Status.REFERRED


def test_a_referral_needs_somewhere_to_go(world):
    case = in_progress(world)
    services.case_fail(case=case, actor=world.mediator.user)
    with pytest.raises(ValidationError):
        services.case_refer(case=case, actor=world.mediator.user)
    with pytest.raises(ValidationError):
        services.case_refer(
            case=case, actor=world.mediator.user, petition_agency=world.committee, open_land=True
        )
    assert _fresh(case).status == Status.UNSUCCESSFUL
    assert not Petition.objects.exists()


def test_a_note_is_one_event_without_a_status(world):
    case = open_grassroots(world)
    services.case_add_note(case=case, actor=world.leader.user, note="Đã gọi điện cho hai bên.")
    assert _events(case)[-1] == ("note", "", "")
    with pytest.raises(ValidationError):
        services.case_add_note(case=case, actor=world.leader.user, note="  ")


def test_the_moves_offered_follow_the_role_and_the_status(world):
    case = open_grassroots(world)
    assert moves.available_actions(world.leader.user, case) == ["assign", "refuse", "note"]
    assert moves.available_actions(world.mediator.user, case) == []
    services.case_assign(case=case, actor=world.leader.user, mediator=world.mediator)
    assert moves.available_actions(world.mediator.user, case) == [
        "session",
        "end",
        "refuse",
        "note",
    ]
    assert moves.available_actions(world.second.user, case) == []
    assert moves.available_actions(world.commune_lead, case)[:2] == ["replace", "session"]
    assert moves.available_actions(world.commune_handler, case) == []


def test_the_communes_lead_puts_an_official_on_a_land_mediation_who_conducts_it(world):
    with at(2026, 3, 2):
        case = services.open_case(
            actor=world.commune_handler,
            kind=Kind.LAND,
            ground="agency_request",
            field="land",
            subject="Tranh chấp thửa đất số 125",
            summary="Hai hộ cùng kê khai thửa đất.",
            parties=PARTIES,
            commune=world.commune,
        )
        with pytest.raises(NotPermitted):  # a handler conducts, the lead assigns
            services.case_assign(
                case=case, actor=world.commune_handler, officer=world.commune_handler
            )
        with pytest.raises(ValidationError):  # an official of the commune, not a mediator
            services.case_assign(case=case, actor=world.commune_lead, officer=world.mediator.user)
        services.case_assign(case=case, actor=world.commune_lead, officer=world.commune_handler)
        case = _fresh(case)
        assert case.officer == world.commune_handler and case.mediator is None
        assert case.clock == "land"  # the 30 days keep running from the request
        services.case_record_session(
            case=case, actor=world.commune_handler, held_on=date(2026, 3, 2), place="UBND xã"
        )
        services.case_succeed(case=_fresh(case), actor=world.commune_handler)
    case = _fresh(case)
    assert case.status == Status.SUCCESSFUL and case.clock == ""
    with pytest.raises(TransitionNotAllowed):
        services.case_replace_mediator(
            case=case, actor=world.commune_lead, mediator=world.mediator, reason="x"
        )
