"""The staff dashboard, the cases behind a number, the exports and the public page."""

import csv
import io
import json
import re
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from agencies.models import Role
from tests.factories import member, submit_petition
from tests.petitions.conftest import at

pytestmark = pytest.mark.django_db

MARCH = {"from": "01/03/2026", "to": "31/03/2026"}
# The median is its own aggregate on PostgreSQL; elsewhere a COUNT and a slice.
MEDIAN_QUERIES = 1 if connection.vendor == "postgresql" else 2
# PostgreSQL keeps the facts of ended petitions (petitions/facts.py): each figure reads
# them beside the open cases and the ended cases' edges (petitions/figures.py: three
# queries for the one live count), and the median reads its days beside its live part.
FACTS = 1 if connection.vendor == "postgresql" else 0
PETITIONER = "Nguyễn Văn An"  # tests.factories.submit_petition's petitioner
SUBJECT = "Khiếu nại quyết định thu hồi đất nông nghiệp"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # locmem caches outlive a test, and ids are reused after rollbacks.
    cache.clear()
    yield
    cache.clear()


def _dashboard(client, params=None):
    return client.get(reverse("dashboards:dashboard"), params or {})


def _chart(body, name):
    match = re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', body, re.S)
    assert match, name
    return json.loads(match.group(1))


# --- the dashboard -------------------------------------------------------------------


def test_a_monitor_sees_the_figures_of_the_province(client, dataset, monitor):
    client.force_login(monitor)
    response = _dashboard(client, MARCH)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Số liệu đơn thư" in body
    assert 'data-kpi="received"><a href=' in body
    assert "Sở Nông nghiệp và Môi trường" in body and "Sở Xây dựng" in body
    assert "chưa đủ số để xếp hạng" in body  # 3 cases in competence: not ranked
    assert "66,7&nbsp;%" in body  # the resolution rate, with its counts beside it
    trend = _chart(body, "chart-trend")
    assert trend["labels"] == ["03/2026"]
    assert [d["data"] for d in trend["datasets"]] == [[4], [1], [2], [1]]
    kinds = _chart(body, "chart-kind")
    assert kinds["labels"] == ["Khiếu nại"] and kinds["datasets"][0]["data"] == [4]
    assert _chart(body, "chart-field")["labels"] == ["Đất đai"]


def test_a_lead_sees_only_their_own_agency(client, dataset, lead):
    client.force_login(lead)
    body = _dashboard(client, MARCH).content.decode()
    assert "Sở Nông nghiệp và Môi trường" in body
    assert "Sở Xây dựng" not in body
    assert _chart(body, "chart-kind")["datasets"][0]["data"] == [3]


