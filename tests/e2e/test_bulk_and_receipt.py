"""Issue 14, items 10 and 11 in a real browser: a lead assigns three petitions at once
and reads the summary; a petition recorded at the counter ends on its receipt, whose
tracking code opens the case; the content box counts what is typed; council staff
accept several answers at once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from agencies.models import Role
from petitions.models import Petition, PetitionEvent
from recommendations.models import Forwarding, ResultCategory
from tests.e2e.conftest import staff_login
from tests.factories import (
    AgencyFactory,
    CommuneFactory,
    ProvinceFactory,
    member,
    submit_petition,
)
from tests.recommendations.factories import (
    CouncilFactory,
    CouncilSessionFactory,
    TermFactory,
    VoterMeetingFactory,
    answer,
    forwarded,
    forwarding_of,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def agency():
    province = ProvinceFactory(name="Tỉnh Ninh Bình")
    return AgencyFactory(name="Sở Xây dựng tỉnh Ninh Bình", unit=province)


def test_a_lead_selects_three_petitions_assigns_them_and_reads_the_summary(page, agency):
    member(Role.LEAD, agency, username="lanhdao", first_name="Trần Văn Minh")
    handler = member(Role.HANDLER, agency, username="xuly", first_name="Nguyễn Thị Hoa")
    chosen = [
        submit_petition(agency=agency, subject=f"Đường thôn {name} xuống cấp").petition
        for name in ("Đông", "Tây", "Nam")
    ]
    left = submit_petition(agency=agency, subject="Chiếu sáng ngõ xóm").petition

    staff_login(page, "lanhdao")
    page.goto(page.base_url + "/staff/petitions/")
    # "Tick all" appears with the script; it ticks the page, and the count is read out.
    page.locator("#bulk-all").check()
    count = page.locator('[data-bulk-count="bulk-form"]')
    assert "4" in count.inner_text()
    assert count.get_attribute("aria-live") == "polite"
    page.locator(f"#bulk-pick-{left.pk}").uncheck()
    assert "3" in count.inner_text()
    for petition in chosen:
        assert page.locator(f"#bulk-pick-{petition.pk}").is_checked()
    page.locator("#bulk-action").select_option("assign")
    page.locator("#bulk-continue").click()

    # The confirmation lists the three and asks for the handler.
    page.locator("#bulk-rows").wait_for()
    assert page.locator("#bulk-rows tbody tr").count() == 3
    page.locator("#id_handler").select_option(label="Nguyễn Thị Hoa")
    page.locator("#bulk-apply").click()

    page.locator("#bulk-succeeded").wait_for()
    assert page.locator("#bulk-succeeded tbody tr").count() == 3
    assert page.locator("#bulk-refused").count() == 0
    summary = page.locator("#bulk-succeeded").inner_text()
    assert all(p.reference in summary for p in chosen)
    assert "Nguyễn Thị Hoa" in summary
    assert set(Petition.objects.filter(assigned_to=handler).values_list("pk", flat=True)) == {
        p.pk for p in chosen
    }
    assert PetitionEvent.objects.filter(action="assign").count() == 3


def test_recording_a_petition_at_the_counter_ends_on_the_receipt_with_its_code(page, agency):
    member(Role.HANDLER, agency, username="xuly", first_name="Nguyễn Thị Hoa")
    staff_login(page, "xuly")
    page.goto(page.base_url + "/staff/petitions/new/")
    page.locator("#id_channel").select_option("in_person")
    page.locator("#id_kind").select_option("complaint")
    page.locator("#id_handling_agency").select_option(label=agency.name)
    page.locator("#id_field").select_option("construction")
    page.locator("#id_subject").fill("Khiếu nại việc cấp phép xây dựng")
    content = page.locator("#id_content")
    # The counter: a paste over the limit is kept whole and the excess is said.
    content.fill("x" * 20_005)
    counter = page.locator("#id_content_counter")
    assert "20.005" in counter.inner_text() and "text-danger" in (
        counter.get_attribute("class") or ""
    )
    assert "id_content_counter" in (content.get_attribute("aria-describedby") or "")
    assert len(content.input_value()) == 20_005  # nothing cut off
    content.fill("Nhà bên cạnh xây vượt số tầng được cấp phép, che hết ánh sáng nhà tôi.")
    assert "text-danger" not in (counter.get_attribute("class") or "")
    page.locator("#id_name").fill("Phạm Văn Hùng")
    page.locator("#id_address").fill("Thôn Bắc, xã Gia Viễn")
    page.locator("form button[type=submit].btn-primary").click()

    page.locator("#receipt").wait_for()
    petition = Petition.objects.get()
    assert page.locator("#receipt-reference").inner_text().strip() == petition.reference
    code = page.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9-]{6,}", code)
    assert (
        page.locator("#receipt-due")
        .inner_text()
        .startswith(petition.handling_due_on.strftime("%d/%m/%Y"))
    )
    assert page.locator("#receipt-track-url").inner_text().endswith("/tra-cuu/")
    # The 80 mm layout is one click away, with the code still on it.
    page.locator("a[href$='layout=80mm']").click()
    page.locator(".receipt-80mm").wait_for()
    assert page.locator("#receipt-code").inner_text().strip() == code

    # The citizen, at home, opens the case with what the receipt says.
    page.context.clear_cookies()
    page.goto(page.base_url + "/tra-cuu/")
    page.locator("#id_reference").fill(petition.reference)
    page.locator("#id_code").fill(code)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(rf"/tra-cuu/{petition.reference}/$"))


def test_council_staff_accept_two_answers_at_once_and_read_the_summary(page):
    today = timezone.localdate()
    province = ProvinceFactory(name="Tỉnh Ninh Bình")
    council = CouncilFactory(unit=province, name="Hội đồng nhân dân tỉnh Ninh Bình")
    department = AgencyFactory(unit=province, name="Sở Xây dựng tỉnh Ninh Bình")
    staff = member(Role.COUNCIL_STAFF, council, username="hdnd", first_name="Hoàng Minh Tuấn")
    lead = member(Role.LEAD, department, username="lanhdao.xd")
    session = CouncilSessionFactory(
        term=TermFactory(council=council),
        number=2,
        opens_on=today - timedelta(days=20),
        closes_on=today - timedelta(days=18),
    )
    meeting = VoterMeetingFactory(
        session=session,
        commune=CommuneFactory(name="Xã Gia Viễn", parent=province),
        held_on=today - timedelta(days=30),
    )
    sent = []
    for text in ("Sửa đường liên thôn Đông", "Nạo vét kênh tiêu Bắc", "Xây nhà văn hóa Nam"):
        item = forwarded(meeting, staff, [department], content=text)
        answer(forwarding_of(item, department), lead, category=ResultCategory.RESOLVED)
        sent.append(forwarding_of(item, department))

    staff_login(page, "hdnd")
    page.goto(page.base_url + f"/staff/recommendations/sessions/{session.pk}/assessment/")
    page.locator(f"#bulk-pick-{sent[0].pk}").check()
    page.locator(f"#bulk-pick-{sent[2].pk}").check()
    assert "2" in page.locator('[data-bulk-count="bulk-form"]').inner_text()
    page.locator("#bulk-action").select_option("accept")
    page.locator("#bulk-continue").click()
    page.locator("#bulk-rows").wait_for()
    assert page.locator("#bulk-rows tbody tr").count() == 2
    page.locator("#bulk-apply").click()
    page.locator("#bulk-succeeded").wait_for()
    assert page.locator("#bulk-succeeded tbody tr").count() == 2
    statuses = dict(Forwarding.objects.values_list("pk", "status"))
    assert statuses[sent[0].pk] == statuses[sent[2].pk] == Forwarding.Status.ACCEPTED
    assert statuses[sent[1].pk] == Forwarding.Status.ANSWERED
