"""Issue 14, item 8: the dashboard's commune breakdown is a table like those by agency
and field — exact figures on a fixed dataset, in Vietnamese order of the names."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from agencies.scope import visible_agency_ids
from dashboards import selectors
from petitions import services
from petitions.models import Petition
from petitions.selectors import StatsFilter
from tests.factories import CommuneFactory, submit_petition
from tests.petitions.conftest import at

pytestmark = pytest.mark.django_db

MARCH = {"from": "01/03/2026", "to": "31/03/2026"}

FACTS = 1 if connection.vendor == "postgresql" else 0  # petitions/facts.py


@pytest.fixture
def communes(province):
    return {
        name: CommuneFactory(parent=province, name=name)
        for name in ("Xã Xuân Giang", "Phường Đông Sơn", "Xã Bình An")
    }


@pytest.fixture
def commune_dataset(agency, lead, communes):
    """March 2026, one agency.

    Bình An: two received 02/03; one accepted 04/03 and resolved 10/03 (on time), the
             other accepted 05/03 and still open → 2 received, 2 in competence,
             1 resolved (50.0 %), 1 of 1 on time, 0 overdue.
    Đông Sơn: one received 03/03, accepted 06/03 → 1 received, 1 in competence, 0 resolved.
    Xuân Giang: one received 02/03, never handled (handling due 16/03) → 1 overdue.
    No commune: one received 09/03, never handled (due 23/03) → 1 overdue.
    """
    with at(2026, 3, 2):
        a = submit_petition(agency=agency, commune=communes["Xã Bình An"]).petition
        b = submit_petition(agency=agency, commune=communes["Xã Bình An"]).petition
        submit_petition(agency=agency, commune=communes["Xã Xuân Giang"])
    with at(2026, 3, 3):
        c = submit_petition(agency=agency, commune=communes["Phường Đông Sơn"]).petition
    with at(2026, 3, 9):
        submit_petition(agency=agency)
    with at(2026, 3, 4):
        services.petition_accept(petition=Petition.objects.get(pk=a.pk), actor=lead)
    with at(2026, 3, 5):
        services.petition_accept(petition=Petition.objects.get(pk=b.pk), actor=lead)
    with at(2026, 3, 6):
        services.petition_accept(petition=Petition.objects.get(pk=c.pk), actor=lead)
    with at(2026, 3, 10):
        services.petition_resolve(
            petition=Petition.objects.get(pk=a.pk),
            actor=lead,
            outcome="correct",
            decision_number="15/QĐ-UBND",
            result_summary="Giải quyết xong",
        )


def _filter(user) -> StatsFilter:
    return StatsFilter(
        start=date(2026, 3, 1), end=date(2026, 3, 31), agency_ids=visible_agency_ids(user)
    )


def test_the_commune_breakdown_has_the_exact_figures_in_vietnamese_order(commune_dataset, monitor):
    rows = selectors.commune_breakdown(_filter(monitor))
    assert [str(r["label"]) for r in rows][:3] == [
        "Xã Bình An",
        "Phường Đông Sơn",
        "Xã Xuân Giang",
    ]
    assert rows[-1]["key"] is None
    figures = {
        str(r["label"]): (r["received"], r["in_competence"], r["resolved"], r["overdue"])
        for r in rows
    }
    assert figures["Xã Bình An"] == (2, 2, 1, 0)
    assert figures["Phường Đông Sơn"] == (1, 1, 0, 0)
    assert figures["Xã Xuân Giang"] == (1, 0, 0, 1)
    assert rows[0]["resolution_rate"] == 50.0
    assert rows[0]["on_time_rate"] == 100.0
    assert figures[str(rows[-1]["label"])] == (1, 0, 0, 1)


def test_the_dashboard_shows_the_commune_table_with_drill_down_links(
    client, commune_dataset, monitor, communes
):
    client.force_login(monitor)
    body = client.get(reverse("dashboards:dashboard"), MARCH).content.decode()
    assert 'id="commune-table"' in body
    table = body[body.index('id="commune-table"') :]
    table = table[: table.index("</table>")]
    names = re.findall(r'<th scope="row" class="fw-normal">([^<]+)</th>', table)
    assert names[:3] == ["Xã Bình An", "Phường Đông Sơn", "Xã Xuân Giang"]
    assert len(names) == 4
    # Each count links to the cases it counts, narrowed to its commune.
    assert f"commune={communes['Xã Bình An'].pk}" in table
    assert "50,0&nbsp;%" in table


def test_the_commune_table_costs_the_same_queries_whatever_the_data(
    commune_dataset, monitor, agency, communes, django_assert_num_queries
):
    f = _filter(monitor)
    # 1 the grouped aggregate by commune, 2 the communes' names, 3 the citizens'
    # satisfaction figures by commune (verdict); on PostgreSQL the facts and the ended cases' edges (2).
    with django_assert_num_queries(3 + 2 * FACTS):
        selectors.commune_breakdown(f)
    with at(2026, 3, 12):
        for commune in communes.values():
            submit_petition(agency=agency, commune=commune)
    with django_assert_num_queries(3 + 2 * FACTS):
        rows = selectors.commune_breakdown(f)
    assert sum(r["received"] for r in rows) == 8


def test_the_api_breakdown_by_commune_gives_the_same_figures(client, commune_dataset, monitor):
    client.force_login(monitor)
    response = client.get(reverse("stats:by", args=["commune"]), MARCH)
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["label"] for r in results][:3] == ["Xã Bình An", "Phường Đông Sơn", "Xã Xuân Giang"]
    first = results[0]
    assert (first["received"], first["in_competence"], first["resolved"]) == (2, 2, 1)
