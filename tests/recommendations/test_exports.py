from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from recommendations import exports, services

from .conftest import at
from .factories import forwarded, settled

pytestmark = pytest.mark.django_db


@pytest.fixture
def results(staff, lead, department, meeting, session, commune):
    """A transport item resolved on time, a land item answered late (in progress), an
    unanswered health item."""
    settled(
        meeting,
        staff,
        department,
        lead,
        category="resolved",
        dispatched_on=date(2026, 7, 27),
        answered_on=date(2026, 8, 3),
        field="transport",
        content="Sửa chữa đường liên xã Gia Viễn – Gia Hưng",
        locality="Thôn Đông",
        commune=commune,
        voters=12,
    )
    with at(2026, 9, 10):
        settled(
            meeting,
            staff,
            department,
            lead,
            category="in_progress",
            dispatched_on=date(2026, 7, 27),
            answered_on=date(2026, 9, 10),
            field="land",
            content="Cấp giấy chứng nhận quyền sử dụng đất cho 12 hộ",
            voters=20,
        )
    forwarded(meeting, staff, [department], field="health", content="Thiếu thuốc BHYT")
    return session


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX
    return load_workbook(BytesIO(response.content)).active


def _rows(ws):
    return [[c for c in row] for row in ws.iter_rows(values_only=True)]


def test_the_export_has_one_row_per_recommendation_in_the_councils_layout(client, staff, results):
    client.force_login(staff)
    response = client.get(reverse("recommendations:export", args=[results.pk]))
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="ket-qua-kien-nghi-cu-tri-ky-hop-2-2026-2031.xlsx"'
    )
    ws = _sheet(response)
    rows = _rows(ws)
    assert rows[0][0] == "HỘI ĐỒNG NHÂN DÂN TỈNH NINH BÌNH"
    assert rows[0][4] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert "KẾT QUẢ GIẢI QUYẾT, TRẢ LỜI KIẾN NGHỊ CỬ TRI" in rows[3][0]
    assert "Kỳ họp thứ 2" in rows[4][0]
    header = rows.index(
        [
            "STT",
            "Nội dung kiến nghị",
            "Số cử tri, địa phương",
            "Cơ quan trả lời",
            "Tóm tắt nội dung trả lời",
            "Kết quả giải quyết",
            "Trả lời đúng hạn",
        ]
    )
    body = rows[header + 1 :]
    # grouped by field in the council's order: land, health, transport
    assert [r[0] for r in body[:6]] == ["I. Đất đai", 1, "II. Y tế", 2, "III. Giao thông", 3]
    land, health, road = body[1], body[3], body[5]
    assert land[1] == "Cấp giấy chứng nhận quyền sử dụng đất cho 12 hộ"
    assert land[5] == "Đang giải quyết" and land[6] == "Quá hạn"
    assert health[4] == "Sở Xây dựng tỉnh Ninh Bình: chưa trả lời"
    assert health[5] == "Chưa có kết quả" and health[6] == "Chưa trả lời"
    assert road[2] == "12 cử tri\nThôn Đông, Xã Gia Viễn"
    assert road[3] == "Sở Xây dựng tỉnh Ninh Bình"
    assert road[4].startswith("Sở Xây dựng tỉnh Ninh Bình (412/SXD-QLCL, 03/08/2026): Sở đã bố trí")
    assert road[5] == "Đã giải quyết xong" and road[6] == "Đúng hạn"
    summary = [r[0] for r in body[6:] if r[0]]
    assert "Số kiến nghị đã chuyển: 3" in summary
    assert "Đã trả lời: 2, trong đó đúng hạn: 1" in summary
    assert "Tỷ lệ giải quyết xong (đã giải quyết xong ÷ đã chuyển): 33,3 %" in summary
    # printable: landscape, the header repeated on every page
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == f"${header + 1}:${header + 1}"
    assert ws.freeze_panes == f"A{header + 2}"


def test_the_export_holds_no_personal_data(client, staff, results, meeting):
    client.force_login(staff)
    ws = _sheet(client.get(reverse("recommendations:export", args=[results.pk])))
    text = " ".join(str(c) for row in _rows(ws) for c in row if c)
    for name in ("Nguyễn Văn Bình", "Trần Thị Mai", "Vũ Thị Lan", "Hoàng Minh Tuấn"):
        assert name not in text


def test_an_empty_session_exports_a_sheet_that_says_so(client, staff, session):
    client.force_login(staff)
    ws = _sheet(client.get(reverse("recommendations:export", args=[session.pk])))
    assert any(
        row[0] == "Chưa có kiến nghị nào của kỳ họp này được chuyển đến cơ quan giải quyết."
        for row in _rows(ws)
    )


def test_voters_download_the_export_of_a_published_session_only(client, staff, results):
    address = reverse("recommendations:public_export", args=[results.pk])
    assert client.get(address).status_code == 404
    services.session_publish(actor=staff, session=results)
    ws = _sheet(client.get(address))
    assert ws.title == "Kết quả"


def test_a_formula_in_a_recommendation_is_exported_as_text_on_the_public_sheet(
    client, staff, department, meeting
):
    attack = '=HYPERLINK("http://evil.example/","Xem chi tiết")'
    forwarded(meeting, staff, [department], field="health", content=attack, locality="@SUM(A1)")
    session = meeting.session
    services.session_publish(actor=staff, session=session)
    response = client.get(reverse("recommendations:public_export", args=[session.pk]))
    ws = _sheet(response)
    cells = [cell for row in ws.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    assert "'" + attack in [cell.value for cell in cells]
    assert not any(str(cell.value).startswith(("=", "+", "-", "@")) for cell in cells)
