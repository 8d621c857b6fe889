"""Staff pages of mediation. Thin: load through the scope-aware selectors, run the move
through `moves.run`, and show what the machine and `scope.mediation_scope` allow."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agencies.models import Field
from agencies.workdays import DueDate
from casework.pages import choice_param, int_param, page_of, query_without_page, run_form

from . import exports, forms, moves, selectors, services
from .models import MOVES, Kind, MediationCase, Status
from .scope import mediation_scope

MOVE_LABELS = {"open": gettext_lazy("Opened"), **{m.name: m.label for m in MOVES}}


def _require_cases(request: HttpRequest) -> None:
    if not mediation_scope(request.user).sees_cases:
        raise Http404


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    scope = mediation_scope(request.user)
    if not scope.sees_cases:
        if scope.sees_figures:
            return redirect("mediation:figures")
        # The menu offers mediation to every official: say why there is nothing here.
        return render(request, "mediation/list.html", {"no_scope": True})
    params = request.GET
    filters = selectors.CaseFilters(
        q=params.get("q", "")[:100],
        status=choice_param(params, "status", Status.values),
        kind=choice_param(params, "kind", Kind.values),
        field=choice_param(params, "field", Field.values),
        team=int_param(params.get("team")),
    )
    today = timezone.localdate()
    return render(
        request,
        "mediation/list.html",
        {
            "page": page_of(request, selectors.case_list(request.user, filters), 25),
            "filters": filters,
            "statuses": Status.choices,
            "kinds": Kind.choices,
            "fields": Field.choices,
            "teams": selectors.teams_for(request.user),
            "query": query_without_page(params),
            "today": today,
        },
    )


@login_required
def case_open(request: HttpRequest) -> HttpResponse:
    _require_cases(request)
    form = forms.OpenCaseForm(
        request.POST or None,
        teams=selectors.teams_for(request.user),
        communes=selectors.communes_for(request.user),
        initial={"requested_on": timezone.localdate()},
    )
    if request.method == "POST":
        ran = run_form(
            request,
            form,
            lambda data: services.open_case(
                actor=request.user,
                kind=data["kind"],
                ground=data["ground"],
                field=data["field"],
                subject=data["subject"],
                summary=data["summary"],
                parties=form.parties(),
                team=data["team"],
                commune=data["commune"],
                requested_on=data["requested_on"],
            ),
        )
        if ran.ok and ran.result is not None:
            messages.success(
                request, _("Mediation %(ref)s was opened.") % {"ref": ran.result.reference}
            )
            return redirect(ran.result)
    return render(
        request,
        "mediation/open.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _action_form(
    name: str, case: MediationCase, request: HttpRequest | None = None
) -> django_forms.Form:
    kwargs: dict[str, Any] = {"auto_id": f"id_{name}_%s", "case": case}
    if name in forms.NEEDS_MEMBERS:
        kwargs["members"] = selectors.team_mediators(case, timezone.localdate())
    form_class = forms.STAFF_FORMS[name]
    if request is not None:
        return form_class(request.POST, **kwargs)
    return form_class(**kwargs)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    return _render_detail(request, case)


def _render_detail(
    request: HttpRequest,
    case: MediationCase,
    *,
    bound: tuple[str, django_forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    action_forms = [
        (
            name,
            MOVE_LABELS[name],
            bound[1] if bound and bound[0] == name else _action_form(name, case),
        )
        for name in moves.available_actions(request.user, case)
    ]
    return render(
        request,
        "mediation/detail.html",
        {
            "case": case,
            "today": today,
            "phase": case.phase(today),
            "phase_label": case.phase_label(today),
            "due_explanation": DueDate.from_dict(case.clock_rule).explain()
            if case.clock_rule
            else "",
            "parties": selectors.parties_for(request.user, case),
            "sessions": selectors.case_sessions(case),
            "settlements": case.settlements.prefetch_related("obligations__party"),
            "events": selectors.case_events(case),
            "action_forms": action_forms,
            "open_action": bound[0] if bound else "",
            "move_labels": MOVE_LABELS,
        },
        status=status,
    )


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    if name not in forms.STAFF_FORMS:
        raise Http404
    form = _action_form(name, case, request)
    ran = run_form(request, form, lambda data: moves.run(name, case, request.user, data))
    if ran.ok:
        messages.success(request, _("Done: %(move)s.") % {"move": MOVE_LABELS[name]})
    if ran.ok or ran.refused:
        return redirect(case)
    return _render_detail(request, case, bound=(name, form), status=400)


# --- the register and the figures -------------------------------------------------------


def _period(request: HttpRequest) -> tuple[forms.PeriodForm, selectors.Period]:
    form = forms.PeriodForm(request.GET or None)
    start, end = form.period(timezone.localdate())
    return form, selectors.Period(start, end)


@login_required
def register(request: HttpRequest, pk: int) -> HttpResponse:
    team = selectors.register_team(request.user, pk)
    form, period = _period(request)
    return render(
        request,
        "mediation/register.html",
        {
            "team": team,
            "leader": selectors.team_leader(team, timezone.localdate()),
            "rows": selectors.register_rows(team, period.start, period.end),
            "form": form,
            "period": period,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def register_xlsx(request: HttpRequest, pk: int) -> HttpResponseBase:
    team = selectors.register_team(request.user, pk)
    _form, period = _period(request)
    rows = selectors.register_rows(team, period.start, period.end)
    return exports.register_response(team, rows, period.start, period.end)


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    if not mediation_scope(request.user).sees_figures:
        raise Http404
    form, period = _period(request)
    return render(
        request,
        "mediation/figures.html",
        {"form": form, "figures": selectors.figures_for(request.user, period)},
    )
