"""The cells of the figure tables, as tags: a count (linked to the cases behind it) and
a rate. The same HTML as the templates dashboards/_count.html and _rate.html, without
an {% include %} per cell — a dashboard's tables have thousands of cells."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def count_cell(value: Any, url: str | None = None) -> SafeString:
    """A count, linked to `url` when there is one (dashboards/_count.html)."""
    text = intcomma(value)
    if url:
        return format_html('<a href="{}">{}</a>', url, text)
    return format_html("{}", text)


@register.simple_tag
def rate_cell(rate: Any) -> SafeString:
    """A per-cent rate with one decimal, or a muted dash (dashboards/_rate.html)."""
    if rate is None:
        return mark_safe('<span class="text-muted">—</span>')
    return format_html("{}&nbsp;%", floatformat(rate, 1))
