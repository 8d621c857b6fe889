"""The citizen's opinion page and posts, the voters' verdict, and officials' list of
answers. Thin: find the case the way the tracking page does (the session's grant) or
by the signed link of an e-mail, then call the service."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.pages import int_param, page_of, query_without_page, run_form, staff_scope
from casework.throttle import allow, too_many
from petitions.models import Kind, Petition
from petitions.selectors import petition_chain
from petitions.views import TRACK_SESSION_KEY

from . import forms, links, selectors, services

# Posts from one client address an hour (answers and reopenings; votes have their own).
CITIZEN_POSTS_PER_HOUR = 30
BROWSER_COOKIE = "voter_browser"
BROWSER_SALT = "verdict.browser"
# A browser id kept for a year: one vote per browser per answer, changeable.
BROWSER_COOKIE_AGE = 365 * 24 * 3600


class Access:
    """Which case a request may give its opinion on, and how it got there."""

    def __init__(self, petition: Petition, root: Petition, token: str) -> None:
        self.petition, self.root, self.token = petition, root, token

    def back(self, via: str) -> HttpResponse:
        if via == "track" and not self.token:
            return redirect(
                reverse("petitions:track_detail", args=[self.root.reference]) + "#verdict"
            )
        url = reverse("verdict:answer", args=[self.petition.reference])
        return redirect(url + (f"?t={self.token}" if self.token else "") + "#verdict")


def _access(request: HttpRequest, reference: str) -> Access:
    """The case by its signed e-mail link, or the tracking page's grant; else 404."""
    token = (request.POST.get("t") or request.GET.get("t") or "")[:500]
    root = Petition.objects.select_related("handling_agency").filter(reference=reference).first()
    if root is None:
        raise Http404
    if token and links.reference_of(token) == root.reference:
        return Access(root, root, token)
    if root.pk not in request.session.get(TRACK_SESSION_KEY, []):
        raise Http404
    return Access(petition_chain(root)[-1], root, "")


def block_context(
    petition: Petition,
    *,
    reference: str,
    token: str = "",
    via: str = "page",
    answer_form: forms.AnswerForm | None = None,
    reopen_form: forms.ReopenForm | None = None,
) -> dict[str, Any]:
    """What the opinion block needs (the tracking page's include and this page)."""
    view = selectors.citizen_view(petition)
    initial = {}
    given = view.answer
    if given is not None:
        initial = {
            "settled": "yes" if given.settled else "no",
            "score": given.score,
            # The citizen's own words back in the box, or a change would wipe them.
            "comment": selectors.answer_comment(given),
        }
    denunciation = petition.kind == Kind.DENUNCIATION
    return {
        "view": view,
        "reference": reference,
        "token": token,
        "via": via,
        "answer_form": answer_form
        or forms.AnswerForm(initial=initial, denunciation=denunciation, auto_id="id_verdict_%s"),
        "reopen_form": reopen_form or forms.ReopenForm(auto_id="id_reopen_%s"),
    }


def answer(request: HttpRequest, reference: str) -> HttpResponse:
    access = _access(request, reference)
    return _render_page(request, access)


def _render_page(
    request: HttpRequest, access: Access, *, status: int = 200, **bound: Any
) -> HttpResponse:
    context = block_context(
        access.petition, reference=access.root.reference, token=access.token, **bound
    )
    return render(
        request,
        "verdict/answer.html",
        {**context, "petition": access.petition, "root": access.root},
        status=status,
    )


def _throttled(request: HttpRequest) -> bool:
    return not allow(request, "verdict-citizen", CITIZEN_POSTS_PER_HOUR)


