"""The reception desk and the dialogue in a real browser, on a phone-sized screen."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from agencies.models import Role
from petitions import services as petition_services
from petitions.models import Petition
from reception.models import Visit
from tests.e2e.conftest import staff_login
from tests.factories import AgencyFactory, CommuneFactory, ProvinceFactory, member, submit_petition

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _answer_policy():
    # A transactional test flushes the rows data migrations made: the answer's clock.
    importlib.import_module("reception.migrations.0002_answer_policy").create(apps, None)


def test_a_reception_officer_registers_a_delegation_and_turns_it_into_a_petition(page):
    province = ProvinceFactory(name="Tỉnh Ninh Bình")
    CommuneFactory(name="Xã Gia Viễn", parent=province)
    agency = AgencyFactory(name="Ban Tiếp công dân tỉnh Ninh Bình", unit=province)
    member(Role.RECEPTION_OFFICER, agency, username="tiepdan", first_name="Trần Thị Hoa")

    staff_login(page, "tiepdan")
    page.goto(page.base_url + "/staff/tiep-cong-dan/")
    page.get_by_role("link", name="Ghi sổ lượt tiếp").click()
    page.get_by_label("Địa điểm").fill("Trụ sở Tiếp công dân tỉnh")
    page.get_by_label("Họ tên người tiếp").fill("Trần Thị Hoa")
    page.get_by_label("Họ và tên công dân (hoặc người đại diện thứ nhất)").fill("Đoàn Văn Hải")
    page.get_by_label("Số căn cước công dân").fill("037011122233")
    page.get_by_label("Đoàn đông người", exact=True).check()
    page.get_by_label("Số người").fill("15")
    page.get_by_label("Những người đại diện khác").fill(
        "Lê Thị Bình, 037087654321\nTrần Văn Cường, 037012312312"
    )
    page.get_by_label("Phân loại").select_option(label="Khiếu nại")
    page.get_by_label("Lĩnh vực").select_option(label="Đất đai")
    page.get_by_label("Xã, phường liên quan").select_option(label="Xã Gia Viễn")
    page.get_by_role("textbox", name="Tiêu đề").fill("Khiếu nại mức bồi thường giải phóng mặt bằng")
    page.get_by_role("textbox", name="Nội dung").fill(
        "Mười lăm hộ dân thôn Đông không đồng ý với mức bồi thường khi thu hồi đất."
    )
    page.get_by_role("button", name="Ghi vào sổ").click()

    page.get_by_text("Đã ghi sổ lượt tiếp").wait_for()
    assert "đoàn 15 người" in page.locator("#visitor").inner_text()
    assert "3 người đại diện" in page.locator("#visitor").inner_text()

    page.get_by_role("button", name="Tiếp nhận đơn").click()
    page.locator("#act-take_petition").get_by_label("Tài liệu đã nhận").fill(
        "Đơn khiếu nại có 15 chữ ký\nBản sao Quyết định thu hồi đất"
    )
    page.locator("button[name=submit-take_petition]").click()
    page.get_by_text("Đã tiếp nhận đơn và vào sổ.").wait_for()

    petition = Petition.objects.get()
    assert petition.channel == "in_person" and petition.co_signers_count == 14
    assert page.locator("#petition-link").inner_text().startswith(petition.reference)
    assert page.locator("#status").inner_text() == "Chờ trả lời"

    # The printable receipt lists the documents.
    page.get_by_role("link", name="In giấy biên nhận").click()
    assert "Bản sao Quyết định thu hồi đất" in page.locator("#receipt-documents").inner_text()

    # The register lists it, found without diacritics.
    page.goto(page.base_url + "/staff/tiep-cong-dan/")
    page.get_by_label("Tìm kiếm").fill("boi thuong giai phong")
    page.get_by_role("button", name="Lọc").click()
    visit = Visit.objects.get()
    assert page.get_by_role("link", name=visit.reference).count() == 1


def test_a_lead_records_the_dialogue_and_resolves_the_complaint(page):
    province = ProvinceFactory(name="Tỉnh Ninh Bình")
    agency = AgencyFactory(name="Sở Nông nghiệp và Môi trường tỉnh Ninh Bình", unit=province)
    lead = member(Role.LEAD, agency, username="lanhdao", first_name="Trần Văn Minh")
    handler = member(Role.HANDLER, agency, username="xuly", first_name="Nguyễn Thị Hoa")
    petition = submit_petition(agency=agency).petition
    petition_services.petition_accept(petition=petition, actor=lead)
    petition_services.verification_assign(
        petition=Petition.objects.get(pk=petition.pk),
        actor=lead,
        verifier=handler,
        due_on=timezone.localdate() + timedelta(days=10),
    )
    petition_services.verification_report(
        petition=Petition.objects.get(pk=petition.pk),
        actor=handler,
        report="Diện tích thực tế lớn hơn diện tích ghi trong quyết định.",
        differs=True,
    )

    staff_login(page, "lanhdao")
    page.goto(page.base_url + f"/staff/petitions/{petition.pk}/")
    # The law asks for the dialogue: resolving is not offered yet.
    assert page.locator("#act-resolve").count() == 0
    page.locator("[data-bs-target='#dlg-dialogue']").click()
    when = (timezone.localdate() + timedelta(days=1)).isoformat()
    page.locator("#id_dialogue_starts_at").fill(f"{when}T14:00")
    page.locator("#id_dialogue_place").fill("Phòng họp Sở Nông nghiệp và Môi trường")
    page.locator("#id_dialogue_participants").fill("Người khiếu nại; đại diện Sở; tổ xác minh")
    page.locator("button[name=submit-dialogue]").click()
    page.locator("#dialogue .dialogue").wait_for()

    page.locator("[data-bs-target='#dlg-dialogue_minutes']").click()
    page.locator("#id_dialogue_minutes_attendance_0").check()
    page.locator("#id_dialogue_minutes_complainant_said").fill("Đề nghị đo đạc lại diện tích.")
    page.locator("#id_dialogue_minutes_respondent_said").fill("Đồng ý đo đạc lại có sự tham gia.")
    page.locator("#id_dialogue_minutes_agreed").fill("Đo đạc lại trong 10 ngày.")
    page.locator("button[name=submit-dialogue_minutes]").click()
    page.locator("#dialogue dl").wait_for()
    assert "Đo đạc lại trong 10 ngày." in page.locator("#dialogue").inner_text()

    page.get_by_role("button", name="Giải quyết", exact=True).click()
    form = page.locator("#act-resolve")
    form.get_by_role("combobox", name="Kết quả").select_option(label="Đúng một phần")
    form.get_by_role("textbox", name="Số quyết định hoặc kết luận").fill("45/QĐ-SNNMT")
    form.get_by_role("textbox", name="Kết quả giải quyết (công dân sẽ đọc được)").fill(
        "Điều chỉnh diện tích và đơn giá bồi thường."
    )
    page.locator("button[name=submit-resolve]").click()
    page.get_by_text("Đã ghi nhận kết quả giải quyết.").wait_for()
    assert Petition.objects.get(pk=petition.pk).status == "resolved"
    timeline = page.locator(".timeline").inner_text()
    assert "45/QĐ-SNNMT" in timeline
