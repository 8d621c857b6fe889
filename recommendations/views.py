"""Staff and public pages. Thin: load through the scope-aware selectors (404 outside the
user's scope), offer what the moves allow the user now (moves.offered), run a move's
service through the mapping the API uses too (moves.run, with casework.pages), then
redirect with a message or re-render the form with its errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    QueryDict,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from agencies.clocks import Phase
from agencies.scope import Action, acting_agency_ids, can, scope_for
from agencies.selectors import communes_of
from agencies.workdays import DueDate
from casework.errors import NotPermitted, TransitionNotAllowed
from casework.pages import (
    Ran,
    agency_choices,
    choice_param,
    int_param,
    page_of,
    query_without_page,
    run_button,
    run_form,
    staff_scope,
)
from casework.replicas import reading_from_replica

from . import exports, forms, moves, selectors, services
from .models import CouncilSession, Field, Forwarding, Recommendation, ResultCategory

PAGE_SIZE = 50
PRINT_LIMIT = 2000  # a printed session never has more items than this
RESULTS = [*ResultCategory.values, "pending"]


# --- helpers --------------------------------------------------------------------------------


def _list_filters(params: QueryDict) -> selectors.ListFilters:
    return selectors.ListFilters(
        q=params.get("q", "")[:100],
        field=choice_param(params, "field", Field.values),
        status=choice_param(params, "status", Recommendation.Status.values),
        result=choice_param(params, "result", RESULTS),
        # Bounded to a bigint: a larger id would overflow the driver (a server error).
        agency=int_param(params.get("agency")),
        carried=params.get("carried") == "1",
    )


def _is_council(request: HttpRequest, council_id: int) -> bool:
    return can(request.user, council_id, Action.COUNCIL)


def _require_council(request: HttpRequest, session: CouncilSession) -> None:
    """The council's working pages (consolidation, forwarding, assessment) are its own."""
    if not _is_council(request, session.council_id):
        raise NotPermitted()


def _run(
    request: HttpRequest, case: Any, name: str, form: Any = None, *, data: Any = None
) -> Ran[Any]:
    """Make move `name` on `case` with the form's data (its errors beside its fields), or
    from a button with `data` (every refusal a message)."""
    if form is None:
        return run_button(request, lambda: moves.run(case, name, actor=request.user, data=data))
    return run_form(
        request, form, lambda data: moves.run(case, name, actor=request.user, data=data)
    )


def _list_context(request: HttpRequest, filters: selectors.ListFilters) -> dict[str, Any]:
    return {"filters": filters, "query": query_without_page(request.GET), "fields": Field.choices}


