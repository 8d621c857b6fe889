from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from agencies.models import DeadlinePolicy, Role
from agencies.workdays import DueDate, subtract_working_days
from casework.errors import ConcurrentChange, NotPermitted, TransitionNotAllowed
from petitions import moves, services
from petitions.identity import tracking_code_matches
from petitions.models import CITIZEN, MACHINE, SYSTEM, Petition, PetitionEvent, Status
from tests.factories import member, submit_petition
from tests.petitions.conftest import at

pytestmark = pytest.mark.django_db


def _events(petition: Petition) -> list[tuple[str, str, str]]:
    return list(
        PetitionEvent.objects.filter(petition=petition)
        .order_by("id")
        .values_list("action", "from_status", "to_status")
    )


def _fresh(petition: Petition) -> Petition:
    return Petition.objects.get(pk=petition.pk)


# --- submission and the handling clock ----------------------------------------------------


def test_a_citizen_submission_gets_a_reference_a_secret_code_and_a_handling_clock(agency):
    with at(2026, 3, 9):
        submitted = submit_petition(agency=agency)
    petition = submitted.petition
    assert petition.reference == "KN-2026-000001"
    assert petition.status == Status.RECEIVED
    assert tracking_code_matches(submitted.tracking_code, petition.tracking_hash)
    assert submitted.tracking_code not in petition.tracking_hash
    assert petition.clock == "handling"
    assert petition.handling_due_on == date(2026, 3, 23)  # 10 working days
    assert _events(petition) == [("submit", "", "received")]


def test_reference_numbers_count_per_kind_and_year(agency):
    with at(2026, 3, 9):
        first = submit_petition(agency=agency).petition
        denunciation = submit_petition(agency=agency, kind="denunciation").petition
        second = submit_petition(agency=agency).petition
    assert (first.reference, second.reference) == ("KN-2026-000001", "KN-2026-000002")
    assert denunciation.reference == "TC-2026-000001"


def test_a_complaint_received_on_the_friday_before_tet_is_handled_by_6_march(agency):
    with at(2026, 2, 13):
        petition = submit_petition(agency=agency).petition
    assert petition.handling_due_on == date(2026, 3, 6)
    assert "Tết" in DueDate.from_dict(petition.handling_rule).explain()


def test_from_july_2026_a_first_round_complaint_must_be_accepted_within_7_working_days(agency):
    with at(2026, 7, 6):  # Monday
        petition = submit_petition(agency=agency).petition
    assert petition.handling_due_on == date(2026, 7, 15)


def test_a_handler_of_another_agency_cannot_record_a_petition_for_this_one(agency, other_handler):
    with pytest.raises(NotPermitted):
        submit_petition(agency=agency, actor=other_handler)
    assert Petition.objects.count() == 0


# --- accept -------------------------------------------------------------------------------


def test_accepting_a_received_complaint_sets_the_resolution_deadline(agency, lead):
    with at(2026, 3, 9):
        petition = submit_petition(agency=agency).petition
    with at(2026, 3, 12):
        services.petition_accept(petition=petition, actor=lead)
    petition = _fresh(petition)
    assert petition.status == Status.ACCEPTED
    assert petition.handled_on == date(2026, 3, 12)
    assert petition.resolution_due_on == date(2026, 4, 13)  # 30 CD → Sat 11/04 → Mon 13/04
    assert petition.clock == "resolution"
    assert _events(petition)[-1] == ("accept", "received", "accepted")
    assert len(_events(petition)) == 2


def test_a_remote_and_complex_complaint_gets_60_days(agency, lead):
    with at(2026, 3, 2):
        petition = submit_petition(agency=agency, is_remote_area=True).petition
        services.petition_accept(petition=petition, actor=lead, is_complex=True)
    assert _fresh(petition).resolution_due_on == date(2026, 5, 4)  # 01/05 holiday, weekend


def test_a_handler_may_not_accept(agency, handler):
    petition = submit_petition(agency=agency).petition
    with pytest.raises(NotPermitted):
        services.petition_accept(petition=petition, actor=handler)
    assert _fresh(petition).status == Status.RECEIVED
    assert len(_events(petition)) == 1


def test_a_lead_of_another_agency_may_not_accept(agency, other_lead):
    petition = submit_petition(agency=agency).petition
    with pytest.raises(NotPermitted):
        services.petition_accept(petition=petition, actor=other_lead)


