"""Vietnamese first: pages ignore the browser's preferred language.

A citizen whose phone is set to English still gets the Vietnamese portal until they
pick English with the language switch (a cookie). API clients keep content
negotiation through Accept-Language.

And no NUL character in an address: PostgreSQL refuses it in any text (a server
error wherever a path part or a query parameter reaches a query), so it is refused
at the door, once for every page and endpoint.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


class VietnameseFirstMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RefuseNulMiddleware:
    """400, with the reason in the request's language, for a NUL in the path or the
    query string (bodies are the forms' and serializers' to check: both refuse NUL in
    text, and a file may well hold one). Place it after LocaleMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or "\x00" in value
            for key, values in request.GET.lists()
            for value in values
        ):
            message = _("Null characters are not allowed.")
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": message}, status=400, json_dumps_params={"ensure_ascii": False}
                )
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
