"""The citizen's verdict in a real browser, on a phone: a reflection the citizen says is
not settled is reopened, the agency resolves it again, and the citizen confirms it."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from agencies.models import Role
from petitions import services
from petitions.identity import Identity
from petitions.models import CITIZEN, Petition
from tests.e2e.conftest import staff_login
from tests.factories import AgencyFactory, ProvinceFactory, member
from verdict.models import CitizenAnswer, Reopening

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def reopen_policy():
    # A transactional test flushes the rows data migrations made: the reopening period.
    importlib.import_module("verdict.migrations.0002_reopen_policy").create(apps, None)


def _track(page, reference: str, code: str) -> None:
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + "/tra-cuu/")
    page.get_by_label("Số hồ sơ").fill(reference)
    page.get_by_label("Mã tra cứu").fill(code)
    page.get_by_role("button", name="Tra cứu").click()
    page.locator("#status").wait_for()


def _resolve_as_lead(page, reference: str, decision: str) -> None:
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    staff_login(page, "lanhdao")
    page.goto(page.base_url + "/staff/petitions/")
    page.get_by_role("link", name=reference).click()
    page.get_by_role("button", name="Giải quyết", exact=True).click()
    form = page.locator("#act-resolve")
    form.get_by_role("combobox", name="Kết quả").select_option(label="Tiếp thu")
    form.get_by_role("textbox", name="Số quyết định hoặc kết luận").fill(decision)
    form.get_by_role("textbox", name="Kết quả giải quyết (công dân sẽ đọc được)").fill(
        "Đã vá ổ gà và lắp biển cảnh báo."
    )
    page.locator("button[name=submit-resolve]").click()
    page.get_by_text("Đã ghi nhận kết quả giải quyết.").wait_for()


def test_a_reflection_reopened_from_a_phone_is_resolved_again_and_confirmed(page, reopen_policy):
    province = ProvinceFactory(name="Tỉnh Ninh Bình")
    agency = AgencyFactory(name="UBND xã Gia Viễn", unit=province)
    lead = member(Role.LEAD, agency, username="lanhdao", first_name="Đinh Công Sơn")
    submitted = services.petition_submit(
        actor=CITIZEN,
        kind="reflection",
        subject="Phản ánh ổ gà trên đường liên xã",
        content="Đoạn đường trước chợ có nhiều ổ gà sâu, trời mưa rất nguy hiểm.",
        field="transport",
        handling_agency=agency,
        identity=Identity(name="Trần Thị Bình", email="binh@example.vn"),
    )
    reference, code = submitted.petition.reference, submitted.tracking_code
    petition = Petition.objects.get(pk=submitted.petition.pk)
    services.petition_accept(petition=petition, actor=lead)
    services.petition_resolve(
        petition=Petition.objects.get(pk=petition.pk),
        actor=lead,
        outcome="adopted",
        decision_number="15/TB-UBND",
        result_summary="Đã chỉ đạo vá đường.",
    )

    # On a phone, the citizen says it is not settled and reopens it.
    _track(page, reference, code)
    block = page.locator("#verdict")
    block.get_by_label("Không, vụ việc của tôi chưa được giải quyết xong").check()
    block.get_by_label("2 — Không hài lòng").check()
    block.get_by_label("Góp ý (không bắt buộc)").fill("Mới vá tạm, mưa xuống lại vỡ.")
    block.get_by_role("button", name="Gửi ý kiến").click()
    page.get_by_text("Cảm ơn bạn: ý kiến đã được ghi nhận.").wait_for()
    page.locator("#verdict").get_by_label("Điều gì vẫn chưa được giải quyết?").fill(
        "Ổ gà vẫn còn, xe máy vẫn bị ngã."
    )
    page.get_by_role("button", name="Mở lại vụ việc").click()
    page.locator("#verdict-reopened").wait_for()
    assert page.locator("#status").inner_text() == "Đã thụ lý"
    assert "Ổ gà vẫn còn, xe máy vẫn bị ngã." in page.content()  # on the timeline
    assert Reopening.objects.get().petition_id == petition.pk
    scroll, width = page.evaluate(
        "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    assert scroll <= width  # fits the phone

    # The lead finds it back in the inbox, sees the citizen's opinion, resolves again.
    _resolve_as_lead(page, reference, "22/TB-UBND")
    assert "Mới vá tạm, mưa xuống lại vỡ." in page.locator("#citizen-verdict").inner_text()

    # The citizen confirms it; the case cannot be reopened a second time.
    _track(page, reference, code)
    assert page.locator("#status").inner_text() == "Đã giải quyết"
    block = page.locator("#verdict")
    block.get_by_label("Có, vụ việc của tôi đã được giải quyết xong").check()
    block.get_by_label("5 — Rất hài lòng").check()
    block.get_by_role("button", name="Gửi ý kiến").click()
    page.locator("#verdict-given").wait_for()
    assert page.get_by_role("button", name="Mở lại vụ việc").count() == 0
    answer = CitizenAnswer.objects.get(petition=petition)
    assert (answer.settled, answer.score) == (True, 5)
    assert str(answer.resolved_on) == str(Petition.objects.get(pk=petition.pk).resolved_on)