def test_accepting_twice_is_an_illegal_move_that_writes_nothing(agency, lead):
    petition = submit_petition(agency=agency).petition
    services.petition_accept(petition=petition, actor=lead)
    petition = _fresh(petition)
    with pytest.raises(TransitionNotAllowed):
        services.petition_accept(petition=petition, actor=lead)
    assert len(_events(petition)) == 2


def test_two_officials_acting_at_once_give_one_success_and_one_conflict(agency, lead, handler):
    petition = submit_petition(agency=agency).petition
    seen_by_lead = _fresh(petition)
    seen_by_handler = _fresh(petition)
    services.petition_guide(petition=seen_by_handler, actor=handler, guided_to="Tòa án nhân dân")
    with pytest.raises(ConcurrentChange):
        services.petition_accept(petition=seen_by_lead, actor=lead)
    assert _fresh(petition).status == Status.GUIDED
    assert [e[0] for e in _events(petition)] == ["submit", "guide"]


def test_the_citizen_is_mailed_only_after_the_acceptance_commits(
    agency, lead, django_capture_on_commit_callbacks, mailoutbox
):
    from notifications.models import Notice

    petition = submit_petition(agency=agency).petition
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.petition_accept(petition=petition, actor=lead)
    # The outbox row is written with the change; the delivery waits for the commit.
    notice = Notice.objects.get(kind="petition.accepted")
    assert notice.address == "an.nv@example.vn" and notice.status == "pending"
    assert callbacks and mailoutbox == []


# --- transfer, guide, not accept, file -------------------------------------------------------


def test_a_transfer_gives_the_receiver_a_new_case_and_the_sender_read_only_history(
    agency, other_agency, handler
):
    with at(2026, 3, 9):
        petition = submit_petition(agency=agency).petition
    with at(2026, 3, 11):
        new = services.petition_transfer(petition=petition, actor=handler, to_agency=other_agency)
    old = _fresh(petition)
    assert old.status == Status.TRANSFERRED
    assert old.clock_due_on is None
    assert _events(old)[-1] == ("transfer", "received", "transferred")
    assert new.handling_agency == other_agency
    assert new.status == Status.RECEIVED
    assert new.transferred_from == old
    assert new.handling_due_on == date(2026, 3, 25)  # new clock from the transfer date
    assert new.tracking_hash == old.tracking_hash
    assert new.channel == "forwarded"


def test_a_denunciation_is_transferred_only_once(agency, other_agency, handler, other_handler):
    petition = submit_petition(agency=agency, kind="denunciation").petition
    new = services.petition_transfer(petition=petition, actor=handler, to_agency=other_agency)
    with pytest.raises(TransitionNotAllowed):
        services.petition_transfer(petition=new, actor=other_handler, to_agency=agency)


def test_guidance_is_terminal_and_stops_the_clock(agency, handler):
    petition = submit_petition(agency=agency).petition
    services.petition_guide(petition=petition, actor=handler, guided_to="Tòa án nhân dân tỉnh")
    petition = _fresh(petition)
    assert petition.status == Status.GUIDED and petition.clock_due_on is None
    assert not petition.can_transition_to(Status.ACCEPTED)


def test_not_accepting_needs_a_legal_reason(agency, lead):
    petition = submit_petition(agency=agency).petition
    with pytest.raises(ValidationError):
        services.petition_not_accept(petition=petition, actor=lead, reason="vì sao cũng được")
    services.petition_not_accept(petition=petition, actor=lead, reason="time_limit")
    assert _fresh(petition).status == Status.NOT_ACCEPTED


def test_filing_needs_a_note(agency, handler):
    petition = submit_petition(agency=agency).petition
    with pytest.raises(ValidationError):
        services.petition_file(petition=petition, actor=handler, note="  ")
    services.petition_file(petition=petition, actor=handler, note="Đơn trùng KN-2026-000001")
    assert _fresh(petition).status == Status.FILED


# --- suspension and extensions ----------------------------------------------------------------


