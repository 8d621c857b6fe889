"""Issue 14, item 8: a send-back deadline on a Sunday or a holiday is not accepted
silently — the council is warned and offered the next working day."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies.workdays import next_working_day
from recommendations import services
from recommendations.models import Forwarding, ResultCategory

from .factories import answer, forwarded, forwarding_of

pytestmark = pytest.mark.django_db

SUNDAY = date(2026, 8, 23)
MONDAY = date(2026, 8, 24)
NATIONAL_DAY = date(2026, 9, 2)


@pytest.fixture
def answered(staff, lead, meeting, department):
    item = forwarded(meeting, staff, [department], dispatched_on=date(2026, 7, 27))
    sent = forwarding_of(item, department)
    answer(sent, lead, category=ResultCategory.RESOLVED)
    return forwarding_of(item, department)


def _post(client, forwarding, **data):
    return client.post(
        reverse("recommendations:send_back", args=[forwarding.pk]),
        {"reason": "Bổ sung lộ trình", **data},
    )


def test_the_next_working_day_skips_weekends_and_holidays():
    assert next_working_day(SUNDAY) == MONDAY
    assert next_working_day(MONDAY) == MONDAY
    assert next_working_day(NATIONAL_DAY).weekday() < 5
    assert next_working_day(NATIONAL_DAY) > NATIONAL_DAY


def test_the_service_refuses_a_sunday_and_names_the_next_working_day(staff, answered):
    with pytest.raises(ValidationError) as refused:
        services.forwarding_send_back(
            actor=staff, forwarding=answered, reason="Bổ sung", due_on=SUNDAY
        )
    assert "24/08/2026" in " ".join(refused.value.message_dict["due_on"])
    answered.refresh_from_db()
    assert answered.status == Forwarding.Status.ANSWERED


def test_a_holiday_is_refused_too_unless_the_council_confirms_it(staff, answered):
    with pytest.raises(ValidationError):
        services.forwarding_send_back(
            actor=staff, forwarding=answered, reason="Bổ sung", due_on=NATIONAL_DAY
        )
    services.forwarding_send_back(
        actor=staff, forwarding=answered, reason="Bổ sung", due_on=NATIONAL_DAY, allow_day_off=True
    )
    answered.refresh_from_db()
    assert answered.answer_due_on == NATIONAL_DAY


def test_the_page_warns_and_offers_the_next_working_day(client, staff, answered):
    client.force_login(staff)
    response = _post(client, answered, due_on=SUNDAY.isoformat())
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="send-back-day-off"' in body
    assert f'name="use_working_day" value="{MONDAY.isoformat()}"' in body
    assert "24/08/2026" in body
    answered.refresh_from_db()
    assert answered.status == Forwarding.Status.ANSWERED
    # Taking the offer sends it back with Monday as the deadline.
    response = _post(
        client, answered, due_on=SUNDAY.isoformat(), use_working_day=MONDAY.isoformat()
    )
    assert response.status_code == 302
    answered.refresh_from_db()
    assert answered.answer_due_on == MONDAY


def test_the_page_keeps_the_day_off_when_the_council_confirms_it(client, staff, answered):
    client.force_login(staff)
    response = _post(client, answered, due_on=SUNDAY.isoformat(), allow_day_off="on")
    assert response.status_code == 302
    answered.refresh_from_db()
    assert answered.answer_due_on == SUNDAY


def test_a_forged_offer_is_told_not_a_server_error(client, staff, answered):
    client.force_login(staff)
    response = _post(client, answered, due_on=SUNDAY.isoformat(), use_working_day="31/02/x")
    assert response.status_code == 400
    answered.refresh_from_db()
    assert answered.status == Forwarding.Status.ANSWERED


def test_a_working_day_goes_through_without_a_warning(client, staff, answered):
    client.force_login(staff)
    assert _post(client, answered, due_on=MONDAY.isoformat()).status_code == 302


def test_the_api_refuses_a_sunday_and_keeps_it_when_asked(client, staff, answered):
    client.force_login(staff)
    address = f"/api/v1/forwardings/{answered.pk}/send_back/"
    refused = client.post(
        address,
        {"reason": "Bổ sung", "due_on": SUNDAY.isoformat()},
        content_type="application/json",
    )
    assert refused.status_code == 400
    kept = client.post(
        address,
        {"reason": "Bổ sung", "due_on": SUNDAY.isoformat(), "allow_day_off": True},
        content_type="application/json",
    )
    assert kept.status_code == 200, kept.content
