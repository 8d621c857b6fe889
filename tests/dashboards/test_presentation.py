"""The drill-down links of a breakdown: written once per page and per row, they are the
very URLs drill_url gives for each count."""

from __future__ import annotations

from datetime import date

import pytest

from dashboards import presentation
from dashboards.selectors import Filters

FILTERS = [
    Filters(start=date(2026, 1, 1), end=date(2026, 3, 31)),
    Filters(start=date(2026, 1, 5), end=date(2026, 2, 1), kind="complaint", field="land"),
    Filters(start=date(2026, 1, 1), end=date(2026, 3, 31), commune=7, agency=3),
]
ROWS = [{"key": 12}, {"key": None}, {"key": ""}, {"key": "land"}, {"key": "Đất đai & nhà"}]


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("dimension", ["agency", "commune", "field", "kind", "channel"])
def test_each_link_is_the_url_drill_url_gives(filters, dimension):
    rows = [dict(row) for row in ROWS]
    presentation.with_links(rows, filters, dimension)
    param = presentation.DRILL_PARAMS.get(dimension)
    for row in rows:
        narrow = {param: row["key"]} if param and row["key"] is not None else {}
        expected = {m: presentation.drill_url(filters, m, **narrow) for m in presentation.LINKED}
        assert row["links"] == expected
