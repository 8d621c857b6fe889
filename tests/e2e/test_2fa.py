"""Two-factor authentication in a real browser: a lead enrols on a phone-sized screen
(QR code and key, a first code, the recovery codes), then logs in again with a code."""

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from agencies.models import Role
from tests.e2e.conftest import staff_login
from tests.factories import AgencyFactory, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _code_from_key(key_text: str) -> str:
    # what the phone's app computes from the key it was given
    totp = TOTP(b32decode(key_text.replace(" ", "")), 30, 0, 6, 0)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_a_lead_enrols_an_authenticator_then_logs_in_with_a_code(page):
    agency = AgencyFactory(name="Sở Nông nghiệp và Môi trường tỉnh Ninh Bình")
    member(Role.LEAD, agency, username="lanhdao")

    page.goto(page.base_url + "/login/")
    page.get_by_label("Tên đăng nhập").fill("lanhdao")
    page.get_by_label("Mật khẩu").fill("mat-khau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()

    page.get_by_role("heading", name="Thiết lập xác thực hai lớp").wait_for()
    qr = page.get_by_role("img", name="Mã QR chứa khóa cho ứng dụng xác thực")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    key = page.locator("#twofactor-key").inner_text()

    page.get_by_label("Mã trong ứng dụng").fill("000000")
    page.get_by_role("button", name="Xác nhận và tiếp tục").click()
    page.get_by_text("Mã không đúng").wait_for()
    time.sleep(1.1)  # django-otp waits a second after a wrong code

    page.get_by_label("Mã trong ứng dụng").fill(_code_from_key(key))
    page.get_by_role("button", name="Xác nhận và tiếp tục").click()
    page.get_by_role("heading", name="Mã khôi phục của bạn").wait_for()
    assert page.locator("#recovery-codes li").count() == 10
    page.get_by_role("link", name="Tôi đã lưu lại — tiếp tục").click()
    page.get_by_role("heading", name="Cơ quan và vai trò của tôi").wait_for()

    # the next login asks for the code, and the helper types it as the phone shows it
    page.context.clear_cookies()
    page.goto(page.base_url + "/staff/petitions/")
    assert "/login/" in page.url
    staff_login(page, "lanhdao")
    page.get_by_role("heading", name="Cơ quan và vai trò của tôi").wait_for()
    page.goto(page.base_url + "/staff/security/")
    page.get_by_role("heading", name="Bảo mật tài khoản").wait_for()
    assert "Còn 10 mã khôi phục" in page.content()