@require_POST
def answer_post(request: HttpRequest, reference: str) -> HttpResponse:
    access = _access(request, reference)
    via = request.POST.get("via", "page")
    if _throttled(request):
        messages.error(
            request, _("Too many attempts from your connection. Please try again in an hour.")
        )
        return too_many(access.back(via))
    form = forms.AnswerForm(
        request.POST,
        denunciation=access.petition.kind == Kind.DENUNCIATION,
        auto_id="id_verdict_%s",
    )
    ran = run_form(
        request,
        form,
        lambda data: services.answer_give(
            petition=access.petition,
            settled=data["settled"],
            score=data["score"],
            comment=data.get("comment", ""),
        ),
    )
    if ran.ok and ran.result is not None:
        if ran.result.settled:
            messages.success(request, _("Thank you: your opinion was recorded."))
        else:
            messages.success(
                request,
                _("Thank you: your opinion was recorded. See below what you can do next."),
            )
    if ran.ok or ran.refused:
        return access.back(via)
    return _render_page(request, access, status=400, answer_form=form)


@require_POST
def reopen_post(request: HttpRequest, reference: str) -> HttpResponse:
    access = _access(request, reference)
    via = request.POST.get("via", "page")
    if _throttled(request):
        messages.error(
            request, _("Too many attempts from your connection. Please try again in an hour.")
        )
        return too_many(access.back(via))
    form = forms.ReopenForm(request.POST, auto_id="id_reopen_%s")
    ran = run_form(
        request,
        form,
        lambda data: services.petition_reopen_by_citizen(
            petition=access.petition, reason=data["reason"]
        ),
    )
    if ran.ok and ran.result is not None:
        messages.success(
            request,
            _("Your case was reopened: the agency must resolve it again by %(due)s.")
            % {"due": ran.result.new_due_on.strftime("%d/%m/%Y")},
        )
    if ran.ok or ran.refused:
        return access.back(via)
    return _render_page(request, access, status=400, reopen_form=form)


# --- voters -------------------------------------------------------------------------------


@require_POST
def vote(request: HttpRequest, answer_id: int) -> HttpResponse:
    """A voter's verdict on an answer shown on a published results page."""
    forwarding = selectors.votable_answer(answer_id) if int_param(str(answer_id)) else None
    if forwarding is None or forwarding.accepted_answer is None:
        raise Http404
    back = request.POST.get("next", "")[:500]
    # Only a path of this site, as a person's browser sent it: anything else (another
    # host, control characters) goes back to the list of published sessions.
    if not (
        back.startswith("/")
        and back.isprintable()
        and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    ):
        back = reverse("recommendations:public_sessions")
    response = HttpResponseRedirect(f"{back}#results")
    if not allow(request, "voter-vote", settings.VOTER_VOTE_RATE_LIMIT):
        messages.error(
            request, _("Too many votes from your connection. Please try again in an hour.")
        )
        return too_many(response)
    form = forms.VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the answer settled the matter for you."))
        return response
    browser = request.get_signed_cookie(BROWSER_COOKIE, default="", salt=BROWSER_SALT)
    if not browser:
        browser = secrets.token_urlsafe(18)
    services.voter_vote(
        answer=forwarding.accepted_answer,
        browser_id=browser,
        settled=form.cleaned_data["settled"] == "yes",
    )
    messages.success(request, _("Thank you: your opinion on this answer was counted."))
    response.set_signed_cookie(
        BROWSER_COOKIE,
        browser,
        salt=BROWSER_SALT,
        max_age=BROWSER_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


# --- officials ------------------------------------------------------------------------------


@login_required
def staff_answers(request: HttpRequest) -> HttpResponse:
    """The citizens' answers on the cases of the user's agencies (a monitor: province)."""
    staff_scope(request)
    settled = request.GET.get("settled", "")
    qs = selectors.answers_for_staff(request.user)
    if settled in {"yes", "no"}:
        qs = qs.filter(settled=settled == "yes")
    page = page_of(request, qs, 25)
    query = query_without_page(request.GET)
    rows = [(a, selectors.answer_comment(a)) for a in page.object_list]
    return render(
        request,
        "verdict/staff_answers.html",
        {"page": page, "rows": rows, "settled": settled, "query": query},
    )
