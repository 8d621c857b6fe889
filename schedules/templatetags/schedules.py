"""Template tags of the schedule's pages, and the dashboards' figure:
`{% reception_compliance_figures as figures %}` for the partial
schedules/_dashboard_figures.html, which the dashboard includes with one line (the
dashboard's period, the reader's scope)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template

from casework import timekeeping

from ..selectors import ComplianceSummary, compliance_summary, schedule_agency_ids

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """`mapping[key]`, or "" (a status's badge colour)."""
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.simple_tag(takes_context=True)
def reception_compliance_figures(context: template.Context) -> ComplianceSummary | None:
    """Leaders' reception days against the legal minimum over the page's period (its
    `filters.start`/`end`, else this year), for the reader's scope; None for a reader
    who reads no schedule."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not schedule_agency_ids(user):
        return None
    today = timekeeping.today()
    filters = context.get("filters")
    start = getattr(filters, "start", None) or date(today.year, 1, 1)
    end = getattr(filters, "end", None) or today
    return compliance_summary(
        user, start=start, end=end, agency_id=getattr(filters, "agency", None)
    )
