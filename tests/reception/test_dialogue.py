"""Verification and dialogue on a first-round complaint (petitions.services.dialogue):
each move with its one event, the resolve move's guard when the law asks for the
dialogue, the absence rule across 01/07/2026, the complainant's invitation after
commit, and the case page's part."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from casework.errors import ConcurrentChange, NotPermitted, TransitionNotAllowed
from notifications.models import Notice
from petitions import services
from petitions.models import Dialogue, DialogueStage, Petition, Status, Verification
from tests.factories import submit_petition
from tests.reception.conftest import VN, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaint(agency, lead):
    with at(2026, 11, 2):
        petition = submit_petition(agency=agency).petition
        services.petition_accept(petition=petition, actor=lead)
    return Petition.objects.get(pk=petition.pk)


def _fresh(petition: Petition) -> Petition:
    return Petition.objects.get(pk=petition.pk)


def _resolve(petition: Petition, lead) -> None:
    services.petition_resolve(
        petition=_fresh(petition),
        actor=lead,
        outcome="partly_correct",
        decision_number="12/QĐ-UBND",
        result_summary="Khiếu nại đúng một phần.",
    )


def _verify(petition, lead, handler, *, differs: bool) -> None:
    services.verification_assign(
        petition=_fresh(petition), actor=lead, verifier=handler, due_on=date(2026, 11, 20)
    )
    services.verification_report(
        petition=_fresh(petition), actor=handler, report="Đã xác minh thực địa.", differs=differs
    )


def _schedule(petition, lead, when: datetime) -> None:
    services.dialogue_schedule(
        petition=_fresh(petition),
        actor=lead,
        starts_at=when,
        place="Phòng họp UBND tỉnh",
        participants="Người khiếu nại, Sở Nông nghiệp và Môi trường, tổ xác minh",
    )


def test_assigning_verification_writes_one_event_and_blocks_the_decision(complaint, lead, handler):
    with at(2026, 11, 3):
        event = services.verification_assign(
            petition=complaint, actor=lead, verifier=handler, due_on=date(2026, 11, 20)
        )
        assert "20/11/2026" in event.said_text and not event.is_public
        complaint = _fresh(complaint)
        assert complaint.dialogue_stage == DialogueStage.VERIFYING
        assert Verification.objects.get().verifier == handler
        with pytest.raises(TransitionNotAllowed, match="xác minh"):
            _resolve(complaint, lead)
    assert _fresh(complaint).status == Status.ACCEPTED


def test_a_verification_that_agrees_lets_the_lead_resolve(complaint, lead, handler):
    with at(2026, 11, 3):
        _verify(complaint, lead, handler, differs=False)
        _resolve(complaint, lead)
    assert _fresh(complaint).status == Status.RESOLVED
    assert Verification.objects.get().differs_from_request is False


def test_a_verification_that_differs_requires_the_dialogue(complaint, lead, handler):
    with at(2026, 11, 3):
        _verify(complaint, lead, handler, differs=True)
        with pytest.raises(TransitionNotAllowed, match=r"art\. 30|Điều 30"):
            _resolve(complaint, lead)
        # The machine does not offer the move either (page and API).
        from petitions.moves import available_actions

        assert "resolve" not in available_actions(lead, _fresh(complaint))
    assert _fresh(complaint).status == Status.ACCEPTED


def test_the_dialogue_held_and_minuted_lets_the_lead_resolve(
    complaint, lead, handler, django_capture_on_commit_callbacks
):
    with at(2026, 11, 3):
        _verify(complaint, lead, handler, differs=True)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            _schedule(complaint, lead, datetime(2026, 11, 10, 14, 0, tzinfo=VN))
        # The complainant gave an e-mail: invited once, after the commit.
        invitations = Notice.objects.filter(kind="petition.dialogue")
        assert invitations.count() == 1
        assert _fresh(complaint).dialogue_stage == DialogueStage.SCHEDULED
        with pytest.raises(TransitionNotAllowed):
            _resolve(complaint, lead)
    with at(2026, 11, 10, 16):
        services.dialogue_record(
            petition=_fresh(complaint),
            actor=lead,
            attendance="attended",
            complainant_said="Đề nghị bồi thường theo giá thị trường.",
            respondent_said="Đơn giá áp dụng đúng bảng giá của tỉnh.",
            agreed="Xem xét bổ sung hỗ trợ chuyển đổi nghề.",
        )
        dialogue = Dialogue.objects.get()
        assert dialogue.status == Dialogue.Status.HELD and dialogue.agreed
        _resolve(complaint, lead)
    complaint = _fresh(complaint)
    assert complaint.status == Status.RESOLVED
    actions = list(complaint.events.order_by("id").values_list("action", flat=True))
    assert actions[-5:] == ["verify", "verify_report", "dialogue", "dialogue_minutes", "resolve"]
    assert all(
        e.said_text for e in complaint.events.all() if e.action.startswith(("verify", "dialogue"))
    )


def test_minutes_of_a_held_dialogue_say_what_each_side_said(complaint, lead, handler):
    with at(2026, 11, 3):
        _verify(complaint, lead, handler, differs=True)
        _schedule(complaint, lead, datetime(2026, 11, 10, 14, 0, tzinfo=VN))
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError) as caught:
            services.dialogue_record(petition=_fresh(complaint), actor=lead, attendance="attended")
    assert set(caught.value.message_dict) == {"complainant_said", "respondent_said", "agreed"}
    assert Dialogue.objects.get().status == Dialogue.Status.SCHEDULED


def test_a_valid_reason_postpones_the_dialogue(complaint, lead, handler):
    with at(2026, 11, 3):
        _verify(complaint, lead, handler, differs=True)
        _schedule(complaint, lead, datetime(2026, 11, 10, 14, 0, tzinfo=VN))
        services.dialogue_record(
            petition=_fresh(complaint), actor=lead, attendance="postponed", absence_reason="Ốm"
        )
        assert _fresh(complaint).dialogue_stage == DialogueStage.DIFFERS
        with pytest.raises(TransitionNotAllowed):
            _resolve(complaint, lead)


def test_from_july_2026_an_absence_without_reason_lets_the_resolution_go_on(
    complaint, lead, handler, client
):
    with at(2026, 11, 3):
        _verify(complaint, lead, handler, differs=True)
        _schedule(complaint, lead, datetime(2026, 11, 10, 14, 0, tzinfo=VN))
    with at(2026, 11, 10, 16):
        services.dialogue_record(petition=_fresh(complaint), actor=lead, attendance="absent")
        client.force_login(lead)
        page = client.get(reverse("petitions:detail", args=[complaint.pk])).content.decode()
        assert 'id="absence-rule"' in page and "01/07/2026" in page
        _resolve(complaint, lead)
    assert _fresh(complaint).status == Status.RESOLVED


def test_before_july_2026_an_absence_still_holds_up_the_resolution(agency, lead, handler):
    with at(2026, 5, 4):
        petition = submit_petition(agency=agency).petition
        services.petition_accept(petition=petition, actor=lead)
        _verify(petition, lead, handler, differs=True)
        _schedule(petition, lead, datetime(2026, 5, 12, 9, 0, tzinfo=VN))
    with at(2026, 5, 12, 11):
        event = services.dialogue_record(petition=_fresh(petition), actor=lead, attendance="absent")
        assert "01/07/2026" in event.said_text
        with pytest.raises(TransitionNotAllowed, match="01/07/2026"):
            _resolve(petition, lead)
        # The dialogue may be scheduled again.
        _schedule(petition, lead, datetime(2026, 5, 19, 9, 0, tzinfo=VN))
    assert _fresh(petition).dialogue_stage == DialogueStage.SCHEDULED


def test_only_a_first_round_complaint_has_a_dialogue(agency, lead, handler):
    with at(2026, 11, 2):
        petition = submit_petition(agency=agency, kind="recommendation").petition
        services.petition_accept(petition=petition, actor=lead)
        with pytest.raises(TransitionNotAllowed):
            services.verification_assign(
                petition=_fresh(petition), actor=lead, verifier=handler, due_on=date(2026, 11, 20)
            )
        # And its resolution asks for none.
        services.petition_resolve(
            petition=_fresh(petition),
            actor=lead,
            outcome="adopted",
            decision_number="1/TB",
            result_summary="Tiếp thu.",
        )


def test_the_moves_need_their_roles_and_their_order(complaint, lead, handler, other_agency):
    from agencies.models import Role
    from tests.factories import member

    stranger = member(Role.HANDLER, other_agency, username="xuly.khac")
    with at(2026, 11, 3):
        with pytest.raises(NotPermitted):
            services.verification_assign(
                petition=complaint, actor=handler, verifier=handler, due_on=date(2026, 11, 20)
            )
        with pytest.raises(TransitionNotAllowed):
            services.verification_report(
                petition=complaint, actor=handler, report="x", differs=True
            )
        with pytest.raises(TransitionNotAllowed):
            _schedule(complaint, lead, datetime(2026, 11, 10, 14, 0, tzinfo=VN))
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            services.verification_assign(
                petition=complaint, actor=lead, verifier=stranger, due_on=date(2026, 11, 20)
            )
    assert not Verification.objects.exists()
    assert _fresh(complaint).dialogue_stage == ""


def test_a_lost_race_writes_nothing(complaint, lead, handler):
    with at(2026, 11, 3):
        stale = _fresh(complaint)
        services.verification_assign(
            petition=_fresh(complaint), actor=lead, verifier=handler, due_on=date(2026, 11, 20)
        )
        with pytest.raises((ConcurrentChange, TransitionNotAllowed)):
            services.verification_assign(
                petition=stale, actor=lead, verifier=handler, due_on=date(2026, 11, 21)
            )
    assert Verification.objects.count() == 1


def test_a_dialogue_cannot_be_scheduled_in_the_past(complaint, lead, handler):
    from django.core.exceptions import ValidationError

    with at(2026, 11, 3):
        _verify(complaint, lead, handler, differs=True)
        with pytest.raises(ValidationError):
            _schedule(complaint, lead, timezone.now() - timedelta(days=2))
    assert not Dialogue.objects.exists()


def test_the_case_page_runs_the_dialogue(client, complaint, lead, handler):
    client.force_login(lead)
    url = reverse("petitions:detail", args=[complaint.pk])
    with at(2026, 11, 3):
        page = client.get(url).content.decode()
        assert 'id="dialogue"' in page
        response = client.post(
            reverse("petitions:dialogue", args=[complaint.pk, "verify"]),
            {"verifier": handler.pk, "due_on": "2026-11-20", "scope": "Xác minh nguồn gốc đất"},
        )
        assert response.status_code == 302
        client.force_login(handler)
        client.post(
            reverse("petitions:dialogue", args=[complaint.pk, "verify_report"]),
            {"report": "Kết quả khác với yêu cầu.", "differs": "1"},
        )
        client.force_login(lead)
        bad = client.post(
            reverse("petitions:dialogue", args=[complaint.pk, "dialogue"]),
            {"starts_at": "not a time", "place": "", "participants": ""},
        )
        assert bad.status_code == 400 and 'aria-invalid="true"' in bad.content.decode()
        client.post(
            reverse("petitions:dialogue", args=[complaint.pk, "dialogue"]),
            {"starts_at": "2026-11-10T14:00", "place": "Phòng họp", "participants": "Các bên"},
        )
        nope = client.post(reverse("petitions:dialogue", args=[complaint.pk, "nope"]))
        assert nope.status_code == 404
    assert _fresh(complaint).dialogue_stage == DialogueStage.SCHEDULED


def test_the_page_of_other_petitions_shows_no_dialogue(client, agency, lead):
    with at(2026, 11, 2):
        petition = submit_petition(agency=agency, kind="reflection").petition
    client.force_login(lead)
    page = client.get(reverse("petitions:detail", args=[petition.pk])).content.decode()
    assert 'id="dialogue"' not in page


def test_the_invitation_leaves_only_after_the_commit(
    complaint, lead, handler, django_capture_on_commit_callbacks
):
    with at(2026, 11, 3):
        _verify(complaint, lead, handler, differs=True)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            _schedule(complaint, lead, datetime(2026, 11, 10, 14, 0, tzinfo=VN))
        assert mail.outbox == [] and callbacks
        for callback in callbacks:
            callback()
    assert [m.to for m in mail.outbox] == [["an.nv@example.vn"]]
    assert complaint.reference in mail.outbox[0].subject


def test_the_api_refuses_the_resolution_with_the_laws_reason(complaint, lead, handler):
    from rest_framework.test import APIClient

    api = APIClient()
    with at(2026, 11, 3):
        _verify(complaint, lead, handler, differs=True)
        api.force_authenticate(lead)
        response = api.post(
            reverse("api:petition-resolve", args=[complaint.pk]),
            {
                "outcome": "partly_correct",
                "decision_number": "12/QĐ",
                "result_summary": "Đúng một phần.",
            },
            format="json",
        )
    assert response.status_code == 409
    assert "30" in str(response.json())
    assert _fresh(complaint).status == Status.ACCEPTED
