"""The cells of the figure tables, as tags: a count (linked to the cases behind it), a
rate, and a whole row of a breakdown. The same HTML as the templates
dashboards/_count.html and _rate.html, without an {% include %} per cell or the
template engine's lookups per row — a province's dashboard has six hundred rows and
thousands of cells (tests/dashboards/test_presentation.py holds the row to the template
it replaced)."""

from __future__ import annotations

import html
from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.filter
def grouped(value: Any) -> str:
    """intcomma's text: for a whole number, written here from the language's grouping
    (none in Vietnamese, by thousands in English) at a tenth of the cost — a
    dashboard prints thousands of them; anything else through intcomma itself."""
    if type(value) is int:
        grouping = get_format("NUMBER_GROUPING")
        if grouping == 0:
            return str(value)
        if grouping == 3:
            return f"{value:,}".replace(",", get_format("THOUSAND_SEPARATOR"))
    return str(intcomma(value))


def _e(value: Any) -> str:
    """conditional_escape's text without its lazy wrappers (a row escapes a dozen
    values; a dashboard, thousands): what is already HTML as it is, else escaped."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _count_html(value: Any, url: str | None) -> str:
    text = _e(grouped(value))
    return f'<a href="{_e(url)}">{text}</a>' if url else text


def _rate_html(rate: Any) -> str:
    if rate is None:
        return '<span class="text-muted">—</span>'
    return f"{_e(one_decimal(rate))}&nbsp;%"


@register.simple_tag
def count_cell(value: Any, url: str | None = None) -> SafeString:
    """A count, linked to `url` when there is one (dashboards/_count.html)."""
    return mark_safe(_count_html(value, url))  # noqa: S308 — escaped by _e


@register.simple_tag
def rate_cell(rate: Any) -> SafeString:
    """A per-cent rate with one decimal, or a muted dash (dashboards/_rate.html)."""
    return mark_safe(_rate_html(rate))  # noqa: S308 — escaped by _e


def one_decimal(rate: Any) -> str:
    """floatformat(rate, 1): for a rate already rounded to one decimal (casework.rates
    .percent's), written here with the language's decimal mark; else floatformat."""
    if type(rate) is float and round(rate, 1) == rate and abs(rate) < 1e15:
        return f"{rate:.1f}".replace(".", get_format("DECIMAL_SEPARATOR"))
    return str(floatformat(rate, 1))


@register.simple_tag
def figure_row(row: dict[str, Any]) -> SafeString:
    """One row of dashboards/_table.html: rank, label, counts linked to their cases,
    rates beside the counts they are computed from, the citizens' verdict. Written with
    f-strings, every value through _e (format_html's own escaping, at a fifth of its
    cost: a province's dashboard has six hundred rows)."""
    links = row.get("links") or {}

    def count(measure: str) -> str:
        return _count_html(row[measure], links.get(measure))

    if row.get("ranked"):
        rank = _e(row["rank"])
    else:
        rank = (
            '<span class="badge text-bg-light border" title="'
            f'{_e(gettext("Too few cases in competence to be ranked"))}">'
            f"{_e(gettext('too few to rank'))}</span>"
        )
    verdict = row.get("verdict")
    beside = ""
    if verdict and verdict.get("resolutions"):
        title = gettext("Resolved but disputed by the citizen · opinions given of the resolutions")
        disputed = gettext("disputed %(n)s") % {"n": verdict.get("disputed")}
        opinions = gettext("opinions %(a)s/%(r)s") % {
            "a": verdict.get("answered"),
            "r": verdict["resolutions"],
        }
        beside = (
            '<div class="small fw-normal verdict-beside" data-measure="disputed" '
            f'title="{_e(title)}">{_e(disputed)} · {_e(opinions)}</div>'
        )
    key = row.get("key")
    resolved, in_competence = _e(row["resolved"]), _e(row["in_competence"])
    cells = (
        f'<td class="text-end">{rank}</td>'
        f'<th scope="row" class="fw-normal">{_e(row["label"])}</th>'
        f'<td class="text-end" data-measure="received">{count("received")}</td>'
        f'<td class="text-end" data-measure="handled_on_time">'
        f"{_rate_html(row['handled_on_time_rate'])}"
        f'<div class="small text-muted">{count("handled_on_time")}/{count("handled")}</div></td>'
        f'<td class="text-end" data-measure="in_competence">{count("in_competence")}</td>'
        f'<td class="text-end" data-measure="resolved">{count("resolved")}</td>'
        f'<td class="text-end fw-semibold" data-measure="resolution_rate">'
        f"{_rate_html(row['resolution_rate'])}"
        f'<div class="small text-muted fw-normal">{resolved}/{in_competence}</div>{beside}</td>'
        f'<td class="text-end" data-measure="on_time_rate">{_rate_html(row["on_time_rate"])}'
        f'<div class="small text-muted">{count("resolved_on_time")}/{resolved}</div></td>'
        f'<td class="text-end{" text-danger fw-semibold" if row["overdue"] else ""}"'
        f' data-measure="overdue">{count("overdue")}</td>'
    )
    unranked = ' class="unranked"' if not row.get("ranked") else ""
    return mark_safe(  # noqa: S308 — every value escaped by _e
        f'<tr data-key="{"" if key is None else _e(key)}"{unranked}>{cells}</tr>'
    )
