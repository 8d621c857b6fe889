"""The cells of the figure tables, as tags: a count (linked to the cases behind it) and
a rate. The same HTML as the templates dashboards/_count.html and _rate.html, without
an {% include %} per cell — a dashboard's tables have thousands of cells."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


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
