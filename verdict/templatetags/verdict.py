"""The verdict app's blocks on other apps' pages, each included there by one line:
the citizen's opinion on the tracking page, the answer on the staff case page, the
link in the resolution e-mail, the voters' buttons and the council's tally."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from petitions.models import Petition
from recommendations.models import Answer as CouncilAnswer
from recommendations.models import CouncilSession

from .. import selectors
from ..links import answer_link
from ..views import block_context

register = template.Library()


@register.inclusion_tag("verdict/_block.html", takes_context=True)
def citizen_verdict(
    context: Any, petition: Petition, reference: str, via: str = "track"
) -> dict[str, Any]:
    """The opinion block for the petitioner (the tracking page)."""
    return {
        **block_context(petition, reference=reference, via=via),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("verdict/_staff_block.html", takes_context=True)
def staff_verdict(context: Any, petition: Petition) -> dict[str, Any]:
    """The citizen's answer on the staff case page (the page has checked the scope)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"staff": selectors.staff_view(user, petition) if user is not None else None}


@register.simple_tag
def verdict_answer_url(reference: str) -> str:
    """The signed link to the opinion page, for an e-mail."""
    return settings.SITE_URL + answer_link(str(reference))


@register.inclusion_tag("verdict/_vote_form.html", takes_context=True)
def voter_vote(context: Any, answer: CouncilAnswer | None) -> dict[str, Any]:
    request = context.get("request")
    return {
        "answer": answer,
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("verdict/_session_tally_table.html")
def session_tally(session: CouncilSession) -> dict[str, Any]:
    return {"rows": selectors.session_tally(session)}


@register.inclusion_tag("verdict/_answer_tally_line.html")
def answer_tally(answer: CouncilAnswer) -> dict[str, Any]:
    return {"tally": selectors.answer_tally(answer.pk)}
