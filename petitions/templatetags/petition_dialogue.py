"""`{% dialogue_panel petition as panel %}`: the case page's verification and dialogue
part, computed for the reader (petitions.dialogue_views.panel)."""

from __future__ import annotations

from typing import Any

from django import template

from ..dialogue_views import panel
from ..models import Kind, Petition

register = template.Library()


@register.simple_tag(takes_context=True)
def dialogue_panel(context: template.Context, petition: Petition) -> dict[str, Any] | None:
    """None unless the petition is a first-round complaint (nothing to show, no query)."""
    if petition.kind != Kind.COMPLAINT or petition.round != 1:
        return None
    request = context.get("request")
    if request is None:
        return None
    return panel(request.user, petition)