def test_a_12_day_suspension_pauses_the_resolution_clock(agency, lead):
    with at(2026, 3, 2):
        petition = submit_petition(agency=agency).petition
        services.petition_accept(petition=petition, actor=lead)
    due = _fresh(petition).resolution_due_on
    assert due == date(2026, 4, 1)
    with at(2026, 3, 10):
        services.petition_suspend(
            petition=_fresh(petition),
            actor=lead,
            reason="Chờ kết quả giám định",
            decision_number="15/QĐ",
        )
    suspended = _fresh(petition)
    assert suspended.status == Status.SUSPENDED and suspended.clock_due_on is None
    with at(2026, 3, 22):
        services.petition_resume(petition=suspended, actor=lead)
    resumed = _fresh(petition)
    assert resumed.status == Status.ACCEPTED
    assert resumed.resolution_due_on == due + timedelta(days=12)
    assert resumed.suspensions.get().ended_on == date(2026, 3, 22)
    assert [e[0] for e in _events(resumed)] == ["submit", "accept", "suspend", "resume"]


def test_a_denunciation_is_extended_twice_when_especially_complex_and_never_a_third_time(
    agency, lead
):
    with at(2026, 3, 2):
        petition = submit_petition(agency=agency, kind="denunciation").petition
        services.petition_accept(petition=petition, actor=lead)
    first_due = _fresh(petition).resolution_due_on
    assert first_due == date(2026, 4, 1)
    with at(2026, 3, 25):
        services.petition_extend(
            petition=_fresh(petition),
            actor=lead,
            reason="Nhiều nội dung cần xác minh",
            decision_number="20/QĐ-TTr",
            especially_complex=True,
        )
        services.petition_extend(
            petition=_fresh(petition),
            actor=lead,
            reason="Chờ giám định",
            decision_number="25/QĐ-TTr",
        )
        with pytest.raises(TransitionNotAllowed):
            services.petition_extend(
                petition=_fresh(petition), actor=lead, reason="x", decision_number="30/QĐ"
            )
    petition = _fresh(petition)
    assert petition.extensions_count == 2
    # 01/04 + 30 = Fri 01/05 (Labour Day) → Mon 04/05; each extension counts from the
    # deadline then in force: 04/05 + 30 = Wed 03/06.
    assert petition.resolution_due_on == date(2026, 6, 3)
    assert [x.decision_number for x in petition.extensions.all()] == ["20/QĐ-TTr", "25/QĐ-TTr"]


def test_a_simple_denunciation_is_extended_once_as_complex(agency, lead):
    petition = submit_petition(agency=agency, kind="denunciation").petition
    services.petition_accept(petition=petition, actor=lead)
    services.petition_extend(petition=_fresh(petition), actor=lead, reason="r", decision_number="1")
    with pytest.raises(TransitionNotAllowed):
        services.petition_extend(
            petition=_fresh(petition), actor=lead, reason="r", decision_number="2"
        )


def test_an_extension_needs_a_reason_and_a_decision_number(agency, lead):
    petition = submit_petition(agency=agency, kind="denunciation").petition
    services.petition_accept(petition=petition, actor=lead)
    with pytest.raises(ValidationError) as excinfo:
        services.petition_extend(
            petition=_fresh(petition), actor=lead, reason="", decision_number=""
        )
    assert set(excinfo.value.message_dict) == {"reason", "decision_number"}
    assert _fresh(petition).extensions_count == 0


def test_a_complaint_has_no_extension(agency, lead):
    petition = submit_petition(agency=agency).petition
    services.petition_accept(petition=petition, actor=lead)
    with pytest.raises(TransitionNotAllowed):
        services.petition_extend(
            petition=_fresh(petition), actor=lead, reason="r", decision_number="1"
        )


# --- resolution, closing, appeal ----------------------------------------------------------------


def test_resolving_needs_an_outcome_that_fits_the_kind(agency, lead):
    petition = submit_petition(agency=agency).petition
    services.petition_accept(petition=petition, actor=lead)
    with pytest.raises(ValidationError):
        services.petition_resolve(
            petition=_fresh(petition),
            actor=lead,
            outcome="untrue",
            decision_number="1",
            result_summary="x",
        )
    with at(2026, 3, 20):
        services.petition_resolve(
            petition=_fresh(petition),
            actor=lead,
            outcome="partly_correct",
            decision_number="45/QĐ-UBND",
            result_summary="Khiếu nại đúng một phần; điều chỉnh mức bồi thường.",
        )
    petition = _fresh(petition)
    assert petition.status == Status.RESOLVED and petition.resolved_on == date(2026, 3, 20)
    assert petition.closes_on == date(2026, 4, 20)  # 30 CD → Sun 19/04 → Mon 20/04
    assert petition.clock_due_on is None


