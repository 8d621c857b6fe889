"""The one door, on a machine of its own over the petitions' tables: who may move,
what forbids a move, the guarded update and its single event."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from agencies.models import Role
from agencies.scope import Action
from casework import timekeeping
from casework.actors import CITIZEN, SYSTEM
from casework.errors import ConcurrentChange, NotPermitted, TransitionNotAllowed
from casework.transitions import Machine, Runner, move
from petitions.models import Petition, PetitionEvent
from tests.factories import AgencyFactory, member, submit_petition

pytestmark = pytest.mark.django_db


def _capped(case: Petition) -> str | None:
    return "No further extension is allowed." if case.extensions_count >= 1 else None


SEEN: list[str] = []

MACHINE = Machine(
    model=Petition,
    moves=[
        move("accept", {"received"}, "accepted", Action.LEAD, label="Accept"),
        move("file", {"received"}, "filed", Action.HANDLE),
        move("extend", {"accepted"}, None, Action.LEAD, guards=(_capped,)),
        move("withdraw", {"received", "accepted"}, "withdrawn", Action.LEAD, by_citizen=True),
        move("close", {"resolved"}, "closed", Action.LEAD, by_system=True),
    ],
    event_model=PetitionEvent,
    agency_of=lambda case: case.handling_agency_id,
    event_links=lambda case: {"petition": case},
    status_label=lambda case, status: f"<{status}>",
    after_event=lambda case, event: SEEN.append(event.action),
)


@pytest.fixture
def agency():
    return AgencyFactory()


@pytest.fixture
def lead(agency):
    return member(Role.LEAD, agency, username="lanhdao")


@pytest.fixture
def handler(agency):
    return member(Role.HANDLER, agency, username="xuly")


@pytest.fixture
def case(agency, handler):
    return submit_petition(agency=agency, actor=handler).petition


def test_the_table_of_statuses_is_derived_from_the_moves(case):
    assert MACHINE.transitions["received"] == {"accepted", "filed", "withdrawn"}
    # A same-status move adds no edge to the table.
    assert MACHINE.transitions["accepted"] == {"withdrawn"}
    assert MACHINE.can_transition_to(case, "accepted")
    assert not MACHINE.can_transition_to(case, "closed")


def test_each_actor_is_offered_the_moves_of_their_role_only(case, lead, handler):
    assert MACHINE.moves_for(lead, case) == ["accept", "file", "withdraw"]
    assert MACHINE.moves_for(handler, case) == ["file"]
    assert MACHINE.moves_for(CITIZEN, case) == ["withdraw"]
    assert MACHINE.moves_for(SYSTEM, case) == []
    outsider = member(Role.LEAD, AgencyFactory(), username="khac")
    assert MACHINE.moves_for(outsider, case) == []
    assert MACHINE.moves_for(lead, case, only={"file"}) == ["file"]


def test_a_move_from_the_wrong_status_is_refused_in_words(case, lead):
    with pytest.raises(TransitionNotAllowed) as refused:
        MACHINE.check(case, "extend", lead)
    assert "<received>" in str(refused.value.message)


def test_a_move_beyond_the_role_is_not_permitted(case, handler):
    with pytest.raises(NotPermitted):
        MACHINE.check(case, "accept", handler)


def test_a_move_writes_the_status_and_exactly_one_event(case, lead):
    before = PetitionEvent.objects.filter(petition=case).count()
    SEEN.clear()
    event = MACHINE.apply(case, move="accept", actor=lead, note="ok", public=False)
    case.refresh_from_db()
    assert case.status == "accepted"
    assert PetitionEvent.objects.filter(petition=case).count() == before + 1
    assert (event.action, event.from_status, event.to_status) == ("accept", "received", "accepted")
    assert (event.actor, event.agency_id, event.is_public, event.note) == (
        lead,
        case.handling_agency_id,
        False,
        "ok",
    )
    assert SEEN == ["accept"]


def test_a_citizens_move_names_no_account(case):
    event = MACHINE.apply(case, move="withdraw", actor=CITIZEN)
    assert event.actor is None and event.by_citizen


def test_a_guard_forbids_the_move_in_words_and_hides_it(case, lead):
    MACHINE.apply(case, move="accept", actor=lead)
    assert "extend" in MACHINE.moves_for(lead, case)
    Petition.objects.filter(pk=case.pk).update(extensions_count=1)
    case.refresh_from_db()
    assert "extend" not in MACHINE.moves_for(lead, case)
    with pytest.raises(TransitionNotAllowed, match="No further extension"):
        MACHINE.apply(case, move="extend", actor=lead)


def test_a_same_status_move_on_a_stale_copy_loses_and_writes_nothing(case, lead):
    MACHINE.apply(case, move="accept", actor=lead)
    stale = Petition.objects.get(pk=case.pk)
    # Another change lands first (same status, later updated_at).
    MACHINE.apply(case, move="extend", actor=lead, changes={"extensions_count": 0})
    events = PetitionEvent.objects.filter(petition=case).count()
    with pytest.raises(ConcurrentChange):
        MACHINE.apply(stale, move="extend", actor=lead, changes={"is_complex": True})
    assert PetitionEvent.objects.filter(petition=case).count() == events
    assert not Petition.objects.get(pk=case.pk).is_complex


def test_a_move_recorded_on_a_past_day_carries_that_day(case, lead):
    day = timezone.localdate() - timedelta(days=3)
    with timekeeping.as_of(day):
        event = MACHINE.apply(case, move="accept", actor=lead)
    assert timezone.localtime(event.created_at).date() == day
    assert isinstance(day, date)


def test_an_event_that_changes_nothing_keeps_the_status(case, handler):
    event = MACHINE.note(case, action="note", actor=handler, note="gọi lại")
    assert (event.from_status, event.to_status, event.is_public) == ("received", "received", False)


def test_a_runner_calls_the_service_with_the_case_the_actor_and_its_own_inputs():
    calls = []

    def service(*, petition, actor, note="default", reason=""):
        calls.append((petition, actor, note, reason))
        return "done"

    runner = Runner(service, "petition", ("note", "reason"))
    # Keys the service does not read are left alone; an absent key keeps its default.
    assert runner("case", "someone", {"reason": "r", "extra": 1}) == "done"
    assert calls == [("case", "someone", "default", "r")]
    anonymous = Runner(lambda *, text: text, None, ("text",), takes_actor=False)
    assert anonymous("case", "someone", {"text": "t"}) == "t"
