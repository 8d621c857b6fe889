"""A voter recommendation in a real browser: the council forwards it, the agency answers,
the council accepts the answer and publishes the session, and a voter reads the result."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agencies.models import Role
from recommendations import services
from tests.e2e.conftest import staff_login
from tests.factories import AgencyFactory, CommuneFactory, ProvinceFactory, member
from tests.recommendations.factories import (
    CouncilFactory,
    CouncilSessionFactory,
    TermFactory,
    VoterMeetingFactory,
    collect,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROAD = "Đề nghị sửa chữa tuyến đường liên xã Gia Viễn – Gia Hưng bị xuống cấp, nhiều ổ gà."
ANSWER = "Sở đã thảm lại 3 km mặt đường đoạn qua xã Gia Viễn, hoàn thành ngày 20/11/2026."


def _login(page, username: str) -> None:
    page.context.clear_cookies()
    staff_login(page, username)
    page.get_by_role("heading", name="Cơ quan và vai trò của tôi").wait_for()


def _message(page) -> str:
    return page.get_by_role("alert").first.inner_text()


def test_council_staff_forward_an_agency_answers_the_council_accepts_and_voters_read_it(page):
    today = timezone.localdate()
    province = ProvinceFactory(name="Tỉnh Ninh Bình")
    commune = CommuneFactory(name="Xã Gia Viễn", parent=province)
    council = CouncilFactory(unit=province, name="Hội đồng nhân dân tỉnh Ninh Bình")
    department = AgencyFactory(unit=province, name="Sở Xây dựng tỉnh Ninh Bình")
    staff = member(Role.COUNCIL_STAFF, council, username="hdnd", first_name="Hoàng Minh Tuấn")
    member(Role.LEAD, department, username="lanhdao.xd", first_name="Vũ Thị Lan")
    session = CouncilSessionFactory(
        term=TermFactory(council=council),
        number=2,
        opens_on=today - timedelta(days=20),
        closes_on=today - timedelta(days=18),
    )
    meeting = VoterMeetingFactory(
        session=session, commune=commune, held_on=today - timedelta(days=30)
    )
    item = collect(meeting, staff, content=ROAD, voters=38, commune=commune)
    services.recommendation_consolidate(actor=staff, keeper=item)

    # Council staff forward it to the Department of Construction under one dispatch.
    _login(page, "hdnd")
    page.goto(page.base_url + "/staff/recommendations/")
    page.get_by_role("link", name="Kỳ họp thứ 2").click()
    page.get_by_role("link", name="Chuyển kiến nghị").click()
    page.get_by_label(ROAD).check()
    page.get_by_label("Cơ quan trả lời").select_option(label="Sở Xây dựng tỉnh Ninh Bình")
    page.get_by_label("Số công văn").fill("125/HĐND-VP")
    page.get_by_role("button", name="Chuyển", exact=True).click()
    assert _message(page) == "Đã chuyển 1 kiến nghị đến Sở Xây dựng tỉnh Ninh Bình."
    assert "Không có kiến nghị đã tổng hợp nào chờ chuyển." in page.content()

    # The department's lead finds it among the recommendations to answer, with its
    # deadline explained, and answers it.
    _login(page, "lanhdao.xd")
    page.goto(page.base_url + "/staff/recommendations/")
    page.get_by_role("heading", name="Kiến nghị cử tri cần trả lời").wait_for()
    page.get_by_role("link", name=ROAD).click()
    due = item.forwardings.get().answer_due_on.strftime("%d/%m/%Y")
    deadline = page.locator(".card", has_text="Hạn trả lời").first.inner_text()
    assert due in deadline
    assert "30 ngày (theo lịch)" in deadline
    page.get_by_label("Nội dung trả lời").fill(ANSWER)
    page.get_by_label("Kết quả giải quyết").select_option(label="Đã giải quyết xong")
    page.get_by_label("Số văn bản trả lời").fill("412/SXD-QLCL")
    page.get_by_role("button", name="Gửi trả lời").click()
    assert _message(page) == "Đã gửi câu trả lời đến Hội đồng nhân dân."
    assert page.locator("#status").inner_text() == "Đã trả lời, chờ đánh giá"

    # Council staff accept the answer from the assessment list, then publish the session.
    _login(page, "hdnd")
    page.goto(page.base_url + "/staff/recommendations/")
    page.get_by_role("link", name="Kỳ họp thứ 2").click()
    page.get_by_role("link", name="Đánh giá", exact=True).click()
    row = page.get_by_role("row").filter(has_text="Sở Xây dựng tỉnh Ninh Bình")
    assert ANSWER in row.inner_text()
    row.get_by_role("button", name="Chấp nhận").click()
    assert _message(page) == "Đã chấp nhận câu trả lời của Sở Xây dựng tỉnh Ninh Bình."
    assert "Không có câu trả lời nào chờ đánh giá." in page.content()
    page.get_by_role("link", name="Kiến nghị cử tri", exact=True).click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Công bố kết quả").click()
    assert _message(page) == "Kết quả của Kỳ họp thứ 2 đã được công khai."

    # A voter, not logged in, reads the result on a phone.
    page.context.clear_cookies()
    page.goto(page.base_url + "/kien-nghi-cu-tri/")
    page.get_by_role("link", name="Kỳ họp thứ 2").click()
    page.get_by_role(
        "heading", name="Kết quả trả lời kiến nghị cử tri gửi tới Kỳ họp thứ 2"
    ).wait_for()
    result = page.get_by_role("row").filter(has_text=ROAD).inner_text()
    assert "Sở Xây dựng tỉnh Ninh Bình" in result
    assert ANSWER in result
    assert "Đã giải quyết xong" in result
    assert "38 cử tri" in result
    rate = page.locator("#figures-session [data-figure=resolution-rate]").inner_text()
    assert rate == "Tỷ lệ giải quyết xong: 100,0 %"
    # no officials' or deputies' names for the public
    body = page.content()
    for name in ("Vũ Thị Lan", "Hoàng Minh Tuấn", "Nguyễn Văn Bình"):
        assert name not in body