def test_a_resolved_case_closes_once_its_decision_takes_effect(agency, lead):
    petition = submit_petition(agency=agency).petition
    services.petition_accept(petition=petition, actor=lead)
    with at(2026, 3, 20):
        services.petition_resolve(
            petition=_fresh(petition),
            actor=lead,
            outcome="wrong",
            decision_number="1",
            result_summary="x",
        )
    assert services.close_due_petitions(today=date(2026, 4, 20)) == 0
    assert services.close_due_petitions(today=date(2026, 4, 21)) == 1
    assert services.close_due_petitions(today=date(2026, 4, 22)) == 0
    assert _fresh(petition).status == Status.CLOSED
    assert _events(petition)[-1] == ("close", "resolved", "closed")


def test_an_appeal_opens_a_linked_second_round_complaint_at_the_parent_agency(
    agency, parent_agency, lead
):
    petition = submit_petition(agency=agency).petition
    services.petition_accept(petition=petition, actor=lead)
    services.petition_resolve(
        petition=_fresh(petition),
        actor=lead,
        outcome="wrong",
        decision_number="1",
        result_summary="x",
    )
    second = services.petition_appeal(
        petition=_fresh(petition),
        actor=CITIZEN,
        content="Tôi không đồng ý với quyết định giải quyết.",
    )
    assert _fresh(petition).status == Status.APPEALED
    assert second.round == 2 and second.previous_id == petition.pk
    assert second.handling_agency == parent_agency
    assert second.reference == "KN-2026-000002"
    assert _fresh(second).tracking_hash == petition.tracking_hash


def test_the_citizen_withdraws_an_open_petition_but_not_a_closed_one(agency, handler):
    petition = submit_petition(agency=agency).petition
    services.petition_withdraw(petition=petition, actor=CITIZEN, reason="Đã tự thỏa thuận")
    petition = _fresh(petition)
    assert petition.status == Status.WITHDRAWN
    assert PetitionEvent.objects.filter(petition=petition, by_citizen=True).count() == 2
    with pytest.raises(TransitionNotAllowed):
        services.petition_withdraw(petition=petition, actor=CITIZEN)


def test_the_system_may_only_close(agency):
    petition = submit_petition(agency=agency).petition
    with pytest.raises(NotPermitted):
        services.petition_withdraw(petition=petition, actor=SYSTEM)


# --- assignment, notes, information ---------------------------------------------------------------


def test_a_lead_assigns_a_handler_of_the_agency_only(agency, lead, handler, other_handler):
    petition = submit_petition(agency=agency).petition
    with pytest.raises(ValidationError):
        services.petition_assign(petition=petition, actor=lead, handler=other_handler)
    services.petition_assign(petition=petition, actor=lead, handler=handler)
    assert _fresh(petition).assigned_to == handler
    event = PetitionEvent.objects.filter(petition=petition).last()
    assert (event.action, event.is_public) == ("assign", False)
    with pytest.raises(NotPermitted):
        services.petition_assign(petition=petition, actor=handler, handler=handler)


def test_a_citizen_adds_information_while_the_case_is_open(agency, handler):
    petition = submit_petition(agency=agency).petition
    services.petition_add_information(petition=petition, text="Bổ sung bản đồ thửa đất")
    with pytest.raises(ValidationError):
        services.petition_add_information(petition=petition, text="")
    services.petition_file(petition=petition, actor=handler, note="trùng")
    with pytest.raises(TransitionNotAllowed):
        services.petition_add_information(petition=_fresh(petition), text="thêm")


def test_two_extensions_read_at_once_give_one_extension_and_one_conflict(agency, lead):
    petition = submit_petition(agency=agency, kind="recommendation").petition
    services.petition_accept(petition=petition, actor=lead)
    first, second = _fresh(petition), _fresh(petition)
    services.petition_extend(petition=first, actor=lead, reason="r", decision_number="1")
    with pytest.raises(ConcurrentChange):
        services.petition_extend(petition=second, actor=lead, reason="r", decision_number="2")
    petition = _fresh(petition)
    assert petition.extensions_count == 1 and petition.extensions.count() == 1


