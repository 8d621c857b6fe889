"""One rounding rule for every rate: half up, as official reports round.

9 resolved of 16 in competence is 56.25 %: it reads 56.3 % on the petitions' figures,
the stats API and the dashboard alike (Python's round() once gave 56.2 here while the
voter recommendations said 56.3).
"""

from datetime import date

import pytest
from django.urls import reverse

from agencies.scope import visible_agency_ids
from petitions import selectors, services
from petitions.models import Petition
from tests.factories import submit_petition
from tests.petitions.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def nine_of_sixteen(agency, lead):
    with at(2026, 3, 2):
        cases = [submit_petition(agency=agency).petition for _ in range(16)]
    with at(2026, 3, 5):
        for case in cases:
            services.petition_accept(petition=Petition.objects.get(pk=case.pk), actor=lead)
    with at(2026, 3, 10):
        for case in cases[:9]:
            services.petition_resolve(
                petition=Petition.objects.get(pk=case.pk),
                actor=lead,
                outcome="correct",
                decision_number="12/QĐ",
                result_summary="Đã giải quyết.",
            )
    return cases


def test_nine_of_sixteen_resolved_reads_56_3_in_the_figures(nine_of_sixteen, lead):
    f = selectors.StatsFilter(
        start=date(2026, 3, 1), end=date(2026, 3, 31), agency_ids=visible_agency_ids(lead)
    )
    result = selectors.figures(f)
    assert (result["resolved"], result["in_competence"]) == (9, 16)
    assert result["resolution_rate"] == 56.3


def test_nine_of_sixteen_resolved_reads_56_3_through_the_api_and_on_the_dashboard(
    client, nine_of_sixteen, lead
):
    client.force_login(lead)
    period = {"from": "01/03/2026", "to": "31/03/2026"}
    data = client.get(reverse("stats:summary"), period).json()
    assert data["resolution_rate"] == 56.3
    page = client.get(reverse("dashboards:dashboard"), period)
    assert page.status_code == 200
    assert "56,3" in page.content.decode()
