"""The receipt (giấy biên nhận) handed over at the counter when a petition received in
person or by post is recorded: reference, tracking code, date received, handling due
date, and how to follow the case.

The tracking code is stored only as its digest (`Petition.tracking_hash`), so the page
can print it only while the recording official's session still holds it: the recording
view keeps the codes it issued (`remember_code`), a few at a time, and the receipt
reopened later from the case page says that the code was handed over and why it is not
kept, instead of printing a code the portal no longer knows — and offers a new code for
a petitioner who lost theirs (`services.petition_new_tracking_code`, one event).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.scope import Action, scope_for
from agencies.workdays import DueDate
from casework.pages import run_button

from . import services
from .models import MACHINE, Petition
from .selectors import visible_petitions

RECEIPT_SESSION_KEY = "receipt_codes"
# The codes the recording official can still print: the last few of this session.
KEPT_CODES = 10
LAYOUTS = ("a4", "80mm")


def remember_code(request: HttpRequest, petition: Petition, code: str) -> None:
    """Keep the code just issued for `petition` so its receipt can print it."""
    codes = dict(request.session.get(RECEIPT_SESSION_KEY, {}))
    codes.pop(str(petition.pk), None)
    codes[str(petition.pk)] = code
    # Dicts keep insertion order: the oldest codes go first.
    request.session[RECEIPT_SESSION_KEY] = dict(list(codes.items())[-KEPT_CODES:])


def receipt_url(petition: Petition) -> str:
    return reverse("petitions:receipt", args=[petition.pk])


def _petition_to_print(request: HttpRequest, pk: int) -> Petition:
    petition = (
        visible_petitions(request.user)
        .select_related("handling_agency", "commune")
        .filter(pk=pk)
        .first()
    )
    # Reading a case is not enough: a receipt is the receiving agency's document.
    if petition is None or not scope_for(request.user).can(
        petition.handling_agency_id, Action.HANDLE
    ):
        raise Http404
    return petition


@login_required
@require_POST
def new_code(request: HttpRequest, pk: int) -> HttpResponse:
    """A new tracking code for a petitioner who lost theirs, printed on a new receipt."""
    petition = _petition_to_print(request, pk)
    # The form's own field: a stray or empty POST changes nothing.
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Confirm that the petitioner needs a new tracking code."))
        return redirect(receipt_url(petition))
    ran = run_button(
        request,
        lambda: services.petition_new_tracking_code(petition=petition, actor=request.user),
    )
    if ran.ok and ran.result:
        remember_code(request, petition, ran.result)
        messages.success(
            request, _("A new tracking code was issued; the previous one no longer works.")
        )
    return redirect(receipt_url(petition))


@login_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable receipt, for officials who may handle the petition's cases."""
    petition = _petition_to_print(request, pk)
    code = request.session.get(RECEIPT_SESSION_KEY, {}).get(str(pk), "")
    layout = request.GET.get("layout", "a4")
    if layout not in LAYOUTS:
        layout = "a4"
    rule = petition.handling_rule
    track_path = reverse("petitions:track")
    return render(
        request,
        "petitions/receipt.html",
        {
            "petition": petition,
            "code": code,
            "layout": layout,
            "due_explanation": DueDate.from_dict(rule).explain() if rule else "",
            "track_url": request.build_absolute_uri(track_path),
            # Offered when the code is not known here: the petitioner lost theirs.
            "may_renew": not code
            and bool(MACHINE.moves_for(request.user, petition, only=["new_code"])),
            "a4_url": f"{receipt_url(petition)}?layout=a4",
            "thermal_url": f"{receipt_url(petition)}?layout=80mm",
        },
    )
