import pytest

from agencies.models import Role
from tests.factories import AgencyFactory, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_handler_logs_in_on_a_phone_and_sees_their_agency(page):
    agency = AgencyFactory(name="Sở Nông nghiệp và Môi trường tỉnh Ninh Bình")
    member(Role.HANDLER, agency, username="xuly")

    page.goto(page.base_url + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    # the menu is collapsed on a phone: open it, then follow the staff login link
    page.get_by_role("button", name="Mở menu").click()
    page.locator("#nav.show").wait_for()  # the menu has finished opening
    page.get_by_role("link", name="Đăng nhập cán bộ").click()
    page.get_by_label("Tên đăng nhập").fill("xuly")
    page.get_by_label("Mật khẩu").fill("mat-khau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()

    page.get_by_role("heading", name="Cơ quan và vai trò của tôi").wait_for()
    row = page.get_by_role("row").filter(has_text="Sở Nông nghiệp và Môi trường tỉnh Ninh Bình")
    assert "Cán bộ xử lý" in row.inner_text()
