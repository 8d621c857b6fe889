"""The verdict figures on a fixed dataset, against values computed by hand, and their
query counts (one query each, whatever the data)."""

from __future__ import annotations

from datetime import date

import pytest

from dashboards import selectors as dashboards
from petitions.models import Petition
from petitions.selectors import StatsFilter
from verdict import selectors, services

from .conftest import at, resolve, resolved_case

pytestmark = pytest.mark.django_db


def _answer(petition, day, settled, score):
    with at(*day):
        services.answer_give(
            petition=Petition.objects.get(pk=petition.pk), settled=settled, score=score
        )


def _reopen(petition, day):
    with at(*day):
        services.petition_reopen_by_citizen(
            petition=Petition.objects.get(pk=petition.pk), reason="Chưa được giải quyết dứt điểm."
        )


@pytest.fixture
def dataset(agency, other_agency, lead, other_lead):
    """Period: March 2026.

    agency:  P1 resolved 10/03, settled, 4.   P2 resolved 12/03, not settled, 2.
             P3 resolved 15/03, not settled, 1, reopened 16/03 (open again).
             P4 resolved 18/03, no answer.   P5 resolved 05/04 (after), settled, 5.
             P6 a complaint resolved 20/03, settled, 4.
    other:   Q1 resolved 11/03, settled, 3.
             Q2 resolved 14/03, not settled, 2, reopened 15/03, resolved again 25/03,
             then settled, 4.
    """
    p1 = resolved_case(agency, lead, resolved=(2026, 3, 10))
    _answer(p1, (2026, 3, 11), True, 4)
    p2 = resolved_case(agency, lead, kind="recommendation", resolved=(2026, 3, 12))
    _answer(p2, (2026, 3, 13), False, 2)
    p3 = resolved_case(agency, lead, resolved=(2026, 3, 15))
    _answer(p3, (2026, 3, 16), False, 1)
    _reopen(p3, (2026, 3, 16))
    resolved_case(agency, lead, resolved=(2026, 3, 18))
    p5 = resolved_case(agency, lead, resolved=(2026, 4, 5))
    _answer(p5, (2026, 4, 6), True, 5)
    p6 = resolved_case(agency, lead, kind="complaint", resolved=(2026, 3, 20))
    _answer(p6, (2026, 3, 21), True, 4)
    q1 = resolved_case(other_agency, other_lead, resolved=(2026, 3, 11))
    _answer(q1, (2026, 3, 12), True, 3)
    q2 = resolved_case(other_agency, other_lead, resolved=(2026, 3, 14))
    _answer(q2, (2026, 3, 14), False, 2)
    _reopen(q2, (2026, 3, 15))
    q2 = resolve(q2, other_lead, (2026, 3, 25))
    _answer(q2, (2026, 3, 26), True, 4)
    return {"agency": agency, "other": other_agency}


def _filter(*agencies):
    return StatsFilter(
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
        agency_ids=frozenset(a.pk for a in agencies),
    )


def test_the_province_figures_equal_the_hand_computed_values(dataset):
    v = selectors.summary(_filter(dataset["agency"], dataset["other"]))
    # Resolutions: P1 P2 P4 P6 Q1 Q2 resolved in March (6) + P3 and Q2's first, reopened (2).
    assert (v["resolutions"], v["reopened"]) == (8, 2)
    assert (v["confirmed"], v["disputed"], v["answered"]) == (4, 1, 7)
    assert (v["response_rate"], v["confirmed_rate"], v["disputed_rate"]) == (87.5, 50.0, 12.5)
    assert v["reopened_rate"] == 25.0
    # Scores: P1 4, P2 2, P6 4, Q1 3, Q2 4 now; P3 1 and Q2 2 when reopened: 20 / 7.
    assert [d["count"] for d in v["distribution"]] == [1, 2, 1, 3, 0]
    assert (v["satisfaction_mean"], v["satisfaction_count"]) == (2.9, 7)


def test_the_figures_by_agency_equal_the_hand_computed_values(dataset):
    rows = selectors.by(_filter(dataset["agency"], dataset["other"]), "agency")
    mine, other = rows[dataset["agency"].pk], rows[dataset["other"].pk]
    # 5 resolutions (P1 P2 P4 P6 + P3 reopened); 4 answers; scores 4 2 4 1: 11 / 4 = 2.75.
    assert (mine["resolutions"], mine["answered"], mine["response_rate"]) == (5, 4, 80.0)
    assert (mine["disputed"], mine["reopened"], mine["confirmed"]) == (1, 1, 2)
    assert (mine["satisfaction_mean"], mine["satisfaction_count"]) == (2.8, 4)  # half up
    # Q1, Q2 now, Q2 before reopening: 3 / 3; scores 3 4 2.
    assert (other["resolutions"], other["answered"], other["response_rate"]) == (3, 3, 100.0)
    assert (other["satisfaction_mean"], other["satisfaction_count"]) == (3.0, 3)


def test_a_viewer_counts_only_the_agencies_they_see(dataset):
    v = selectors.summary(_filter(dataset["other"]))
    assert (v["resolutions"], v["answered"], v["reopened"]) == (3, 3, 1)


def test_no_resolution_gives_no_rate_and_no_mean(agency):
    v = selectors.summary(_filter(agency))
    assert v["resolutions"] == 0 and v["response_rate"] is None
    assert v["satisfaction_mean"] is None and v["satisfaction_count"] == 0


def test_the_dashboards_carry_the_same_figures_beside_the_resolution_rate(dataset):
    f = _filter(dataset["agency"], dataset["other"])
    assert dashboards.summary(f)["verdict"] == selectors.summary(f)
    by_agency = {row["key"]: row["verdict"] for row in dashboards.breakdown(f, "agency")}
    assert by_agency[dataset["agency"].pk]["disputed"] == 1
    public = dashboards.public_figures(f.agency_ids, f.start, f.end)
    assert public["summary"]["verdict"]["disputed"] == 1
    assert all("verdict" in row for row in public["by_agency"])


@pytest.mark.parametrize("dimension", ["agency", "commune", "field", "kind", "channel"])
def test_each_figure_is_one_query_whatever_the_data(dataset, django_assert_num_queries, dimension):
    f = _filter(dataset["agency"], dataset["other"])
    # Beside the petition figures, which count the period's resolutions (the dashboards
    # pass them in): one query over the answers and reopenings.
    with django_assert_num_queries(1):
        selectors.summary(f, resolved=3)
    with django_assert_num_queries(1):
        selectors.by(f, dimension, resolved={})
    # Alone, one more counts the resolutions.
    with django_assert_num_queries(2):
        selectors.summary(f)
