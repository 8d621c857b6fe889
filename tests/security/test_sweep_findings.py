"""What the permission and bad-input sweeps found in the apps that landed after them
(issue 16 item 8: schedules, mediation, twofactor), each reproduced here on its own.

1. The reception schedule's API made a move's input and the day's state speak before
   its permission: a monitor or a handler who reads a reception day, or the day's
   leader, posting a move of the reception office got 400 (the input) or 409 (the
   state) where 403 was due. `ReceptionDayViewSet` and `BookingViewSet` now name their
   machine (`move_machine`), so `MoveActions` refuses first, as the petitions' API does.
2. The mediation figures' endpoint (`/api/v1/stats/mediation/`) answers a stranger 401,
   which its schema did not document (schemathesis: undocumented status code); it now
   documents 401 like every other endpoint (`casework.drf.errors.error_responses`).
3. A reception day's hours ("07:30:00") broke their schema's `format: time`, which is
   RFC 3339's and asks for an offset (schemathesis: response violates schema); they are
   now documented as a clock time of the day (`schedules.api.ClockTimeField`).
"""

from __future__ import annotations

import re

import pytest
from rest_framework.test import APIClient

from agencies.models import Role
from schedules.models import DayStatus
from tests.factories import member
from tests.schedules.conftest import *  # noqa: F403  (agency, officer, leader, lead, handler, day)
from tests.schedules.conftest import book

pytestmark = pytest.mark.django_db


def test_the_mediation_figures_document_the_strangers_401(client):
    assert client.get("/api/v1/stats/mediation/").status_code == 401
    schema = client.get("/api/schema/", {"format": "json"}).json()
    answers = schema["paths"]["/api/v1/stats/mediation/"]["get"]["responses"]
    assert {"200", "400", "401", "403"} <= set(answers)


DAY_MOVES = ["publish", "confirm", "delegate", "hold", "miss", "cancel"]


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def monitor(agency):
    return member(Role.MONITOR, agency, username="giamsat")


@pytest.mark.parametrize("move", [m for m in DAY_MOVES if m != "confirm"])
def test_readers_who_may_not_move_a_day_get_403_whatever_the_input(
    api, day, monitor, handler, lead, move
):
    # The monitor and the handler read the agency's days; the lead is the day's leader,
    # who confirms it but makes none of the office's moves.
    for reader in (monitor, handler, lead):
        api.force_authenticate(reader)
        assert api.get(f"/api/v1/reception-days/{day.pk}/").status_code == 200
        response = api.post(f"/api/v1/reception-days/{day.pk}/{move}/", {}, format="json")
        assert response.status_code == 403, (reader.username, move, response.content)
    day.refresh_from_db()
    assert day.status == DayStatus.PUBLISHED
    assert day.leader_confirmed_at is None
    assert day.delegate_name == ""


def test_only_the_leader_confirms_and_a_monitor_is_refused_first(api, day, monitor, lead):
    api.force_authenticate(monitor)
    assert (
        api.post(f"/api/v1/reception-days/{day.pk}/confirm/", {}, format="json").status_code == 403
    )
    api.force_authenticate(lead)
    response = api.post(f"/api/v1/reception-days/{day.pk}/confirm/", {}, format="json")
    assert response.status_code == 200
    day.refresh_from_db()
    assert day.leader_confirmed_at is not None


def test_the_office_still_hears_about_its_input_and_the_state(api, day, officer):
    api.force_authenticate(officer)
    assert (
        api.post(f"/api/v1/reception-days/{day.pk}/cancel/", {}, format="json").status_code == 400
    )
    assert (
        api.post(f"/api/v1/reception-days/{day.pk}/publish/", {}, format="json").status_code == 409
    )


def test_a_booking_move_is_refused_before_its_input_is_read(api, day, officer, outsider):
    booking = book(day, 1).booking
    api.force_authenticate(outsider)  # another agency's reception office
    response = api.post(f"/api/v1/bookings/{booking.pk}/cancel/", {}, format="json")
    assert response.status_code == 404
    api.force_authenticate(officer)
    response = api.post(f"/api/v1/bookings/{booking.pk}/cancel/", {}, format="json")
    assert response.status_code == 400
    response = api.post(f"/api/v1/bookings/{booking.pk}/attend/", {}, format="json")
    assert response.status_code == 409  # the day has not come


def test_a_days_hours_match_their_schema(api, day, officer, client):
    api.force_authenticate(officer)
    row = api.get(f"/api/v1/reception-days/{day.pk}/").json()
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for name in ("starts_at", "ends_at"):
        field = schema["components"]["schemas"]["Day"]["properties"][name]
        assert "format" not in field
        assert re.fullmatch(field["pattern"], row[name]), (name, row[name])
    assert row["starts_at"] == "07:30:00"