def test_an_extension_read_before_a_suspension_cannot_undo_it(agency, lead):
    with at(2026, 3, 2):
        petition = submit_petition(agency=agency, kind="recommendation").petition
        services.petition_accept(petition=petition, actor=lead)
    stale = _fresh(petition)
    with at(2026, 3, 10):
        services.petition_suspend(
            petition=_fresh(petition), actor=lead, reason="Chờ giám định", decision_number="7"
        )
    with at(2026, 3, 28):
        services.petition_resume(petition=_fresh(petition), actor=lead)
    due = _fresh(petition).resolution_due_on
    with pytest.raises(ConcurrentChange):
        services.petition_extend(petition=stale, actor=lead, reason="r", decision_number="1")
    assert _fresh(petition).resolution_due_on == due


# --- "due soon" follows the policy's own due_soon_days after every move of the clock ------


@pytest.fixture
def five_days_warning():
    """The answer clock of recommendations warns 5 working days ahead (not the default 3)."""
    DeadlinePolicy.objects.filter(key="recommendation.answer").update(due_soon_days=5)


def _warned_five_working_days_ahead(petition: Petition) -> bool:
    return petition.clock_due_soon_on == subtract_working_days(petition.clock_due_on, 5)


def test_a_resume_on_the_day_of_the_suspension_keeps_the_policys_due_soon_warning(
    agency, lead, five_days_warning
):
    # Before the fix a pause of no day kept the paused clock as read back from its rule,
    # "due soon" from the due date itself: no warning before the last day.
    with at(2026, 3, 2):
        petition = submit_petition(agency=agency, kind="recommendation").petition
        services.petition_accept(petition=petition, actor=lead)
    due = _fresh(petition).clock_due_on
    with at(2026, 3, 10):
        services.petition_suspend(
            petition=_fresh(petition), actor=lead, reason="Chờ giám định", decision_number="7"
        )
        services.petition_resume(petition=_fresh(petition), actor=lead)
    resumed = _fresh(petition)
    assert resumed.clock_due_on == due
    assert resumed.clock_due_soon_on < resumed.clock_due_on
    assert _warned_five_working_days_ahead(resumed)
    assert resumed.next_reminder_on == resumed.clock_due_soon_on


def test_a_resume_after_a_pause_warns_the_policys_due_soon_days_before_the_new_due_date(
    agency, lead, five_days_warning
):
    with at(2026, 3, 2):
        petition = submit_petition(agency=agency, kind="recommendation").petition
        services.petition_accept(petition=petition, actor=lead)
    with at(2026, 3, 10):
        services.petition_suspend(
            petition=_fresh(petition), actor=lead, reason="Chờ giám định", decision_number="7"
        )
    with at(2026, 3, 20):
        services.petition_resume(petition=_fresh(petition), actor=lead)
    assert _warned_five_working_days_ahead(_fresh(petition))


def test_an_extension_warns_the_policys_due_soon_days_before_the_new_due_date(
    agency, lead, five_days_warning
):
    with at(2026, 3, 2):
        petition = submit_petition(agency=agency, kind="recommendation").petition
        services.petition_accept(petition=petition, actor=lead)
        assert _warned_five_working_days_ahead(_fresh(petition))
        services.petition_extend(
            petition=_fresh(petition), actor=lead, reason="r", decision_number="1"
        )
    extended = _fresh(petition)
    assert extended.clock_due_on == date(2026, 4, 16)  # 01/04 + 15 calendar days
    assert _warned_five_working_days_ahead(extended)


# --- one machine: what a user is offered is what the services allow ------------------------


def test_a_denunciation_extended_to_its_cap_is_no_longer_offered_an_extension(agency, lead):
    # Before, an extension stayed on offer for every accepted denunciation (the cap was
    # checked only for other kinds) and failed when tried.
    petition = submit_petition(agency=agency, kind="denunciation").petition
    services.petition_accept(petition=petition, actor=lead)
    assert "extend" in moves.available_actions(lead, _fresh(petition))
    services.petition_extend(petition=_fresh(petition), actor=lead, reason="r", decision_number="1")
    # Declared only complex: a second extension needs the especially complex decision.
    assert "extend" in moves.available_actions(lead, _fresh(petition))
    with pytest.raises(TransitionNotAllowed):
        services.petition_extend(
            petition=_fresh(petition), actor=lead, reason="r", decision_number="2"
        )
    services.petition_extend(
        petition=_fresh(petition),
        actor=lead,
        reason="r",
        decision_number="2",
        especially_complex=True,
    )
    assert "extend" not in moves.available_actions(lead, _fresh(petition))