def _back(request: HttpRequest, default: Any) -> HttpResponse:
    target = request.POST.get("next", "")
    # Only a path of this site: `redirect()` would read anything else as a view's name.
    if (
        target.startswith("/")
        and "\x00" not in target
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return HttpResponseRedirect(target)
    return redirect(default)


# --- sessions -------------------------------------------------------------------------------


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    page = page_of(request, selectors.session_list(request.user), 25)
    handles = bool(acting_agency_ids(request.user, Action.HANDLE))
    if not page.paginator.count and handles:
        # Agency officials work from the forwardings to their agency.
        return redirect("recommendations:inbox")
    if not scope_for(request.user).visible:
        raise Http404
    return render(
        request,
        "recommendations/sessions.html",
        {
            "page": page,
            "can_create": bool(acting_agency_ids(request.user, Action.COUNCIL)),
            "handles": handles,
        },
    )


@login_required
def session_create(request: HttpRequest) -> HttpResponse:
    terms = selectors.council_terms(request.user)
    if not terms:
        raise NotPermitted()
    form = forms.SessionForm(request.POST or None, terms=terms)
    if request.method == "POST":
        ran = run_form(
            request, form, lambda data: services.session_create(actor=request.user, **data)
        )
        if ran.ok and ran.result is not None:
            messages.success(request, _("%(session)s was created.") % {"session": ran.result.title})
            return redirect(ran.result)
    return render(
        request,
        "recommendations/session_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def session(request: HttpRequest, pk: int) -> HttpResponse:
    council_session = selectors.session_for_staff(request.user, pk)
    filters = _list_filters(request.GET)
    items = selectors.session_recommendations(council_session, filters)
    return render(
        request,
        "recommendations/session.html",
        {
            **_list_context(request, filters),
            "session": council_session,
            "figures": selectors.session_figures(council_session),
            "term_figures": selectors.term_figures(council_session.term),
            "page": page_of(request, items, PAGE_SIZE),
            "results": ResultCategory.choices,
            "statuses": Recommendation.Status.choices,
            "agencies": selectors.answering_agencies(council_session.council),
            "is_council": _is_council(request, council_session.council_id),
            "offers": moves.offered(request.user, council_session),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def session_carry_over(request: HttpRequest, pk: int) -> HttpResponse:
    council_session = selectors.session_for_staff(request.user, pk)
    ran = _run(request, council_session, "carry_over")
    if ran.ok and ran.result:
        messages.success(
            request,
            ngettext(
                "%(n)d unresolved recommendation was carried over to this session.",
                "%(n)d unresolved recommendations were carried over to this session.",
                ran.result,
            )
            % {"n": ran.result},
        )
    elif ran.ok:
        messages.info(request, _("No unresolved recommendation is left to carry over."))
    return redirect(council_session)


@login_required
@require_POST
def session_publish(request: HttpRequest, pk: int) -> HttpResponse:
    council_session = selectors.session_for_staff(request.user, pk)
    if _run(request, council_session, "publish").ok:
        messages.success(
            request,
            _("The results of %(session)s are now public.") % {"session": council_session.title},
        )
    return redirect(council_session)


@login_required
def session_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    council_session = selectors.session_for_staff(request.user, pk)
    return exports.session_results_response(council_session)


# --- voter meetings and collecting ----------------------------------------------------------


@login_required
def meetings(request: HttpRequest, pk: int) -> HttpResponse:
    council_session = selectors.session_for_staff(request.user, pk)
    form = forms.MeetingForm(
        request.POST or None, communes=communes_of(council_session.council.province_id)
    )
    if request.method == "POST":
        _require_council(request, council_session)
        ran = _run(request, council_session, "meeting", form)
        if ran.ok and ran.result is not None:
            messages.success(
                request, _("The meeting was recorded. Now record what the voters raised.")
            )
            return redirect(ran.result)
        if ran.refused:
            return redirect(request.get_full_path())
    return render(
        request,
        "recommendations/meetings.html",
        {
            "session": council_session,
            "page": page_of(request, selectors.session_meetings(council_session), PAGE_SIZE),
            "form": form,
            "is_council": _is_council(request, council_session.council_id),
        },
        status=400 if form.errors else 200,
    )


@login_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    voter_meeting = selectors.meeting_for_staff(request.user, pk)
    council_session = voter_meeting.session
    form = forms.CollectForm(
        request.POST or None,
        communes=communes_of(council_session.council.province_id),
        initial={"commune": voter_meeting.commune_id},
    )
    if request.method == "POST":
        _require_council(request, council_session)
        ran = _run(request, voter_meeting, "collect", form)
        if ran.ok:
            messages.success(request, _("The recommendation was recorded."))
        if ran.ok or ran.refused:
            return redirect(voter_meeting)
    return render(
        request,
        "recommendations/meeting.html",
        {
            "meeting": voter_meeting,
            "session": council_session,
            "page": page_of(request, selectors.meeting_sources(voter_meeting), PAGE_SIZE),
            "form": form,
            "is_council": _is_council(request, council_session.council_id),
        },
        status=400 if form.errors else 200,
    )


# --- consolidation and forwarding -----------------------------------------------------------


def _council_screen(request: HttpRequest, pk: int) -> tuple[CouncilSession, selectors.ListFilters]:
    """The session of one of the council's working screens, and the list's filters."""
    council_session = selectors.session_for_staff(request.user, pk)
    _require_council(request, council_session)
    return council_session, _list_filters(request.GET)


@dataclass(frozen=True)
class _Screen:
    """One of the council's working screens on a session's items: its template, the
    items it lists (`candidates`, as filtered) and the POST name of the items ticked."""

    template: str
    candidates: Callable[[CouncilSession, selectors.ListFilters], Any]
    ticked: str

    def open(
        self, request: HttpRequest, pk: int
    ) -> tuple[CouncilSession, selectors.ListFilters, Any]:
        """The screen's session, its list's filters, and every item it may list (what
        its form may choose from, whatever the filters)."""
        council_session, filters = _council_screen(request, pk)
        return council_session, filters, self.candidates(council_session, selectors.ListFilters())

    def render(
        self,
        request: HttpRequest,
        council_session: CouncilSession,
        filters: selectors.ListFilters,
        form: Any,
        ran: Ran[Any] | None,
        **extra: Any,
    ) -> HttpResponse:
        # A move made or refused: the screen afresh (a GET), its message on top.
        if ran is not None and (ran.ok or ran.refused):
            return redirect(request.get_full_path())
        context = {
            **_list_context(request, filters),
            "session": council_session,
            "is_council": True,  # these pages are for council staff only
            "page": page_of(request, self.candidates(council_session, filters), PAGE_SIZE),
            "form": form,
            "selected": {str(v) for v in request.POST.getlist(self.ticked)},
            **extra,
        }
        return render(request, self.template, context, status=400 if form.errors else 200)


CONSOLIDATE = _Screen(
    "recommendations/consolidate.html", selectors.consolidation_candidates, "items"
)
FORWARD = _Screen("recommendations/forward.html", selectors.forward_candidates, "recommendations")


@login_required
def consolidate(request: HttpRequest, pk: int) -> HttpResponse:
    council_session, filters, candidates = CONSOLIDATE.open(request, pk)
    form = forms.ConsolidateForm(request.POST or None, candidates=candidates)
    ran: Ran[Any] | None = None
    if request.method == "POST":
        # The item kept is the move's case; the form names it (form.clean).
        ran = run_form(
            request,
            form,
            lambda data: moves.run(data["keeper"], "consolidate", actor=request.user, data=data),
        )
        if ran.ok:
            data = form.cleaned_data
            if data["duplicates"]:
                message = ngettext(
                    "%(n)d duplicate was merged into #%(pk)s; every source was kept.",
                    "%(n)d duplicates were merged into #%(pk)s; every source was kept.",
                    len(data["duplicates"]),
                ) % {"n": len(data["duplicates"]), "pk": data["keeper"].pk}
            else:
                message = _("#%(pk)s was consolidated.") % {"pk": data["keeper"].pk}
            messages.success(request, message)
    return CONSOLIDATE.render(
        request, council_session, filters, form, ran, keeper=request.POST.get("keeper", "")
    )


@login_required
def forward(request: HttpRequest, pk: int) -> HttpResponse:
    council_session, filters, candidates = FORWARD.open(request, pk)
    form = forms.BulkForwardForm(
        request.POST or None,
        candidates=candidates,
        agencies=selectors.answering_agencies(council_session.council),
    )
    ran: Ran[Any] | None = None
    if request.method == "POST":
        ran = _run(request, council_session, "forward", form)
        if ran.ok:
            count = ran.result or 0
            messages.success(
                request,
                ngettext(
                    "%(n)d recommendation was forwarded to %(agencies)s.",
                    "%(n)d recommendations were forwarded to %(agencies)s.",
                    count,
                )
                % {
                    "n": count,
                    "agencies": ", ".join(a.name for a in form.cleaned_data["agencies"]),
                },
            )
    return FORWARD.render(request, council_session, filters, form, ran)


@login_required
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    council_session, _filters = _council_screen(request, pk)
    return render(
        request,
        "recommendations/assessment.html",
        {
            "session": council_session,
            "is_council": True,  # these pages are for council staff only
            "page": page_of(request, selectors.assessment_queue(council_session), PAGE_SIZE),
            "today": timezone.localdate(),
        },
    )


# --- one recommendation ---------------------------------------------------------------------


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.recommendation_for_staff(request.user, pk)
    return _render_detail(request, item)


def _render_detail(
    request: HttpRequest, item: Recommendation, *, form: Any = None, status: int = 200
) -> HttpResponse:
    can_forward = "forward" in moves.offered(request.user, item, only=["forward"])
    if can_forward and form is None:
        form = forms.ForwardForm(agencies=selectors.answering_agencies(item.session.council))
    return render(
        request,
        "recommendations/detail.html",
        {
            "item": item,
            "session": item.session,
            "is_council": _is_council(request, item.session.council_id),
            "forward_form": form if can_forward else None,
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
@require_POST
def forward_one(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.recommendation_for_staff(request.user, pk)
    form = forms.ForwardForm(
        request.POST, agencies=selectors.answering_agencies(item.session.council)
    )
    ran = _run(request, item, "forward", form)
    if ran.ok:
        messages.success(request, _("The recommendation was forwarded."))
    if ran.ok or ran.refused:
        return redirect(item)
    return _render_detail(request, item, form=form, status=400)


# --- the agency's side: inbox and answers ---------------------------------------------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    scope = staff_scope(request)
    params = request.GET
    # No `status` means the answers awaited; an empty one, every status.
    status = params.get("status", Forwarding.Status.FORWARDED)
    filters = selectors.InboxFilters(
        status=status if status in Forwarding.Status.values else "",
        phase=choice_param(params, "phase", Phase.values),
        agency=int_param(params.get("agency")),
        q=params.get("q", "")[:100],
    )
    today = timezone.localdate()
    rows = selectors.agency_inbox(request.user, filters, today=today)
    return render(
        request,
        "recommendations/inbox.html",
        {
            "page": page_of(request, rows, PAGE_SIZE),
            "filters": filters,
            "query": query_without_page(params),
            "statuses": Forwarding.Status.choices,
            "phases": Phase.choices,
            "agencies": agency_choices(scope),
            "today": today,
        },
    )


def _draft_form(forwarding: Forwarding) -> forms.AnswerForm:
    """The answer form, filled in with the handler's draft if one was saved."""
    draft = forwarding.draft or {}
    return forms.AnswerForm(
        initial={
            "text": draft.get("text", ""),
            "category": draft.get("category", ""),
            "reason": draft.get("reason", ""),
            "planned_by": draft.get("planned_by") or None,
            "document_number": draft.get("document_number", ""),
        }
    )


def _forwarding_context(request: HttpRequest, forwarding: Forwarding) -> dict[str, Any]:
    item = forwarding.recommendation
    offers = moves.offered(request.user, forwarding)
    today = timezone.localdate()
    rule = forwarding.answer_rule
    return {
        "forwarding": forwarding,
        "item": item,
        "session": item.session,
        "answers": forwarding.answers.all(),
        "events": selectors.forwarding_timeline(forwarding),
        "explanation": DueDate.from_dict(rule).explain() if rule else "",
        "phase": forwarding.phase(today),
        "phase_label": forwarding.phase_label(today),
        "today": today,
        "is_council": _is_council(request, item.session.council_id),
        # A handler drafts, a lead also sends: the same form, one more button.
        "can_lead": "answer" in offers,
        "answer_form": _draft_form(forwarding) if "draft" in offers else None,
        "accept_form": forms.AcceptForm() if "accept" in offers else None,
        "send_back_form": forms.SendBackForm() if "send_back" in offers else None,
    }


def _render_forwarding(
    request: HttpRequest, forwarding: Forwarding, *, name: str, form: Any
) -> HttpResponse:
    """The page again with `form` bound and its errors shown (status 400)."""
    context = _forwarding_context(request, forwarding)
    if context.get(name) is None:
        # The form is not offered in this state (someone moved it meanwhile).
        messages.error(request, str(TransitionNotAllowed.default_message))
        return redirect(forwarding)
    context[name] = form
    return render(request, "recommendations/forwarding.html", context, status=400)


@login_required
def forwarding(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.forwarding_for_user(request.user, pk)
    return render(request, "recommendations/forwarding.html", _forwarding_context(request, item))


@login_required
@require_POST
def forwarding_answer(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.forwarding_for_user(request.user, pk)
    if not can(request.user, item.agency_id, Action.HANDLE):
        raise NotPermitted()
    form = forms.AnswerForm(request.POST, request.FILES)
    as_draft = "draft" in request.POST
    if as_draft:
        # A draft may be incomplete: only the answer text is needed.
        for name in ("category", "answered_on"):
            form.fields[name].required = False
    ran = _run(request, item, "draft" if as_draft else "answer", form)
    if ran.ok:
        messages.success(
            request,
            _("The draft was saved for the lead to review.")
            if as_draft
            else _("The answer was sent to the People's Council."),
        )
    if ran.ok or ran.refused:
        return redirect(item)
    return _render_forwarding(request, item, name="answer_form", form=form)


@login_required
@require_POST
def forwarding_accept(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.forwarding_for_user(request.user, pk)
    form = forms.AcceptForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    elif _run(request, item, "accept", data=form.cleaned_data).ok:
        messages.success(
            request, _("The answer of %(agency)s was accepted.") % {"agency": item.agency.name}
        )
    return _back(request, item)


@login_required
@require_POST
def forwarding_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.forwarding_for_user(request.user, pk)
    form = forms.SendBackForm(request.POST)
    ran = _run(request, item, "send_back", form)
    if ran.ok:
        messages.success(
            request,
            _("The answer was sent back to %(agency)s with a new deadline, %(due)s.")
            % {"agency": item.agency.name, "due": item.answer_due_on.strftime("%d/%m/%Y")},
        )
    if ran.ok or ran.refused:
        return redirect(item)
    return _render_forwarding(request, item, name="send_back_form", form=form)


@login_required
def answer_document(request: HttpRequest, pk: int, answer_id: int) -> FileResponse:
    item = selectors.forwarding_for_user(request.user, pk)
    answer = item.answers.filter(pk=answer_id).first()
    if answer is None or not answer.document:
        raise Http404
    try:
        handle = answer.document.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle, as_attachment=True, filename=answer.document.name.rsplit("/", 1)[-1]
    )


# --- public pages ---------------------------------------------------------------------------


@reading_from_replica()
def public_sessions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "recommendations/public_sessions.html",
        {"page": page_of(request, selectors.published_sessions(), 25)},
    )


@reading_from_replica()
def public_session(request: HttpRequest, pk: int) -> HttpResponse:
    council_session = selectors.public_session(pk)
    filters = _list_filters(request.GET)
    items = selectors.public_recommendations(council_session, filters)
    printing = request.GET.get("print") == "1"
    return render(
        request,
        "recommendations/public_session.html",
        {
            **_list_context(request, filters),
            "session": council_session,
            "figures": selectors.public_session_figures(council_session),
            "term_figures": selectors.public_term_figures(council_session.term),
            "page": page_of(request, items, PRINT_LIMIT if printing else PAGE_SIZE),
            "results": ResultCategory.choices,
            "printing": printing,
            # An unanswered item past its due date says publicly by how long.
            "today": timezone.localdate(),
        },
    )


@reading_from_replica()
def public_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    return exports.session_results_response(selectors.public_session(pk))
