"""The reception figures on a fixed register, against values computed by hand, and their
query counts (one aggregate per figure set, constant in the data)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from reception import figures, services
from reception.identity import Visitor
from reception.models import Visit
from tests.reception.conftest import at, delegation, register

pytestmark = pytest.mark.django_db

NOVEMBER = figures.FigureFilters(start=date(2026, 11, 1), end=date(2026, 11, 30))
TODAY = date(2026, 12, 1)


@pytest.fixture
def dataset(officer, other_officer, agency, other_agency, province):
    from tests.factories import CommuneFactory

    c1 = CommuneFactory(parent=province, name="Xã Một")
    c2 = CommuneFactory(parent=province, name="Xã Hai")
    stranger = Visitor(name="Trần Văn Bảo", id_number="037099999999")
    # 1. A citizen's complaint: a petition, answered on time (due 16/11, answered 10/11).
    with at(2026, 11, 2):
        first = register(officer, agency, commune=c1)
        services.visit_take_petition(visit=first, actor=officer)
    with at(2026, 11, 10):
        services.visit_answer(
            visit=Visit.objects.get(pk=first.pk),
            actor=officer,
            answer_form="written",
            answer_text="Đã thụ lý.",
        )
    # 2. The same citizen back on the same matter: a visit, not a matter.
    with at(2026, 11, 9):
        again = register(officer, agency, commune=c1)
        services.visit_same_matter(
            visit=again, actor=officer, earlier=Visit.objects.get(pk=first.pk)
        )
        services.visit_explain(visit=Visit.objects.get(pk=again.pk), actor=officer, note="ok")
    # 3. A delegation of 12: minuted, never answered (due 17/11: missing on 01/12).
    with at(2026, 11, 3):
        crowd = services.visit_register(
            actor=officer,
            details=delegation(agency, people=12, commune=c2, field="environment"),
        )
        services.visit_take_minutes(visit=crowd, actor=officer)
    # 4. Guided elsewhere.
    with at(2026, 11, 4):
        guided = register(officer, agency, field="social_policy", visitor=stranger)
        services.visit_guide(visit=guided, actor=officer, guided_to="Tòa án")
    # 5. Another agency's delegation of 8: a petition answered late (due 19/11).
    with at(2026, 11, 5):
        other = services.visit_register(
            actor=other_officer, details=delegation(other_agency, people=8, commune=c1)
        )
        services.visit_take_petition(visit=other, actor=other_officer)
    with at(2026, 11, 25):
        services.visit_answer(
            visit=Visit.objects.get(pk=other.pk),
            actor=other_officer,
            answer_form="direct",
            answer_text="Chuyển đơn.",
        )
    # 6. Refused at the other agency.
    with at(2026, 11, 6):
        refused = register(other_officer, other_agency, commune=c2, visitor=stranger)
        services.visit_refuse(visit=refused, actor=other_officer, reason="settled")
    # 7. October: outside the period.
    with at(2026, 10, 15):
        register(officer, agency)
    return {"c1": c1, "c2": c2}


def _all(agency, other_agency):
    return figures.scoped(agency_ids=[agency.pk, other_agency.pk])


def test_the_totals_equal_the_hand_count(dataset, agency, other_agency):
    t = figures.totals(_all(agency, other_agency), NOVEMBER, today=TODAY)
    assert {
        k: t[k] for k in ("visits", "matters", "people", "delegations", "delegation_people")
    } == {
        "visits": 6,
        "matters": 5,
        "people": 24,
        "delegations": 2,
        "delegation_people": 20,
    }
    assert (t["petitions"], t["petition_rate"]) == (3, 50.0)
    # Owed: two answered and one missing past its due date; one on time: 1/3 = 33.3 %.
    assert (t["answers_owed"], t["answered_on_time"], t["answers_missing"]) == (3, 1, 1)
    assert t["answer_rate"] == 33.3


def test_by_agency(dataset, agency, other_agency):
    rows = {
        r["label"]: r
        for r in figures.breakdown(_all(agency, other_agency), NOVEMBER, "agency", today=TODAY)
    }
    a, b = rows[agency.name], rows[other_agency.name]
    assert (a["visits"], a["matters"], a["people"], a["delegations"]) == (4, 3, 15, 1)
    assert (a["petition_rate"], a["answer_rate"]) == (50.0, 50.0)
    assert (b["visits"], b["matters"], b["delegation_people"]) == (2, 2, 8)
    assert (b["petition_rate"], b["answer_rate"]) == (50.0, 0.0)


def test_by_field_and_commune(dataset, agency, other_agency):
    qs = _all(agency, other_agency)
    by_field = {
        r["key"]: (r["visits"], r["matters"])
        for r in figures.breakdown(qs, NOVEMBER, "field", today=TODAY)
    }
    assert by_field == {"land": (4, 3), "environment": (1, 1), "social_policy": (1, 1)}
    by_commune = {
        r["label"]: (r["visits"], r["matters"])
        for r in figures.breakdown(qs, NOVEMBER, "commune", today=TODAY)
    }
    assert by_commune == {"Xã Một": (3, 2), "Xã Hai": (2, 2), "": (1, 1)}


def test_by_month_and_a_narrowed_figure(dataset, agency, other_agency):
    qs = _all(agency, other_agency)
    year = figures.FigureFilters(start=date(2026, 1, 1), end=date(2026, 12, 31))
    months = {r["key"]: r["visits"] for r in figures.breakdown(qs, year, "month", today=TODAY)}
    assert months == {"2026-10": 1, "2026-11": 6}
    narrowed = figures.FigureFilters(
        start=NOVEMBER.start, end=NOVEMBER.end, commune=dataset["c1"].pk
    )
    assert figures.totals(qs, narrowed, today=TODAY)["visits"] == 3


def test_the_figures_cost_five_queries_whatever_the_data(
    dataset, agency, other_agency, django_assert_num_queries
):
    # One aggregate for the totals, one grouped query per agency, commune, field, month.
    with django_assert_num_queries(5):
        figures.figures(_all(agency, other_agency), NOVEMBER, today=TODAY)


def test_the_figures_cost_five_queries_on_an_empty_register(agency, django_assert_num_queries):
    with django_assert_num_queries(5):
        result = figures.figures(figures.scoped(agency_ids=[agency.pk]), NOVEMBER, today=TODAY)
    assert result["totals"]["visits"] == 0 and result["totals"]["petition_rate"] is None


def test_the_api_answers_the_callers_figures_only(client, dataset, officer, monitor):
    client.force_login(officer)
    mine = client.get(
        reverse("reception_stats:figures"), {"start": "2026-11-01", "end": "2026-11-30"}
    ).json()
    assert mine["totals"]["visits"] == 4
    client.force_login(monitor)
    province = client.get(
        reverse("reception_stats:figures"), {"start": "2026-11-01", "end": "2026-11-30"}
    ).json()
    assert province["totals"]["visits"] == 6
    assert {r["name"] for r in province["by_agency"]} == {"Ủy ban nhân dân tỉnh", "Sở Xây dựng"}
    # Aggregates only: no name, no subject, no ID anywhere.
    assert "Nguyễn" not in str(province) and "Khiếu nại" not in str(province)


def test_the_api_refuses_a_bad_period_with_a_message(client, officer):
    client.force_login(officer)
    response = client.get(
        reverse("reception_stats:figures"), {"start": "2026-12-01", "end": "2026-11-01"}
    )
    assert response.status_code == 400
    response = client.get(reverse("reception_stats:figures"), {"field": "nope", "agency": "-1"})
    assert response.status_code == 400


def test_the_dashboard_and_the_public_page_show_the_figures(client, dataset, monitor, province):
    client.force_login(monitor)
    page = client.get(reverse("dashboards:dashboard"), {"start": "2026-11-01", "end": "2026-11-30"})
    assert page.status_code == 200
    assert 'id="reception-figures"' in page.content.decode()
    client.logout()
    public = client.get(reverse("dashboards:transparency"), {"province": province.pk})
    text = public.content.decode()
    assert public.status_code == 200
    if 'id="reception-figures"' in text:  # the page lists provinces that publish petitions
        assert "Nguyễn" not in text
