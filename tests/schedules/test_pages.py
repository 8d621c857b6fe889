from datetime import date

import pytest
from django.urls import reverse

from schedules import services
from schedules.models import Booking, BookingStatus, DayStatus
from tests.schedules.conftest import DAY, book, plan_day, published_day

pytestmark = pytest.mark.django_db


def _province_url(agency, **query):
    url = reverse("schedules:province", args=[agency.province.code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


# --- the public schedule and its feed -----------------------------------------------------


def test_the_public_page_shows_published_days_with_the_leader_and_no_citizen(
    client, day, officer, agency, leader
):
    plan_day(officer, agency, leader, on=date(2026, 12, 17))  # a plan: not public
    book(day, 1)
    response = client.get(_province_url(agency))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Phạm Quang Ngọc" in text and "Chủ tịch UBND tỉnh" in text
    assert "17/12/2026" not in text
    assert "Nguyễn Văn An" not in text and "037080000001" not in text
    assert reverse("schedules:book", args=[day.pk]) in text


def test_the_public_page_of_an_agency_and_of_another_month(client, day, agency):
    response = client.get(reverse("schedules:agency", args=[agency.pk]) + "?thang=2027-01")
    assert response.status_code == 200
    assert "Phạm Quang Ngọc" not in response.content.decode()


@pytest.mark.parametrize("month", ["garbage", "2026-13", "99999-01", "-1-1", ""])
def test_a_bad_month_reads_as_this_month(client, day, agency, month):
    assert client.get(_province_url(agency, thang=month)).status_code == 200


def test_the_index_leads_to_the_only_province_with_a_schedule(client, day, agency):
    response = client.get(reverse("schedules:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("schedules:province", args=[agency.province.code])


def test_the_public_page_costs_the_same_queries_for_one_day_or_many(
    client, officer, agency, leader, django_assert_max_num_queries
):
    published_day(officer, agency, leader)
    url = _province_url(agency)
    client.get(url)  # sessions, caches warm

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for n in range(2, 7):
        day = published_day(officer, agency, leader, on=date(2026, 12, 10 + n))
        book(day, n)
    assert count() == one


def test_the_ical_feed_is_rfc5545_and_holds_no_personal_data(client, day, officer):
    book(day, 1)
    services.day_delegate(
        day=day, actor=officer, delegate_name="Hoàng Văn Thắng", delegate_title="Phó Chủ tịch"
    )
    response = client.get(reverse("schedules:province_feed", args=[day.agency.province.code]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 1
    assert "DTSTART:20261210T003000Z" in body  # 07:30 in Vietnam
    unfolded = body.replace("\r\n ", "")
    assert "Hoàng Văn Thắng" in unfolded and "Phạm Quang Ngọc" in unfolded
    assert "Nguyễn Văn An" not in unfolded
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_a_cancelled_day_stays_in_the_feed_as_cancelled(client, day, officer):
    services.day_cancel(day=day, actor=officer, reason="Lãnh đạo họp đột xuất")
    body = client.get(reverse("schedules:agency_feed", args=[day.agency_id])).content.decode()
    assert "STATUS:CANCELLED" in body


# --- the citizen's booking -----------------------------------------------------------------

FORM = {
    "name": "Trần Thị Mai",
    "id_number": "037185004321",
    "phone": "0913000222",
    "email": "mai.tt@example.vn",
    "address": "",
    "field": "land",
    "matter": "Đề nghị xem xét giá bồi thường.",
}


def test_a_citizen_books_sees_the_codes_once_and_finds_the_booking_again(client, day):
    response = client.post(reverse("schedules:book", args=[day.pk]), FORM)
    assert response.status_code == 302
    page = client.get(reverse("schedules:booked")).content.decode()
    booking = Booking.objects.get()
    assert booking.reference in page
    assert client.get(reverse("schedules:booked")).status_code == 302  # shown once
    code = page.split('id="booking-code">')[1].split("<")[0]
    other = client.__class__()
    found = other.post(reverse("schedules:track"), {"reference": booking.reference, "code": code})
    assert found.status_code == 302
    detail = other.get(found["Location"])
    assert detail.status_code == 200
    assert (
        "Chờ xác nhận" in detail.content.decode()
        or booking.get_status_display() in detail.content.decode()
    )


def test_a_wrong_code_finds_nothing_and_a_stranger_cannot_open_the_page(client, day):
    booking = book(day, 1).booking
    response = client.post(
        reverse("schedules:track"), {"reference": booking.reference, "code": "WRONG"}
    )
    assert response.status_code == 400
    assert (
        client.get(reverse("schedules:track_detail", args=[booking.reference])).status_code == 404
    )


def test_a_bad_id_number_is_refused_beside_its_field(client, day):
    response = client.post(reverse("schedules:book", args=[day.pk]), {**FORM, "id_number": "12ab"})
    assert response.status_code == 400
    assert not Booking.objects.exists()


def test_a_planned_day_or_an_unknown_one_cannot_be_booked(client, officer, agency, leader):
    planned = plan_day(officer, agency, leader)
    assert client.get(reverse("schedules:book", args=[planned.pk])).status_code == 404
    assert client.get(reverse("schedules:book", args=[999999])).status_code == 404


def test_bookings_are_rate_limited_with_retry_after(client, day, settings):
    settings.SUBMISSION_RATE_LIMIT = 1
    url = reverse("schedules:book", args=[day.pk])
    assert client.post(url, FORM).status_code == 302
    response = client.post(url, {**FORM, "id_number": "037185004322"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert Booking.objects.count() == 1


def test_the_citizen_cancels_from_the_booking_page(client, day):
    client.post(reverse("schedules:book", args=[day.pk]), FORM)
    client.get(reverse("schedules:booked"))
    booking = Booking.objects.get()
    response = client.post(
        reverse("schedules:track_action", args=[booking.reference, "cancel"]), {}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    # A second try is told, not a server error.
    again = client.post(reverse("schedules:track_action", args=[booking.reference, "cancel"]), {})
    assert again.status_code == 302
    assert (
        client.post(reverse("schedules:track_action", args=[booking.reference, "nope"])).status_code
        == 404
    )


# --- the staff pages: the permission matrix ---------------------------------------------------


@pytest.fixture
def booked(day):
    return book(day, 1).booking


@pytest.mark.parametrize(
    ("who", "day_page", "sees_identity"),
    [
        ("anonymous", 302, False),
        ("handler", 200, False),
        ("lead", 200, False),
        ("officer", 200, True),
        ("outsider", 404, False),
    ],
)
def test_who_sees_a_day_and_its_bookings(client, request, booked, who, day_page, sees_identity):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("schedules:day", args=[booked.day_id]))
    assert response.status_code == day_page
    if day_page == 200:
        assert ("Nguyễn Văn An 1" in response.content.decode()) is sees_identity
    booking_page = client.get(reverse("schedules:booking", args=[booked.pk]))
    if who == "anonymous":
        assert booking_page.status_code == 302
    elif who == "outsider":
        assert booking_page.status_code == 404
    else:
        assert booking_page.status_code == 200
        assert ("037080000001" in booking_page.content.decode()) is sees_identity


def test_the_officer_confirms_a_booking_from_its_page(client, officer, booked):
    client.force_login(officer)
    response = client.post(
        reverse("schedules:booking_action", args=[booked.pk, "confirm"]), {"note": ""}
    )
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == BookingStatus.CONFIRMED


def test_a_handler_posting_a_move_is_told_no_and_nothing_changes(client, handler, booked):
    client.force_login(handler)
    response = client.post(reverse("schedules:booking_action", args=[booked.pk, "confirm"]), {})
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == BookingStatus.REQUESTED


def test_the_officer_plans_and_publishes_a_day_from_the_pages(client, officer, agency, leader):
    client.force_login(officer)
    response = client.post(
        reverse("schedules:day_new"),
        {
            "agency": agency.pk,
            "leader": leader.pk,
            "kind": "regular",
            "date": "2026-12-15",
            "starts_at": "07:30",
            "ends_at": "11:00",
            "place": "Trụ sở Tiếp công dân tỉnh",
            "capacity": "8",
        },
    )
    assert response.status_code == 302
    day = leader.days.get()
    assert client.post(reverse("schedules:day_action", args=[day.pk, "publish"])).status_code == 302
    day.refresh_from_db()
    assert day.status == DayStatus.PUBLISHED


def test_a_bad_day_form_is_shown_again_with_its_errors(client, officer, agency, leader):
    client.force_login(officer)
    response = client.post(
        reverse("schedules:day_new"),
        {
            "agency": agency.pk,
            "leader": leader.pk,
            "kind": "regular",
            "date": "2026-12-15",
            "starts_at": "11:00",
            "ends_at": "07:00",
            "place": "x",
            "capacity": "8",
        },
    )
    assert response.status_code == 400
    assert not leader.days.exists()


def test_the_leader_confirms_their_day_from_its_page(client, lead, day):
    client.force_login(lead)
    page = client.get(reverse("schedules:day", args=[day.pk])).content.decode()
    assert reverse("schedules:day_action", args=[day.pk, "confirm"]) in page
    client.post(reverse("schedules:day_action", args=[day.pk, "confirm"]), {"note": ""})
    day.refresh_from_db()
    assert day.leader_confirmed_at is not None


def test_a_person_with_no_schedule_finds_no_staff_pages(client, outsider, day):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("schedules:days")).status_code == 404
    assert client.get(reverse("schedules:compliance")).status_code == 404


def test_the_staff_list_costs_the_same_queries_for_one_day_or_many(client, officer, agency, leader):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    published_day(officer, agency, leader)
    client.force_login(officer)
    url = reverse("schedules:days") + "?thang=2026-12"
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for n in range(2, 7):
        book(published_day(officer, agency, leader, on=date(2026, 12, 10 + n)), n)
    assert count() == one


def test_the_compliance_page_and_the_dashboard_partial(client, officer, day):
    client.force_login(officer)
    response = client.get(reverse("schedules:compliance") + "?nam=2026")
    assert response.status_code == 200
    assert "Phạm Quang Ngọc" in response.content.decode()
    assert client.get(reverse("schedules:compliance") + "?nam=abc").status_code == 200
    assert DAY.year == 2026


def test_the_home_page_and_the_menu_link_the_public_schedule(client):
    assert reverse("schedules:index") in client.get("/").content.decode()


def test_the_compliance_figure_exports_to_excel_with_no_formula(client, officer, agency, day):
    from io import BytesIO

    from openpyxl import load_workbook

    from schedules.models import Leader

    Leader.objects.create(agency=agency, name="=HYPERLINK(1)", title="Phó", kind="agency_head")
    client.force_login(officer)
    response = client.get(reverse("schedules:compliance") + "?nam=2026&format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "Phạm Quang Ngọc" in names and "'=HYPERLINK(1)" in names


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_a_days_page_costs_the_same_queries_for_one_booking_or_many(client, officer, day):
    book(day, 1)
    client.force_login(officer)
    url = reverse("schedules:day", args=[day.pk])
    client.get(url)
    one = _queries(client, url)
    for n in range(2, 6):
        book(day, n)
    assert _queries(client, url) == one


def test_the_api_lists_cost_the_same_queries_for_one_row_or_many(
    client, officer, agency, leader, day
):
    book(day, 1)
    client.force_login(officer)
    days_url, bookings_url = "/api/v1/reception-days/", "/api/v1/bookings/"
    client.get(days_url)
    one_day, one_booking = _queries(client, days_url), _queries(client, bookings_url)
    for n in range(2, 6):
        book(published_day(officer, agency, leader, on=date(2026, 12, 10 + n)), n)
    assert (_queries(client, days_url), _queries(client, bookings_url)) == (one_day, one_booking)


def test_the_index_says_so_when_nothing_is_published(client):
    response = client.get(reverse("schedules:index"))
    assert response.status_code == 200


def test_the_office_changes_a_planned_day_but_not_a_published_one(
    client, officer, agency, leader, day
):
    planned = plan_day(officer, agency, leader, on=date(2026, 12, 15))
    client.force_login(officer)
    form = {
        "leader": leader.pk,
        "kind": "regular",
        "date": "2026-12-16",
        "starts_at": "08:00",
        "ends_at": "11:00",
        "place": "Hội trường UBND tỉnh",
        "capacity": "4",
    }
    response = client.post(reverse("schedules:day_edit", args=[planned.pk]), form)
    assert response.status_code == 302
    planned.refresh_from_db()
    assert (planned.date, planned.place, planned.capacity) == (
        date(2026, 12, 16),
        "Hội trường UBND tỉnh",
        4,
    )
    assert client.get(reverse("schedules:day_edit", args=[day.pk])).status_code == 404


def test_the_citizen_moves_the_booking_from_its_page(client, officer, agency, leader, day):
    other = published_day(officer, agency, leader, on=date(2026, 12, 17))
    client.post(reverse("schedules:book", args=[day.pk]), FORM)
    client.get(reverse("schedules:booked"))
    booking = Booking.objects.get()
    page = client.get(reverse("schedules:track_detail", args=[booking.reference])).content.decode()
    assert "17/12/2026" in page
    url = reverse("schedules:track_action", args=[booking.reference, "move"])
    assert client.post(url, {"to_day": other.pk}).status_code == 302
    booking.refresh_from_db()
    assert booking.day_id == other.pk
    # A day that is not offered is refused beside the form, not a server error.
    assert client.post(url, {"to_day": "abc"}).status_code == 302