@pytest.mark.parametrize("role", [Role.HANDLER, Role.COUNCIL_STAFF, Role.ADMIN])
def test_others_get_a_404(client, agency, role):
    client.force_login(member(role, agency, username=f"user-{role}"))
    assert _dashboard(client).status_code == 404
    assert client.get(reverse("dashboards:cases"), {"measure": "received"}).status_code == 404
    assert client.get(reverse("dashboards:export_xlsx")).status_code == 404
    assert client.get(reverse("dashboards:export_csv")).status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login(client):
    for name in ("dashboard", "cases", "export_xlsx", "export_csv"):
        response = client.get(reverse(f"dashboards:{name}"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_a_bad_filter_shows_the_error_in_vietnamese_not_a_500(client, lead):
    client.force_login(lead)
    response = _dashboard(client, {"from": "32/01/2026", "kind": "x"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nhập ngày theo dạng dd/mm/yyyy hoặc yyyy-mm-dd." in body
    assert "“x” không phải là giá trị được chấp nhận." in body
    assert 'id="from" name="from"' in body  # the form is shown again to correct it


def test_the_table_sorts_by_a_column_and_keeps_the_filters(client, dataset, monitor):
    client.force_login(monitor)
    body = _dashboard(client, {**MARCH, "sort": "-received"}).content.decode()
    table = body[body.index('id="agency-table"') :]
    assert table.index("Sở Nông nghiệp và Môi trường") < table.index("Sở Xây dựng")
    body = _dashboard(client, {**MARCH, "sort": "received"}).content.decode()
    table = body[body.index('id="agency-table"') :]
    assert table.index("Sở Xây dựng") < table.index("Sở Nông nghiệp và Môi trường")
    assert "?from=01%2F03%2F2026&amp;to=31%2F03%2F2026&amp;sort=-received" in body


@pytest.mark.parametrize("many", [False, True])
def test_the_dashboard_costs_the_same_queries_whatever_the_data(
    client, dataset, monitor, agency, other_agency, many, django_assert_num_queries
):
    if many:
        with at(2026, 3, 9):
            for i in range(12):
                submit_petition(agency=(agency, other_agency)[i % 2], kind="reflection")
    client.force_login(monitor)
    # 1 session, 2 user, 3 memberships, 4 the province's agencies (the scope),
    # 5 agencies and 6 communes for the filter form, 7 by agency and 8 the agencies'
    # names, 9 by kind, 10 by field, 11 the trend, 12-15 the voter recommendations (the
    # sessions, their own items, their carried-over items, per agency answering), 16 the
    # summary aggregate, then the median, then the bell's unread count; and the
    # citizens' verdict beside the summary and the three breakdowns (4 more); the commune
    # table (its figures, the communes' names, its verdict: 3); the other case machines'
    # sections: mediation (the reader's teams, the totals: 2), the reception register
    # (totals, by agency, by field, by commune: 4), the reception days kept (1).
    # PostgreSQL: the facts and edges beside the summary (3), the four breakdowns and the
    # trend (2 each); then one pass over the open cases for all of them (1) instead of
    # the six scans of them (summary, breakdowns, trend) and the median's (a whole
    # month has no edges: its live part is all open cases), so 6 fewer.
    expected = 16 + MEDIAN_QUERIES + 1 + 4 + 3 + 2 + 4 + 1 + 13 * FACTS - 6 * FACTS
    with django_assert_num_queries(expected):
        assert _dashboard(client, MARCH).status_code == 200


# --- drill-down ------------------------------------------------------------------------


def test_the_overdue_count_of_an_agency_drills_down_to_exactly_its_overdue_cases(
    client, dataset, monitor, agency
):
    client.force_login(monitor)
    body = _dashboard(client, MARCH).content.decode()
    row = re.search(rf'<tr data-key="{agency.pk}".*?</tr>', body, re.S).group(0)
    link = re.search(r'data-measure="overdue"><a href="([^"]+)">1</a>', row).group(1)
    response = client.get(link.replace("&amp;", "&"))
    assert response.status_code == 200
    page = response.content.decode()
    assert dataset["d"].reference in page
    for other in ("a", "b", "c", "e"):
        assert dataset[other].reference not in page
    assert "Chưa xong và quá hạn tại cuối kỳ" in page
    assert "1 đơn, kỳ từ 01/03/2026 đến 31/03/2026." in page


def test_every_number_of_the_summary_links_to_as_many_cases(client, dataset, monitor):
    client.force_login(monitor)
    for measure in (
        "received",
        "handled",
        "handled_on_time",
        "in_competence",
        "resolved",
        "resolved_on_time",
        "overdue",
    ):
        summary = client.get(reverse("stats:summary"), MARCH).json()
        page = client.get(reverse("dashboards:cases"), {**MARCH, "measure": measure})
        assert page.context["page"].paginator.count == summary[measure], measure


def test_a_lead_cannot_drill_into_another_agency(client, dataset, other_lead, agency):
    client.force_login(other_lead)
    response = client.get(
        reverse("dashboards:cases"), {**MARCH, "measure": "received", "agency": agency.pk}
    )
    assert response.status_code == 400
    assert dataset["b"].reference not in response.content.decode()


def test_an_unknown_measure_is_a_400(client, lead):
    client.force_login(lead)
    response = client.get(reverse("dashboards:cases"), {"measure": "subject"})
    assert response.status_code == 400


@pytest.mark.parametrize("many", [False, True])
def test_the_cases_page_costs_the_same_queries_whatever_the_data(
    client, dataset, monitor, agency, many, django_assert_num_queries
):
    if many:
        with at(2026, 3, 9):
            for _ in range(8):
                submit_petition(agency=agency)
    client.force_login(monitor)
    # 1 session, 2 user, 3 memberships, 4 the province's agencies, 5 the agency's name
    # for the heading, 6 COUNT for the paginator, 7 the page of cases with agency and
    # commune joined, 8 the bell's unread count.
    with django_assert_num_queries(8):
        client.get(
            reverse("dashboards:cases"), {**MARCH, "measure": "received", "agency": agency.pk}
        )


# --- exports ---------------------------------------------------------------------------


def test_the_excel_export_carries_the_table_with_numbers_and_percentages(
    client, dataset, monitor, agency, other_agency
):
    client.force_login(monitor)
    with at(2026, 11, 20, 14):
        response = client.get(reverse("dashboards:export_xlsx"), {**MARCH, "sort": "-received"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "don-thu-theo-co-quan_01-03-2026_31-03-2026.xlsx" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == (
        "Kết quả tiếp nhận, giải quyết đơn thư theo cơ quan, từ 01/03/2026 đến 31/03/2026"
    )
    assert rows[1][0].startswith("Xuất lúc 14:") and "ngày 20/11/2026" in rows[1][0]
    header = list(rows[3])
    assert header[:4] == ["STT", "Cơ quan", "Tiếp nhận", "Đã xử lý đơn"]
    assert header[-1] == "Xếp hạng"
    first = dict(zip(header, rows[4], strict=True))
    assert first["Cơ quan"] == agency.name
    assert first["Tiếp nhận"] == 3 and first["Thuộc thẩm quyền"] == 3
    assert first["Đã giải quyết"] == 2 and first["Quá hạn cuối kỳ"] == 1
    assert first["Tỷ lệ giải quyết (%)"] == pytest.approx(2 / 3)
    assert first["Tỷ lệ giải quyết đúng hạn (%)"] == 0.5
    assert first["Xếp hạng"] == "chưa đủ số để xếp hạng"
    assert ws.cell(5, header.index("Tỷ lệ giải quyết (%)") + 1).number_format == "0.0%"
    second = dict(zip(header, rows[5], strict=True))
    assert second["Cơ quan"] == other_agency.name and second["Tỷ lệ giải quyết (%)"] is None
    assert len(rows) == 6


def test_the_csv_export_has_one_header_row_and_rates_in_per_cent(client, dataset, lead):
    client.force_login(lead)
    response = client.get(reverse("dashboards:export_csv"), MARCH)
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header, row = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert header[1] == "Cơ quan"
    assert row["Tiếp nhận"] == "3" and row["Tỷ lệ giải quyết (%)"] == "66.7"
    assert row["Tỷ lệ xử lý đúng hạn (%)"] == "100.0" and row["Quá hạn cuối kỳ"] == "1"
    assert len(rows) == 2


def test_an_export_with_a_bad_filter_is_a_400(client, lead):
    client.force_login(lead)
    assert client.get(reverse("dashboards:export_xlsx"), {"to": "x"}).status_code == 400
    assert client.get(reverse("dashboards:export_csv"), {"to": "x"}).status_code == 400


def test_the_exports_cost_the_same_queries_whatever_the_data(
    client, dataset, lead, agency, django_assert_num_queries
):
    client.force_login(lead)
    # 1 session, 2 user, 3 memberships, 4 the grouped aggregate by agency, 5 the names,
    # 6 the citizens' verdict by agency.
    with django_assert_num_queries(6 + 2 * FACTS):
        client.get(reverse("dashboards:export_xlsx"), MARCH)
    with at(2026, 3, 9):
        for _ in range(8):
            submit_petition(agency=agency)
    with django_assert_num_queries(6 + 2 * FACTS):
        client.get(reverse("dashboards:export_csv"), MARCH)


# --- the public transparency page ------------------------------------------------------


def test_the_public_page_needs_no_login_and_names_no_person_and_no_case(client, dataset):
    with at(2026, 11, 20):
        response = client.get(reverse("dashboards:transparency"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Công khai kết quả tiếp nhận, giải quyết đơn thư" in body
    assert "Sở Nông nghiệp và Môi trường" in body and "Sở Xây dựng" in body
    assert "Năm 2026, tính đến ngày 20/11/2026" in body and "Năm 2025" in body
    assert PETITIONER not in body
    assert SUBJECT not in body
    for petition in dataset.values():
        assert petition.reference not in body
    assert "/staff/" not in body  # no drill-down into the cases


def test_the_public_page_shows_the_years_figures(client, dataset):
    with at(2026, 11, 20):
        body = client.get(reverse("dashboards:transparency")).content.decode()
    current = body[body.index('id="year-current"') : body.index('id="year-previous"')]
    # 2026: A, B, C, D, E and F received; A, B, E resolved (B late, E late)
    assert 'data-kpi="received">6<' in current
    assert 'data-kpi="overdue">2<' in current  # D and F, never handled
    chart = _chart(body, "chart-current")
    assert sum(chart["datasets"][0]["data"]) == 6


def test_the_public_page_is_cached_a_few_minutes(client, dataset, django_assert_num_queries):
    with at(2026, 11, 20):
        client.get(reverse("dashboards:transparency"))
        with django_assert_num_queries(0):
            body = client.get(reverse("dashboards:transparency")).content.decode()
    assert "Sở Xây dựng" in body


@pytest.mark.parametrize("many", [False, True])
def test_the_public_page_costs_the_same_queries_whatever_the_data(
    client, dataset, agency, many, django_assert_num_queries
):
    if many:
        with at(2026, 3, 9):
            for _ in range(8):
                submit_petition(agency=agency)
    # 1 the provinces with agencies, 2 the province's agency ids; then per year (this
    # one and the last): the summary aggregate, the median (on SQLite a COUNT, and a
    # slice only when something was resolved: none in 2025 here), by agency (and the
    # agencies' names when any has figures: none in 2025 here), by field, and the trend;
    # the citizens' verdict beside the summary, by agency and by field (3 more).
    # PostgreSQL: the facts and edges beside the summary (3), by agency, by field and
    # the trend (2 each); and per year one pass over the open cases (1) instead of the
    # four scans of them (summary, by agency, by field, trend) — and of the median's
    # live part when the period has no partial month (last year's whole year).
    this_year = 1 + MEDIAN_QUERIES + 3 + 1 + 3 + 9 * FACTS - 3 * FACTS
    last_year = 1 + min(MEDIAN_QUERIES, 1) + 2 + 1 + 3 + 9 * FACTS - 4 * FACTS
    # The other case machines' public figures: mediation (the province's totals, 1) and
    # the reception register (totals, by agency, by field, by commune: 4).
    others = 1 + 4
    with at(2026, 11, 20), django_assert_num_queries(2 + this_year + last_year + others):
        assert client.get(reverse("dashboards:transparency")).status_code == 200


def test_the_public_page_is_empty_but_fine_without_any_agency(client):
    response = client.get(reverse("dashboards:transparency"))
    assert response.status_code == 200
    assert "Chưa có số liệu được công bố." in response.content.decode()


def test_the_nav_links_to_the_public_page_for_everyone_and_the_dashboard_for_staff(client, lead):
    anonymous = client.get("/").content.decode()
    assert reverse("dashboards:transparency") in anonymous
    assert reverse("dashboards:dashboard") not in anonymous
    client.force_login(lead)
    assert reverse("dashboards:dashboard") in client.get("/").content.decode()


def test_the_default_period_is_the_year_to_date(client, dataset, lead):
    client.force_login(lead)
    with at(2026, 5, 15):
        body = _dashboard(client).content.decode()
    assert "Từ ngày 01/01/2026 đến ngày 15/05/2026" in body
    assert date(2026, 5, 15).strftime("%d/%m/%Y") in body
