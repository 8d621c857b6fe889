"""Bulk actions in the petition inbox: assign a handler, add an internal note, transfer,
or export to Excel, for the rows ticked or for all that match the inbox's filter.

Each row goes through the very move a case page runs (`moves.run`, so its service, its
guards, the official's role in the row's agency and its one event), on its own
(casework.bulk): a refusal — a missing right, a status the move does not start from,
a change made by someone else since the rows were listed — stops that row only, and
the summary says what succeeded and what was refused and why. Without JavaScript,
"all that match the filter" is a radio button of the same form.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agencies.clocks import Phase
from agencies.models import Role
from agencies.scope import Action, scope_for
from casework.actors import User
from casework.bulk import (
    MAX_ROWS,
    apply_rows,
    keep_summary,
    parse_ids,
    parse_rows,
    row_token,
    summary_context,
)
from casework.events import CaseEvent
from casework.exports import Sheet, rows_of, streamed_workbook, xlsx_response
from casework.pages import staff_scope

from . import forms, moves, selectors
from .models import Field, Kind, Petition, Status
from .presentation import ACTION_DONE

# What the inbox offers, and the capability each needs in at least one agency (each
# row is then checked in its own agency by the move itself).
BULK_ACTIONS: dict[str, tuple[Action, Promise]] = {
    "assign": (Action.LEAD, gettext_lazy("Assign to a handler")),
    "note": (Action.HANDLE, gettext_lazy("Add an internal note")),
    "transfer": (Action.HANDLE, gettext_lazy("Transfer to another agency")),
    "export": (Action.VIEW, gettext_lazy("Export to Excel")),
}
# An export reads rows without writing; it may cover a larger filter than a move.
MAX_EXPORT = 5000
QUERY_MAX = 2000  # characters of the inbox's query string carried by the form


def bulk_actions_for(user: User) -> list[tuple[str, str]]:
    """The bulk actions `user` may start from the inbox, as (name, label)."""
    scope = scope_for(user)
    return [
        (name, str(label))
        for name, (action, label) in BULK_ACTIONS.items()
        if scope.agencies_for(action)
    ]


def _inbox_url(query: QueryDict) -> str:
    encoded = query.urlencode()
    return reverse("petitions:inbox") + (f"?{encoded}" if encoded else "")


def _selected(request: HttpRequest, query: QueryDict) -> QuerySet[Petition]:
    """The rows chosen on the inbox: those ticked, or all that match its filter —
    in both cases only among the petitions the official may see."""
    if request.POST.get("selection") == "all":
        filters = selectors.inbox_filters(query)
        return selectors.inbox(request.user, filters, today=timezone.localdate())
    ids = parse_ids(request.POST.getlist("ids"))
    return (
        selectors.visible_petitions(request.user)
        .for_inbox()
        .filter(pk__in=ids)
        .order_by(*selectors.INBOX_SORTS["due"])
    )


def _handlers_for(user: User, petitions: list[Petition]) -> QuerySet[Any]:
    """Whom the rows may be assigned to: handlers and leads of the rows' agencies in
    which `user` leads (each assignment still checks the row's own agency)."""
    scope = scope_for(user)
    agency_ids = {
        p.handling_agency_id for p in petitions if scope.can(p.handling_agency_id, Action.LEAD)
    }
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__agency_id__in=agency_ids,
            memberships__role__in=[Role.HANDLER, Role.LEAD],
        )
        .distinct()
        .order_by("first_name", "username")
    )


def _form(
    name: str, user: User, petitions: list[Petition], data: QueryDict | None = None
) -> django_forms.Form:
    if name == "assign":
        return forms.AssignForm(data, handlers=_handlers_for(user, petitions))
    if name == "transfer":
        return forms.TransferForm(data)
    return forms.InternalNoteForm(data)


def _done(name: str, petition: Petition, result: Any) -> str:
    """What succeeded on one row, in the words of its timeline where it has them."""
    if isinstance(result, Petition):
        return _("Transferred: %(ref)s opened at %(agency)s.") % {
            "ref": result.reference,
            "agency": result.handling_agency.name,
        }
    if isinstance(result, CaseEvent) and result.said_text:
        return result.said_text
    return str(ACTION_DONE.get(name, ""))


def _confirm(
    request: HttpRequest,
    *,
    name: str,
    petitions: list[Petition],
    form: django_forms.Form,
    query: QueryDict,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "petitions/bulk_confirm.html",
        {
            "action": name,
            "label": BULK_ACTIONS[name][1],
            "petitions": [(p, row_token(p)) for p in petitions],
            "form": form,
            "query": query.urlencode(),
            "back": _inbox_url(query),
        },
        status=status,
    )


