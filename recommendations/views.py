"""Staff and public pages. Thin: load through the scope-aware selectors (404 outside the
user's scope), call one service, redirect with a message or re-render the form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from agencies.clocks import Phase
from agencies.models import Agency
from agencies.scope import Action, acting_agency_ids, can, scope_for
from agencies.selectors import communes_of
from agencies.workdays import DueDate
from casework.errors import Conflict, NotPermitted, TransitionNotAllowed

from . import exports, forms, selectors, services
from .models import (
    CLOSED_CATEGORIES,
    CouncilSession,
    Field,
    Forwarding,
    Recommendation,
    ResultCategory,
)

PAGE_SIZE = 50
PRINT_LIMIT = 2000  # a printed session never has more items than this


# --- helpers --------------------------------------------------------------------------------


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _page(request: HttpRequest, qs: QuerySet[Any], size: int = PAGE_SIZE) -> Page:
    return Paginator(qs, size).get_page(request.GET.get("page"))


def _query(params: QueryDict) -> str:
    query = params.copy()
    query.pop("page", None)
    return query.urlencode()


def _choice(params: QueryDict, name: str, allowed: list[str]) -> str:
    value = params.get(name, "")
    return value if value in allowed else ""


def _list_filters(params: QueryDict) -> selectors.ListFilters:
    return selectors.ListFilters(
        q=params.get("q", "")[:100],
        field=_choice(params, "field", Field.values),
        status=_choice(params, "status", Recommendation.Status.values),
        result=_choice(params, "result", [*ResultCategory.values, "pending"]),
        agency=_int(params.get("agency")),
        carried=params.get("carried") == "1",
    )


def _explain(rule: dict[str, Any] | None) -> str:
    return DueDate.from_dict(rule).explain() if rule else ""


def _require_council(request: HttpRequest, session: CouncilSession) -> None:
    if not can(request.user, session.council_id, Action.COUNCIL):
        raise NotPermitted()


def _is_council(request: HttpRequest, council_id: int) -> bool:
    return can(request.user, council_id, Action.COUNCIL)


def _back(request: HttpRequest, default: Any) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


# --- sessions -------------------------------------------------------------------------------


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.session_list(request.user), 25)
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
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_create(
                actor=request.user,
                term=data["term"],
                number=data["number"],
                kind=data["kind"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("%(session)s was created.") % {"session": session.title})
            return redirect(session)
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
    page = _page(request, selectors.session_recommendations(council_session, filters))
    return render(
        request,
        "recommendations/session.html",
        {
            "session": council_session,
            "figures": selectors.session_figures(council_session),
            "term_figures": selectors.term_figures(council_session.term),
            "page": page,
            "filters": filters,
            "query": _query(request.GET),
            "fields": Field.choices,
            "results": ResultCategory.choices,
            "statuses": Recommendation.Status.choices,
            "agencies": selectors.answering_agencies(council_session.council),
            "is_council": _is_council(request, council_session.council_id),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def session_carry_over(request: HttpRequest, pk: int) -> HttpResponse:
    council_session = selectors.session_for_staff(request.user, pk)
    try:
        count = services.session_carry_over(actor=request.user, session=council_session)
    except (Conflict, NotPermitted) as exc:
        messages.error(request, str(exc.message))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if count:
            messages.success(
                request,
                ngettext(
                    "%(n)d unresolved recommendation was carried over to this session.",
                    "%(n)d unresolved recommendations were carried over to this session.",
                    count,
                )
                % {"n": count},
            )
        else:
            messages.info(request, _("No unresolved recommendation is left to carry over."))
    return redirect(council_session)


@login_required
@require_POST
def session_publish(request: HttpRequest, pk: int) -> HttpResponse:
    council_session = selectors.session_for_staff(request.user, pk)
    try:
        services.session_publish(actor=request.user, session=council_session)
    except (Conflict, NotPermitted) as exc:
        messages.error(request, str(exc.message))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The results of %(session)s are now public.") % {"session": council_session.title},
        )
    return redirect(council_session)


@login_required
def session_export(request: HttpRequest, pk: int) -> HttpResponse:
    council_session = selectors.session_for_staff(request.user, pk)
    return exports.session_results_response(council_session)


# --- voter meetings and collecting ----------------------------------------------------------


@login_required
def meetings(request: HttpRequest, pk: int) -> HttpResponse:
    council_session = selectors.session_for_staff(request.user, pk)
    is_council = _is_council(request, council_session.council_id)
    form = forms.MeetingForm(
        request.POST or None, communes=communes_of(council_session.council.province_id)
    )
    if request.method == "POST":
        _require_council(request, council_session)
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = services.meeting_record(
                    actor=request.user,
                    session=council_session,
                    timing=data["timing"],
                    held_on=data["held_on"],
                    place=data["place"],
                    commune=data["commune"],
                    deputies=data["deputies"],
                    voters_count=data["voters_count"],
                    notes=data["notes"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The meeting was recorded. Now record what the voters raised."),
                )
                return redirect(meeting)
    return render(
        request,
        "recommendations/meetings.html",
        {
            "session": council_session,
            "page": _page(request, selectors.session_meetings(council_session)),
            "form": form,
            "is_council": is_council,
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
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.recommendation_collect(
                    actor=request.user,
                    meeting=voter_meeting,
                    content=data["content"],
                    field=data["field"],
                    commune=data["commune"],
                    locality=data["locality"],
                    voters_count=data["voters_count"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The recommendation was recorded."))
                return redirect(voter_meeting)
    return render(
        request,
        "recommendations/meeting.html",
        {
            "meeting": voter_meeting,
            "session": council_session,
            "page": _page(request, selectors.meeting_sources(voter_meeting)),
            "form": form,
            "is_council": _is_council(request, council_session.council_id),
        },
        status=400 if form.errors else 200,
    )


# --- consolidation and forwarding -----------------------------------------------------------


@login_required
def consolidate(request: HttpRequest, pk: int) -> HttpResponse:
    council_session = selectors.session_for_staff(request.user, pk)
    _require_council(request, council_session)
    filters = _list_filters(request.GET)
    form = forms.ConsolidateForm(
        request.POST or None,
        candidates=selectors.consolidation_candidates(council_session, selectors.ListFilters()),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.recommendation_consolidate(
                actor=request.user,
                keeper=data["keeper"],
                duplicates=data["duplicates"],
                content=data["content"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except Conflict as exc:
            messages.error(request, str(exc.message))
            return redirect(request.get_full_path())
        else:
            if data["duplicates"]:
                message = ngettext(
                    "%(n)d duplicate was merged into #%(pk)s; every source was kept.",
                    "%(n)d duplicates were merged into #%(pk)s; every source was kept.",
                    len(data["duplicates"]),
                ) % {"n": len(data["duplicates"]), "pk": data["keeper"].pk}
            else:
                message = _("#%(pk)s was consolidated.") % {"pk": data["keeper"].pk}
            messages.success(request, message)
            return redirect(request.get_full_path())
    selected = {str(v) for v in request.POST.getlist("items")}
    return render(
        request,
        "recommendations/consolidate.html",
        {
            "session": council_session,
            "is_council": True,  # these pages are for council staff only
            "page": _page(request, selectors.consolidation_candidates(council_session, filters)),
            "filters": filters,
            "query": _query(request.GET),
            "fields": Field.choices,
            "form": form,
            "selected": selected,
            "keeper": request.POST.get("keeper", ""),
        },
        status=400 if form.errors else 200,
    )


@login_required
def forward(request: HttpRequest, pk: int) -> HttpResponse:
    council_session = selectors.session_for_staff(request.user, pk)
    _require_council(request, council_session)
    filters = _list_filters(request.GET)
    form = forms.BulkForwardForm(
        request.POST or None,
        candidates=selectors.forward_candidates(council_session, selectors.ListFilters()),
        agencies=selectors.answering_agencies(council_session.council),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            count = services.recommendations_forward(
                actor=request.user,
                recommendations=list(data["recommendations"]),
                agencies=list(data["agencies"]),
                dispatch_number=data["dispatch_number"],
                dispatched_on=data["dispatched_on"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except Conflict as exc:
            messages.error(request, str(exc.message))
            return redirect(request.get_full_path())
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d recommendation was forwarded to %(agencies)s.",
                    "%(n)d recommendations were forwarded to %(agencies)s.",
                    count,
                )
                % {"n": count, "agencies": ", ".join(a.name for a in data["agencies"])},
            )
            return redirect(request.get_full_path())
    return render(
        request,
        "recommendations/forward.html",
        {
            "session": council_session,
            "is_council": True,  # these pages are for council staff only
            "page": _page(request, selectors.forward_candidates(council_session, filters)),
            "filters": filters,
            "query": _query(request.GET),
            "fields": Field.choices,
            "form": form,
            "selected": {str(v) for v in request.POST.getlist("recommendations")},
        },
        status=400 if form.errors else 200,
    )


@login_required
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    council_session = selectors.session_for_staff(request.user, pk)
    _require_council(request, council_session)
    return render(
        request,
        "recommendations/assessment.html",
        {
            "session": council_session,
            "is_council": True,  # these pages are for council staff only
            "page": _page(request, selectors.assessment_queue(council_session)),
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
    is_council = _is_council(request, item.session.council_id)
    can_forward = is_council and item.status in (
        Recommendation.Status.CONSOLIDATED,
        Recommendation.Status.FORWARDED,
    )
    if can_forward and form is None:
        form = forms.ForwardForm(agencies=selectors.answering_agencies(item.session.council))
    return render(
        request,
        "recommendations/detail.html",
        {
            "item": item,
            "session": item.session,
            "is_council": is_council,
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
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.recommendation_forward(
                actor=request.user,
                recommendation=item,
                agencies=list(data["agencies"]),
                dispatch_number=data["dispatch_number"],
                dispatched_on=data["dispatched_on"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except (Conflict, NotPermitted) as exc:
            messages.error(request, str(exc.message))
            return redirect(item)
        else:
            messages.success(request, _("The recommendation was forwarded."))
            return redirect(item)
    return _render_detail(request, item, form=form, status=400)


# --- the agency's side: inbox and answers ---------------------------------------------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.visible:
        raise Http404
    params = request.GET
    status = params.get("status", Forwarding.Status.FORWARDED)
    filters = selectors.InboxFilters(
        status=status if status in Forwarding.Status.values else "",
        phase=_choice(params, "phase", Phase.values),
        agency=_int(params.get("agency")),
        q=params.get("q", "")[:100],
    )
    today = timezone.localdate()
    page = _page(request, selectors.agency_inbox(request.user, filters, today=today))
    many = len(scope.visible) > 1
    return render(
        request,
        "recommendations/inbox.html",
        {
            "page": page,
            "filters": filters,
            "query": _query(params),
            "statuses": Forwarding.Status.choices,
            "phases": Phase.choices,
            "agencies": Agency.objects.filter(pk__in=scope.visible).order_by("name")
            if many
            else [],
            "today": today,
        },
    )


def _forwarding_context(request: HttpRequest, forwarding: Forwarding) -> dict[str, Any]:
    user = request.user
    item = forwarding.recommendation
    is_council = _is_council(request, item.session.council_id)
    can_lead = can(user, forwarding.agency_id, Action.LEAD)
    can_draft = can(user, forwarding.agency_id, Action.HANDLE)
    awaiting = forwarding.status == Forwarding.Status.FORWARDED
    answer_form = None
    if awaiting and can_draft:
        draft = forwarding.draft or {}
        answer_form = forms.AnswerForm(
            initial={
                "text": draft.get("text", ""),
                "category": draft.get("category", ""),
                "reason": draft.get("reason", ""),
                "planned_by": draft.get("planned_by") or None,
                "document_number": draft.get("document_number", ""),
            }
        )
    today = timezone.localdate()
    can_accept = is_council and forwarding.status == Forwarding.Status.ANSWERED
    can_send_back = is_council and (
        forwarding.status == Forwarding.Status.ANSWERED
        or (forwarding.status == Forwarding.Status.ACCEPTED and not _closed(forwarding.result))
    )
    return {
        "forwarding": forwarding,
        "item": item,
        "session": item.session,
        "answers": forwarding.answers.all(),
        "events": selectors.forwarding_timeline(forwarding),
        "explanation": _explain(forwarding.answer_rule),
        "phase": forwarding.phase(today),
        "phase_label": forwarding.phase_label(today),
        "today": today,
        "is_council": is_council,
        "can_lead": can_lead,
        "answer_form": answer_form,
        "accept_form": forms.AcceptForm() if can_accept else None,
        "send_back_form": forms.SendBackForm() if can_send_back else None,
    }


def _closed(result: str) -> bool:
    return result in CLOSED_CATEGORIES


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
    if form.is_valid():
        data = form.cleaned_data
        try:
            if as_draft:
                services.forwarding_save_draft(
                    actor=request.user,
                    forwarding=item,
                    text=data["text"],
                    category=data["category"],
                    reason=data["reason"],
                    planned_by=data["planned_by"],
                    document_number=data["document_number"],
                )
                messages.success(request, _("The draft was saved for the lead to review."))
            else:
                services.forwarding_answer(
                    actor=request.user,
                    forwarding=item,
                    text=data["text"],
                    category=data["category"],
                    reason=data["reason"],
                    planned_by=data["planned_by"],
                    document_number=data["document_number"],
                    answered_on=data["answered_on"],
                    document=data["document"],
                )
                messages.success(request, _("The answer was sent to the People's Council."))
            return redirect(item)
        except ValidationError as exc:
            _add_errors(form, exc)
        except (Conflict, NotPermitted) as exc:
            messages.error(request, str(exc.message))
            return redirect(item)
    return _render_forwarding(request, item, name="answer_form", form=form)


@login_required
@require_POST
def forwarding_accept(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.forwarding_for_user(request.user, pk)
    form = forms.AcceptForm(request.POST)
    if form.is_valid():
        try:
            services.forwarding_accept(
                actor=request.user, forwarding=item, note=form.cleaned_data["note"]
            )
        except (Conflict, NotPermitted) as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request, _("The answer of %(agency)s was accepted.") % {"agency": item.agency.name}
            )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _back(request, item)


@login_required
@require_POST
def forwarding_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.forwarding_for_user(request.user, pk)
    form = forms.SendBackForm(request.POST)
    if form.is_valid():
        try:
            services.forwarding_send_back(
                actor=request.user,
                forwarding=item,
                reason=form.cleaned_data["reason"],
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except (Conflict, NotPermitted) as exc:
            messages.error(request, str(exc.message))
            return redirect(item)
        else:
            messages.success(
                request,
                _("The answer was sent back to %(agency)s with a new deadline, %(due)s.")
                % {"agency": item.agency.name, "due": item.answer_due_on.strftime("%d/%m/%Y")},
            )
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


def public_sessions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "recommendations/public_sessions.html",
        {"page": _page(request, selectors.published_sessions(), 25)},
    )


def public_session(request: HttpRequest, pk: int) -> HttpResponse:
    council_session = selectors.public_session(pk)
    filters = _list_filters(request.GET)
    items = selectors.public_recommendations(council_session, filters)
    printing = request.GET.get("print") == "1"
    page = _page(request, items, PRINT_LIMIT if printing else PAGE_SIZE)
    return render(
        request,
        "recommendations/public_session.html",
        {
            "session": council_session,
            "figures": selectors.public_session_figures(council_session),
            "term_figures": selectors.public_term_figures(council_session.term),
            "page": page,
            "filters": filters,
            "query": _query(request.GET),
            "fields": Field.choices,
            "results": ResultCategory.choices,
            "printing": printing,
        },
    )


def public_export(request: HttpRequest, pk: int) -> HttpResponse:
    return exports.session_results_response(selectors.public_session(pk))
