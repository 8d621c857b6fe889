import pytest
from rest_framework.test import APIClient

from schedules.models import BookingStatus, DayStatus
from tests.schedules.conftest import book, plan_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_days_are_listed_in_scope_only(api, day, officer, outsider):
    api.force_authenticate(officer)
    rows = api.get("/api/v1/reception-days/").json()["results"]
    assert [r["id"] for r in rows] == [day.pk]
    assert rows[0]["leader_name"] == "Phạm Quang Ngọc"
    api.force_authenticate(outsider)
    assert api.get("/api/v1/reception-days/").json()["results"] == []
    assert api.get(f"/api/v1/reception-days/{day.pk}/").status_code == 404


def test_anonymous_readers_are_refused(api, day):
    assert api.get("/api/v1/reception-days/").status_code in (401, 403)
    assert api.get("/api/v1/bookings/").status_code in (401, 403)


def test_a_move_through_the_api_is_the_pages_move(api, officer, agency, leader):
    planned = plan_day(officer, agency, leader)
    api.force_authenticate(officer)
    response = api.post(f"/api/v1/reception-days/{planned.pk}/publish/", {}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == DayStatus.PUBLISHED
    again = api.post(f"/api/v1/reception-days/{planned.pk}/publish/", {}, format="json")
    assert again.status_code == 409


def test_a_cancel_without_its_reason_is_a_400(api, day, officer):
    api.force_authenticate(officer)
    assert (
        api.post(f"/api/v1/reception-days/{day.pk}/cancel/", {}, format="json").status_code == 400
    )


def test_a_bad_date_filter_is_a_400_not_a_500(api, day, officer):
    api.force_authenticate(officer)
    assert api.get("/api/v1/reception-days/?date_from=31-12-2026").status_code == 400
    assert api.get("/api/v1/reception-days/?date_from=0001-01-01").status_code == 400


def test_bookings_are_for_the_reception_office_only(api, day, officer, handler, lead):
    booking = book(day, 1).booking
    api.force_authenticate(officer)
    rows = api.get("/api/v1/bookings/").json()["results"]
    assert rows[0]["id_number"] == "037080000001"
    for reader in (handler, lead):
        api.force_authenticate(reader)
        assert api.get("/api/v1/bookings/").json()["results"] == []
        assert api.get(f"/api/v1/bookings/{booking.pk}/").status_code == 404


def test_the_office_confirms_and_proposes_through_the_api(api, day, officer, agency, leader):
    from datetime import date

    from tests.schedules.conftest import published_day

    booking = book(day, 1).booking
    other = published_day(officer, agency, leader, on=date(2026, 12, 17))
    api.force_authenticate(officer)
    response = api.post(f"/api/v1/bookings/{booking.pk}/confirm/", {}, format="json")
    assert response.json()["status"] == BookingStatus.CONFIRMED
    response = api.post(
        f"/api/v1/bookings/{booking.pk}/propose/", {"proposed_day": other.pk}, format="json"
    )
    assert response.json()["status"] == BookingStatus.PROPOSED
    bad = api.post(f"/api/v1/bookings/{booking.pk}/propose/", {"proposed_day": "x"}, format="json")
    assert bad.status_code in (400, 409)


def test_the_compliance_endpoint(api, day, officer):
    api.force_authenticate(officer)
    rows = api.get("/api/v1/reception-compliance/?year=2026").json()
    assert {r["name"] for r in rows} == {"Phạm Quang Ngọc"}
    assert rows[-1]["days_required"] == 1
    assert api.get("/api/v1/reception-compliance/?year=1900").status_code == 400
    assert api.get("/api/v1/reception-compliance/?agency=99999999999999999999").status_code == 200
