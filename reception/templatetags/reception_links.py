"""`{% petition_visits petition as visits %}`: the register's visits about a petition that
the reader may open, for the petition's page (reception/_petition_visits.html): the
petition's side of the link a visit makes when it opens or follows a petition."""

from __future__ import annotations

from typing import Any

from django import template

from ..models import Visit
from ..selectors import register_agency_ids

register = template.Library()


@register.simple_tag(takes_context=True)
def petition_visits(context: template.Context, petition: Any) -> list[Visit]:
    request = context.get("request")
    if request is None or getattr(petition, "channel", "") != "in_person":
        return []  # only a petition received in person can come from the desk
    agencies = register_agency_ids(request.user)
    if not agencies:
        return []
    return list(
        Visit.objects.filter(petition=petition, agency_id__in=agencies).order_by("visited_on", "id")
    )
