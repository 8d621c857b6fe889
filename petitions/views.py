"""Citizen and staff pages. Thin: load through the scope-aware selectors, run the move
through `moves.run` (the API runs the same), and show what `selectors.petition_view_for`
and the machine allow."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from agencies.clocks import Phase
from agencies.models import Agency
from agencies.scope import Action, acting_agency_ids, scope_for
from agencies.workdays import DueDate
from casework.errors import NotPermitted
from casework.pages import (
    BoundedPaginator,
    agency_choices,
    page_of,
    query_without_page,
    run_form,
    staff_scope,
)
from casework.throttle import too_many

from . import forms, moves, receipts, selectors, services
from .bulk import bulk_actions_for
from .identity import Identity
from .models import CITIZEN, Clock, Field, Kind, Petition, Status
from .presentation import ACTION_DONE, MOVE_LABELS, STATUS_BADGES
from .throttle import allow_submission, allow_tracking_attempt

TRACK_SESSION_KEY = "tracked_petitions"
CONFIRM_SESSION_KEY = "submitted_petition"
TOO_MANY_SUBMISSIONS = gettext_lazy(
    "Too many petitions have been sent from your connection in the last hour. "
    "Please try again later or submit at the reception office."
)
SUBMITTER_FIELDS = ("name", "phone", "email", "address", "id_number", "co_signers")
STATUS_LABELS = dict(Status.choices)


def _explain(rule: dict[str, Any] | None) -> str:
    return DueDate.from_dict(rule).explain() if rule else ""


def _submission(form: forms.PetitionFormBase, data: dict[str, Any]) -> dict[str, Any]:
    """What the citizen's and the handler's forms both hand `petition_submit`."""
    return {
        "kind": data["kind"],
        "subject": data["subject"],
        "content": data["content"],
        "field": data["field"],
        "handling_agency": data["handling_agency"],
        "commune": data["commune"],
        "identity": Identity.from_fields(data, form.co_signer_list()),
        "co_signers_count": len(form.co_signer_list()),
        "files": data["files"],
    }


# --- citizens -------------------------------------------------------------------------


@sensitive_post_parameters(*SUBMITTER_FIELDS)
def submit(request: HttpRequest) -> HttpResponse:
    form = forms.SubmitForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        # Counted before validating: a flood of bad posts is still a flood.
        if not allow_submission(request):
            form.add_error(None, str(TOO_MANY_SUBMISSIONS))
            return too_many(render(request, "petitions/submit.html", {"form": form}))
        else:
            ran = run_form(
                request,
                form,
                lambda data: services.petition_submit(
                    actor=CITIZEN, language=get_language() or "vi", **_submission(form, data)
                ),
            )
            if ran.ok and ran.result is not None:
                submitted = ran.result
                request.session[CONFIRM_SESSION_KEY] = {
                    "reference": submitted.petition.reference,
                    "code": submitted.tracking_code,
                }
                _grant(request, submitted.petition.pk)
                return redirect("petitions:submitted")
    return render(
        request, "petitions/submit.html", {"form": form}, status=400 if form.errors else 200
    )


def submitted(request: HttpRequest) -> HttpResponse:
    # Shown once: a later visitor of the same browser must not find the code here.
    info = request.session.pop(CONFIRM_SESSION_KEY, None)
    if not info:
        return redirect("petitions:track")
    petition = (
        Petition.objects.select_related("handling_agency")
        .filter(reference=info["reference"])
        .first()
    )
    if petition is None:
        raise Http404
    return render(
        request,
        "petitions/submitted.html",
        {"petition": petition, "code": info["code"], "due": _explain(petition.handling_rule)},
    )


def _grant(request: HttpRequest, pk: int) -> None:
    if not request.user.is_authenticated:
        # A citizen's access to a case ends when the browser closes (shared phones,
        # internet cafés); officials keep their usual session.
        request.session.set_expiry(0)
    granted = set(request.session.get(TRACK_SESSION_KEY, []))
    granted.add(pk)
    request.session[TRACK_SESSION_KEY] = sorted(granted)[-20:]


def _granted(request: HttpRequest, reference: str) -> Petition:
    petition = (
        Petition.objects.select_related("handling_agency").filter(reference=reference).first()
    )
    if petition is None or petition.pk not in request.session.get(TRACK_SESSION_KEY, []):
        raise Http404
    return petition


def track(request: HttpRequest) -> HttpResponse:
    form = forms.TrackForm(request.POST or None)
    if request.method == "POST" and not allow_tracking_attempt(request):
        form.is_valid()
        form.add_error(
            None, _("Too many attempts from your connection. Please try again in an hour.")
        )
        return too_many(render(request, "petitions/track.html", {"form": form}))
    if request.method == "POST" and form.is_valid():
        petition = selectors.petition_for_citizen(
            form.cleaned_data["reference"], form.cleaned_data["code"]
        )
        if petition is None:
            form.add_error(
                None,
                _(
                    "No petition matches this reference number and tracking code. Check both and try again."
                ),
            )
        else:
            _grant(request, petition.pk)
            return redirect("petitions:track_detail", reference=petition.reference)
    return render(
        request, "petitions/track.html", {"form": form}, status=400 if form.errors else 200
    )


def track_detail(request: HttpRequest, reference: str) -> HttpResponse:
    root = _granted(request, reference)
    chain = selectors.petition_chain(root)
    current = chain[-1]
    allowed = moves.citizen_actions(current)
    context = {
        "root": root,
        "petition": current,
        "chain": chain,
        "timeline": selectors.public_timeline(chain),
        "due_explanation": _explain(current.clock_rule) if current.clock_due_on else "",
        "info_form": forms.AddInformationForm(),
        "withdraw_form": forms.WithdrawForm(),
        "appeal_form": forms.AppealForm(),
        "can_add": "add_info" in allowed,
        "can_withdraw": "withdraw" in allowed,
        "can_appeal": "appeal" in allowed,
        "badges": STATUS_BADGES,
        "move_labels": MOVE_LABELS,
        "status_labels": STATUS_LABELS,
    }
    return render(request, "petitions/track_detail.html", context)


# The petitioner's moves from the tracking page: the form, and what they are told after.
CITIZEN_FORMS: dict[str, tuple[type[django_forms.Form], Any]] = {
    "add_info": (
        forms.AddInformationForm,
        gettext_lazy("Thank you: your information was added to the case."),
    ),
    "withdraw": (forms.WithdrawForm, gettext_lazy("Your petition has been withdrawn.")),
    "appeal": (forms.AppealForm, gettext_lazy("Your second-round complaint has been sent.")),
}


@require_POST
def track_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    root = _granted(request, reference)
    # The tracking page's posts share the submissions' allowance (they add documents).
    if not allow_submission(request):
        messages.error(request, str(TOO_MANY_SUBMISSIONS))
        return redirect("petitions:track_detail", reference=root.reference)
    petition = selectors.petition_chain(root)[-1]
    if action not in CITIZEN_FORMS:
        raise Http404
    form_class, done = CITIZEN_FORMS[action]
    form = form_class(request.POST, request.FILES)
    ran = run_form(request, form, lambda data: moves.run(action, petition, CITIZEN, data))
    if ran.ok:
        messages.success(request, str(done))
    if ran.ok or ran.refused:
        return redirect("petitions:track_detail", reference=root.reference)
    return render(
        request,
        "petitions/track_form.html",
        {"form": form, "root": root, "petition": petition, "action": action},
        status=400,
    )


# --- staff ----------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxRow:
    """A petition as a row of the inbox shows it, its labels looked up once per page:
    a model's get_<field>_display() hashes every label of its choices (each one a
    translation) on every call, and the template's loops over the badges cost as much."""

    petition: Petition
    kind_label: str
    status_label: str
    badge: str
    # The running clock's phase today (phase_on's order), "" without a clock.
    phase: str


