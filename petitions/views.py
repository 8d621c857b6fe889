"""Citizen and staff pages. Thin: load through the scope-aware selectors, call a service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from agencies.models import Agency
from agencies.scope import Action, acting_agency_ids, scope_for
from casework.errors import Conflict, NotPermitted

from . import forms, selectors, services
from .identity import Identity
from .models import CITIZEN, Field, Kind, Petition, Status
from .presentation import MOVE_LABELS, STATUS_BADGES
from .throttle import allow_submission, allow_tracking_attempt

TRACK_SESSION_KEY = "tracked_petitions"
CONFIRM_SESSION_KEY = "submitted_petition"


def _add_form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- citizens -------------------------------------------------------------------------


@sensitive_post_parameters("name", "phone", "email", "address", "id_number", "co_signers")
def submit(request: HttpRequest) -> HttpResponse:
    form = forms.SubmitForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not allow_submission(request):
            form.add_error(
                None,
                _(
                    "Too many petitions have been sent from your connection in the last hour. "
                    "Please try again later or submit at the reception office."
                ),
            )
        elif form.is_valid():
            data = form.cleaned_data
            try:
                submitted = services.petition_submit(
                    actor=CITIZEN,
                    kind=data["kind"],
                    subject=data["subject"],
                    content=data["content"],
                    field=data["field"],
                    handling_agency=data["handling_agency"],
                    commune=data["commune"],
                    identity=_identity(data, form.co_signer_list()),
                    co_signers_count=len(form.co_signer_list()),
                    files=data["files"],
                    language=get_language() or "vi",
                )
            except ValidationError as exc:
                _add_form_errors(form, exc)
            else:
                request.session[CONFIRM_SESSION_KEY] = {
                    "reference": submitted.petition.reference,
                    "code": submitted.tracking_code,
                }
                _grant(request, submitted.petition.pk)
                return redirect("petitions:submitted")
    return render(
        request, "petitions/submit.html", {"form": form}, status=400 if form.errors else 200
    )


def _identity(data: dict[str, Any], co_signers: list[str]) -> Identity:
    return Identity(
        name=data.get("name", ""),
        phone=data.get("phone", ""),
        email=data.get("email", ""),
        address=data.get("address", ""),
        id_number=data.get("id_number", ""),
        co_signers=co_signers,
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
    elif request.method == "POST" and form.is_valid():
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


def _explain(rule: dict[str, Any] | None) -> str:
    from agencies.workdays import DueDate

    return DueDate.from_dict(rule).explain() if rule else ""


def track_detail(request: HttpRequest, reference: str) -> HttpResponse:
    root = _granted(request, reference)
    chain = selectors.petition_chain(root)
    current = chain[-1]
    context = {
        "root": root,
        "petition": current,
        "chain": chain,
        "timeline": selectors.public_timeline(chain),
        "due_explanation": _explain(current.clock_rule) if current.clock_due_on else "",
        "info_form": forms.AddInformationForm(),
        "withdraw_form": forms.WithdrawForm(),
        "appeal_form": forms.AppealForm(),
        "can_add": current.is_open,
        "can_withdraw": current.is_open,
        "can_appeal": current.status == Status.RESOLVED
        and current.kind == Kind.COMPLAINT
        and current.round == 1,
        "badges": STATUS_BADGES,
        "move_labels": MOVE_LABELS,
    }
    return render(request, "petitions/track_detail.html", context)


@require_POST
def track_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    root = _granted(request, reference)
    if not allow_submission(request):
        messages.error(
            request,
            _(
                "Too many petitions have been sent from your connection in the last hour. "
                "Please try again later or submit at the reception office."
            ),
        )
        return redirect("petitions:track_detail", reference=root.reference)
    petition = selectors.petition_chain(root)[-1]
    form_class = {
        "add_info": forms.AddInformationForm,
        "withdraw": forms.WithdrawForm,
        "appeal": forms.AppealForm,
    }.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "add_info":
                services.petition_add_information(
                    petition=petition, text=data["text"], files=data["files"]
                )
                messages.success(request, _("Thank you: your information was added to the case."))
            elif action == "withdraw":
                services.petition_withdraw(petition=petition, actor=CITIZEN, reason=data["reason"])
                messages.success(request, _("Your petition has been withdrawn."))
            else:
                services.petition_appeal(
                    petition=petition, actor=CITIZEN, content=data["content"], files=data["files"]
                )
                messages.success(request, _("Your second-round complaint has been sent."))
            return redirect("petitions:track_detail", reference=root.reference)
        except ValidationError as exc:
            _add_form_errors(form, exc)
        except Conflict as exc:
            messages.error(request, str(exc.message))
            return redirect("petitions:track_detail", reference=root.reference)
    return render(
        request,
        "petitions/track_form.html",
        {"form": form, "root": root, "petition": petition, "action": action},
        status=400,
    )


# --- staff ----------------------------------------------------------------------------


def _int(value: str | None) -> int | None:
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    # Ids beyond a 64-bit integer cannot exist (and overflow SQLite).
    return number if number is not None and 0 < number < 2**63 else None


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.visible:
        raise Http404
    params = request.GET
    filters = selectors.InboxFilters(
        status=params.get("status", "") if params.get("status", "") in Status.values else "",
        kind=params.get("kind", "") if params.get("kind", "") in Kind.values else "",
        field=params.get("field", "") if params.get("field", "") in Field.values else "",
        commune=_int(params.get("commune")),
        phase=params.get("phase", ""),
        agency=_int(params.get("agency")),
        mine=params.get("mine") == "1",
        q=params.get("q", "")[:100],
        sort=params.get("sort", "due"),
        open_only=params.get("all") != "1",
    )
    today = timezone.localdate()
    page = Paginator(selectors.inbox(request.user, filters, today=today), 25).get_page(
        params.get("page")
    )
    query = params.copy()
    query.pop("page", None)
    return render(
        request,
        "petitions/inbox.html",
        {
            "page": page,
            "filters": filters,
            "today": today,
            "kinds": Kind.choices,
            "statuses": Status.choices,
            "fields": Field.choices,
            "agencies": Agency.objects.filter(pk__in=scope.visible).order_by("name")
            if len(scope.visible) > 1
            else [],
            "query": query.urlencode(),
            "badges": STATUS_BADGES,
            "can_record": bool(acting_agency_ids(request.user, Action.HANDLE)),
        },
    )


@login_required
@sensitive_post_parameters("name", "phone", "email", "address", "id_number", "co_signers")
def record(request: HttpRequest) -> HttpResponse:
    agencies = Agency.objects.filter(pk__in=acting_agency_ids(request.user, Action.HANDLE))
    if not agencies.exists():
        raise Http404
    form = forms.RecordForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submitted = services.petition_submit(
                actor=request.user,
                kind=data["kind"],
                subject=data["subject"],
                content=data["content"],
                field=data["field"],
                handling_agency=data["handling_agency"],
                commune=data["commune"],
                identity=_identity(data, form.co_signer_list()),
                co_signers_count=len(form.co_signer_list()),
                channel=data["channel"],
                received_on=data["received_on"],
                is_remote_area=data["is_remote_area"],
                files=data["files"],
            )
        except ValidationError as exc:
            _add_form_errors(form, exc)
        except NotPermitted as exc:
            form.add_error("handling_agency", str(exc.message))
        else:
            messages.success(
                request,
                _("Petition %(ref)s recorded. Tracking code for the citizen: %(code)s")
                % {"ref": submitted.petition.reference, "code": submitted.tracking_code},
            )
            return redirect(submitted.petition)
    return render(
        request, "petitions/record.html", {"form": form}, status=400 if form.errors else 200
    )


@dataclass(frozen=True)
class StaffAction:
    form: Callable[..., Any]
    run: Callable[[Petition, Any, dict[str, Any]], Any]


def _action_form_kwargs(name: str, petition: Petition) -> dict[str, Any]:
    # Several action forms share a page: give each its own element ids.
    kwargs: dict[str, Any] = {"auto_id": f"id_{name}_%s"}
    if name in {"transfer", "resolve"}:
        kwargs["petition"] = petition
    if name == "assign":
        kwargs["handlers"] = selectors.handlers_of(petition.handling_agency_id)
    return kwargs


STAFF_ACTIONS: dict[str, StaffAction] = {
    "accept": StaffAction(
        forms.AcceptForm,
        lambda p, u, d: services.petition_accept(
            petition=p, actor=u, is_complex=d["is_complex"], note=d["note"]
        ),
    ),
    "transfer": StaffAction(
        forms.TransferForm,
        lambda p, u, d: services.petition_transfer(
            petition=p, actor=u, to_agency=d["to_agency"], note=d["note"]
        ),
    ),
    "guide": StaffAction(
        forms.GuideForm,
        lambda p, u, d: services.petition_guide(petition=p, actor=u, guided_to=d["guided_to"]),
    ),
    "not_accept": StaffAction(
        forms.NotAcceptForm,
        lambda p, u, d: services.petition_not_accept(
            petition=p, actor=u, reason=d["reason"], note=d["note"]
        ),
    ),
    "file": StaffAction(
        forms.RequiredNoteForm,
        lambda p, u, d: services.petition_file(petition=p, actor=u, note=d["note"]),
    ),
    "suspend": StaffAction(
        forms.DecisionForm,
        lambda p, u, d: services.petition_suspend(
            petition=p, actor=u, reason=d["reason"], decision_number=d["decision_number"]
        ),
    ),
    "resume": StaffAction(
        forms.NoteForm,
        lambda p, u, d: services.petition_resume(petition=p, actor=u, note=d["note"]),
    ),
    "extend": StaffAction(
        forms.ExtendForm,
        lambda p, u, d: services.petition_extend(
            petition=p,
            actor=u,
            reason=d["reason"],
            decision_number=d["decision_number"],
            especially_complex=d["especially_complex"],
        ),
    ),
    "resolve": StaffAction(
        forms.ResolveForm,
        lambda p, u, d: services.petition_resolve(
            petition=p,
            actor=u,
            outcome=d["outcome"],
            decision_number=d["decision_number"],
            decision_date=d["decision_date"],
            result_summary=d["result_summary"],
        ),
    ),
    "close": StaffAction(
        forms.NoteForm,
        lambda p, u, d: services.petition_close(petition=p, actor=u, note=d["note"]),
    ),
    "appeal": StaffAction(
        forms.StaffAppealForm,
        lambda p, u, d: services.petition_appeal(
            petition=p, actor=u, content=d["content"], to_agency=d["to_agency"], files=d["files"]
        ),
    ),
    "withdraw": StaffAction(
        forms.NoteForm,
        lambda p, u, d: services.petition_withdraw(petition=p, actor=u, reason=d["note"]),
    ),
    "terminate": StaffAction(
        forms.ReasonForm,
        lambda p, u, d: services.petition_terminate(petition=p, actor=u, reason=d["reason"]),
    ),
    "assign": StaffAction(
        forms.AssignForm,
        lambda p, u, d: services.petition_assign(petition=p, actor=u, handler=d["handler"]),
    ),
    "note": StaffAction(
        forms.InternalNoteForm,
        lambda p, u, d: services.petition_add_note(petition=p, actor=u, note=d["note"]),
    ),
}


def _success_message(name: str) -> str:
    from .presentation import ACTION_DONE

    return str(ACTION_DONE[name])


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    petition = selectors.petition_for_staff(request.user, pk)
    return _render_detail(request, petition)


def _render_detail(
    request: HttpRequest,
    petition: Petition,
    *,
    bound: tuple[str, Any] | None = None,
    identity: Identity | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    names = services.available_actions(request.user, petition)
    action_forms = []
    for name in names:
        if bound and bound[0] == name:
            form = bound[1]
        elif name == "reveal":
            form = forms.RevealForm(auto_id="id_reveal_%s")
        else:
            form = STAFF_ACTIONS[name].form(**_action_form_kwargs(name, petition))
        action_forms.append((name, MOVE_LABELS.get(name, _("Reveal the identity")), form))
    may_reveal = services.may_reveal(request.user, petition)
    show_identity = identity is not None or (may_reveal and not petition.is_denunciation)
    if show_identity and identity is None:
        from .identity import decrypt_identity

        identity = decrypt_identity(petition.identity)
    attachments = [a for a in petition.attachments.all() if not a.is_identifying or may_reveal]
    return render(
        request,
        "petitions/detail.html",
        {
            "petition": petition,
            "today": today,
            "phase": petition.phase(today),
            "phase_label": petition.phase_label(today),
            "events": petition.events.all(),
            "attachments": attachments,
            "visible_attachment_ids": {a.pk for a in attachments},
            "hidden_attachments": len(petition.attachments.all()) - len(attachments),
            "action_forms": action_forms,
            "open_action": bound[0] if bound else "",
            "identity": identity,
            "handling_explanation": _explain(petition.handling_rule),
            "resolution_explanation": _explain(
                petition.clock_rule if petition.clock == "resolution" else petition.resolution_rule
            ),
            "badges": STATUS_BADGES,
            "move_labels": MOVE_LABELS,
            "can_handle": scope_for(request.user).can(petition.handling_agency_id, Action.HANDLE),
        },
        status=status,
    )


@login_required
@require_POST
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    petition = selectors.petition_for_staff(request.user, pk)
    if name == "reveal":
        return _reveal(request, petition)
    spec = STAFF_ACTIONS.get(name)
    if spec is None:
        raise Http404
    form = spec.form(request.POST, request.FILES, **_action_form_kwargs(name, petition))
    if form.is_valid():
        try:
            result = spec.run(petition, request.user, form.cleaned_data)
        except ValidationError as exc:
            _add_form_errors(form, exc)
        except (Conflict, NotPermitted) as exc:
            messages.error(request, str(exc.message))
            return redirect(petition)
        else:
            messages.success(request, _success_message(name))
            if (
                name == "appeal"
                and isinstance(result, Petition)
                and scope_for(request.user).can(result.handling_agency_id, Action.VIEW)
            ):
                return redirect(result)
            return redirect(petition)
    return _render_detail(request, petition, bound=(name, form), status=400)


def _reveal(request: HttpRequest, petition: Petition) -> HttpResponse:
    form = forms.RevealForm(request.POST, auto_id="id_reveal_%s")
    if form.is_valid():
        try:
            identity = services.petition_reveal_identity(
                petition=petition, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except NotPermitted as exc:
            messages.error(request, str(exc.message))
            return redirect(petition)
        except ValidationError as exc:
            _add_form_errors(form, exc)
        else:
            return _render_detail(request, petition, identity=identity)
    return _render_detail(request, petition, bound=("reveal", form), status=400)


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
