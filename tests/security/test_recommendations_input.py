"""Bad input to the voter-recommendation pages and API is a clear 400 in the request's
language and changes nothing; never a server error (issue 16)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from recommendations.models import CouncilSession, Forwarding, Recommendation, ResultCategory
from tests.recommendations.conftest import *  # noqa: F403
from tests.recommendations.conftest import _fresh_cache, _today  # noqa: F401  (autouse)
from tests.recommendations.factories import answer, collect, consolidated, forwarded, forwarding_of

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"


def url(name, *args):
    return reverse(f"recommendations:{name}", args=args)


def between() -> str:
    with translation.override("vi"):
        return translation.gettext("Enter a date between %(start)s and %(end)s.") % {
            "start": "01/01/2000",
            "end": "03/08/2031",
        }


@pytest.fixture
def as_staff(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def answered(staff, lead, meeting, department):
    item = forwarded(meeting, staff, [department], dispatched_on=date(2026, 7, 27))
    forwarding = forwarding_of(item, department)
    answer(forwarding, lead, category=ResultCategory.RESOLVED)
    return forwarding


@pytest.mark.parametrize("due_on", ["9999-12-31", "2040-01-01"])
def test_a_far_future_send_back_date_is_a_400_on_the_page(as_staff, answered, due_on):
    response = as_staff.post(url("send_back", answered.pk), {"reason": "Bổ sung", "due_on": due_on})
    assert response.status_code == 400
    assert between() in response.content.decode()
    answered.refresh_from_db()
    assert answered.status == Forwarding.Status.ANSWERED


def test_a_far_future_send_back_date_is_a_400_over_the_api(staff, answered):
    api = APIClient()
    api.force_login(staff)
    response = api.post(
        f"/api/v1/forwardings/{answered.pk}/send_back/",
        {"reason": "Bổ sung", "due_on": "9999-12-31"},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["due_on"] == [between()]
    answered.refresh_from_db()
    assert answered.status == Forwarding.Status.ANSWERED


def test_a_session_closing_in_9999_is_refused(as_staff, term):
    response = as_staff.post(
        url("session_create"),
        {
            "term": term.pk,
            "number": "4",
            "kind": "thematic",
            "opens_on": "2026-09-20",
            "closes_on": "9999-12-31",
        },
    )
    assert response.status_code == 400
    assert not CouncilSession.objects.filter(number=4).exists()


def test_huge_ids_in_the_consolidation_ticks_are_a_400(as_staff, staff, meeting):
    keeper = collect(meeting, staff)
    response = as_staff.post(
        url("consolidate", meeting.session_id), {"keeper": keeper.pk, "items": [keeper.pk, HUGE]}
    )
    assert response.status_code == 400
    keeper.refresh_from_db()
    assert keeper.status == Recommendation.Status.COLLECTED


def test_huge_ids_in_bulk_forwarding_are_a_400(as_staff, staff, meeting, department):
    item = consolidated(meeting, staff)
    for field, values in (("recommendations", [HUGE]), ("agencies", [department.pk, HUGE])):
        data = {
            "recommendations": [item.pk],
            "agencies": [department.pk],
            "dispatch_number": "125/HĐND-VP",
            "dispatched_on": "2026-07-27",
            field: values,
        }
        response = as_staff.post(url("forward", meeting.session_id), data)
        assert response.status_code == 400, field
    assert not Forwarding.objects.exists()


def test_a_huge_id_in_the_api_list_of_agencies_is_a_400(staff, meeting, department):
    item = consolidated(meeting, staff)
    api = APIClient()
    api.force_login(staff)
    response = api.post(
        f"/api/v1/recommendations/{item.pk}/forward/",
        {"agencies": [int(HUGE)], "dispatch_number": "1/HĐND"},
        format="json",
    )
    assert response.status_code == 400
    assert not Forwarding.objects.exists()