def _inbox_rows(petitions: Iterable[Petition], today: date) -> list[InboxRow]:
    kinds = {value: str(label) for value, label in Kind.choices}
    statuses = {value: str(label) for value, label in Status.choices}
    badges = {str(status): badge for status, badge in STATUS_BADGES.items()}
    return [
        InboxRow(
            petition=p,
            kind_label=kinds.get(p.kind, p.kind),
            status_label=statuses.get(p.status, p.status),
            badge=badges.get(p.status, ""),
            phase=_row_phase(p, today),
        )
        for p in petitions
    ]


def _row_phase(p: Petition, today: date) -> str:
    if p.clock_due_on is None:
        return ""
    if p.clock_long_overdue_on is not None and p.clock_long_overdue_on < today:
        return Phase.LONG_OVERDUE.value
    if p.clock_due_on < today:
        return Phase.OVERDUE.value
    if p.clock_due_soon_on is not None and p.clock_due_soon_on <= today:
        return Phase.DUE_SOON.value
    return ""


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    scope = staff_scope(request)
    params = request.GET
    filters = selectors.inbox_filters(params)
    today = timezone.localdate()
    page = page_of(
        request,
        selectors.inbox_page(request.user, filters, today=today),
        25,
        bound=selectors.inbox_count_bound(filters),
    )
    paginator = page.paginator
    # Past the bound the list says "more than" and pages no further.
    more_than = (
        paginator.bound if isinstance(paginator, BoundedPaginator) and not paginator.exact else None
    )
    return render(
        request,
        "petitions/inbox.html",
        {
            "page": page,
            "rows": _inbox_rows(page.object_list, today),
            "more_than": more_than,
            "filters": filters,
            "today": today,
            "kinds": Kind.choices,
            "statuses": Status.choices,
            "fields": Field.choices,
            "agencies": agency_choices(scope),
            "query": query_without_page(params),
            "badges": STATUS_BADGES,
            "can_record": bool(acting_agency_ids(request.user, Action.HANDLE)),
            "bulk_actions": bulk_actions_for(request.user),
        },
    )


