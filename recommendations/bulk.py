"""Bulk assessment on the council's assessment screen: accept many answers at once, or
send many back with the same request and deadline.

Each answer goes through the very move its own page runs (`moves.run`: the forwarding
machine's guards, the council role, the guarded update and one event per forwarding),
on its own (casework.bulk): an answer assessed or changed by someone else since the
screen was read is refused alone, and the summary says what succeeded and what was
refused and why. "All awaiting assessment" works without JavaScript.
(Forwarding many items at once is the forward screen's own: one dispatch, all or none.)
"""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agencies.scope import Action, can
from casework.bulk import (
    MAX_ROWS,
    apply_rows,
    keep_summary,
    parse_ids,
    parse_rows,
    row_token,
    summary_context,
)
from casework.errors import NotPermitted

from . import forms, moves, selectors
from .models import CouncilSession, Forwarding, Recommendation
from .services.answers import refuse_day_off

BULK_ASSESS: dict[str, Promise] = {
    "accept": gettext_lazy("Accept the answers"),
    "send_back": gettext_lazy("Send the answers back"),
}


def _council_session(request: HttpRequest, pk: int) -> CouncilSession:
    """The session, for its council's staff only (as the assessment screen itself)."""
    council_session = selectors.session_for_staff(request.user, pk)
    if not can(request.user, council_session.council_id, Action.COUNCIL):
        raise NotPermitted()
    return council_session


def _forwardings(council_session: CouncilSession) -> QuerySet[Forwarding]:
    """Every forwarding of the session's items, whatever its status now: one assessed
    meanwhile is refused by its move, with the machine's reason, not lost."""
    return Forwarding.objects.filter(
        recommendation__in=Recommendation.objects.filter(selectors.session_scope(council_session))
    ).select_related("agency", "recommendation", "current_answer")


def _form(name: str, data: QueryDict | None = None) -> django_forms.Form:
    return forms.AcceptForm(data) if name == "accept" else forms.SendBackForm(data)


def _confirm(
    request: HttpRequest,
    council_session: CouncilSession,
    *,
    name: str,
    rows: list[Forwarding],
    form: django_forms.Form,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "recommendations/bulk_assess.html",
        {
            "session": council_session,
            "is_council": True,
            "action": name,
            "label": BULK_ASSESS[name],
            "rows": [(f, row_token(f)) for f in rows],
            "form": form,
            "back": reverse("recommendations:assessment", args=[council_session.pk]),
        },
        status=status,
    )


@login_required
@require_POST
def assess_bulk(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment screen's bulk form: confirm the answers and the input, then apply."""
    council_session = _council_session(request, pk)
    back = reverse("recommendations:assessment", args=[pk])
    name = request.POST.get("action", "")
    if name not in BULK_ASSESS:
        messages.error(request, _("Choose what to do with the selected answers."))
        return redirect(back)
    if request.POST.get("step") == "apply":
        return _apply(request, council_session, name)
    queue = selectors.assessment_queue(council_session)
    if request.POST.get("selection") != "all":
        queue = queue.filter(pk__in=parse_ids(request.POST.getlist("ids")))
    rows = list(queue[: MAX_ROWS + 1])
    if not rows:
        messages.error(request, _("Tick at least one answer, or choose all awaiting assessment."))
        return redirect(back)
    if len(rows) > MAX_ROWS:
        messages.error(
            request, _("More than %(max)d answers are selected; tick fewer.") % {"max": MAX_ROWS}
        )
        return redirect(back)
    return _confirm(request, council_session, name=name, rows=rows, form=_form(name))


def _day_off_refusal(name: str, form: django_forms.Form) -> str | None:
    """A send-back deadline on a day off, refused once for the whole run rather than
    on every row (the page offers the working day that follows)."""
    if name != "send_back" or not form.cleaned_data.get("due_on"):
        return None
    if form.cleaned_data.get("allow_day_off"):
        return None
    try:
        refuse_day_off(form.cleaned_data["due_on"])
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


def _apply(request: HttpRequest, council_session: CouncilSession, name: str) -> HttpResponse:
    rows = parse_rows(request.POST.getlist("row"))[:MAX_ROWS]
    cases = _forwardings(council_session).in_bulk([pk for pk, _seen in rows])
    listed = [cases[pk] for pk, _seen in rows if pk in cases]
    form = _form(name, request.POST)
    valid = bool(rows) and form.is_valid()
    refusal = _day_off_refusal(name, form) if valid else None
    if refusal:
        form.add_error("due_on", refusal)
    if not valid or refusal:
        return _confirm(request, council_session, name=name, rows=listed, form=form, status=400)
    data: dict[str, Any] = form.cleaned_data
    results = apply_rows(
        rows,
        cases,
        run=lambda forwarding: moves.run(forwarding, name, actor=request.user, data=data),
        label=lambda f: f"#{f.recommendation_id} — {f.agency.name}",
        url=lambda f: f.get_absolute_url(),
        done=lambda f, _result: _done(name, f),
    )
    keep_summary(
        request,
        title=str(BULK_ASSESS[name]),
        results=results,
        back=reverse("recommendations:assessment", args=[council_session.pk]),
    )
    return redirect("recommendations:assess_bulk_done", pk=council_session.pk)


def _done(name: str, forwarding: Forwarding) -> str:
    if name == "accept":
        return _("The answer was accepted.")
    return _("Sent back; new deadline %(due)s.") % {
        "due": forwarding.answer_due_on.strftime("%d/%m/%Y")
    }


@login_required
def assess_bulk_done(request: HttpRequest, pk: int) -> HttpResponse:
    """The summary of the last bulk assessment."""
    _council_session(request, pk)
    summary = summary_context(request)
    if summary is None:
        return redirect("recommendations:assessment", pk=pk)
    return render(request, "bulk/summary.html", summary)
