"""How the figures are shown: drill-down links, the filter as a query string, and the
data each chart draws (static/dashboards/charts.js reads it from a json_script)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import pgettext

from .selectors import Filters

# The translation context of the petition figures' words (other catalogues use the
# same English words for voter recommendations or statuses).
FIGURE = "petition figures"
# Which breakdown column a drill-down link narrows by, per dimension.
DRILL_PARAMS = {"agency": "agency", "commune": "commune", "field": "field", "kind": "kind"}
# The counts of a breakdown row that link to their cases.
LINKED = (
    "received",
    "handled",
    "handled_on_time",
    "in_competence",
    "resolved",
    "resolved_on_time",
    "overdue",
)


def filter_params(filters: Filters) -> dict[str, str]:
    """The filter as query parameters, dates as people write them."""
    params = {"from": f"{filters.start:%d/%m/%Y}", "to": f"{filters.end:%d/%m/%Y}"}
    params.update({k: str(v) for k, v in filters.narrowing().items() if v})
    return params


def query_string(filters: Filters, **extra: Any) -> str:
    params = filter_params(filters)
    params.update({k: str(v) for k, v in extra.items() if v not in (None, "")})
    return urlencode(params)


def drill_url(filters: Filters, measure: str, **narrow: Any) -> str:
    """The list of the cases behind one number, with the page's filters kept."""
    return reverse("dashboards:cases") + "?" + query_string(filters, measure=measure, **narrow)


def with_links(rows: list[dict[str, Any]], filters: Filters, dimension: str) -> None:
    """Give each row of a breakdown a drill-down link per count (`row["links"]`): the
    URLs drill_url gives, the page's part of them written once (a province's communes
    make thousands of links)."""
    param = DRILL_PARAMS.get(dimension)
    params = filter_params(filters)
    if param in params or "measure" in params:  # the row's value replaces the filter's
        for row in rows:
            narrow = {param: row["key"]} if param and row["key"] is not None else {}
            row["links"] = {m: drill_url(filters, m, **narrow) for m in LINKED}
        return
    base = reverse("dashboards:cases") + "?" + urlencode(params)
    measures = {m: f"{base}&{urlencode({'measure': m})}" for m in LINKED}
    for row in rows:
        key = row["key"]
        if param and key not in (None, ""):
            tail = "&" + urlencode({param: str(key)})
            row["links"] = {m: url + tail for m, url in measures.items()}
        else:
            row["links"] = dict(measures)


def summary_links(filters: Filters) -> dict[str, str]:
    return {m: drill_url(filters, m) for m in LINKED}


def trend_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "bar",
        "labels": [f"{row['month']:%m/%Y}" for row in rows],
        "datasets": [
            {"label": pgettext(FIGURE, "Received"), "data": [r["received"] for r in rows]},
            {"label": pgettext(FIGURE, "Accepted"), "data": [r["accepted"] for r in rows]},
            {"label": pgettext(FIGURE, "Resolved"), "data": [r["resolved"] for r in rows]},
            {
                "label": pgettext(FIGURE, "Resolved on time"),
                "type": "line",
                "data": [r["resolved_on_time"] for r in rows],
            },
        ],
    }


def share_chart(rows: list[dict[str, Any]], *, kind: str = "doughnut") -> dict[str, Any]:
    """Received per kind or field; a horizontal bar chart also shows the resolved."""
    chart: dict[str, Any] = {
        "type": kind,
        "labels": [str(r["label"]) for r in rows],
        "datasets": [
            {"label": pgettext(FIGURE, "Received"), "data": [r["received"] for r in rows]}
        ],
    }
    if kind == "bar":
        chart["horizontal"] = True
        chart["datasets"].append(
            {"label": pgettext(FIGURE, "Resolved"), "data": [r["resolved"] for r in rows]}
        )
    return chart
