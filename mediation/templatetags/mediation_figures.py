"""`{% mediation_figures as figures %}` for the partial mediation/_dashboard_figures.html,
which the dashboards include with one line: the staff dashboard's period and the
reader's scope, or (`public=True`) the transparency page's province this year."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.utils import timezone

from ..scope import mediation_scope
from ..selectors import Period, figures_for, public_figures

register = template.Library()


@register.simple_tag(takes_context=True)
def mediation_figures(context: template.Context, public: bool = False) -> dict[str, Any] | None:
    today = timezone.localdate()
    filters = context.get("filters")
    start = getattr(filters, "start", None) or date(today.year, 1, 1)
    end = getattr(filters, "end", None) or today
    period = Period(start, end)
    if public:
        province = context.get("province")
        return public_figures(province, period) if isinstance(province, int) else None
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not mediation_scope(user).sees_figures:
        return None
    return figures_for(user, period, detailed=False)
