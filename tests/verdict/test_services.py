"""The citizen's answer and the reopening: one answer per case, reopen once and only
within the period, through the petitions' one door."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from casework.errors import TransitionNotAllowed
from notifications.models import Notice
from petitions.models import Petition, PetitionEvent, Status
from sealing.crypto import decrypt
from verdict import services
from verdict.models import CitizenAnswer, Reopening

from .conftest import at, go, resolve, resolved_case

pytestmark = pytest.mark.django_db


def _answer(petition: Petition, day: tuple[int, ...], **kwargs: object) -> CitizenAnswer:
    with at(*day):
        return services.answer_give(petition=Petition.objects.get(pk=petition.pk), **kwargs)


def _reopen(petition: Petition, day: tuple[int, ...], reason: str = "Vẫn còn ổ gà.") -> Reopening:
    with at(*day):
        return services.petition_reopen_by_citizen(
            petition=Petition.objects.get(pk=petition.pk), reason=reason
        )


def test_a_case_has_one_answer_which_the_citizen_may_change_until_it_closes(agency, lead):
    petition = resolved_case(agency, lead)
    _answer(petition, (2026, 3, 21), settled=False, score=2, comment="Chưa xong.")
    _answer(petition, (2026, 3, 22), settled=True, score=4)
    answer = CitizenAnswer.objects.get(petition=petition)
    assert CitizenAnswer.objects.count() == 1
    assert (answer.settled, answer.score, answer.comment) == (True, 4, "")
    assert answer.answered_at.day == 21 and answer.updated_at.day == 22
    # Each answer is noted on the timeline, by the citizen, public.
    notes = PetitionEvent.objects.filter(petition=petition, action="citizen_answer")
    assert notes.count() == 2 and all(e.by_citizen and e.is_public for e in notes)
    assert notes.last().note == ""  # the sentence is data, rendered when read
    go(petition, "close", (2026, 4, 25), actor=lead)
    with pytest.raises(TransitionNotAllowed):
        _answer(petition, (2026, 4, 26), settled=False, score=1)
    assert CitizenAnswer.objects.get(petition=petition).score == 4


def test_a_case_that_is_not_resolved_takes_no_answer(agency, lead):
    petition = resolved_case(agency, lead)
    go(petition, "close", (2026, 3, 25), actor=lead)
    with pytest.raises(TransitionNotAllowed):
        _answer(petition, (2026, 3, 26), settled=True, score=5)
    assert not CitizenAnswer.objects.exists()


def test_a_comment_is_stored_encrypted(agency, lead):
    petition = resolved_case(agency, lead)
    answer = _answer(petition, (2026, 3, 21), settled=True, score=5, comment="Rất tốt.")
    stored = CitizenAnswer.objects.get(pk=answer.pk).comment
    assert "Rất tốt" not in stored and decrypt(stored) == "Rất tốt."


def test_a_denouncers_answer_keeps_no_comment(agency, lead):
    petition = resolved_case(agency, lead, kind="denunciation")
    _answer(petition, (2026, 3, 21), settled=False, score=1, comment="Tôi là Nguyễn Văn An")
    assert CitizenAnswer.objects.get(petition=petition).comment == ""


def test_a_score_outside_one_to_five_is_refused(agency, lead):
    petition = resolved_case(agency, lead)
    with pytest.raises(ValidationError):
        _answer(petition, (2026, 3, 21), settled=True, score=6)
    assert not CitizenAnswer.objects.exists()


def test_reopening_returns_the_case_to_the_agency_with_a_new_clock(
    agency, lead, django_capture_on_commit_callbacks
):
    petition = resolved_case(agency, lead)
    _answer(petition, (2026, 3, 21), settled=False, score=2)
    events_before = PetitionEvent.objects.filter(petition=petition).count()
    with django_capture_on_commit_callbacks(execute=True):
        reopening = _reopen(petition, (2026, 3, 23))
    petition.refresh_from_db()
    assert petition.status == Status.ACCEPTED
    assert (petition.resolved_on, petition.outcome, petition.ended_on) == (None, "", None)
    # A new resolution clock: 30 calendar days from the reopening (recommendation.answer).
    assert str(petition.resolution_due_on) == "2026-04-22" == str(petition.clock_due_on)
    assert petition.clock == "resolution" and petition.next_reminder_on is not None
    assert (reopening.previous_resolved_on.isoformat(), reopening.score) == ("2026-03-20", 2)
    assert reopening.previous_decision_number == "12/QĐ"
    # Exactly one event, the move's: by the citizen, public, the reason as typed.
    new = PetitionEvent.objects.filter(petition=petition).order_by("id")[events_before:]
    assert [e.action for e in new] == ["reopen"]
    event = new[0]
    assert (event.from_status, event.to_status) == ("resolved", "accepted")
    assert event.by_citizen and event.is_public and event.note == "Vẫn còn ổ gà."
    assert event.said_msgid.startswith("Reopened at the citizen's request")
    # The lead is told, in the bell and by e-mail, after the commit.
    told = Notice.objects.filter(user=lead, kind="verdict.reopened")
    assert sorted(told.values_list("channel", flat=True)) == ["email", "in_app"]


def test_a_case_is_reopened_only_once(agency, lead):
    petition = resolved_case(agency, lead)
    _answer(petition, (2026, 3, 21), settled=False, score=2)
    _reopen(petition, (2026, 3, 22))
    petition = resolve(petition, lead, (2026, 3, 30))
    _answer(petition, (2026, 3, 31), settled=False, score=1)
    with translation.override("en"), pytest.raises(TransitionNotAllowed, match="only once"):
        _reopen(petition, (2026, 4, 1))
    assert Petition.objects.get(pk=petition.pk).status == Status.RESOLVED
    assert Reopening.objects.count() == 1


def test_a_case_is_reopened_only_within_the_period(agency, lead):
    # Resolved 20/03; 30 calendar days end on Sunday 19/04, so on Monday 20/04 (a period
    # whose last day is a day off ends on the next working day).
    petition = resolved_case(agency, lead)
    _answer(petition, (2026, 3, 21), settled=False, score=2)
    with translation.override("en"), pytest.raises(TransitionNotAllowed, match="period"):
        _reopen(petition, (2026, 4, 21))
    assert Petition.objects.get(pk=petition.pk).status == Status.RESOLVED
    _reopen(petition, (2026, 4, 20))  # the last day still counts
    assert Petition.objects.get(pk=petition.pk).status == Status.ACCEPTED


@pytest.mark.parametrize("kind", ["complaint", "denunciation"])
def test_complaints_and_denunciations_are_not_reopened(agency, lead, kind):
    petition = resolved_case(agency, lead, kind=kind)
    _answer(petition, (2026, 3, 21), settled=False, score=1)
    with pytest.raises(TransitionNotAllowed):
        _reopen(petition, (2026, 3, 22))
    assert not Reopening.objects.exists()
    assert not PetitionEvent.objects.filter(petition=petition, action="reopen").exists()


def test_reopening_needs_the_citizen_to_have_said_it_is_not_settled(agency, lead):
    petition = resolved_case(agency, lead)
    with pytest.raises(TransitionNotAllowed):
        _reopen(petition, (2026, 3, 22))
    _answer(petition, (2026, 3, 22), settled=True, score=5)
    with pytest.raises(TransitionNotAllowed):
        _reopen(petition, (2026, 3, 23))
    assert Petition.objects.get(pk=petition.pk).status == Status.RESOLVED


def test_a_reason_is_required_and_nothing_changes_without_it(agency, lead):
    petition = resolved_case(agency, lead)
    _answer(petition, (2026, 3, 21), settled=False, score=2)
    with pytest.raises(ValidationError):
        _reopen(petition, (2026, 3, 22), reason="  ")
    assert Petition.objects.get(pk=petition.pk).status == Status.RESOLVED
    assert not Reopening.objects.exists()


def test_a_denouncer_may_add_information_to_a_resolved_denunciation(agency, lead):
    from petitions import moves

    petition = resolved_case(agency, lead, kind="denunciation")
    assert "add_info" in moves.citizen_actions(petition)
    assert "reopen" not in moves.citizen_actions(petition)
