"""Issue 14, item 10: council staff assess many answers at once — each through its own
move, each its own event, refusals per answer with the reason."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from casework.bulk import SUMMARY_SESSION_KEY
from recommendations import services
from recommendations.models import Forwarding, ResultCategory

from .factories import answer, forwarded, forwarding_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(staff, lead, meeting, department):
    rows = []
    for text in ("Sửa đường liên thôn", "Nạo vét kênh", "Xây nhà văn hóa"):
        item = forwarded(
            meeting, staff, [department], dispatched_on=date(2026, 7, 27), content=text
        )
        answer(forwarding_of(item, department), lead, category=ResultCategory.RESOLVED)
        rows.append(forwarding_of(item, department))
    return rows


def _start(client, session, action, ids=(), **extra):
    return client.post(
        reverse("recommendations:assess_bulk", args=[session.pk]),
        {"action": action, "ids": [str(i) for i in ids], **extra},
    )


def _tokens(response):
    return re.findall(r'name="row" value="([^"]+)"', response.content.decode())


def _apply(client, session, action, tokens, **data):
    return client.post(
        reverse("recommendations:assess_bulk", args=[session.pk]),
        {"action": action, "step": "apply", "row": tokens, **data},
    )


def _results(client):
    return {r["pk"]: r for r in client.session[SUMMARY_SESSION_KEY]["results"]}


def test_council_staff_accept_three_answers_each_with_its_own_event(
    client, staff, session, answered
):
    client.force_login(staff)
    screen = client.get(reverse("recommendations:assessment", args=[session.pk])).content.decode()
    assert 'id="bulk-form"' in screen and "js/bulk.js" in screen
    for f in answered:
        assert f'<label class="visually-hidden" for="bulk-pick-{f.pk}">' in screen
    tokens = _tokens(_start(client, session, "accept", [f.pk for f in answered]))
    assert len(tokens) == 3
    done = _apply(client, session, "accept", tokens, note="")
    assert done.status_code == 302
    for f in answered:
        f.refresh_from_db()
        assert f.status == Forwarding.Status.ACCEPTED
        assert f.events.filter(action="accept").count() == 1
    page = client.get(done["Location"]).content.decode()
    assert 'id="bulk-succeeded"' in page and 'id="bulk-refused"' not in page


def test_all_awaiting_assessment_works_without_ticking(client, staff, session, answered):
    client.force_login(staff)
    tokens = _tokens(_start(client, session, "accept", selection="all"))
    assert len(tokens) == 3


def test_an_answer_assessed_meanwhile_is_refused_alone(client, staff, session, answered):
    client.force_login(staff)
    tokens = _tokens(_start(client, session, "send_back", [f.pk for f in answered]))
    services.forwarding_accept(actor=staff, forwarding=answered[0])
    _apply(client, session, "send_back", tokens, reason="Bổ sung lộ trình", due_on="2026-08-24")
    results = _results(client)
    assert not results[answered[0].pk]["ok"]
    assert results[answered[1].pk]["ok"] and results[answered[2].pk]["ok"]
    for f in answered[1:]:
        f.refresh_from_db()
        assert f.status == Forwarding.Status.FORWARDED
        assert f.answer_due_on == date(2026, 8, 24)
    answered[0].refresh_from_db()
    assert answered[0].status == Forwarding.Status.ACCEPTED


def test_a_send_back_deadline_on_a_sunday_is_refused_once_and_the_monday_offered(
    client, staff, session, answered
):
    client.force_login(staff)
    tokens = _tokens(_start(client, session, "send_back", [f.pk for f in answered]))
    response = _apply(client, session, "send_back", tokens, reason="Bổ sung", due_on="2026-08-23")
    assert response.status_code == 400
    assert 'name="use_working_day" value="2026-08-24"' in response.content.decode()
    assert all(
        f.status == Forwarding.Status.ANSWERED
        for f in Forwarding.objects.filter(pk__in=[f.pk for f in answered])
    )


def test_only_the_councils_staff_may_assess_in_bulk(client, lead, session, answered):
    client.force_login(lead)
    response = _start(client, session, "accept", [answered[0].pk])
    assert response.status_code in (403, 404)
    answered[0].refresh_from_db()
    assert answered[0].status == Forwarding.Status.ANSWERED


def test_forged_rows_and_actions_change_nothing(client, staff, session, answered):
    client.force_login(staff)
    assert _start(client, session, "<x>", [answered[0].pk]).status_code == 302
    assert _start(client, session, "accept").status_code == 302
    _apply(client, session, "accept", ["999999@x", "nonsense", f"{answered[0].pk}@stale"])
    results = _results(client)
    assert not any(r["ok"] for r in results.values())
    answered[0].refresh_from_db()
    assert answered[0].status == Forwarding.Status.ANSWERED
