"""The one gate: a signed-in user who must (or chose to) type a code reaches no staff
page, API call with the session, export or admin page until the session has passed the
second step. Public and staff pages alike send such a session to the code page (or to
enrolment); the API answers 403 in JSON. An API call with `Authorization: Token` is let
through to DRF's token authentication, which then reads no session at all; tokens are
issued only in the admin, which is behind this gate, or on the server's console.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from . import session

# What a session between its password and its code may open: the code and enrolment
# pages, logging out, the language switch and the health check.
OPEN_VIEWS = frozenset(
    {
        "twofactor:verify",
        "twofactor:enrol",
        "logout",
        "admin:logout",
        "set_language",
        "healthz",
    }
)


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        # No signed-in session: nothing to hold back (and no query to find out).
        if not request.session.get(AUTH_SESSION_KEY):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_VIEWS:
            return None
        if request.path_info.startswith("/api/") and request.META.get(
            "HTTP_AUTHORIZATION", ""
        ).startswith("Token "):
            return None
        if session.is_verified(request):
            return None
        if not request.user.is_authenticated or session.passes(request):
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Enter your two-factor code on the login page first.")},
                status=403,
            )
        target = reverse("twofactor:verify")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)
