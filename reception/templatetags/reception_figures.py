"""`{% reception_figures as figures %}`: the reception figures for the page that includes
reception/_dashboard_figures.html — the dashboard (the reader's registers, its period
and narrowing) or, included `with public=True`, the public transparency page (its
`province`, this year, cached)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.core.cache import cache
from django.utils import timezone

from .. import figures
from ..selectors import register_agency_ids

register = template.Library()
PUBLIC_CACHE_SECONDS = 300


def _figures(qs: Any, filters: figures.FigureFilters, today: date) -> dict[str, Any]:
    return {
        "filters": filters,
        "totals": figures.totals(qs, filters, today=today),
        "by_agency": figures.breakdown(qs, filters, "agency", today=today),
        "by_field": figures.breakdown(qs, filters, "field", today=today),
        "by_commune": figures.breakdown(qs, filters, "commune", today=today),
    }


@register.simple_tag(takes_context=True)
def reception_figures(context: template.Context) -> dict[str, Any] | None:
    today = timezone.localdate()
    province = context.get("province")
    given = context.get("filters")
    if context.get("public"):
        if not isinstance(province, int):
            return None
        # The public page: the province's year to date, the same for every reader.
        filters = figures.FigureFilters(start=date(today.year, 1, 1), end=today)
        key = f"reception:public:{province}:{today.isoformat()}"
        return cache.get_or_set(
            key,
            lambda: _figures(figures.scoped(province=province), filters, today),
            PUBLIC_CACHE_SECONDS,
        )
    request = context.get("request")
    if request is None:
        return None
    agencies = register_agency_ids(request.user)
    if not agencies:
        return None
    filters = figures.FigureFilters(
        start=getattr(given, "start", None) or date(today.year, 1, 1),
        end=getattr(given, "end", None) or today,
        agency=getattr(given, "agency", None),
        commune=getattr(given, "commune", None),
        field=getattr(given, "field", "") or "",
    )
    return _figures(figures.scoped(agency_ids=agencies), filters, today)
