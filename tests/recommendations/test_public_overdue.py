"""Issue 14, item 8: an overdue voter recommendation says publicly that it is overdue
and by how long, not only "awaiting the answer, due …"."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from casework.templatetags.casework import days_until
from recommendations import services

from .conftest import at
from .factories import forwarded, forwarding_of

pytestmark = pytest.mark.django_db


def _public(client, session) -> str:
    return client.get(reverse("recommendations:public_session", args=[session.pk])).content.decode()


def test_an_unanswered_item_past_its_due_date_says_by_how_long(
    client, staff, department, meeting, session
):
    item = forwarded(meeting, staff, [department], dispatched_on=date(2026, 7, 27))
    due = forwarding_of(item, department).answer_due_on
    services.session_publish(actor=staff, session=session)
    before = _public(client, session)
    assert due.strftime("%d/%m/%Y") in before and "public-overdue" not in before
    late_day = date.fromordinal(due.toordinal() + 12)
    with at(late_day.year, late_day.month, late_day.day):
        body = _public(client, session)
    assert "public-overdue" in body
    # "Quá hạn 12 ngày (hạn …)" in Vietnamese: the number and the due date are there.
    overdue = body[body.index("public-overdue") :]
    overdue = overdue[: overdue.index("</div>")]
    assert "12" in overdue and due.strftime("%d/%m/%Y") in overdue


def test_on_its_due_date_it_is_still_awaiting(client, staff, department, meeting, session):
    item = forwarded(meeting, staff, [department], dispatched_on=date(2026, 7, 27))
    due = forwarding_of(item, department).answer_due_on
    services.session_publish(actor=staff, session=session)
    with at(due.year, due.month, due.day):
        assert "public-overdue" not in _public(client, session)


def test_the_days_filter_counts_calendar_days_and_never_goes_negative():
    assert days_until(date(2026, 9, 3), date(2026, 9, 15)) == 12
    assert days_until(date(2026, 9, 15), date(2026, 9, 3)) == 0
    assert days_until(None, date(2026, 9, 3)) == 0
