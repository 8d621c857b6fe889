import re

import pytest
from playwright.sync_api import expect

from agencies.models import Role
from notifications.services import notify
from tests.e2e.conftest import staff_login
from tests.factories import AgencyFactory, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _tell(user, number: int, title: str) -> None:
    notify(
        key=f"petition:{number}:new",
        kind="petition.new",
        template="notice",
        context={"title": title, "message": "Đơn mới đã được chuyển đến cơ quan."},
        user=user,
        channels=("in_app",),
        url="/staff/",
    )


def test_an_official_opens_a_notice_from_the_bell_and_the_count_drops(page):
    agency = AgencyFactory(name="Sở Xây dựng tỉnh Ninh Bình")
    official = member(Role.HANDLER, agency, username="xuly")
    _tell(official, 1, "Đơn PT-0001 cần xử lý")
    _tell(official, 2, "Đơn PT-0002 sắp đến hạn")

    staff_login(page, "xuly")
    page.get_by_role("heading", name="Cơ quan và vai trò của tôi").wait_for()

    # on a phone the bell sits in the collapsed menu
    page.get_by_role("button", name="Mở menu").click()
    bell = page.get_by_role("link", name=re.compile(r"^Thông báo:"))
    expect(bell).to_have_accessible_name("Thông báo: 2 chưa đọc")
    expect(bell).to_contain_text("2")
    bell.click()

    page.get_by_role("heading", name="Thông báo").wait_for()
    notices = page.get_by_role("listitem").filter(has_text="Đơn PT-")
    expect(notices).to_have_count(2)
    # newest first, both unread
    expect(notices.first).to_contain_text("Đơn PT-0002 sắp đến hạn")
    expect(notices.first).to_contain_text("Mới")
    page.get_by_role("link", name="Đơn PT-0001 cần xử lý").click()

    # the notice's link leads to the official's work page
    page.get_by_role("heading", name="Cơ quan và vai trò của tôi").wait_for()
    page.get_by_role("button", name="Mở menu").click()
    expect(bell).to_have_accessible_name("Thông báo: 1 chưa đọc")

    bell.click()
    read = page.get_by_role("listitem").filter(has_text="Đơn PT-0001 cần xử lý")
    expect(read).not_to_contain_text("Mới")
    page.get_by_role("button", name="Đánh dấu tất cả là đã đọc").click()
    page.get_by_text("Tất cả thông báo đã được đánh dấu là đã đọc.").wait_for()
    page.get_by_role("button", name="Mở menu").click()
    expect(bell).to_have_accessible_name("Thông báo: không có thông báo chưa đọc")
