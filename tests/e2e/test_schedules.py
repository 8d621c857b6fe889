"""A booking's life in a real browser: a citizen on a phone books a place on a published
reception day, the reception officer confirms it, the citizen sees it confirmed."""

import importlib
from datetime import date, time, timedelta

import pytest

from agencies.models import Role
from casework import timekeeping
from schedules import services
from schedules.models import Leader, LeaderKind
from tests.e2e.conftest import staff_login
from tests.factories import AgencyFactory, ProvinceFactory, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _schedule_rules(transactional_db):
    # The flush of a transactional test removes the data migration's rows.
    from django.apps import apps

    importlib.import_module("schedules.migrations.0002_legal_minimums").create(apps, None)


def _next_weekday(start: date) -> date:
    day = start + timedelta(days=7)
    while day.weekday() != 3:  # a Thursday next week or the one after
        day += timedelta(days=1)
    return day


def test_a_citizen_books_on_a_phone_and_sees_the_booking_confirmed(page):
    province = ProvinceFactory(name="Tỉnh Ninh Bình")
    agency = AgencyFactory(name="Ủy ban nhân dân tỉnh Ninh Bình", unit=province, kind="ubnd")
    officer = member(
        Role.RECEPTION_OFFICER, agency, username="tiepdan", first_name="Ngô Thị Thu Hà"
    )
    leader = Leader.objects.create(
        agency=agency,
        name="Phạm Quang Ngọc",
        title="Chủ tịch UBND tỉnh Ninh Bình",
        kind=LeaderKind.PROVINCIAL_CHAIRMAN,
    )
    on = _next_weekday(timekeeping.today())
    day = services.day_plan(
        actor=officer,
        agency=agency,
        plan=services.DayPlan(
            leader=leader,
            kind="regular",
            date=on,
            starts_at=time(7, 30),
            ends_at=time(11, 30),
            place="Trụ sở Tiếp công dân tỉnh",
            capacity=5,
        ),
    )
    services.day_publish(day=day, actor=officer)

    # The citizen, on a 360 px phone: the public schedule of the month of the day.
    page.set_viewport_size({"width": 360, "height": 760})
    page.goto(f"{page.base_url}/lich-tiep-cong-dan/tinh/{province.code}/?thang={on:%Y-%m}")
    page.get_by_role("heading", name="Lịch tiếp công dân").wait_for()
    assert "Phạm Quang Ngọc" in page.content()
    page.get_by_role("link", name="Đăng ký tiếp").first.click()
    page.get_by_label("Họ và tên").fill("Trần Thị Mai")
    page.get_by_label("Số căn cước công dân").fill("037185004321")
    page.get_by_label("Điện thoại").fill("0913000222")
    page.get_by_label("Ông/bà đến về việc gì?").fill("Đề nghị xem xét lại giá bồi thường đất.")
    page.get_by_role("button", name="Đăng ký").click()
    page.get_by_role("heading", name="Đã nhận đăng ký của ông/bà").wait_for()
    reference = page.locator("#booking-reference").inner_text()
    code = page.locator("#booking-code").inner_text()
    assert reference.startswith("DK-")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll

    # The reception officer confirms it.
    officer_page = page.context.browser.new_context(locale="vi-VN").new_page()
    officer_page.base_url = page.base_url
    staff_login(officer_page, "tiepdan")
    officer_page.goto(f"{page.base_url}/staff/schedules/days/{day.pk}/")
    officer_page.get_by_role("link", name=reference).click()
    officer_page.get_by_role("button", name="Xác nhận").first.click()
    officer_page.locator("#act-confirm.show").wait_for()
    officer_page.locator("#act-confirm").get_by_role("button", name="Xác nhận").click()
    officer_page.get_by_text("Đã xác nhận đăng ký.").wait_for()
    officer_page.context.close()

    # The citizen, later, in a fresh browser: the codes open the booking, confirmed.
    page.context.clear_cookies()
    page.goto(page.base_url + "/dang-ky-tiep/tra-cuu/")
    page.get_by_label("Mã đăng ký").fill(reference)
    page.get_by_label("Mã bí mật").fill(code)
    page.get_by_role("button", name="Tra cứu").click()
    page.get_by_role("heading", name=f"Đăng ký của tôi {reference}").wait_for()
    assert page.locator("#booking-status").inner_text() == "Đã xác nhận"
