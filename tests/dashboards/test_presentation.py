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


# The row as dashboards/_table.html wrote it before the figure_row tag.
TEMPLATE_ROW = """{% load figure_cells i18n %}
    <tr data-key="{{ row.key|default_if_none:'' }}"{% if not row.ranked %} class="unranked"{% endif %}>
      <td class="text-end">{% if row.ranked %}{{ row.rank }}{% else %}<span class="badge text-bg-light border" title="{% translate 'Too few cases in competence to be ranked' %}">{% translate "too few to rank" %}</span>{% endif %}</td>
      <th scope="row" class="fw-normal">{{ row.label }}</th>
      <td class="text-end" data-measure="received">{% count_cell row.received row.links.received %}</td>
      <td class="text-end" data-measure="handled_on_time">{% rate_cell row.handled_on_time_rate %}<div class="small text-muted">{% count_cell row.handled_on_time row.links.handled_on_time %}/{% count_cell row.handled row.links.handled %}</div></td>
      <td class="text-end" data-measure="in_competence">{% count_cell row.in_competence row.links.in_competence %}</td>
      <td class="text-end" data-measure="resolved">{% count_cell row.resolved row.links.resolved %}</td>
      <td class="text-end fw-semibold" data-measure="resolution_rate">{% rate_cell row.resolution_rate %}<div class="small text-muted fw-normal">{{ row.resolved }}/{{ row.in_competence }}</div>{% with v=row.verdict %}{% if v and v.resolutions %}<div class="small fw-normal verdict-beside" data-measure="disputed" title="{% translate 'Resolved but disputed by the citizen · opinions given of the resolutions' %}">{% blocktranslate with n=v.disputed %}disputed {{ n }}{% endblocktranslate %} · {% blocktranslate with a=v.answered r=v.resolutions %}opinions {{ a }}/{{ r }}{% endblocktranslate %}</div>{% endif %}{% endwith %}</td>
      <td class="text-end" data-measure="on_time_rate">{% rate_cell row.on_time_rate %}<div class="small text-muted">{% count_cell row.resolved_on_time row.links.resolved_on_time %}/{{ row.resolved }}</div></td>
      <td class="text-end{% if row.overdue %} text-danger fw-semibold{% endif %}" data-measure="overdue">{% count_cell row.overdue row.links.overdue %}</td>
    </tr>"""

FIGURES = {
    "received": 1234,
    "handled": 1200,
    "handled_on_time": 1100,
    "in_competence": 1500,
    "resolved": 1000,
    "resolved_on_time": 950,
    "overdue": 3,
    "handled_on_time_rate": 91.7,
    "resolution_rate": 66.7,
    "on_time_rate": 95.0,
}


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    "row",
    [
        {"key": 5, "label": "Sở Tài nguyên & Môi trường <b>", "ranked": True, "rank": 2},
        {"key": None, "label": "Không ghi xã", "ranked": False, "rank": None, "overdue": 0},
        {
            "key": "land",
            "label": "Đất đai",
            "ranked": True,
            "rank": 1,
            "verdict": {"resolutions": 40, "answered": 12, "disputed": 3},
            "links": {"received": "/staff/dashboard/cases/?measure=received&field=land"},
            "resolution_rate": None,
            "on_time_rate": None,
        },
        {"key": 9, "label": "UBND xã", "ranked": False, "verdict": {"resolutions": 0}},
    ],
)
def test_the_row_tag_writes_what_the_template_row_wrote(language, row):
    import re

    from django.template import Context, Template
    from django.utils import translation

    from dashboards.templatetags.figure_cells import figure_row

    row = {**FIGURES, "links": {}, **row}
    presentation.with_links([row], Filters(start=date(2026, 1, 1), end=date(2026, 3, 31)), "field")
    with translation.override(language):
        expected = Template(TEMPLATE_ROW).render(Context({"row": row}))
        written = figure_row(row)
    assert re.sub(r">\s+<", "><", expected.strip()) == written