def test_a_transferred_denunciation_is_not_offered_a_second_transfer(agency, handler):
    petition = submit_petition(agency=agency, kind="denunciation").petition
    new = services.petition_transfer(
        petition=petition, actor=handler, to_agency=submit_petition().petition.handling_agency
    )
    # The receiver's copy of a transferred denunciation: a second transfer is refused
    # by the move's guard, so it is not offered either.
    receiver_lead = member(Role.LEAD, new.handling_agency)
    offered = moves.available_actions(receiver_lead, new)
    assert "transfer" not in offered and "accept" in offered
    with pytest.raises(TransitionNotAllowed, match="chỉ được chuyển một lần"):
        MACHINE.check(new, "transfer", receiver_lead)


# --- what the citizen is told -----------------------------------------------------------------


def _citizen_mails() -> list:
    from notifications.models import Notice

    return list(Notice.objects.filter(channel="email", user=None).order_by("id"))


def test_the_citizen_hears_of_a_suspension_a_resumption_and_an_extension_by_name(agency, lead):
    with at(2026, 3, 2):
        petition = submit_petition(agency=agency, kind="denunciation").petition
        services.petition_accept(petition=petition, actor=lead)
    with at(2026, 3, 10):
        services.petition_suspend(
            petition=_fresh(petition),
            actor=lead,
            reason="Chờ kết quả giám định",
            decision_number="15/QĐ",
        )
    with at(2026, 3, 22):
        services.petition_resume(petition=_fresh(petition), actor=lead)
    with at(2026, 3, 23):
        services.petition_extend(
            petition=_fresh(petition), actor=lead, reason="Phức tạp", decision_number="20/QĐ"
        )
    mails = {n.kind: n for n in _citizen_mails()}
    assert {"petition.suspended", "petition.resumed", "petition.extended"} <= set(mails)
    suspended, resumed, extended = (
        mails["petition.suspended"],
        mails["petition.resumed"],
        mails["petition.extended"],
    )
    assert "Tạm đình chỉ" in suspended.subject
    assert "15/QĐ" in suspended.body_text and "Chờ kết quả giám định" in suspended.body_text
    assert "12" in resumed.body_text
    assert _fresh(petition).resolution_due_on is not None
    # An extension is not titled as the acceptance was.
    accepted = mails["petition.accepted"]
    for later in (resumed, extended):
        assert later.subject != accepted.subject
        assert "Đã thụ lý" not in later.subject


def test_every_public_move_tells_the_citizen(agency, lead, handler):
    from petitions.notices import CITIZEN_EVENTS

    assert {"suspended", "resumed", "filed", "closed", "appealed"} <= CITIZEN_EVENTS
    with at(2026, 3, 2):
        petition = submit_petition(agency=agency).petition
        services.petition_file(petition=petition, actor=handler, note="Đơn trùng")
    assert "petition.filed" in {n.kind for n in _citizen_mails()}


def test_the_explanation_says_what_a_suspension_and_an_extension_added(agency, lead):
    from django.utils import translation

    with at(2026, 3, 2):
        petition = submit_petition(agency=agency, kind="denunciation").petition
        services.petition_accept(petition=petition, actor=lead)
    with at(2026, 3, 10):
        services.petition_suspend(
            petition=_fresh(petition), actor=lead, reason="Giám định", decision_number="15/QĐ"
        )
    with at(2026, 3, 22):
        services.petition_resume(petition=_fresh(petition), actor=lead)
    resumed = _fresh(petition)
    assert resumed.resolution_due_on == date(2026, 4, 13)
    with translation.override("en"):
        text = DueDate.from_dict(resumed.resolution_rule).explain()
    # The period itself, then the 12 days paused, said apart.
    assert "30 calendar days counted from the day after 02/03/2026" in text
    assert "42" not in text
    assert "suspended from 10/03/2026 to 22/03/2026" in text and "12 calendar days" in text
    with at(2026, 3, 25):
        services.petition_extend(
            petition=_fresh(petition), actor=lead, reason="Phức tạp", decision_number="20/QĐ"
        )
    extended = _fresh(petition)
    with translation.override("en"):
        text = DueDate.from_dict(extended.resolution_rule).explain()
    assert "suspended from 10/03/2026 to 22/03/2026" in text
    assert "extended on 25/03/2026" in text and "30 calendar days" in text
    assert "weekend days skipped" not in text
