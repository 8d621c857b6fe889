"""A petition's whole life in a real browser: citizen → handler → lead → citizen."""

import pytest

from agencies.models import Role
from tests.e2e.conftest import staff_login
from tests.factories import AgencyFactory, CommuneFactory, ProvinceFactory, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _login(page, username: str) -> None:
    staff_login(page, username)
    page.get_by_role("heading", name="Cơ quan và vai trò của tôi").wait_for()


def _logout(page) -> None:
    page.context.clear_cookies()


def test_a_complaint_goes_from_the_citizens_phone_to_a_resolution_the_citizen_can_read(
    page, tmp_path
):
    province = ProvinceFactory(name="Tỉnh Ninh Bình")
    commune = CommuneFactory(name="Xã Gia Viễn", parent=province)
    agency = AgencyFactory(name="Sở Nông nghiệp và Môi trường tỉnh Ninh Bình", unit=province)
    member(Role.HANDLER, agency, username="xuly", first_name="Nguyễn Thị Hoa")
    member(Role.LEAD, agency, username="lanhdao", first_name="Trần Văn Minh")
    scan = tmp_path / "quyet-dinh-thu-hoi.pdf"
    scan.write_bytes(PDF)

    # The citizen, on a phone, sends a complaint with the decision attached.
    page.goto(page.base_url + "/gui-don/")
    page.get_by_label("Khiếu nại", exact=True).check()
    page.get_by_label("Cơ quan nhận đơn").select_option(label=agency.name)
    page.get_by_label("Lĩnh vực").select_option(label="Đất đai")
    page.get_by_label("Xã, phường liên quan").select_option(label=commune.name)
    page.get_by_role("textbox", name="Tiêu đề", exact=True).fill(
        "Khiếu nại mức bồi thường khi thu hồi đất"
    )
    page.get_by_role("textbox", name="Nội dung", exact=True).fill(
        "Gia đình tôi bị thu hồi 500 m² đất lúa nhưng mức bồi thường thấp hơn khung giá của tỉnh."
    )
    page.get_by_label("Tài liệu đính kèm").set_input_files(str(scan))
    page.get_by_label("Họ và tên").fill("Trần Thị Bình")
    page.get_by_label("Địa chỉ").fill("Xóm 3, xã Gia Viễn")
    page.get_by_label("Tôi cam đoan nội dung đơn là đúng sự thật.").check()
    page.get_by_role("button", name="Gửi đơn").click()

    page.get_by_role("heading", name="Đơn của bạn đã được tiếp nhận").wait_for()
    reference = page.locator("#reference").inner_text().strip()
    code = page.locator("#tracking-code").inner_text().strip()
    assert reference.startswith("KN-")

    # Later, from another browser session, the citizen tracks the case.
    _logout(page)
    page.goto(page.base_url + "/tra-cuu/")
    page.get_by_label("Số hồ sơ").fill(reference)
    page.get_by_label("Mã tra cứu").fill(code)
    page.get_by_role("button", name="Tra cứu").click()
    assert page.locator("#status").inner_text() == "Đã tiếp nhận"

    # The handler finds it in the inbox, searching without diacritics.
    _login(page, "xuly")
    page.goto(page.base_url + "/staff/petitions/")
    page.get_by_label("Tìm kiếm").fill("boi thuong thu hoi dat")
    page.get_by_role("button", name="Lọc").click()
    page.get_by_role("link", name=reference).click()
    assert "quyet-dinh-thu-hoi.pdf" in page.content()
    assert page.get_by_role("button", name="Thụ lý").count() == 0  # a handler cannot accept

    # The lead accepts, then resolves it.
    _logout(page)
    _login(page, "lanhdao")
    page.goto(page.base_url + "/staff/petitions/")
    page.get_by_role("link", name=reference).click()
    page.get_by_role("button", name="Thụ lý").first.click()  # open the accordion
    page.locator("button[name=submit-accept]").click()
    page.get_by_text("Đã thụ lý đơn.").wait_for()
    assert page.locator("#status").inner_text() == "Đã thụ lý"
    page.get_by_role("button", name="Giải quyết", exact=True).click()
    form = page.locator("#act-resolve")
    form.get_by_role("combobox", name="Kết quả").select_option(label="Đúng một phần")
    form.get_by_role("textbox", name="Số quyết định hoặc kết luận").fill("45/QĐ-SNNMT")
    form.get_by_role("textbox", name="Kết quả giải quyết (công dân sẽ đọc được)").fill(
        "Điều chỉnh đơn giá bồi thường theo bảng giá đất năm 2026."
    )
    page.locator("button[name=submit-resolve]").click()
    page.get_by_text("Đã ghi nhận kết quả giải quyết.").wait_for()

    # The citizen sees the outcome.
    _logout(page)
    page.goto(page.base_url + "/tra-cuu/")
    page.get_by_label("Số hồ sơ").fill(reference)
    page.get_by_label("Mã tra cứu").fill(code)
    page.get_by_role("button", name="Tra cứu").click()
    assert page.locator("#status").inner_text() == "Đã giải quyết"
    outcome = page.locator("#outcome").inner_text()
    assert "Đúng một phần" in outcome and "45/QĐ-SNNMT" in outcome
    assert "Nguyễn Thị Hoa" not in page.content()  # no official's name on the public page