@login_required
@sensitive_post_parameters(*SUBMITTER_FIELDS)
def record(request: HttpRequest) -> HttpResponse:
    agencies = Agency.objects.filter(pk__in=acting_agency_ids(request.user, Action.HANDLE))
    if not agencies.exists():
        raise Http404
    form = forms.RecordForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST":
        ran = run_form(
            request,
            form,
            lambda data: services.petition_submit(
                actor=request.user,
                channel=data["channel"],
                received_on=data["received_on"],
                is_remote_area=data["is_remote_area"],
                **_submission(form, data),
            ),
        )
        if ran.ok and ran.result is not None:
            submitted = ran.result
            # The code goes on the printed receipt, never only into a passing message.
            receipts.remember_code(request, submitted.petition, submitted.tracking_code)
            messages.success(
                request,
                _("Petition %(ref)s recorded. Print the receipt for the petitioner.")
                % {"ref": submitted.petition.reference},
            )
            return redirect(receipts.receipt_url(submitted.petition))
    return render(
        request,
        "petitions/record.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


# Each staff action's form; its service is the move's own (moves.SERVICES).
STAFF_FORMS: dict[str, type[django_forms.Form]] = {
    "accept": forms.AcceptForm,
    "transfer": forms.TransferForm,
    "guide": forms.GuideForm,
    "not_accept": forms.NotAcceptForm,
    "file": forms.RequiredNoteForm,
    "suspend": forms.DecisionForm,
    "resume": forms.NoteForm,
    "extend": forms.ExtendForm,
    "resolve": forms.ResolveForm,
    "close": forms.NoteForm,
    "appeal": forms.StaffAppealForm,
    "withdraw": forms.PublicReasonForm,
    "terminate": forms.ReasonForm,
    "assign": forms.AssignForm,
    "note": forms.InternalNoteForm,
    moves.REVEAL: forms.RevealForm,
}


def _action_form(
    name: str, petition: Petition, request: HttpRequest | None = None
) -> django_forms.Form:
    """The form of action `name`, bound to the request's data when one is given."""
    # Several action forms share a page: give each its own element ids.
    kwargs: dict[str, Any] = {"auto_id": f"id_{name}_%s"}
    if name in {"transfer", "resolve"}:
        kwargs["petition"] = petition
    if name == "assign":
        kwargs["handlers"] = selectors.handlers_of(petition.handling_agency_id)
    if request is not None:
        return STAFF_FORMS[name](request.POST, request.FILES, **kwargs)
    return STAFF_FORMS[name](**kwargs)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    petition = selectors.petition_for_staff(request.user, pk)
    return _render_detail(request, petition)


def _render_detail(
    request: HttpRequest,
    petition: Petition,
    *,
    bound: tuple[str, django_forms.Form] | None = None,
    revealed: Identity | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    view = selectors.petition_view_for(request.user, petition)
    action_forms = [
        (
            name,
            MOVE_LABELS.get(name, _("Reveal the identity")),
            bound[1] if bound and bound[0] == name else _action_form(name, petition),
        )
        for name in moves.available_actions(request.user, petition)
    ]
    resolution_rule = (
        petition.clock_rule if petition.clock == Clock.RESOLUTION else petition.resolution_rule
    )
    return render(
        request,
        "petitions/detail.html",
        {
            "petition": petition,
            "today": today,
            "phase": petition.phase(today),
            "phase_label": petition.phase_label(today),
            "events": petition.events.all(),
            "attachments": view.attachments,
            "visible_attachment_ids": view.visible_attachment_ids,
            "hidden_attachments": view.hidden_attachments,
            "action_forms": action_forms,
            "open_action": bound[0] if bound else "",
            # A denouncer's identity only right after its logged reveal.
            "identity": revealed or view.identity,
            "handling_explanation": _explain(petition.handling_rule),
            "resolution_explanation": _explain(resolution_rule),
            "badges": STATUS_BADGES,
            "move_labels": MOVE_LABELS,
            # The timeline's statuses by value: get_<field>_display() per event would
            # translate every label of the choices for each of them.
            "status_labels": STATUS_LABELS,
            "can_handle": scope_for(request.user).can(petition.handling_agency_id, Action.HANDLE),
        },
        status=status,
    )


@login_required
@require_POST
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    petition = selectors.petition_for_staff(request.user, pk)
    if name not in STAFF_FORMS:
        raise Http404
    form = _action_form(name, petition, request)
    if name == moves.REVEAL:
        return _reveal(request, petition, form)
    ran = run_form(request, form, lambda data: moves.run(name, petition, request.user, data))
    if ran.ok:
        messages.success(request, str(ACTION_DONE[name]))
        result = ran.result
        # A second round opened at an agency the official also sees: follow it there.
        if (
            name == "appeal"
            and isinstance(result, Petition)
            and scope_for(request.user).can(result.handling_agency_id, Action.VIEW)
        ):
            return redirect(result)
    if ran.ok or ran.refused:
        return redirect(petition)
    return _render_detail(request, petition, bound=(name, form), status=400)


def _reveal(request: HttpRequest, petition: Petition, form: django_forms.Form) -> HttpResponse:
    ran = run_form(
        request,
        form,
        lambda data: services.petition_reveal_identity(
            petition=petition, actor=request.user, reason=data["reason"]
        ),
    )
    if ran.ok:
        return _render_detail(request, petition, revealed=ran.result)
    if ran.refused:
        return redirect(petition)
    return _render_detail(request, petition, bound=(moves.REVEAL, form), status=400)


@login_required
def attachment(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    petition = selectors.petition_for_staff(request.user, pk)
    item = petition.attachments.filter(pk=attachment_id).first()
    if item is None:
        raise Http404
    try:
        services.attachment_open(petition=petition, attachment=item, actor=request.user)
        handle = item.file.open("rb")
    except (NotPermitted, FileNotFoundError) as exc:
        raise Http404 from exc
    return FileResponse(
        handle, as_attachment=True, filename=item.original_name, content_type=item.content_type
    )
