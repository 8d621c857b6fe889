"""The cells of the figure tables, as tags: a count (linked to the cases behind it), a
rate, and a whole row of a breakdown. The same HTML as the templates
dashboards/_count.html and _rate.html, without an {% include %} per cell or the
template engine's lookups per row — a province's dashboard has six hundred rows and
thousands of cells (tests/dashboards/test_presentation.py holds the row to the template
it replaced)."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat
from django.utils.formats import get_format
from django.utils.html import conditional_escape, format_html
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


@register.simple_tag
def count_cell(value: Any, url: str | None = None) -> SafeString:
    """A count, linked to `url` when there is one (dashboards/_count.html)."""
    text = grouped(value)
    if url:
        return format_html('<a href="{}">{}</a>', url, text)
    return format_html("{}", text)


@register.simple_tag
def rate_cell(rate: Any) -> SafeString:
    """A per-cent rate with one decimal, or a muted dash (dashboards/_rate.html)."""
    if rate is None:
        return mark_safe('<span class="text-muted">—</span>')
    return format_html("{}&nbsp;%", one_decimal(rate))


def one_decimal(rate: Any) -> str:
    """floatformat(rate, 1): for a rate already rounded to one decimal (casework.rates
    .percent's), written here with the language's decimal mark; else floatformat."""
    if type(rate) is float and round(rate, 1) == rate and abs(rate) < 1e15:
        return f"{rate:.1f}".replace(".", get_format("DECIMAL_SEPARATOR"))
    return str(floatformat(rate, 1))


def _count(row: dict[str, Any], measure: str) -> str:
    links = row.get("links") or {}
    return count_cell(row[measure], links.get(measure))


@register.simple_tag
def figure_row(row: dict[str, Any]) -> SafeString:
    """One row of dashboards/_table.html: rank, label, counts linked to their cases,
    rates beside the counts they are computed from, the citizens' verdict."""
    if row.get("ranked"):
        rank = conditional_escape(row["rank"])
    else:
        rank = format_html(
            '<span class="badge text-bg-light border" title="{}">{}</span>',
            gettext("Too few cases in competence to be ranked"),
            gettext("too few to rank"),
        )
    verdict = row.get("verdict")
    beside = ""
    if verdict and verdict.get("resolutions"):
        beside = format_html(
            '<div class="small fw-normal verdict-beside" data-measure="disputed" title="{}">'
            "{} · {}</div>",
            gettext("Resolved but disputed by the citizen · opinions given of the resolutions"),
            gettext("disputed %(n)s") % {"n": verdict.get("disputed")},
            gettext("opinions %(a)s/%(r)s")
            % {"a": verdict.get("answered"), "r": verdict["resolutions"]},
        )
    key = row.get("key")
    cells = [
        format_html('<td class="text-end">{}</td>', rank),
        format_html('<th scope="row" class="fw-normal">{}</th>', row["label"]),
        format_html(
            '<td class="text-end" data-measure="received">{}</td>', _count(row, "received")
        ),
        format_html(
            '<td class="text-end" data-measure="handled_on_time">{}'
            '<div class="small text-muted">{}/{}</div></td>',
            rate_cell(row["handled_on_time_rate"]),
            _count(row, "handled_on_time"),
            _count(row, "handled"),
        ),
        format_html(
            '<td class="text-end" data-measure="in_competence">{}</td>',
            _count(row, "in_competence"),
        ),
        format_html(
            '<td class="text-end" data-measure="resolved">{}</td>', _count(row, "resolved")
        ),
        format_html(
            '<td class="text-end fw-semibold" data-measure="resolution_rate">{}'
            '<div class="small text-muted fw-normal">{}/{}</div>{}</td>',
            rate_cell(row["resolution_rate"]),
            row["resolved"],
            row["in_competence"],
            beside,
        ),
        format_html(
            '<td class="text-end" data-measure="on_time_rate">{}'
            '<div class="small text-muted">{}/{}</div></td>',
            rate_cell(row["on_time_rate"]),
            _count(row, "resolved_on_time"),
            row["resolved"],
        ),
        format_html(
            '<td class="text-end{}" data-measure="overdue">{}</td>',
            " text-danger fw-semibold" if row["overdue"] else "",
            _count(row, "overdue"),
        ),
    ]
    return format_html(
        '<tr data-key="{}"{}>{}</tr>',
        "" if key is None else key,
        mark_safe(' class="unranked"') if not row.get("ranked") else "",
        mark_safe("".join(cells)),  # noqa: S308 — each cell escaped by format_html
    )
