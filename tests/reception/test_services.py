"""Every move of the visit machine: the happy path with one event, the illegal move that
writes nothing, the lost race, and what happens only after commit."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from casework.errors import ConcurrentChange, NotPermitted, TransitionNotAllowed
from petitions.models import Channel, Petition
from reception import services
from reception.identity import unseal
from reception.models import Outcome, Status, Visit, VisitEvent, VisitIdentityReveal
from reception.reminders import SWEEP
from tests.reception.conftest import at, delegation, details, register

pytestmark = pytest.mark.django_db


def _events(visit: Visit) -> list[str]:
    return list(visit.events.order_by("id").values_list("action", flat=True))


def test_registering_a_visit_seals_the_identity_and_writes_one_event(officer, agency):
    with at(2026, 11, 2):
        visit = register(officer, agency)
    assert visit.reference == "TCD-2026-000001"
    assert visit.status == Status.REGISTERED
    assert "Nguyễn" not in visit.identity  # encrypted at rest
    assert unseal(visit.identity).id_number == "037012345678"
    assert visit.identity_digest and "037012345678" not in visit.identity_digest
    assert visit.display_name == "Nguyễn Văn An"
    assert _events(visit) == ["register"]
    assert "nguyen van an" in visit.search_text


def test_a_denouncers_name_is_neither_shown_nor_searchable(officer, agency):
    with at(2026, 11, 2):
        visit = register(officer, agency, classification="denunciation")
    assert visit.display_name == ""
    assert "nguyen" not in visit.search_text
    assert str(visit.public_name) != "Nguyễn Văn An"


def test_a_delegation_keeps_its_size_and_representatives(officer, agency):
    with at(2026, 11, 2):
        visit = services.visit_register(actor=officer, details=delegation(agency, people=12))
    assert (visit.is_delegation, visit.people_count, visit.representatives_count) == (True, 12, 2)
    assert [r.name for r in unseal(visit.identity).representatives] == [
        "Nguyễn Văn An",
        "Lê Thị Bình",
    ]
    event = visit.events.get()
    assert "12" in event.said_text and event.note == ""


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"is_delegation": True, "people_count": 3}, "people_count"),
        ({"people_count": 4}, "people_count"),
        ({"visited_on": date(2026, 12, 25)}, "visited_on"),
        ({"receiver_kind": "official", "leader_in_person": True}, "leader_in_person"),
    ],
)
def test_a_visit_that_cannot_be_registered_says_why_and_writes_nothing(
    officer, agency, overrides, field
):
    with at(2026, 11, 2), pytest.raises(ValidationError) as caught:
        register(officer, agency, **overrides)
    assert field in caught.value.message_dict
    assert not Visit.objects.exists()


def test_only_a_reception_officer_of_the_agency_registers(handler, other_officer, agency):
    for actor in (handler, other_officer):
        with at(2026, 11, 2), pytest.raises(NotPermitted):
            register(actor, agency)
    assert not Visit.objects.exists()


def test_a_written_petition_opens_a_petition_in_person_linked_both_ways(officer, agency):
    with at(2026, 11, 2):
        visit = register(officer, agency)
        services.visit_take_petition(
            visit=visit, actor=officer, documents="Đơn khiếu nại\nBản sao quyết định 123"
        )
    visit.refresh_from_db()
    petition = visit.petition
    assert petition is not None
    assert (petition.channel, petition.kind, petition.handling_agency) == (
        Channel.IN_PERSON,
        "complaint",
        agency,
    )
    assert petition.received_on == date(2026, 11, 2)
    assert list(petition.reception_visits.all()) == [visit]
    assert visit.reference in petition.events.get(action="submit").said_text
    assert (visit.status, visit.outcome) == (Status.AWAITING, Outcome.PETITION)
    # 10 working days from Monday 02/11/2026: Monday 16/11.
    assert visit.answer_due_on == date(2026, 11, 16)
    assert visit.next_reminder_on == visit.answer_due_soon_on
    assert _events(visit) == ["register", "take_petition"]
    assert petition.reference in visit.events.get(action="take_petition").said_text


def test_a_verbal_petition_is_minuted_as_a_petition_of_the_chosen_kind(officer, agency):
    with at(2026, 11, 2):
        visit = register(officer, agency, classification="several")
        services.visit_take_minutes(visit=visit, actor=officer, kind="reflection")
    visit.refresh_from_db()
    assert visit.outcome == Outcome.MINUTES
    assert visit.petition.kind == "reflection"


def test_a_visit_of_several_contents_needs_the_kind_of_petition(officer, agency):
    with at(2026, 11, 2):
        visit = register(officer, agency, classification="several")
        with pytest.raises(ValidationError):
            services.visit_take_petition(visit=visit, actor=officer)
    assert not Petition.objects.exists()
    assert Visit.objects.get().status == Status.REGISTERED


def test_guiding_explaining_and_refusing_end_the_visit(officer, agency):
    with at(2026, 11, 2):
        guided = register(officer, agency)
        services.visit_guide(visit=guided, actor=officer, guided_to="Tòa án nhân dân khu vực 1")
        explained = register(officer, agency)
        services.visit_explain(visit=explained, actor=officer, note="Đã giải thích quy định.")
        refused = register(officer, agency)
        services.visit_refuse(visit=refused, actor=officer, reason="disruptive")
    assert Visit.objects.get(pk=guided.pk).status == Status.GUIDED
    assert Visit.objects.get(pk=explained.pk).status == Status.EXPLAINED
    refused = Visit.objects.get(pk=refused.pk)
    assert (refused.status, refused.refusal_reason) == (Status.REFUSED, "disruptive")
    assert "Điều 9 khoản 2" in refused.events.get(action="refuse").said_text
    assert not Petition.objects.exists()


def test_a_refusal_needs_a_legal_reason(officer, agency):
    with at(2026, 11, 2):
        visit = register(officer, agency)
        with pytest.raises(ValidationError):
            services.visit_refuse(visit=visit, actor=officer, reason="bored")
    assert _events(Visit.objects.get()) == ["register"]


def test_answering_stops_the_clock_and_says_whether_on_time(officer, agency):
    with at(2026, 11, 2):
        visit = register(officer, agency)
        services.visit_take_petition(visit=visit, actor=officer)
    with at(2026, 11, 20):
        visit.refresh_from_db()
        services.visit_answer(
            visit=visit, actor=officer, answer_form="written", answer_text="Đã thụ lý."
        )
    visit.refresh_from_db()
    assert (visit.status, visit.answered_on, visit.next_reminder_on) == (
        Status.ANSWERED,
        date(2026, 11, 20),
        None,
    )
    assert "16/11/2026" in visit.events.get(action="answer").said_text


@pytest.mark.parametrize(
    ("move", "kwargs"),
    [
        ("visit_guide", {"guided_to": "UBND xã"}),
        ("visit_explain", {"note": "Đã giải thích."}),
        ("visit_take_petition", {}),
    ],
)
def test_an_ended_visit_cannot_move_again(officer, agency, move, kwargs):
    with at(2026, 11, 2):
        visit = register(officer, agency)
        services.visit_refuse(visit=visit, actor=officer, reason="settled")
        before = VisitEvent.objects.count()
        with pytest.raises(TransitionNotAllowed):
            getattr(services, move)(visit=visit, actor=officer, **kwargs)
    assert VisitEvent.objects.count() == before
    assert not Petition.objects.exists()


def test_answering_before_the_content_was_received_is_refused(officer, agency):
    with at(2026, 11, 2):
        visit = register(officer, agency)
        with pytest.raises(TransitionNotAllowed):
            services.visit_answer(visit=visit, actor=officer, answer_form="direct", answer_text="x")


def test_a_lost_race_opens_no_second_petition(officer, agency):
    with at(2026, 11, 2):
        visit = register(officer, agency)
        stale = Visit.objects.get(pk=visit.pk)
        services.visit_guide(visit=visit, actor=officer, guided_to="Tòa án")
        with pytest.raises(ConcurrentChange):
            services.visit_take_petition(visit=stale, actor=officer)
    assert not Petition.objects.exists()
    assert Visit.objects.get().status == Status.GUIDED


def test_a_returning_citizen_on_the_same_matter_is_a_visit_not_a_matter(officer, agency):
    with at(2026, 11, 2):
        first = register(officer, agency)
        services.visit_take_petition(visit=first, actor=officer)
    with at(2026, 11, 9):
        again = register(officer, agency, subject="Hỏi tiến độ giải quyết")
        first.refresh_from_db()
        services.visit_same_matter(visit=again, actor=officer, earlier=first)
        again.refresh_from_db()
        # The matter already has its petition: no second one.
        with pytest.raises(TransitionNotAllowed):
            services.visit_take_petition(visit=again, actor=officer)
        services.visit_explain(visit=again, actor=officer, note="Đang xác minh.")
    again.refresh_from_db()
    assert (again.matter, again.petition) == (first, first.petition)
    assert Petition.objects.count() == 1
    assert not again.is_new_matter and first.is_new_matter


def test_only_the_same_citizen_can_be_linked(officer, agency):
    with at(2026, 11, 2):
        first = register(officer, agency)
        stranger = register(
            officer,
            agency,
            visitor=details(agency).visitor.__class__(
                name="Trần Văn Bảo", id_number="037099999999"
            ),
        )
        with pytest.raises(ValidationError):
            services.visit_same_matter(visit=stranger, actor=officer, earlier=first)
    assert Visit.objects.get(pk=stranger.pk).matter is None


def test_the_sealed_identity_is_revealed_with_an_audit_row(officer, lead, handler, agency):
    with at(2026, 11, 2):
        visit = register(officer, agency, classification="denunciation")
        with pytest.raises(NotPermitted):
            services.visit_reveal_identity(visit=visit, actor=handler, reason="tò mò")
        seen = services.visit_reveal_identity(visit=visit, actor=lead, reason="Xác minh nội dung")
    assert seen.name == "Nguyễn Văn An"
    assert VisitIdentityReveal.objects.get().user == lead
    assert _events(visit) == ["register", "reveal"]


def test_answer_reminders_go_once_to_the_desk_and_then_to_the_leads(officer, lead, agency):
    with at(2026, 11, 2):
        visit = register(officer, agency)
        services.visit_take_petition(visit=visit, actor=officer)
    visit.refresh_from_db()
    mail.outbox.clear()
    assert SWEEP.remind_due(today=visit.answer_due_soon_on) == 1
    assert SWEEP.remind_due(today=visit.answer_due_soon_on) == 0  # never twice
    overdue = date(2026, 11, 17)
    assert SWEEP.remind_due(today=overdue) == 1
    from notifications.models import Notice

    people = set(Notice.objects.values_list("user__username", "kind"))
    assert ("tiepdan.test", "reminder.due_soon") in people
    assert ("lanhdao.test", "reminder.overdue") in people
    assert ("lanhdao.test", "reminder.due_soon") not in people


def test_no_reminder_after_the_answer(officer, agency):
    with at(2026, 11, 2):
        visit = register(officer, agency)
        services.visit_take_petition(visit=visit, actor=officer)
        visit.refresh_from_db()
        services.visit_answer(visit=visit, actor=officer, answer_form="direct", answer_text="ok")
    assert SWEEP.remind_due(today=date(2026, 11, 30)) == 0


def test_the_petitions_notice_waits_for_the_commit(
    officer, agency, django_capture_on_commit_callbacks
):
    with at(2026, 11, 2):
        visit = register(officer, agency)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.visit_take_petition(visit=visit, actor=officer)
        assert mail.outbox == []  # nothing leaves before the commit
        assert callbacks  # the citizen's e-mail is queued for after it
