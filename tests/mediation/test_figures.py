"""The figures on a fixed dataset, computed by hand, and their cost: constant in the
number of cases for every list, the register, the figures page and the API."""

from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mediation import selectors, services
from mediation.models import MediationCase
from tests.mediation.conftest import at, in_progress, open_grassroots

pytestmark = pytest.mark.django_db

MARCH = selectors.Period(date(2026, 3, 1), date(2026, 3, 31))


def _concluded(world, outcome: str, day: date, *, first_after: int = 1, follow: str = "") -> None:
    """A case assigned on `day`, first session `first_after` days later, concluded then."""
    with at(day.year, day.month, day.day):
        case = open_grassroots(world)
        services.case_assign(case=case, actor=world.leader.user, mediator=world.mediator)
    session_day = date.fromordinal(day.toordinal() + first_after)
    with at(session_day.year, session_day.month, session_day.day):
        services.case_record_session(
            case=case, actor=world.mediator.user, held_on=session_day, place="Nhà văn hóa"
        )
        mediator = world.mediator.user
        if outcome == "successful":
            services.case_succeed(case=case, actor=mediator)
            if follow == "performed":
                services.case_performed(case=case, actor=mediator)
            elif follow == "not_performed":
                services.case_not_performed(case=case, actor=mediator, note="Chưa làm.")
        elif outcome == "unsuccessful":
            services.case_fail(case=case, actor=mediator)
        elif outcome == "ended":
            services.case_end(case=case, actor=mediator, party=case.parties.first())


@pytest.fixture
def dataset(world):
    # March: 5 successful (3 performed, 1 not), 2 unsuccessful, 1 ended, and 1 refused;
    # February: 1 successful (outside the period); one still being mediated.
    for i, follow in enumerate(["performed", "performed", "performed", "not_performed", ""]):
        _concluded(world, "successful", date(2026, 3, 2 + i), first_after=1 + i % 3, follow=follow)
    _concluded(world, "unsuccessful", date(2026, 3, 10), first_after=2)
    _concluded(world, "unsuccessful", date(2026, 3, 11), first_after=6)
    _concluded(world, "ended", date(2026, 3, 12), first_after=1)
    with at(2026, 3, 13):
        refused = open_grassroots(world)
        services.case_refuse(case=refused, actor=world.leader.user, reason="Không đồng ý.")
    _concluded(world, "successful", date(2026, 2, 2), first_after=1)
    with at(2026, 3, 20):
        in_progress(world, field="environment")
    return world


def test_the_success_rate_equals_the_hand_computed_value(dataset):
    figures = selectors.figures(MediationCase.objects.all(), MARCH)
    s = figures["summary"]
    # 5 successful ÷ (5 + 2) concluded = 71.428… → 71.4 %; ended and refused apart.
    assert (s["successful"], s["unsuccessful"], s["concluded"]) == (5, 2, 7)
    assert s["success_rate"] == 71.4
    assert (s["ended"], s["refused"]) == (1, 1)
    # 3 performed ÷ 4 followed up.
    assert (s["performed"], s["not_performed"], s["performed_rate"]) == (3, 1, 75.0)
    # First sessions in March: 1,2,3,1,2 (successes) 2,6 (failures) 1 (ended) and 0 (the
    # one in progress): 18 days over 9 sessions = 2.0; every 3-day start met but the
    # 6-day one (assigned Wednesday 11/03, due Saturday 14/03 moved to Monday 16/03).
    assert s["first_sessions"] == 9
    assert s["mean_days_to_first_session"] == 2.0
    assert s["started_on_time"] == 8
    assert s["requested"] == 10
    by_field = {row["field"]: row for row in figures["by_field"]}
    assert by_field["land"]["success_rate"] == 71.4
    assert by_field["environment"]["concluded"] == 0
    [commune] = figures["by_commune"]
    assert commune["commune__name"] == "Xã Gia Viễn" and commune["success_rate"] == 71.4


def test_the_pages_and_the_api_state_the_same_rate_and_its_definition(client, dataset):
    client.force_login(dataset.commune_handler)
    body = client.get(reverse("mediation:figures"), {"start": "2026-03-01", "end": "2026-03-31"})
    text = body.content.decode()
    assert (
        'id="mediation-success-rate">71,4 %' in text or 'id="mediation-success-rate">71.4 %' in text
    )
    assert "không tính vào mẫu số" in text
    data = client.get(
        reverse("mediation_stats:figures"), {"start": "01/03/2026", "end": "31/03/2026"}
    ).json()
    assert data["summary"]["success_rate"] == 71.4
    assert client.get(reverse("mediation_stats:figures"), {"start": "x"}).status_code == 400


def test_the_public_page_shows_the_provinces_rate_without_a_name(client, dataset):
    with at(2026, 3, 31, 20):
        text = client.get(reverse("dashboards:transparency")).content.decode()
    assert "mediation-success-rate" in text
    assert "Phạm Văn Hùng" not in text and "Tổ hòa giải Thôn Đông" not in text


@pytest.mark.parametrize("many", [False, True])
def test_the_lists_register_figures_and_api_cost_the_same_queries_whatever_the_data(
    client, world, many, django_assert_num_queries
):
    count = 6 if many else 1
    for _ in range(count):
        in_progress(world)
    client.force_login(world.leader.user)
    # 1 session, 2 user, 3 team memberships and 4 agency memberships (the scope; no
    # agency: no commune query), 5 the paginator's COUNT, 6 the bell's unread count,
    # 7 the teams for the filter, 8 the page of cases, 9 their parties.
    with django_assert_num_queries(9):
        assert client.get(reverse("mediation:list")).status_code == 200
    # 1 session, 2 user, 3-4 the scope, 5 the team, 6 its leader, 7 the rows, 8 their
    # parties, 9 their sessions, 10 the bell.
    with django_assert_num_queries(10):
        assert client.get(reverse("mediation:register", args=[world.team.pk])).status_code == 200
    # 1 session, 2 user, 3-4 the scope, 5 the totals, 6 by field, 7 by commune, 8 by
    # kind, 9 the bell.
    with django_assert_num_queries(9):
        assert client.get(reverse("mediation:figures")).status_code == 200
    # The API: session, user, the scope's two, then the four aggregates.
    with django_assert_num_queries(8):
        assert client.get(reverse("mediation_stats:figures")).status_code == 200


def test_the_register_exports_to_excel_with_no_formula(client, world):
    case = in_progress(world)
    services.case_add_note(case=case, actor=world.leader.user, note="x")
    MediationCase.objects.filter(pk=case.pk).update(subject='=HYPERLINK("http://x")')
    client.force_login(world.leader.user)
    response = client.get(reverse("mediation:register_xlsx", args=[world.team.pk]))
    assert response.status_code == 200
    from io import BytesIO

    ws = load_workbook(BytesIO(response.content)).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value]
    assert any("Phạm Văn Hùng" in str(v) for v in values)
    assert not any(str(v).startswith("=") for v in values)
    assert not any("0912345678" in str(v) for v in values)
