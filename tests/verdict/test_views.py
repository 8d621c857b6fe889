"""The citizen's pages (tracking page's block, the e-mail's signed link), officials'
view of the answer and its comment, and what the public never sees."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.models import Notice
from petitions.models import Petition, Status
from petitions.views import TRACK_SESSION_KEY
from tests.factories import submit_petition
from verdict import services
from verdict.links import answer_link, token_for
from verdict.models import CitizenAnswer

from .conftest import at, resolved_case

pytestmark = pytest.mark.django_db

ANSWER = {"settled": "no", "score": "2", "comment": "Ổ gà vẫn còn nguyên.", "via": "track"}


def _grant(client, petition: Petition) -> None:
    session = client.session
    session[TRACK_SESSION_KEY] = [petition.pk]
    session.save()


def test_the_tracking_page_asks_for_an_opinion_once_resolved(client, agency, lead):
    petition = resolved_case(agency, lead)
    _grant(client, petition)
    with at(2026, 3, 21):
        body = client.get(reverse("petitions:track_detail", args=[petition.reference]))
    assert 'id="verdict"' in body.content.decode()


def test_a_case_not_yet_resolved_shows_no_question(client, agency):
    petition = submit_petition(agency=agency, kind="reflection").petition
    _grant(client, petition)
    body = client.get(reverse("petitions:track_detail", args=[petition.reference]))
    assert 'id="verdict"' not in body.content.decode()


def test_the_citizen_answers_from_the_tracking_page_and_may_then_reopen(client, agency, lead):
    petition = resolved_case(agency, lead)
    _grant(client, petition)
    with at(2026, 3, 21):
        response = client.post(reverse("verdict:answer_post", args=[petition.reference]), ANSWER)
        assert response.status_code == 302 and "#verdict" in response["Location"]
        page = client.get(response["Location"]).content.decode()
        assert 'id="verdict-reopen"' in page
        response = client.post(
            reverse("verdict:reopen", args=[petition.reference]),
            {"reason": "Đường vẫn hỏng, chưa ai sửa.", "via": "track"},
        )
    assert response.status_code == 302
    assert Petition.objects.get(pk=petition.pk).status == Status.ACCEPTED


def test_a_stranger_without_the_grant_or_the_link_finds_nothing(client, agency, lead):
    petition = resolved_case(agency, lead)
    url = reverse("verdict:answer_post", args=[petition.reference])
    assert client.post(url, ANSWER).status_code == 404
    assert client.get(reverse("verdict:answer", args=[petition.reference])).status_code == 404
    forged = token_for("PA-2026-999999")
    assert client.post(url, {**ANSWER, "t": forged}).status_code == 404
    assert client.post(url, {**ANSWER, "t": "garbage"}).status_code == 404
    assert not CitizenAnswer.objects.exists()


def test_the_e_mails_signed_link_opens_the_opinion_page(client, agency, lead):
    petition = resolved_case(agency, lead)
    link = answer_link(petition)
    with at(2026, 3, 21):
        assert client.get(link).status_code == 200
        token = link.split("?t=")[1]
        response = client.post(
            reverse("verdict:answer_post", args=[petition.reference]),
            {"settled": "yes", "score": "5", "t": token},
        )
    assert response.status_code == 302 and "?t=" in response["Location"]
    assert CitizenAnswer.objects.get(petition=petition).settled


def test_a_bad_answer_is_shown_again_with_its_errors_and_saves_nothing(client, agency, lead):
    petition = resolved_case(agency, lead)
    _grant(client, petition)
    with at(2026, 3, 21):
        response = client.post(
            reverse("verdict:answer_post", args=[petition.reference]),
            {"settled": "maybe", "score": "9"},
        )
    assert response.status_code == 400
    assert "aria-invalid" in response.content.decode()
    assert not CitizenAnswer.objects.exists()


def test_the_resolution_e_mail_asks_with_the_signed_link(agency, lead):
    petition = resolved_case(agency, lead)
    resolved = Notice.objects.get(kind="petition.resolved")
    link = answer_link(petition).split("?t=")[0]
    assert link in resolved.body_text and "?t=" in resolved.body_text
    assert link in resolved.body_html
    accepted = Notice.objects.get(kind="petition.accepted")
    assert "/y-kien/" not in accepted.body_text  # only the resolution asks


def test_the_agency_and_monitors_read_the_comment_others_do_not(
    client, agency, lead, monitor, other_lead
):
    petition = resolved_case(agency, lead)
    with at(2026, 3, 21):
        services.answer_give(petition=petition, settled=False, score=2, comment="Bí mật nhỏ.")
    detail = reverse("petitions:detail", args=[petition.pk])
    for reader in (lead, monitor):
        client.force_login(reader)
        assert "Bí mật nhỏ." in client.get(detail).content.decode()
        assert "Bí mật nhỏ." in client.get(reverse("verdict:staff_answers")).content.decode()
    client.force_login(other_lead)
    assert client.get(detail).status_code == 404
    assert "Bí mật nhỏ." not in client.get(reverse("verdict:staff_answers")).content.decode()


def test_the_public_page_shows_the_figures_and_never_a_comment(client, agency, lead):
    petition = resolved_case(agency, lead)
    with at(2026, 3, 21):
        services.answer_give(petition=petition, settled=False, score=2, comment="Bí mật nhỏ.")
    with at(2026, 4, 1):
        body = client.get(reverse("dashboards:transparency")).content.decode()
    assert 'id="satisfaction"' in body and 'data-kpi="disputed"' in body
    assert "Bí mật nhỏ." not in body


def test_the_staff_list_of_opinions_is_one_page_of_queries_whatever_the_data(
    client, agency, lead, django_assert_num_queries
):
    client.force_login(lead)
    for day in (10, 11):
        petition = resolved_case(agency, lead, resolved=(2026, 3, day))
        with at(2026, 3, day + 1):
            services.answer_give(petition=petition, settled=True, score=4)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("verdict:staff_answers")).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for day in (12, 13, 14):
        petition = resolved_case(agency, lead, resolved=(2026, 3, day))
        with at(2026, 3, day + 1):
            services.answer_give(petition=petition, settled=False, score=2, comment="x")
    assert count() == few


def test_a_complaint_not_settled_points_to_the_second_round(client, agency, lead):
    petition = resolved_case(agency, lead, kind="complaint")
    _grant(client, petition)
    with at(2026, 3, 21):
        client.post(reverse("verdict:answer_post", args=[petition.reference]), ANSWER)
        page = client.get(reverse("petitions:track_detail", args=[petition.reference]))
    body = page.content.decode()
    assert "Luật Khiếu nại, Điều 33" in body and 'id="verdict-reopen"' not in body


def test_a_denunciation_not_settled_may_receive_new_information(client, agency, lead):
    petition = resolved_case(agency, lead, kind="denunciation")
    _grant(client, petition)
    with at(2026, 3, 21):
        client.post(reverse("verdict:answer_post", args=[petition.reference]), ANSWER)
        body = client.get(reverse("petitions:track_detail", args=[petition.reference]))
    text = body.content.decode()
    assert 'id="id_verdict_comment"' not in text  # no comment field for a denouncer
    assert reverse("petitions:track_action", args=[petition.reference, "add_info"]) in text


def test_the_tracking_page_costs_the_same_queries_however_often_the_opinion_changed(
    client, agency, lead
):
    petition = resolved_case(agency, lead)
    _grant(client, petition)
    url = reverse("petitions:track_detail", args=[petition.reference])

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with at(2026, 3, 22), CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    with at(2026, 3, 21):
        services.answer_give(petition=petition, settled=True, score=3)
    few = count()
    with at(2026, 3, 21):
        for score in (1, 2, 4, 5, 4):
            services.answer_give(petition=petition, settled=score > 3, score=score)
    assert count() == few
