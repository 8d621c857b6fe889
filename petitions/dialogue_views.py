"""The case page's verification and dialogue part (petitions/_dialogue.html): one POST
per move, run through `moves.run` like every other action of the case page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from casework.actors import User
from casework.pages import run_form

from . import moves, selectors
from .dialogue_forms import DIALOGUE_FORMS
from .models import Petition

DONE = {
    "verify": _("The verification was assigned."),
    "verify_report": _("The verification report was recorded."),
    "dialogue": _("The dialogue was scheduled."),
    "dialogue_minutes": _("The dialogue minutes were recorded."),
}


def dialogue_form(name: str, petition: Petition, data: Any = None) -> forms.Form:
    """The form of move `name`, bound to `data` when given, with its own element ids."""
    kwargs: dict[str, Any] = {"auto_id": f"id_{name}_%s"}
    if name == "verify":
        kwargs["verifiers"] = selectors.handlers_of(petition.handling_agency_id)
    form_class: Any = DIALOGUE_FORMS[name]
    return form_class(data, **kwargs) if data is not None else form_class(**kwargs)


def panel(
    user: User, petition: Petition, bound: tuple[str, forms.Form] | None = None
) -> dict[str, Any]:
    """What the partial shows: the verifications and dialogues, and a form per move the
    reader may make now."""
    names = moves.dialogue_actions(user, petition)
    return {
        "verifications": list(petition.verifications.select_related("verifier")),
        "dialogues": list(petition.dialogues.all()),
        "forms": [
            (
                name,
                moves.MACHINE[name].label,
                bound[1] if bound and bound[0] == name else dialogue_form(name, petition),
            )
            for name in names
        ],
        "open": bound[0] if bound else "",
    }


@login_required
@require_POST
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    petition = selectors.petition_for_staff(request.user, pk)
    if name not in DIALOGUE_FORMS:
        raise Http404
    form = dialogue_form(name, petition, request.POST)
    ran = run_form(request, form, lambda data: moves.run(name, petition, request.user, data))
    if ran.ok:
        messages.success(request, str(DONE[name]))
    if ran.ok or ran.refused:
        return redirect(f"{petition.get_absolute_url()}#dialogue")
    return render(
        request,
        "petitions/dialogue_form.html",
        {"petition": petition, "panel": panel(request.user, petition, (name, form))},
        status=400,
    )