@login_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponseBase:
    """The inbox's bulk form: confirm the rows and the move's input, then apply it."""
    staff_scope(request)
    query = QueryDict(request.POST.get("query", "")[:QUERY_MAX])
    back = _inbox_url(query)
    name = request.POST.get("action", "")
    if name not in dict(bulk_actions_for(request.user)):
        messages.error(request, _("Choose what to do with the selected petitions."))
        return redirect(back)
    if request.POST.get("step") == "apply" and name != "export":
        return _apply(request, name=name, query=query)
    limit = MAX_EXPORT if name == "export" else MAX_ROWS
    selected = _selected(request, query)
    petitions: list[Petition] = []
    if name == "export":
        # Counted here, streamed by `export`: its rows are never all in memory at once.
        count = selected[: limit + 1].count()
    else:
        petitions = list(selected[: limit + 1])
        count = len(petitions)
    if not count:
        messages.error(
            request, _("Tick at least one petition, or choose all that match the filter.")
        )
        return redirect(back)
    if count > limit:
        messages.error(
            request,
            _("More than %(max)d petitions are selected; narrow the filter and try again.")
            % {"max": limit},
        )
        return redirect(back)
    if name == "export":
        return export(selected[:limit])
    return _confirm(
        request,
        name=name,
        petitions=petitions,
        form=_form(name, request.user, petitions),
        query=query,
    )


def _apply(request: HttpRequest, *, name: str, query: QueryDict) -> HttpResponse:
    rows = parse_rows(request.POST.getlist("row"))[:MAX_ROWS]
    cases = (
        selectors.visible_petitions(request.user)
        .select_related("handling_agency", "assigned_to")
        .in_bulk([pk for pk, _seen in rows])
    )
    listed = [cases[pk] for pk, _seen in rows if pk in cases]
    form = _form(name, request.user, listed, request.POST)
    if not rows or not form.is_valid():
        return _confirm(request, name=name, petitions=listed, form=form, query=query, status=400)
    data = form.cleaned_data
    results = apply_rows(
        rows,
        cases,
        run=lambda petition: moves.run(name, petition, request.user, data),
        label=lambda petition: petition.reference,
        url=lambda petition: petition.get_absolute_url(),
        done=lambda petition, result: _done(name, petition, result),
    )
    keep_summary(request, title=str(BULK_ACTIONS[name][1]), results=results, back=_inbox_url(query))
    return redirect("petitions:bulk_done")


@login_required
def bulk_done(request: HttpRequest) -> HttpResponse:
    """The summary of the last bulk run: what succeeded, what was refused and why."""
    staff_scope(request)
    summary = summary_context(request)
    if summary is None:
        return redirect("petitions:inbox")
    return render(request, "bulk/summary.html", summary)


# --- the Excel export of the selection ---------------------------------------------------


def _headers() -> list[str]:
    return [
        _("Reference"),
        _("Kind"),
        _("Subject"),
        _("Petitioner"),
        _("Handling agency"),
        _("Commune"),
        _("Field"),
        _("Status"),
        _("Received on"),
        _("Due date"),
        _("Deadline"),
        _("Handler"),
    ]


# What the sheet prints of a petition and the relations the inbox selects: the rest of
# the row (the sealed identity, the content) is never read.
EXPORT_FIELDS = (
    "reference",
    "kind",
    "subject",
    "display_name",
    "field",
    "status",
    "received_on",
    "clock_due_on",
    "clock_due_soon_on",
    "clock_long_overdue_on",
    "handling_agency__name",
    "commune__name",
    "assigned_to__username",
    "assigned_to__first_name",
    "assigned_to__last_name",
)
WIDTHS = (16, 14, 48, 24, 30, 20, 16, 18, 12, 12, 14, 20)


def _labels(choices: type[models.TextChoices]) -> dict[str, str]:
    """Labels in the reader's language, translated once per export (`get_FOO_display`
    translates every choice again on each call: most of a row's time)."""
    return {str(value): str(label) for value, label in choices.choices}


def _export_rows(petitions: Iterable[Petition], today: date) -> Iterator[list[Any]]:
    kinds, fields, statuses = _labels(Kind), _labels(Field), _labels(Status)
    phases = {phase.value: str(phase.label) for phase in Phase}

    def day(value: date | None) -> str:
        return f"{value:%d/%m/%Y}" if value else ""  # date_format "d/m/Y", without its lookups

    for p in rows_of(petitions):
        handler = p.assigned_to
        yield [
            p.reference,
            kinds.get(p.kind, p.kind),
            p.subject,
            p.public_name,
            p.handling_agency.name,
            p.commune.name if p.commune else "",
            fields.get(p.field, p.field),
            statuses.get(p.status, p.status),
            day(p.received_on),
            day(p.clock_due_on),
            phases.get(p.phase(today), ""),
            (handler.get_full_name() or handler.username) if handler else "",
        ]


def export(petitions: Iterable[Petition]) -> HttpResponseBase:
    """The selection as a sheet: what the inbox shows of each row, a denouncer masked.

    A queryset (the inbox's, with its relations) is read in chunks of its needed columns
    and each row is written to the sheet on disk as it comes (casework.exports.Sheet)."""
    today = timezone.localdate()
    if isinstance(petitions, QuerySet):
        petitions = petitions.only(*EXPORT_FIELDS)
    wb = streamed_workbook()
    sheet = Sheet(wb, _("Petitions"))
    for column, width in zip("ABCDEFGHIJKL", WIDTHS, strict=True):
        sheet.ws.column_dimensions[column].width = width
    sheet.ws.freeze_panes = "A2"
    sheet.append(_headers())
    for row in _export_rows(petitions, today):
        sheet.append(row)
    return xlsx_response(wb, f"don-thu-{today:%Y%m%d}.xlsx")
