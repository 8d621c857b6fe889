"""A monitor's dashboard in a real browser: charts, a drill-down and the Excel export."""

import pytest
from openpyxl import load_workbook

from agencies.models import Role
from petitions import services
from petitions.models import Petition
from tests.e2e.conftest import staff_login
from tests.factories import AgencyFactory, ProvinceFactory, member, submit_petition
from tests.petitions.conftest import at

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page, username: str) -> None:
    staff_login(page, username)
    page.get_by_role("heading", name="Cơ quan và vai trò của tôi").wait_for()


def _province():
    """Sở Xây dựng: two petitions never handled since September (overdue), one resolved
    in October, one received today. Sở Y tế: one overdue."""
    province = ProvinceFactory(name="Tỉnh Ninh Bình")
    construction = AgencyFactory(name="Sở Xây dựng tỉnh Ninh Bình", unit=province)
    health = AgencyFactory(name="Sở Y tế tỉnh Ninh Bình", unit=province)
    lead = member(Role.LEAD, construction, username="lanhdao.xd")
    member(Role.MONITOR, AgencyFactory(name="Thanh tra tỉnh", unit=province), username="giamsat")
    with at(2026, 9, 1):
        overdue = [
            submit_petition(agency=construction, subject=f"Xây dựng trái phép lần {n}").petition
            for n in (1, 2)
        ]
        submit_petition(agency=health, subject="Phòng khám không phép")
    with at(2026, 10, 1):
        done = submit_petition(agency=construction, kind="reflection").petition
        services.petition_accept(petition=done, actor=lead)
    with at(2026, 10, 5):
        services.petition_resolve(
            petition=Petition.objects.get(pk=done.pk),
            actor=lead,
            outcome="adopted",
            decision_number="88/SXD",
            result_summary="Đã xử lý.",
        )
    submit_petition(agency=construction)  # today: on track
    return construction, [p.reference for p in overdue]


def test_a_monitor_reads_the_charts_drills_into_overdue_cases_and_exports_to_excel(page, tmp_path):
    construction, overdue = _province()
    _login(page, "giamsat")

    page.goto(page.base_url + "/staff/dashboard/")
    page.get_by_role("heading", name="Số liệu đơn thư").wait_for()
    assert page.locator('[data-kpi="received"]').inner_text() == "5"
    assert page.locator('[data-kpi="overdue"]').inner_text() == "3"

    # The charts are drawn by Chart.js on canvases that take up room on the page.
    for name in ("trend", "kind", "field"):
        canvas = page.locator(f"#chart-{name}-canvas")
        canvas.wait_for()
        box = canvas.bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0
        assert page.evaluate(
            f"Chart.getChart(document.getElementById('chart-{name}-canvas')) !== undefined"
        )

    # Sở Xây dựng's overdue count leads to exactly its two overdue petitions.
    row = page.locator("#agency-table tbody tr", has_text=construction.name)
    link = row.locator('td[data-measure="overdue"] a')
    assert link.inner_text() == "2"
    link.click()
    page.get_by_role("heading", name="Chưa xong và quá hạn tại cuối kỳ").wait_for()
    listed = page.locator("#case-table tbody tr td:first-child a").all_inner_texts()
    assert sorted(listed) == sorted(overdue)
    assert "2 đơn" in page.locator("#case-count").inner_text()

    # Back on the dashboard, the Excel export downloads and opens.
    page.go_back()
    page.get_by_role("heading", name="Số liệu đơn thư").wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="Xuất Excel").click()
    name = download.value.suggested_filename
    assert name.endswith(".xlsx")
    # openpyxl reads by extension; the browser's temporary file has none.
    saved = tmp_path / name
    download.value.save_as(saved)
    ws = load_workbook(saved).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0].startswith("Kết quả tiếp nhận, giải quyết đơn thư theo cơ quan, từ 01/01/")
    header = list(rows[3])
    assert header == [
        "STT",
        "Cơ quan",
        "Tiếp nhận",
        "Đã xử lý đơn",
        "Xử lý đúng hạn",
        "Tỷ lệ xử lý đúng hạn (%)",
        "Tồn đầu kỳ",
        "Thụ lý",
        "Thuộc thẩm quyền",
        "Đã giải quyết",
        "Tỷ lệ giải quyết (%)",
        "Giải quyết đúng hạn",
        "Tỷ lệ giải quyết đúng hạn (%)",
        "Quá hạn cuối kỳ",
        # The citizens' verdict beside the resolution figures (verdict.exports).
        "Đã giải quyết nhưng người dân chưa đồng ý",
        "Người dân đề nghị mở lại",
        "Số ý kiến của người dân",
        "Tỷ lệ phản hồi (%)",
        "Mức hài lòng (bình quân, 1–5)",
        "Số ý kiến về mức hài lòng",
        "Xếp hạng",
    ]
    by_agency = {row[1]: dict(zip(header, row, strict=True)) for row in rows[4:]}
    assert set(by_agency) == {construction.name, "Sở Y tế tỉnh Ninh Bình"}
    mine = by_agency[construction.name]
    assert (mine["Tiếp nhận"], mine["Đã giải quyết"], mine["Quá hạn cuối kỳ"]) == (4, 1, 2)
    assert mine["Tỷ lệ giải quyết (%)"] == 1.0
    assert mine["Xếp hạng"] == "chưa đủ số để xếp hạng"
    assert by_agency["Sở Y tế tỉnh Ninh Bình"]["Quá hạn cuối kỳ"] == 1
