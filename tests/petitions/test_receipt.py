"""Issue 14, item 11: recording a petition at the counter ends on a printable receipt
with the reference, the tracking code, the dates and how to track — the code is never
only in a passing message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from agencies.scope import forget_scope
from petitions import services
from petitions.models import Petition, PetitionEvent
from petitions.receipts import KEPT_CODES, RECEIPT_SESSION_KEY
from petitions.selectors import petition_for_citizen
from tests.factories import submit_petition

pytestmark = pytest.mark.django_db


def _record(client, agency, **extra):
    data = {
        "channel": "in_person",
        "received_on": "2026-03-02",
        "kind": "complaint",
        "field": "land",
        "handling_agency": agency.pk,
        "subject": "Khiếu nại về bồi thường giải phóng mặt bằng",
        "content": "Gia đình tôi bị thu hồi 300 m² đất nhưng mức bồi thường chưa đúng.",
        "name": "Trần Thị Bình",
        "phone": "0987654321",
        "address": "Xóm 3, xã Gia Viễn",
    }
    data.update(extra)
    return client.post(reverse("petitions:record"), data)


def _code_on(body: str) -> str:
    found = re.search(r'id="receipt-code">([^<]+)<', body)
    assert found, "the receipt prints no tracking code"
    return found.group(1)


def test_recording_at_the_counter_ends_on_the_receipt_with_a_working_code(client, agency, handler):
    client.force_login(handler)
    response = _record(client, agency)
    petition = Petition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:receipt", args=[petition.pk])
    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    code = _code_on(body)
    # The printed code is the real one: it opens the case on the tracking page.
    assert petition_for_citizen(petition.reference, code) == petition
    assert petition.reference in body
    assert "02/03/2026" in body  # received
    assert petition.handling_due_on.strftime("%d/%m/%Y") in body
    assert 'id="receipt-track-url">http://testserver/tra-cuu/<' in body
    # … and no passing message carries it.
    assert code not in str([str(m) for m in page.context["messages"]])


def test_the_receipt_has_a4_and_80mm_layouts_with_their_page_size(client, agency, handler):
    client.force_login(handler)
    url = _record(client, agency)["Location"]
    a4 = client.get(url).content.decode()
    thermal = client.get(url, {"layout": "80mm"}).content.decode()
    assert "receipt-a4" in a4 and "receipt-80mm.css" not in a4
    assert "receipt-80mm" in thermal and "receipt-80mm.css" in thermal
    # An unknown layout falls back to A4 rather than failing.
    assert "receipt-a4" in client.get(url, {"layout": "<x>"}).content.decode()


def test_the_print_css_sets_each_paper_size():
    a4 = Path(finders.find("css/receipt.css")).read_text(encoding="utf-8")
    roll = Path(finders.find("css/receipt-80mm.css")).read_text(encoding="utf-8")
    assert "@page { size: A4;" in a4 and "@media print" in a4
    assert "size: 80mm auto" in roll


def test_the_case_page_links_to_the_receipt_which_no_longer_knows_the_code(client, agency, handler):
    petition = submit_petition(agency=agency, actor=handler).petition
    client.force_login(handler)
    detail = client.get(reverse("petitions:detail", args=[petition.pk])).content.decode()
    assert reverse("petitions:receipt", args=[petition.pk]) in detail
    body = client.get(reverse("petitions:receipt", args=[petition.pk])).content.decode()
    assert 'id="receipt-code-missing"' in body and 'id="receipt-code"' not in body
    assert petition.reference in body


def test_only_officials_who_handle_the_case_may_print_its_receipt(
    client, agency, handler, other_handler, monitor
):
    petition = submit_petition(agency=agency, actor=handler).petition
    url = reverse("petitions:receipt", args=[petition.pk])
    assert client.get(url).status_code == 302  # to the login page
    for outsider in (other_handler, monitor):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(handler)
    assert client.get(url).status_code == 200
    assert client.get(reverse("petitions:receipt", args=[10**6])).status_code == 404


def test_the_session_keeps_only_the_last_codes(client, agency, handler):
    client.force_login(handler)
    for _ in range(KEPT_CODES + 2):
        _record(client, agency)
    kept = client.session[RECEIPT_SESSION_KEY]
    assert len(kept) == KEPT_CODES
    newest = Petition.objects.order_by("-id").first()
    assert str(newest.pk) in kept


def test_a_refused_recording_shows_the_form_again_not_a_receipt(client, agency, handler):
    client.force_login(handler)
    response = _record(client, agency, subject="")
    assert response.status_code == 400
    assert Petition.objects.count() == 0


def test_the_receipt_costs_the_same_few_queries(client, agency, handler, django_assert_num_queries):
    petition = submit_petition(agency=agency, actor=handler).petition
    client.force_login(handler)
    forget_scope(handler)
    # 1 session, 2 user, 3 memberships (scope), 4 the petition with its agency and
    # commune, 5 the bell's unread count.
    with django_assert_num_queries(5):
        client.get(reverse("petitions:receipt", args=[petition.pk]))


def test_a_petitioner_who_lost_the_code_gets_a_new_one_on_a_new_receipt(client, agency, handler):
    submitted = submit_petition(agency=agency, actor=handler)
    petition, old_code = submitted.petition, submitted.tracking_code
    client.force_login(handler)
    url = reverse("petitions:receipt", args=[petition.pk])
    assert 'id="receipt-new-code"' in client.get(url).content.decode()
    # An empty POST (no confirmation) changes nothing.
    client.post(reverse("petitions:receipt_new_code", args=[petition.pk]))
    assert petition_for_citizen(petition.reference, old_code) == petition
    response = client.post(
        reverse("petitions:receipt_new_code", args=[petition.pk]), {"confirm": "1"}
    )
    assert response.status_code == 302 and response["Location"] == url
    body = client.get(url).content.decode()
    new_code = _code_on(body)
    assert new_code != old_code
    assert 'id="receipt-new-code"' not in body  # the code is on the receipt now
    assert petition_for_citizen(petition.reference, new_code) == petition
    assert petition_for_citizen(petition.reference, old_code) is None
    # One public event says why the old code stopped working.
    event = petition.events.get(action="new_code")
    assert event.is_public and event.actor == handler and event.said_text


def test_a_new_code_follows_the_case_to_the_agency_it_was_transferred_to(
    client, agency, other_agency, handler, other_handler
):
    submitted = submit_petition(agency=agency, actor=handler)
    moved = services.petition_transfer(
        petition=submitted.petition, actor=handler, to_agency=other_agency
    )
    # The sender's row is history: it is not where a new code is issued.
    client.force_login(handler)
    client.post(
        reverse("petitions:receipt_new_code", args=[submitted.petition.pk]), {"confirm": "1"}
    )
    assert not PetitionEvent.objects.filter(action="new_code").exists()
    client.force_login(other_handler)
    client.post(reverse("petitions:receipt_new_code", args=[moved.pk]), {"confirm": "1"})
    code = _code_on(client.get(reverse("petitions:receipt", args=[moved.pk])).content.decode())
    # The citizen's own reference (the first row) opens with the new code, not the old.
    assert petition_for_citizen(submitted.petition.reference, code) is not None
    assert petition_for_citizen(submitted.petition.reference, submitted.tracking_code) is None


def test_only_officials_who_handle_the_case_may_issue_a_new_code(
    client, agency, handler, monitor, other_handler
):
    submitted = submit_petition(agency=agency, actor=handler)
    url = reverse("petitions:receipt_new_code", args=[submitted.petition.pk])
    assert client.post(url).status_code == 302  # to the login page
    for outsider in (monitor, other_handler):
        client.force_login(outsider)
        assert client.post(url, {"confirm": "1"}).status_code == 404
    assert client.get(url).status_code in (404, 405)
    assert petition_for_citizen(submitted.petition.reference, submitted.tracking_code)
    assert not PetitionEvent.objects.filter(action="new_code").exists()
