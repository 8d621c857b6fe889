"""The covering index of the figures covers them: every petition column the figure queries
read is in `petition_figures`. A column missing from it turns PostgreSQL's index-only
scan back into a scan of the whole table (`make bench`: ~100 ms becomes ~700 ms at a
million petitions) without any test noticing the slowdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from petitions import selectors
from petitions.models import Petition

pytestmark = pytest.mark.django_db

COLUMN = re.compile(r'"petitions_petition"\."(\w+)"')


def _index_columns(name: str) -> set[str]:
    index = next(i for i in Petition._meta.indexes if i.name == name)
    names = list(index.fields) + [e.name for e in index.expressions if hasattr(e, "name")]
    return {Petition._meta.get_field(f).column for f in names}


def test_the_period_index_carries_every_column_of_the_figures_index():
    # petitions.figures.period_rows leads with the period test (petition_period);
    # the columns after it must be the same as petition_figures' for the scan to stay
    # index-only.
    assert _index_columns("petition_period") == _index_columns("petition_figures")


def _figure_calls() -> list[tuple[str, Callable[[], Any]]]:
    f = selectors.StatsFilter(
        start=date(2026, 1, 1), end=date(2026, 3, 31), agency_ids=frozenset({1})
    )
    calls: list[tuple[str, Callable[[], Any]]] = [("figures", lambda: selectors.figures(f))]
    calls += [
        (f"figures_by {d}", lambda d=d: selectors.figures_by(f, d))
        for d in selectors.STAT_DIMENSIONS
    ]
    # The dashboards' own compositions of the same definitions, where they exist.
    from dashboards import selectors as dashboards

    for name in ("summary", "trend"):
        function = getattr(dashboards, name, None)
        if function is not None:
            calls.append((f"dashboards.{name}", lambda function=function: function(f)))
    breakdown = getattr(dashboards, "breakdown", None)
    if breakdown is not None:
        calls += [
            (f"dashboards.breakdown {d}", lambda d=d: breakdown(f, d))
            for d in selectors.STAT_DIMENSIONS
        ]
    return calls


@pytest.mark.parametrize("name", [name for name, _call in _figure_calls()])
def test_the_figures_read_only_columns_of_the_covering_index(name):
    call = dict(_figure_calls())[name]
    covered = _index_columns("petition_figures")

    with CaptureQueriesContext(connection) as captured:
        call()

    read = {c for q in captured.captured_queries for c in COLUMN.findall(q["sql"])}
    assert read, "the figure ran no query on petitions_petition"
    assert read <= covered, f"add {sorted(read - covered)} to petition_figures"
