"""The desk's pages: the register (search, filters, pages, Excel), a new visit, one visit
with its timeline and moves, and the printable receipt. Thin: load through the
scope-aware selectors, run the move through `moves.run` (the API runs the same)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from agencies.models import Agency, Field
from agencies.scope import Action, acting_agency_ids, can
from agencies.workdays import DueDate
from casework.pages import (
    choice_param,
    int_param,
    page_of,
    query_without_page,
    run_form,
)
from casework.timekeeping import EARLIEST_DATE, latest_date

from . import exports, forms, moves, selectors, services
from .identity import Visitor
from .models import MOVES, Classification, Outcome, Status, Visit

VISITOR_FIELDS = ("name", "id_number", "phone", "email", "address", "representatives")
MOVE_LABELS: dict[str, str | Promise] = {
    "register": gettext_lazy("Registered"),
    "reveal": gettext_lazy("Identity viewed"),
    **{m.name: m.label for m in MOVES},
}
DONE = {
    "take_petition": gettext_lazy("The written petition was received and recorded."),
    "take_minutes": gettext_lazy("The minutes were recorded as a petition."),
    "guide": gettext_lazy("The citizen was guided."),
    "explain": gettext_lazy("The visit was closed after the explanation."),
    "refuse": gettext_lazy("The refusal was recorded."),
    "answer": gettext_lazy("The answer was recorded."),
    "same_matter": gettext_lazy("The visit was linked to the earlier matter."),
    "note": gettext_lazy("The note was added."),
}


def _register_scope(request: HttpRequest) -> frozenset[int]:
    """The agencies whose register the reader sees; 404 for someone who sees none."""
    agencies = selectors.register_agency_ids(request.user)
    if not agencies:
        raise Http404
    return agencies


def _date_param(params: QueryDict, name: str) -> date | None:
    try:
        day = parse_date(params.get(name, ""))
    except ValueError:
        return None
    return day if day and EARLIEST_DATE <= day <= latest_date() else None


def _filters(params: QueryDict) -> selectors.RegisterFilters:
    return selectors.RegisterFilters(
        q=params.get("q", "")[:100],
        status=choice_param(params, "status", Status.values),
        classification=choice_param(params, "classification", Classification.values),
        outcome=choice_param(params, "outcome", Outcome.values),
        field=choice_param(params, "field", Field.values),
        commune=int_param(params.get("commune")),
        agency=int_param(params.get("agency")),
        phase=choice_param(params, "phase", ["on_track", "due_soon", "overdue", "long_overdue"]),
        start=_date_param(params, "start"),
        end=_date_param(params, "end"),
        delegations=params.get("delegations") == "1",
    )


@login_required
def register(request: HttpRequest) -> HttpResponseBase:
    agencies = _register_scope(request)
    filters = _filters(request.GET)
    today = timezone.localdate()
    visits = selectors.register(request.user, filters, today=today)
    if request.GET.get("format") == "xlsx":
        return exports.xlsx_response(
            visits.iterator(chunk_size=500),
            _("Reception register"),
            f"so-tiep-cong-dan_{today:%d-%m-%Y}.xlsx",
        )
    return render(
        request,
        "reception/register.html",
        {
            "page": page_of(request, visits, 25),
            "filters": filters,
            "today": today,
            # Narrowing by agency only for readers of several registers.
            "agencies": Agency.objects.filter(pk__in=agencies).order_by("name")
            if len(agencies) > 1
            else [],
            "statuses": Status.choices,
            "classifications": Classification.choices,
            "outcomes": Outcome.choices,
            "fields": Field.choices,
            "query": query_without_page(request.GET),
            "can_register": bool(acting_agency_ids(request.user, Action.RECEPTION)),
        },
    )


@login_required
@sensitive_post_parameters(*VISITOR_FIELDS)
def new(request: HttpRequest) -> HttpResponse:
    agencies = Agency.objects.filter(
        pk__in=acting_agency_ids(request.user, Action.RECEPTION), is_active=True
    ).order_by("name")
    if not agencies.exists():
        raise Http404
    form = forms.VisitForm(request.POST or None, agencies=agencies)
    if request.method == "POST":
        ran = run_form(
            request,
            form,
            lambda data: services.visit_register(actor=request.user, details=form.details()),
        )
        if ran.ok and ran.result is not None:
            messages.success(
                request, _("Visit %(ref)s registered.") % {"ref": ran.result.reference}
            )
            return redirect(ran.result)
    return render(
        request,
        "reception/new.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _move_form(
    name: str, visit: Visit, earlier: list[Visit], request: HttpRequest | None = None
) -> django_forms.Form:
    kwargs: dict[str, Any] = {"auto_id": f"id_{name}_%s"}
    if name in {"take_petition", "take_minutes"}:
        kwargs["visit"] = visit
    if name == "same_matter":
        kwargs["earlier"] = earlier
    form_class: Any = forms.RevealForm if name == moves.REVEAL else forms.MOVE_FORMS[name]
    if request is not None:
        return form_class(request.POST, request.FILES, **kwargs)
    return form_class(**kwargs)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, selectors.visit_for_staff(request.user, pk))


def _render_detail(
    request: HttpRequest,
    visit: Visit,
    *,
    bound: tuple[str, django_forms.Form] | None = None,
    revealed: Visitor | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    may_act = selectors.may_act(request.user, visit)
    earlier = selectors.earlier_visits(visit) if may_act else []
    action_forms = [
        (
            name,
            MOVE_LABELS.get(name, _("Reveal the identity")),
            bound[1] if bound and bound[0] == name else _move_form(name, visit, earlier),
        )
        for name in moves.available_actions(request.user, visit, has_earlier=bool(earlier))
    ]
    return render(
        request,
        "reception/detail.html",
        {
            "visit": visit,
            "visitor": revealed or selectors.visitor_for(request.user, visit),
            "revealed": revealed is not None,
            "events": visit.events.all(),
            "earlier": earlier,
            "action_forms": action_forms,
            "open_action": bound[0] if bound else "",
            "phase": visit.answer_phase(today),
            "phase_label": visit.answer_phase_label(today),
            "answer_explanation": DueDate.from_dict(visit.answer_rule).explain()
            if visit.answer_rule
            else "",
            "move_labels": MOVE_LABELS,
            "may_act": may_act,
            # The desk hands the petition on; its case file is the handlers' (scope).
            "can_open_petition": visit.petition is not None
            and can(request.user, visit.petition.handling_agency_id, Action.VIEW),
        },
        status=status,
    )


@login_required
@require_POST
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    visit = selectors.visit_for_staff(request.user, pk)
    if name not in forms.MOVE_FORMS and name != moves.REVEAL:
        raise Http404
    earlier = selectors.earlier_visits(visit)
    form = _move_form(name, visit, earlier, request)
    if name == moves.REVEAL:
        revealed = run_form(
            request,
            form,
            lambda data: services.visit_reveal_identity(
                visit=visit, actor=request.user, reason=data["reason"]
            ),
        )
        if revealed.ok:
            return _render_detail(request, visit, revealed=revealed.result)
        if revealed.refused:
            return redirect(visit)
        return _render_detail(request, visit, bound=(name, form), status=400)
    ran = run_form(request, form, lambda data: moves.run(name, visit, request.user, data))
    if ran.ok:
        messages.success(request, str(DONE[name]))
    if ran.ok or ran.refused:
        return redirect(visit)
    return _render_detail(request, visit, bound=(name, form), status=400)


@login_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable receipt of the documents the desk took (TT 04/2021, Form 02)."""
    visit = selectors.visit_for_staff(request.user, pk)
    if not visit.documents or not selectors.may_act(request.user, visit):
        raise Http404
    return render(
        request,
        "reception/receipt.html",
        {
            "visit": visit,
            "visitor": selectors.visitor_for(request.user, visit),
            "documents": [line for line in visit.documents.splitlines() if line.strip()],
        },
    )
