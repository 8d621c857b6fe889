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


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("value", [0, 7, 999, 1000, 12345, -1234, 1234567, 10**12, 12.5, None, "x"])
def test_a_count_cell_writes_what_intcomma_writes(language, value):
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils import translation

    from dashboards.templatetags.figure_cells import grouped

    with translation.override(language):
        assert grouped(value) == str(intcomma(value))


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("rate", [0.0, 100.0, 33.3, 66.7, 0.1, 99.9, 12.0, 0.05, 2.25, 1 / 3, 7])
def test_a_rate_cell_writes_what_floatformat_writes(language, rate):
    from django.template.defaultfilters import floatformat
    from django.utils import translation

    from dashboards.templatetags.figure_cells import one_decimal

    with translation.override(language):
        assert one_decimal(rate) == str(floatformat(rate, 1))
