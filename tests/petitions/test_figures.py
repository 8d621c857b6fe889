"""The figures on a fixed dataset, against values computed by hand."""

from datetime import date

import pytest

from agencies.scope import visible_agency_ids
from petitions import selectors, services
from petitions.models import Petition
from tests.factories import submit_petition
from tests.petitions.conftest import at

pytestmark = pytest.mark.django_db


def _go(petition, move, day, **kwargs):
    with at(*day):
        return getattr(services, f"petition_{move}")(
            petition=Petition.objects.get(pk=petition.pk), **kwargs
        )


@pytest.fixture
def dataset(agency, other_agency, lead, handler, other_lead):
    """Period: March 2026.

    A: received 20/02, accepted 25/02 (pending at start), resolved 10/03 on time.
    B: received 02/03, accepted 05/03, resolved 20/04 (after the period; late: due 06/04).
    C: received 03/03, guided 05/03 (handled on time).
    D: received 02/03, never handled: handling due 16/03 → overdue at 31/03.
    E: received 10/02, accepted 27/02 (handling due 24/02: handled late, in February),
       resolution due 30/03, resolved 31/03 — late.
    F: other agency, received 04/03.
    """
    with at(2026, 2, 20):
        a = submit_petition(agency=agency).petition
    _go(a, "accept", (2026, 2, 25), actor=lead)
    _go(
        a,
        "resolve",
        (2026, 3, 10),
        actor=lead,
        outcome="correct",
        decision_number="1",
        result_summary="x",
    )
    with at(2026, 3, 2):
        b = submit_petition(agency=agency).petition
        d = submit_petition(agency=agency).petition
    _go(b, "accept", (2026, 3, 5), actor=lead)
    _go(
        b,
        "resolve",
        (2026, 4, 20),
        actor=lead,
        outcome="wrong",
        decision_number="2",
        result_summary="x",
    )
    with at(2026, 3, 3):
        c = submit_petition(agency=agency).petition
    _go(c, "guide", (2026, 3, 5), actor=handler, guided_to="Tòa án")
    with at(2026, 2, 10):
        e = submit_petition(agency=agency).petition
    _go(e, "accept", (2026, 2, 27), actor=lead)
    _go(
        e,
        "resolve",
        (2026, 3, 31),
        actor=lead,
        outcome="wrong",
        decision_number="3",
        result_summary="x",
    )
    with at(2026, 3, 4):
        submit_petition(agency=other_agency)
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def test_the_summary_equals_the_hand_computed_figures(dataset, lead):
    f = selectors.StatsFilter(
        start=date(2026, 3, 1), end=date(2026, 3, 31), agency_ids=visible_agency_ids(lead)
    )
    result = selectors.figures(f)
    assert result["received"] == 3  # B, C, D
    assert result["handled"] == 2  # B accepted 05/03, C guided 05/03
    assert result["handled_on_time"] == 2
    assert result["pending_at_start"] == 2  # A, E
    assert result["accepted"] == 1  # B
    assert result["in_competence"] == 3
    assert result["resolved"] == 2  # A, E
    assert result["resolved_on_time"] == 1  # A (E due 30/03, resolved 31/03)
    assert result["resolution_rate"] == 66.7
    assert result["on_time_rate"] == 50.0
    assert result["handled_on_time_rate"] == 100.0
    # D: handling due 16/03, still open; B is due 06/04; E ended on 31/03.
    assert result["overdue"] == 1
    # A: 18 days (20/02 → 10/03); E: 49 days (10/02 → 31/03): median 33.5
    assert result["median_days_to_resolve"] == 33.5


def test_the_breakdown_by_agency_is_one_query(
    dataset, lead, other_lead, monitor, django_assert_num_queries
):
    f = selectors.StatsFilter(
        start=date(2026, 3, 1), end=date(2026, 3, 31), agency_ids=visible_agency_ids(monitor)
    )
    with django_assert_num_queries(1):
        rows = selectors.figures_by(f, "agency")
    by_agency = {row["key"]: row for row in rows}
    assert by_agency[dataset["a"].handling_agency_id]["received"] == 3
    assert sum(row["received"] for row in rows) == 4


def test_a_viewer_gets_figures_of_their_own_scope_only(dataset, other_lead):
    f = selectors.StatsFilter(
        start=date(2026, 3, 1), end=date(2026, 3, 31), agency_ids=visible_agency_ids(other_lead)
    )
    assert selectors.figures(f)["received"] == 1
