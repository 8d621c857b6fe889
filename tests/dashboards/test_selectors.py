"""Ranking, ordering and drill-down of the figures."""

from datetime import date

import pytest

from agencies.scope import visible_agency_ids
from dashboards import selectors

PERIODS = [
    (date(2026, 3, 1), date(2026, 3, 31)),
    (date(2026, 2, 1), date(2026, 4, 30)),
    (date(2026, 1, 1), date(2026, 11, 1)),
    (date(2026, 2, 26), date(2026, 3, 10)),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_every_drill_down_lists_exactly_the_cases_its_number_counts(dataset, monitor, start, end):
    f = selectors.stats_filter(monitor, selectors.Filters(start=start, end=end))
    summary = selectors.summary(f)
    for measure in selectors.MEASURES:
        assert selectors.cases_behind(f, measure).count() == summary[measure], measure


@pytest.mark.django_db
def test_the_overdue_cases_of_march_are_the_unhandled_ones(dataset, lead):
    f = selectors.stats_filter(
        lead, selectors.Filters(start=date(2026, 3, 1), end=date(2026, 3, 31))
    )
    assert list(selectors.cases_behind(f, "overdue")) == [dataset["d"]]
    assert set(selectors.cases_behind(f, "in_competence")) == {
        dataset["a"],
        dataset["b"],
        dataset["e"],
    }
    assert list(selectors.cases_behind(f, "resolved_on_time")) == [dataset["a"]]


@pytest.mark.django_db
def test_a_drill_down_keeps_to_the_viewers_scope(dataset, other_lead):
    f = selectors.stats_filter(
        other_lead, selectors.Filters(start=date(2026, 3, 1), end=date(2026, 3, 31))
    )
    assert f.agency_ids == visible_agency_ids(other_lead)
    cases = list(selectors.cases_behind(f, "received"))
    assert len(cases) == 1 and cases[0].handling_agency.name == "Sở Xây dựng"


def _row(label, in_competence, resolved, **extra):
    rate = round(100 * resolved / in_competence, 1) if in_competence else None
    return {
        "key": label,
        "label": label,
        "in_competence": in_competence,
        "resolved": resolved,
        "resolution_rate": rate,
        "on_time_rate": extra.get("on_time_rate"),
        "handled_on_time_rate": None,
        "received": extra.get("received", 0),
    }


def test_only_rows_with_enough_cases_in_competence_are_ranked_and_ties_share_a_place():
    rows = selectors.rank(
        [
            _row("A", 20, 10),  # 50 %
            _row("B", 10, 9),  # 90 %
            _row("C", 1, 1),  # 100 %, but a single case
            _row("D", 40, 20),  # 50 %
            _row("E", 0, 0),
        ]
    )
    places = {r["label"]: (r["ranked"], r["rank"]) for r in rows}
    assert places == {
        "A": (True, 2),
        "B": (True, 1),
        "C": (False, None),
        "D": (True, 2),
        "E": (False, None),
    }


def test_sorting_by_a_rate_puts_the_unranked_after_the_ranked():
    rows = selectors.rank([_row("A", 20, 10), _row("B", 10, 9), _row("C", 1, 1), _row("E", 0, 0)])
    best_first = [r["label"] for r in selectors.sort_rows(rows, "-resolution_rate")]
    assert best_first == ["B", "A", "C", "E"]
    worst_first = [r["label"] for r in selectors.sort_rows(rows, "resolution_rate")]
    assert worst_first == ["A", "B", "C", "E"]


def test_sorting_by_a_count_or_the_name_and_an_unknown_key_falls_back_to_the_name():
    rows = selectors.rank(
        [_row("b", 5, 1, received=7), _row("A", 5, 1, received=9), _row("c", 5, 1, received=1)]
    )
    assert [r["label"] for r in selectors.sort_rows(rows, "-received")] == ["A", "b", "c"]
    assert [r["label"] for r in selectors.sort_rows(rows, "received")] == ["c", "b", "A"]
    assert [r["label"] for r in selectors.sort_rows(rows, "-label")] == ["c", "b", "A"]
    assert [r["label"] for r in selectors.sort_rows(rows, "drop table")] == ["A", "b", "c"]


def test_the_months_of_a_period_cross_the_new_year():
    assert selectors.months(date(2025, 11, 20), date(2026, 2, 3)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


@pytest.mark.django_db
def test_only_monitors_and_leads_see_the_dashboard(lead, monitor, handler):
    from agencies.models import Role
    from tests.factories import member

    staff = member(Role.COUNCIL_STAFF, username="hdnd")
    assert selectors.can_see_dashboard(lead)
    assert selectors.can_see_dashboard(monitor)
    assert not selectors.can_see_dashboard(handler)
    assert not selectors.can_see_dashboard(staff)
